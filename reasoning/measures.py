"""Per-measure figures in the store-level summary: what `disagreeing_figures` and
`projections_vs_reports` group, summed across documents (reasoning/summary.py keeps the nodes).

Why: both queries grouped every quantity of the store at each first call (the kind, period,
modality, value and bounds of ~52,000 quantities at 10,000 documents, joined per quantity and
graph: 1-3 s), although a group changes only when a document giving one of its quantities
does. Their keys are not those of the figure rows (reasoning/figures.py: per month, per
qualifier, typed cg:Quantity with words), so they are kept here, per measure:
- measure node per counted kind and period: cg:summaryMeasureDocuments, the documents with a
  quantity of that kind and period (what a figure's share is taken of);
- figure node per kind, period and figure (`figure`: STR(value), else "low–high"; quantities
  with neither are in no figure node): cg:summaryFigureMeasure (its measure node),
  cg:summaryFigureText, cg:summaryFigureDocuments, cg:summaryFigureFirst (the least quantity
  IRI of the group: MIN(?quantity)) and cg:summaryFigureMid (the value, else (low + high) / 2,
  of that first quantity; only compared with != across figures);
- modality node per kind and modality (rdf:nil: none): cg:summaryModalityKind,
  cg:summaryModality, cg:summaryModalityQuantities (the sum over its figures of the distinct
  quantities giving each, as projections_vs_reports sums them);
- item node per kind, modality and figure (as above, else the quantity's IRI):
  cg:summaryItemOf (its modality node), cg:summaryItemDocuments, cg:summaryItemFirst.
Read as the queries read them: any named graph of the store, here the document graphs (every
quantity statement is in one: at 10,000 documents none elsewhere), each pattern in the same
graph as the quantity; quantities are IRIs minted per document (ingest.map), so a document's
distinct quantities add up across documents.

The counts are sums over documents (the summary's `Delta`). The first quantity is no sum: a
write keeps the least of the held one and the written documents' own; only when the held one's
document is rewritten without it (or removed) is the group looked up again across the store
(`first_in_store`: the quantities whose value or bounds make the figure, least IRI first, the
written documents left out, as their new contributions are known). A rebuild computes every document's contributions with the
same function (`document_contributions`), so a kept summary equals a rebuilt one.
"""
from __future__ import annotations

import decimal
import hashlib
from collections import defaultdict
from typing import Callable, Iterable, Iterator, Optional

from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from common import iris
from reasoning import sparql
from reasoning.derive import COUNTED_KIND, SPEAKER

CG = iris.CG
XSD = "http://www.w3.org/2001/XMLSchema#"
NIL = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")
PERIOD, MODALITY = NamedNode(CG + "period"), NamedNode(CG + "modality")
VALUE, LOWER, UPPER = NamedNode(CG + "value"), NamedNode(CG + "lowerBound"), NamedNode(CG + "upperBound")
READ = (COUNTED_KIND, PERIOD, MODALITY, VALUE, LOWER, UPPER)   # the document statements contributions read
EVIDENCE, HAS_SELECTOR = NamedNode(CG + "evidence"), NamedNode("http://www.w3.org/ns/oa#hasSelector")
EXACT, IDENTIFIER = NamedNode("http://www.w3.org/ns/oa#exact"), NamedNode("http://purl.org/dc/terms/identifier")
QUALIFIER, ATTRIBUTED, STATED_IN = NamedNode(CG + "qualifier"), NamedNode(CG + "attributedTo"), NamedNode(CG + "statedIn")
ABOUT, PREF_LABEL = NamedNode(CG + "about"), NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")

M_KIND, M_PERIOD = NamedNode(CG + "summaryMeasureKind"), NamedNode(CG + "summaryMeasurePeriod")
M_DOCUMENTS = NamedNode(CG + "summaryMeasureDocuments")
F_MEASURE, F_TEXT = NamedNode(CG + "summaryFigureMeasure"), NamedNode(CG + "summaryFigureText")
F_DOCUMENTS, F_FIRST, F_MID = (NamedNode(CG + "summaryFigureDocuments"), NamedNode(CG + "summaryFigureFirst"),
                               NamedNode(CG + "summaryFigureMid"))
