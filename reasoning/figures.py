"""Per-document figure facts ("figure tallies"), written in the document's inferred graph.

Why: `figures_side_by_side` (the figures view) counts, across the store, the documents giving
each figure of a kind: its key is the quantity's counted kind, its bounds normalised per month,
qualifier, period and modality, and it shows the earliest source in full. Joined quantity by
quantity that read eight patterns of every quantity and four of its words (~260,000 spans at
10,000 documents): 3.5-9 s a first call. Everything in that key and in the example lives in the
document's own graph, so it is worked out here once, when the inferred graph is derived (ingest,
correction, `claimgraph reason`), and the query groups a few rows per document and figure.
Like the tallies (reasoning/tallies.py) they are removed and rewritten with their document, left
out of a dump without inference, and re-derived when FIGURES (part of the rules version) changes.

One node per document and figure key, from the same rows the query's join made, so the same answers:
- the quantity: an IRI typed cg:Quantity in the document with a cg:countedKind, a cg:evidence
  whose oa:hasSelector is an oa:TextQuoteSelector with oa:exact (its words), and a document
  with a dcterms:identifier;
- its key: the counted kind, the bounds (else the value) divided by the period's months (years x
  12 + months + (weeks x 7 + days) / 30.4375, 1 without a period: the same double operations as
  the query did), qualifier, modality and period;
- its example: the least of the example strings of the document's quantities with that key (date
  or "9999-99-99", document id, publisher's name, who gave it: cg:attributedTo's label, else the
  label of the speaker of the claim it is cg:statedIn, the quantity's IRI, its words;
  tab-separated), so the MIN across documents is the MIN the query took across quantities.
Written as cg:figureDocument, cg:figureKind (the counted kind itself: the query finds a kind's
figures by index) and one cg:figureRow string per xsd:date the document is dcterms:issued on
(one with an empty date if none; an issued value of another datatype, which the mapper never
writes, is in the example but not in first/last), which holds the rest: "1" (a rate) or "0", low, high (canonical
xsd:double), qualifier, period, modality, tab-separated (a qualifier or modality is "=" and what
STRAFTER(STR(concept), "/qualifier/") gives, or "" when there is none), then a line break, the
date, a line break, and "=" and the example ("" when CONCAT would have failed; the example may
hold line breaks itself: it is everything after the second). One string, because reading
each field as its own statement cost a lookup per field and figure (~1.3 s at 10,000 documents
for the Personnel rates) where one lookup is needed. A quantity with several values for one of
these (two qualifiers ...) gives a row for each combination, as the join did. Counting sources
is COUNT(DISTINCT the inferred graph): one per document.
"""
from __future__ import annotations

import hashlib
import itertools
import re
from typing import Iterable, Optional

from pyoxigraph import Literal, NamedNode, Quad, Triple

from common import iris
from reasoning.derive import COUNTED_KIND, QUANTITY, RDF_TYPE, SPEAKER

CG = iris.CG
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
EVIDENCE, HAS_SELECTOR = NamedNode(CG + "evidence"), NamedNode(OA + "hasSelector")
QUOTE_SELECTOR, EXACT = NamedNode(OA + "TextQuoteSelector"), NamedNode(OA + "exact")
IDENTIFIER, ISSUED, PUBLISHER = NamedNode(DCT + "identifier"), NamedNode(DCT + "issued"), NamedNode(DCT + "publisher")
VALUE, LOWER, UPPER = NamedNode(CG + "value"), NamedNode(CG + "lowerBound"), NamedNode(CG + "upperBound")
QUALIFIER, MODALITY, PERIOD = NamedNode(CG + "qualifier"), NamedNode(CG + "modality"), NamedNode(CG + "period")
ATTRIBUTED, STATED_IN = NamedNode(CG + "attributedTo"), NamedNode(CG + "statedIn")

FIGURE_DOCUMENT, FIGURE_KIND = NamedNode(CG + "figureDocument"), NamedNode(CG + "figureKind")
FIGURE_ROW = NamedNode(CG + "figureRow")
FIGURE_PREDICATES = frozenset({FIGURE_DOCUMENT, FIGURE_KIND, FIGURE_ROW})
FIGURES = "figures/3"   # part of the rules version: bump when what is written here changes
SEPARATOR = "\n"   # between a row's key, its date and its example (no key field or date holds one; a
# control character such as U+001F would make the literal no valid xsd:string, which HermiT refuses)
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")