# what disagreeing_figures shows of a figure, read from its first quantity's document graph
F_DOC, F_WORDS = NamedNode(CG + "summaryFigureDoc"), NamedNode(CG + "summaryFigureWords")
F_QUALIFIER, F_MODALITY = NamedNode(CG + "summaryFigureQualifier"), NamedNode(CG + "summaryFigureModality")
F_SAID_BY, F_ABOUT = NamedNode(CG + "summaryFigureSaidBy"), NamedNode(CG + "summaryFigureAbout")
F_DETAILS = (F_DOC, F_WORDS, F_QUALIFIER, F_MODALITY, F_SAID_BY, F_ABOUT)
O_KIND, O_MODALITY = NamedNode(CG + "summaryModalityKind"), NamedNode(CG + "summaryModality")
O_QUANTITIES = NamedNode(CG + "summaryModalityQuantities")
I_OF, I_DOCUMENTS, I_FIRST = NamedNode(CG + "summaryItemOf"), NamedNode(CG + "summaryItemDocuments"), NamedNode(CG + "summaryItemFirst")
# the count that keeps each kind of node (it goes when that reaches 0)
COUNTS = {"measure": (M_DOCUMENTS,), "figure": (F_DOCUMENTS,), "modality": (O_QUANTITIES,), "item": (I_DOCUMENTS,)}
FIRST_KINDS = ("figure", "item")   # nodes that hold a first quantity besides their count
XSD_INTEGER, XSD_DECIMAL = NamedNode(XSD + "integer"), NamedNode(XSD + "decimal")
_DECIMALS = {XSD + t for t in ("decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                               "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "double", XSD + "float"}

# a key: (kind of node, dimensions...); a contribution: key -> [count] or, for FIRST_KINDS,
# [documents, first quantity, its mid or None]
Key = tuple


def _str(term) -> Optional[str]:
    """STR(term) as SPARQL gives it (a literal's lexical form, an IRI), else None (an error)."""
    return term.value if isinstance(term, (Literal, NamedNode)) else None


def _number(term):
    """A numeric literal as a Decimal (xsd:decimal and its integers) or a float (xsd:double,
    xsd:float), else None; with which of the two."""
    if not isinstance(term, Literal):
        return None
    kind = term.datatype.value
    try:
        if kind in _DECIMALS:
            return decimal.Decimal(term.value.strip())
        if kind in _FLOATS:
            return float(term.value.strip().replace("INF", "inf"))
    except (decimal.InvalidOperation, ValueError):
        return None
    return None


def _mid(value, low, high):
    """COALESCE(?value, (?low + ?high) / 2): the value itself, else the bounds' mean as the
    query's arithmetic types it (decimals stay exact decimals, a double makes a double), else None."""
    if value is not None:
        return value
    a, b = _number(low), _number(high)
    if a is None or b is None:
        return None
    if isinstance(a, float) or isinstance(b, float):
        mean = (float(a) + float(b)) / 2
        if mean != mean or mean in (float("inf"), float("-inf")):
            return Literal({True: "INF", False: "-INF"}.get(mean > 0, "NaN") if mean == mean else "NaN",
                           datatype=NamedNode(XSD + "double"))
        return Literal(_canonical(decimal.Decimal(repr(mean))), datatype=NamedNode(XSD + "double"))
    with decimal.localcontext() as context:
        context.prec = 60
        mean = (a + b) / 2
    return Literal(_canonical(mean), datatype=XSD_DECIMAL)


def _canonical(number: decimal.Decimal) -> str:
    """A number's lexical form as the store writes it back (no exponent, no trailing zeros):
    what a stored node holds must be what a rebuild makes."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def least(candidates: Iterable[tuple]) -> Optional[tuple]:
    """The (quantity, mid, document) with the least quantity IRI (MIN over IRIs compares their
    strings); the least mid term of that quantity's rows if it has several."""
    return min(candidates, key=lambda c: (c[0].value, "" if c[1] is None else str(c[1])), default=None)


def quantity_rows(get: Callable, quantity) -> Iterator[tuple]:
    """The rows the queries' joins made of one quantity (`get(subject, predicate)`: its objects in
    its graph): ("figure", kind, period, figure text or None, mid) for each kind and period
    (disagreeing_figures), ("item", kind, modality or rdf:nil, figure text, None) for each kind
    (projections_vs_reports); a quantity with several values of one gives a row per combination."""
    kinds = get(quantity, COUNTED_KIND)
    if not kinds:
        return
    values = get(quantity, VALUE) or [None]
    bounds = [(lo, hi) for lo in get(quantity, LOWER) for hi in get(quantity, UPPER)] or [(None, None)]
    periods, modalities = get(quantity, PERIOD), get(quantity, MODALITY) or [NIL]
    for value in values:
        for low, high in bounds:
            text = _str(value) if value is not None else None
            if text is None and low is not None:
                lo, hi = _str(low), _str(high)
                text = None if lo is None or hi is None else f"{lo}–{hi}"
            mid = _mid(value, low, high)
            for kind in kinds:
                for period in periods:
                    yield ("figure", kind, period, text, mid)
                for modality in modalities:
                    yield ("item", kind, modality, text if text is not None else _str(quantity), None)


def contributions_of(document: NamedNode, get: Callable, quantities: Iterable) -> dict[Key, list]:
    """What one document graph adds (its quantities: IRIs with a cg:countedKind in it)."""
    out: dict[Key, list] = {}
    firsts: dict[Key, list] = defaultdict(list)     # key -> (quantity, mid) candidates
    items: dict[Key, set] = defaultdict(set)        # item key -> its distinct quantities here
    for quantity in quantities:
        if not isinstance(quantity, NamedNode):
            continue
        for kind, a, b, text, mid in quantity_rows(get, quantity):
            if kind == "figure":
                out[("measure", a, b)] = [1]
                if text is not None:
                    firsts[("figure", a, b, text)].append((quantity, mid, document))
            else:
                firsts[("item", a, b, text)].append((quantity, None, document))
                items[("item", a, b, text)].add(quantity)
    for key, candidates in firsts.items():
        out[key] = [1, *least(candidates)]
    for (_, a, b, _text), quantities_here in items.items():
        out.setdefault(("modality", a, b), [0])[0] += len(quantities_here)
    return out


def document_contributions(document: str, quads: Iterable[Quad]) -> dict[Key, list]:
    """A document's contributions from its graph's statements (any; those in READ are used)."""
    facts: dict = defaultdict(list)
    for q in quads:
        if q.predicate in READ:
            facts[(q.subject, q.predicate)].append(q.object)
    quantities = dict.fromkeys(s for (s, p) in facts if p == COUNTED_KIND)
    return contributions_of(NamedNode(document), lambda s, p: facts.get((s, p), []), quantities)


def stored_quads(store: Store, document: str) -> list[Quad]:
    """The statements contributions read in a stored document graph (one index range each)."""
    graph = NamedNode(document)
    return [q for p in READ for q in store.quads_for_pattern(None, p, None, graph)]


# -- nodes ---------------------------------------------------------------------------------------

def node(graph: str, key: Key) -> NamedNode:
    """A node's IRI in the summary graph: stable for its key."""
    text = "\t".join(str(part) for part in key[1:])
    return NamedNode(f"{graph}/{key[0]}/{hashlib.md5(text.encode()).hexdigest()}")


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)