_STRINGS = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_NUMBERS = {XSD + t for t in ("decimal", "double", "float", "integer", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                              "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_DOUBLE_LEXICAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN")
_INTEGER_LEXICAL = re.compile(r"[+-]?\d+")
# the query's REPLACE patterns for the years, months, weeks and days of a period
_PERIOD_PARTS = [re.compile(p) for p in (r"^P(?:(\d+)Y)?.*$", r"^P(?:\d+Y)?(?:(\d+)M)?.*$",
                                         r"^P(?:\d+Y)?(?:\d+M)?(?:(\d+)W)?.*$",
                                         r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:(\d+)D)?.*$")]


def _string(term) -> Optional[str]:
    """A term's string as CONCAT takes it (a string literal), else None (CONCAT would fail)."""
    return term.value if isinstance(term, Literal) and term.datatype.value in _STRINGS else None


def _double(term) -> Optional[float]:
    """xsd:double(term) as SPARQL casts it (numbers, numeric strings, booleans), else None."""
    if not isinstance(term, Literal):
        return None
    kind, text = term.datatype.value, term.value.strip()
    if kind == XSD + "boolean":
        return {"true": 1.0, "1": 1.0, "false": 0.0, "0": 0.0}.get(text)
    if (kind in _NUMBERS or kind in _STRINGS) and _DOUBLE_LEXICAL.fullmatch(text):
        return float(text.replace("INF", "inf"))
    return None


def months(period: str) -> float:
    """How many months a period is, the way the query reads it: each part through its REPLACE
    (unchanged when the pattern does not match), cast to an integer (0 when that fails)."""
    if period == "":
        return 1.0
    parts = []
    for pattern in _PERIOD_PARTS:
        match = pattern.match(period)
        text = (match.group(1) or "") if match else period
        parts.append(float(int(text)) if _INTEGER_LEXICAL.fullmatch(text) else 0.0)
    years, month, weeks, days = parts
    return years * 12 + month + (weeks * 7 + days) / 30.4375


def _local(concept, namespace: str) -> str:
    """A qualifier's or modality's field: "" when there is none (unbound in the query), else "="
    and what the query's STRAFTER(STR(concept), namespace) gives."""
    if concept is None:
        return ""
    text = concept.value
    return "=" + (text.split(namespace, 1)[1] if namespace in text else "")


def _said_by(attributed, speaker) -> Optional[str]:
    """COALESCE(?attributedName, ?speakerName, "") as CONCAT takes it."""
    name = attributed if attributed is not None else speaker
    return "" if name is None else _string(name)


def _node(graph: str, key: tuple) -> NamedNode:
    """A figure node's IRI inside the inferred graph, stable for the same key."""
    digest = hashlib.sha256("\x1f".join("" if k is None else str(k) for k in key).encode()).hexdigest()[:16]
    return NamedNode(f"{graph}/figure/{digest}")


def figure_quads(document_graph: str, quads: Iterable[Quad]) -> list[Quad]:
    """The figure facts of one document (its own graph's quads), as quads of its inferred graph,
    in a stable order."""
    doc = NamedNode(document_graph)
    graph = NamedNode(iris.inferred_graph(document_graph))
    facts: dict = {}
    for q in quads:
        facts.setdefault((q.subject, q.predicate), []).append(q.object)
    get = lambda s, p: facts.get((s, p), [])
    ids = get(doc, IDENTIFIER)
    published = get(doc, ISSUED)
    publishers = [name for node in get(doc, PUBLISHER) for name in get(node, PREF_LABEL)] or [None]
    quantities = [s for (s, p), objects in facts.items()
                  if p == RDF_TYPE and QUANTITY in objects and isinstance(s, NamedNode)]
    found: dict[tuple, list] = {}   # key -> [least example or None]
    for quantity in quantities:
        texts = [text for evidence in get(quantity, EVIDENCE) for selector in get(evidence, HAS_SELECTOR)
                 if QUOTE_SELECTOR in get(selector, RDF_TYPE) for text in get(selector, EXACT)]
        kinds = get(quantity, COUNTED_KIND)
        if not (texts and kinds and ids):
            continue
        bounds = [(lo, hi) for lo in get(quantity, LOWER) for hi in get(quantity, UPPER)] or [(None, None)]
        attributed = [n for a in get(quantity, ATTRIBUTED) for n in get(a, PREF_LABEL)] or [None]
        spoken = [n for c in get(quantity, STATED_IN) for s in get(c, SPEAKER) for n in get(s, PREF_LABEL)] or [None]
        for (kind, value, (lo, hi), qualifier, modality, period, who, said, date, publisher, doc_id, text) in \
                itertools.product(kinds, get(quantity, VALUE) or [None], bounds, get(quantity, QUALIFIER) or [None],
                                  get(quantity, MODALITY) or [None], get(quantity, PERIOD) or [None], attributed,
                                  spoken, published or [None], publishers, ids, texts):
            per = months(period.value if period is not None else "")
            if not per > 0:
                continue
            low = _double(lo if lo is not None else value)
            high = _double(hi if hi is not None else value)
            if low is None or high is None:
                continue
            low, high = low / per, high / per
            key = (kind, Literal(low), Literal(high), qualifier, modality, period)
            parts = [date.value if date is not None else "9999-99-99", _string(doc_id),
                     "" if publisher is None else _string(publisher),
                     _said_by(who, said),
                     quantity.value, _string(text)]
            example = None if None in parts else "\t".join(parts)
            least = found.setdefault(key, [None])
            if example is not None and (least[0] is None or example < least[0]):
                least[0] = example
    dates = [d.value for d in published if isinstance(d, Literal) and d.datatype == XSD_DATE] or [""]
    out: list[Triple] = []
    for key, (example,) in found.items():
        kind, low, high, qualifier, modality, period = key
        node = _node(graph.value, key)
        out += [Triple(node, FIGURE_DOCUMENT, doc), Triple(node, FIGURE_KIND, kind)]
        fields = ["1" if period is not None else "0", low.value, high.value, _local(qualifier, "/qualifier/"),
                  "" if period is None else period.value, _local(modality, "/modality/")]
        for date in dates:
            row = "\t".join(fields) + SEPARATOR + date + SEPARATOR + ("" if example is None else "=" + example)
            out.append(Triple(node, FIGURE_ROW, Literal(row)))
    return [Quad(t.subject, t.predicate, t.object, graph) for t in sorted(set(out), key=str)]