def node_triples(graph: str, key: Key, count: int, first=None, mid=None, details: Iterable[tuple] = ()) -> list[tuple]:
    """A node's statements (subject, predicate, object) for its key, count and first quantity
    (and for a figure node what is shown of it: `details`, see `figure_details`)."""
    subject = node(graph, key)
    kind = key[0]
    if kind == "measure":
        out = [(M_KIND, key[1]), (M_PERIOD, key[2]), (M_DOCUMENTS, _int(count))]
    elif kind == "figure":
        out = [(F_MEASURE, node(graph, ("measure", key[1], key[2]))), (F_TEXT, Literal(key[3])),
               (F_DOCUMENTS, _int(count)), (F_FIRST, first)] + ([(F_MID, mid)] if mid is not None else []) + list(details)
    elif kind == "modality":
        out = [(O_KIND, key[1]), (O_MODALITY, key[2]), (O_QUANTITIES, _int(count))]
    else:
        out = [(I_OF, node(graph, ("modality", key[1], key[2]))), (I_DOCUMENTS, _int(count)), (I_FIRST, first)]
    return [(subject, p, o) for p, o in out]


def held(quads: list[Quad], key: Key) -> tuple[int, object, object, list[tuple]]:
    """A stored node's count, first quantity, mid and shown details (0, None, None, [] when it has
    none)."""
    count_predicate = COUNTS[key[0]][0]
    count = next((int(q.object.value) for q in quads if q.predicate == count_predicate), 0)
    first = next((q.object for q in quads if q.predicate in (F_FIRST, I_FIRST)), None)
    mid = next((q.object for q in quads if q.predicate == F_MID), None)
    return count, first, mid, [(q.predicate, q.object) for q in quads if q.predicate in F_DETAILS]


def figure_details(lookup: Callable, quantity, document: NamedNode) -> list[tuple]:
    """What disagreeing_figures shows of a figure, from its first quantity's document graph
    (`lookup(subject, predicate)`: the objects there), as (predicate, object) pairs: each of the
    quantity's words (oa:exact of the selectors of its cg:evidence) and the document's
    identifiers (none of either: the figure is not shown, as the query's join left it out), its
    qualifiers and modalities, who gave it (the least label of its cg:attributedTo, else of the
    speakers of the claims it is cg:statedIn: the query sampled one) and what it is about (the
    nodes; their labels are read by the query from any graph, as before). Several values of one
    make a row each in the query, as its joins did."""
    words = {text for evidence in lookup(quantity, EVIDENCE) for selector in lookup(evidence, HAS_SELECTOR)
             for text in lookup(selector, EXACT)}
    ids = set(lookup(document, IDENTIFIER))
    if not words or not ids:
        return []
    who = lookup(quantity, ATTRIBUTED) or [s for claim in lookup(quantity, STATED_IN) for s in lookup(claim, SPEAKER)]
    labels = {label for node in who for label in lookup(node, PREF_LABEL)}
    out = [(F_DOC, i) for i in ids] + [(F_WORDS, w) for w in words]
    out += [(F_QUALIFIER, q) for q in set(lookup(quantity, QUALIFIER))]
    out += [(F_MODALITY, m) for m in set(lookup(quantity, MODALITY))]
    if labels:
        out.append((F_SAID_BY, min(labels, key=lambda t: (t.value, str(t)))))
    out += [(F_ABOUT, a) for a in set(lookup(quantity, ABOUT)) if isinstance(a, NamedNode)]
    return sorted(out, key=str)


def store_lookup(store, document: NamedNode) -> Callable:
    """lookup(subject, predicate) in one graph of a pyoxigraph Store or an actor_facts.View."""
    if hasattr(store, "quads_in"):
        return lambda s, p: [q.object for q in store.quads_in(s, p, None, document)]
    return lambda s, p: [q.object for q in store.quads_for_pattern(s, p, None, document)]


def first_in_store(store: Store, key: Key, skip: set) -> Optional[tuple]:
    """The least (quantity, mid, document) of a figure or item group across the store's document
    graphs, those in `skip` left out (a write knows their new contributions). Every quantity of
    the group has the figure as the STR of a value, as its bounds' "low–high", or (an item) as its
    own IRI, so those are the candidates (reasoning/sparql/summary_measure_candidates.rq: one
    scan of the values and of the lower bounds, filtered by the figure); they are checked least
    IRI first, and the first whose own rows have the key is the group's first."""
    text = key[3]
    candidates = {(row["quantity"], row["document"]) for row in store.query(
        sparql.load("summary_measure_candidates"), substitutions={Variable("figure"): Literal(text)},
        use_default_graph_as_union=True)}
    if key[0] == "item":   # a quantity with neither value nor bounds is its own figure
        try:
            node = NamedNode(text)
        except ValueError:
            node = None
        if node is not None:
            candidates |= {(q.subject, q.graph_name) for q in store.quads_for_pattern(node, COUNTED_KIND, None, None)}
    for quantity, document in sorted(candidates, key=lambda c: (c[0].value, c[1].value)):
        if (not isinstance(quantity, NamedNode) or not isinstance(document, NamedNode)
                or not iris.is_document_graph(document.value) or document in skip):
            continue
        rows = [(quantity, mid, document) for kind, a, b, figure, mid in quantity_rows(store_lookup(store, document), quantity)
                if (kind, a, b, figure) == key]
        if rows:
            return least(rows)
    return None


def rebuild_contributions(store: Store) -> Iterator[dict[Key, list]]:
    """Every document graph's contributions, one document at a time: for a rebuild. The
    statements are read by one query (reasoning/sparql/summary_measures.rq) and grouped per
    document here, so the same function makes them as for a write."""
    by_document: dict = defaultdict(list)
    for row in store.query(sparql.load("summary_measures"), use_default_graph_as_union=True):
        document = row["document"]
        if iris.is_document_graph(document.value):
            by_document[document].append((row["quantity"], NamedNode(row["predicate"].value), row["object"]))
    for document in sorted(by_document, key=lambda d: d.value):
        facts: dict = defaultdict(list)
        for s, p, o in dict.fromkeys(by_document.pop(document)):
            facts[(s, p)].append(o)
        quantities = dict.fromkeys(s for (s, p) in facts if p == COUNTED_KIND)
        yield contributions_of(document, lambda s, p, f=facts: f.get((s, p), []), quantities)
