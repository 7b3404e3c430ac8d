"""Corrections applied to one document graph: uncorrected quads in, corrected quads out.

A pure function of the document's extraction and its corrections (oldest first), so the same
inputs always give the same graph: the ingest applies it to a fresh extraction, the server to
the stored uncorrected extraction (the snapshot), and both write the result in one atomic step.

How a correction finds its target again after a re-ingest: a claim or quantity IRI carries its
offsets, so a changed text moves it. The correction keeps the words it stands on (Web
Annotation TextQuoteSelector: exact, prefix, suffix); they are looked up in the new text (the
occurrence whose context matches, nearest the old offsets) and the item at those offsets is
the target. No such words, or no item there: the correction is orphaned — reported, kept,
and applied again if a later version brings its target back.

Every applied correction leaves `<doc> cg:appliedCorrection <correction>` and, on the items it
changed, `<item> cg:correctedBy <correction>` (the provenance of the corrected statements);
an orphaned one leaves `<doc> cg:orphanedCorrection <correction>`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from common import iris
from curation.model import CLEARABLE, Correction
from curation.rdf import decimal_literal, integer_literal

P = iris.PREFIXES
RDF_TYPE = NamedNode(P["rdf"] + "type")
PREF, ALT = NamedNode(P["skos"] + "prefLabel"), NamedNode(P["skos"] + "altLabel")
MENTIONS = NamedNode(P["schema"] + "mentions")
SAME_AS = NamedNode(P["owl"] + "sameAs")
XSD = P["xsd"]
QUOTE_CONTEXT = 32           # as ingest/map.py writes TextQuoteSelectors
ANCHOR_SLACK = 2000          # how far from its old offsets a quote is looked for first


def cg(local: str) -> NamedNode:
    return NamedNode(iris.CG + local)


def oa(local: str) -> NamedNode:
    return NamedNode(P["oa"] + local)


@dataclass
class Outcome:
    quads: list[Quad]
    applied: list[str] = field(default_factory=list)    # correction ids
    orphaned: list[str] = field(default_factory=list)


class _Graph:
    """The document graph as a set of triples, with the few lookups corrections need."""

    def __init__(self, doc: NamedNode, quads: Iterable[Quad]):
        self.doc = doc
        self.triples: set[tuple] = {(q.subject, q.predicate, q.object) for q in quads}

    def objects(self, s, p) -> list:
        return [o for (s2, p2, o) in self.triples if s2 == s and p2 == p]

    def has_subject(self, s) -> bool:
        return any(t[0] == s for t in self.triples)

    def mentions(self, node) -> bool:
        return any(t[0] == node or t[2] == node for t in self.triples)

    def remove(self, s=None, p=None, o=None) -> None:
        self.triples = {t for t in self.triples
                        if not ((s is None or t[0] == s) and (p is None or t[1] == p) and (o is None or t[2] == o))}

    def set(self, s, p, o) -> None:
        self.remove(s, p)
        self.triples.add((s, p, o))

    def add(self, s, p, o) -> None:
        self.triples.add((s, p, o))

    def text(self) -> str:
        values = self.objects(self.doc, cg("text"))
        return values[0].value if values else ""


def apply(doc_iri: str, quads: Iterable[Quad], corrections: Iterable[Correction]) -> Outcome:
    """The corrected document graph, and which corrections applied or were orphaned.

    `corrections` are this document's corrections plus every merge and split (global ones that
    do not touch the document are neither applied nor orphaned here)."""
    doc = NamedNode(doc_iri)
    g = _Graph(doc, quads)
    outcome = Outcome([])
    ordered = sorted(corrections, key=Correction.sort_key)
    undone = {c.undoes for c in ordered if c.kind == "split" and c.undoes}
    for c in ordered:
        if c.kind == "split" or c.iri in undone:
            continue
        if c.kind == "merge":
            if _merge(g, c):
                outcome.applied.append(c.id)
            continue
        if c.document != doc_iri:
            continue
        if _apply_one(g, c):
            outcome.applied.append(c.id)
            g.add(doc, cg("appliedCorrection"), NamedNode(c.iri))
        else:
            outcome.orphaned.append(c.id)
            g.add(doc, cg("orphanedCorrection"), NamedNode(c.iri))
    outcome.quads = [Quad(s, p, o, doc) for (s, p, o) in sorted(g.triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))]
    return outcome


def _apply_one(g: _Graph, c: Correction) -> bool:
    """Apply one document correction; False when its target is not there (orphaned)."""
    mark = NamedNode(c.iri)
    if c.kind in ("add_claim", "add_quantity"):
        span = anchor(g.text(), c.selector)
        if span is None:
            return False
        what = "claim" if c.kind == "add_claim" else "quantity"
        item = NamedNode(f"{g.doc.value}/{what}/{span[0]}-{span[1]}")
        _add_item(g, item, what, span)
        if c.kind == "add_claim":
            g.add(item, cg("claimText"), Literal(g.text()[span[0]:span[1]]))
            g.add(item, cg("isDirectQuote"), Literal("false", datatype=NamedNode(XSD + "boolean")))
            g.add(item, cg("isThesis"), Literal("false", datatype=NamedNode(XSD + "boolean")))
            if c.cue:
                g.set(item, cg("cue"), Literal(c.cue))
            _set_speaker(g, item, c)
            _set_stance(g, item, c.stance)
        else:
            if c.qualifier is None:
                g.set(item, cg("qualifier"), NamedNode(iris.QUALIFIER + ("range" if c.low is not None else "exact")))
            if c.modality is None:
                g.set(item, cg("modality"), NamedNode(iris.MODALITY + "report"))
            _set_quantity(g, item, c)
        g.add(item, cg("correctedBy"), mark)
        return True
    if c.kind == "set_stance" and c.target == g.doc.value:
        _set_stance(g, g.doc, c.stance)
        g.add(g.doc, cg("correctedBy"), mark)
        return True
    if c.kind == "reject" and "/actor/" in (c.target or ""):
        actor = NamedNode(c.target)
        if not g.has_subject(actor):
            return False
        for claim in [s for (s, p, o) in g.triples if p == cg("speaker") and o == actor]:
            _remove_item(g, claim)
        g.remove(actor)
        g.remove(None, None, actor)
        return True
    item = resolve(g, c)
    if item is None:
        return False
    if c.kind == "reject":
        _remove_item(g, item)
        return True
    if c.kind == "set_speaker":
        _set_speaker(g, item, c)
    elif c.kind == "set_stance":
        _set_stance(g, item, c.stance)
    elif c.kind == "set_quantity":
        _set_quantity(g, item, c)
    g.add(item, cg("correctedBy"), mark)
    return True


# ---- finding the target ---------------------------------------------------------------------

def resolve(g: _Graph, c: Correction) -> NamedNode | None:
    """The claim or quantity a correction is about, in this version of the document."""
    if not c.target:
        return None
    node = NamedNode(c.target)
    what = "claim" if "/claim/" in c.target else "quantity" if "/quantity/" in c.target else None
    if what is None:
        return node if g.has_subject(node) else None
    text = g.text()
    if c.selector is None:
        return node if g.has_subject(node) else None
    if g.has_subject(node) and text[c.selector.start:c.selector.end] == c.selector.exact:
        return node
    span = anchor(text, c.selector)
    if span is None:
        return None
    moved = NamedNode(f"{g.doc.value}/{what}/{span[0]}-{span[1]}")
    return moved if (moved, RDF_TYPE, cg("Claim" if what == "claim" else "Quantity")) in g.triples else None


def anchor(text: str, selector) -> tuple[int, int] | None:
    """Where the selector's words are in `text`: at its offsets if they still hold them, else the
    occurrence with the most context matching, nearest the old offsets; None when absent."""
    if selector is None or not selector.exact:
        return None
    start, end, exact = selector.start, selector.end, selector.exact
    if text[start:end] == exact:
        return start, end
    candidates = []
    at = text.find(exact)
    while at != -1:
        context = (text[max(0, at - len(selector.prefix)):at] == selector.prefix) + \
                  (text[at + len(exact):at + len(exact) + len(selector.suffix)] == selector.suffix)
        candidates.append((-context, abs(at - start), at))
        at = text.find(exact, at + 1)
    if not candidates:
        return None
    best = min(candidates)[2]
    return best, best + len(exact)


def selector_for(text: str, start: int, end: int):
    """A selector (with the context ingest/map.py keeps) for a span of `text`."""
    from curation.model import Selector
    return Selector(start, end, text[start:end], text[max(0, start - QUOTE_CONTEXT):start], text[end:end + QUOTE_CONTEXT])


# ---- changes --------------------------------------------------------------------------------

def _remove_item(g: _Graph, item: NamedNode) -> None:
    """A claim or quantity and its evidence span, and every link to it."""
    for span in g.objects(item, cg("evidence")):
        for selector in g.objects(span, oa("hasSelector")):
            g.remove(selector)
        g.remove(span)
    g.remove(item)
    g.remove(None, None, item)


def _add_item(g: _Graph, item: NamedNode, what: str, span: tuple[int, int]) -> None:
    text = g.text()
    start, end = span
    node = NamedNode(f"{g.doc.value}/span/{start}-{end}")
    position, quote = NamedNode(node.value + "/position"), NamedNode(node.value + "/quote")
    g.add(item, RDF_TYPE, cg("Claim" if what == "claim" else "Quantity"))
    g.add(item, cg("inDocument"), g.doc)
    g.set(item, cg("evidence"), node)
    g.add(node, RDF_TYPE, oa("SpecificResource"))
    g.add(node, oa("hasSource"), g.doc)
    g.add(node, oa("hasSelector"), position)
    g.add(node, oa("hasSelector"), quote)
    g.add(position, RDF_TYPE, oa("TextPositionSelector"))
    g.set(position, oa("start"), integer_literal(start))
    g.set(position, oa("end"), integer_literal(end))
    g.add(quote, RDF_TYPE, oa("TextQuoteSelector"))
    g.set(quote, oa("exact"), Literal(text[start:end]))
    g.set(quote, oa("prefix"), Literal(text[max(0, start - QUOTE_CONTEXT):start]))
    g.set(quote, oa("suffix"), Literal(text[end:end + QUOTE_CONTEXT]))


def _describe_actor(g: _Graph, actor: NamedNode, name: str | None, kind: str | None) -> None:
    """Make sure the document graph describes an actor it now needs (one prefLabel, a type)."""
    if not g.objects(actor, PREF):
        g.add(actor, PREF, Literal(name or actor.value.rsplit("/", 1)[-1]))
    if not g.objects(actor, RDF_TYPE):
        g.add(actor, RDF_TYPE, cg(kind or "Person"))
    if (kind or "Person") != "Group":
        g.add(g.doc, MENTIONS, actor)


def _set_speaker(g: _Graph, item: NamedNode, c: Correction) -> None:
    actor = NamedNode(c.speaker or iris.actor(c.speaker_name))
    _describe_actor(g, actor, c.speaker_name, c.speaker_kind)
    g.set(item, cg("speaker"), actor)


def _set_stance(g: _Graph, item: NamedNode, stance: str | None) -> None:
    g.remove(item, cg("supportsStance"))
    if stance:
        g.add(item, cg("supportsStance"), NamedNode(iris.STANCE + stance))


def _set_quantity(g: _Graph, item: NamedNode, c: Correction) -> None:
    if c.value is not None:
        g.remove(item, cg("lowerBound"))
        g.remove(item, cg("upperBound"))
        g.set(item, cg("value"), decimal_literal(c.value))
    if c.low is not None:
        g.remove(item, cg("value"))
        g.set(item, cg("lowerBound"), decimal_literal(c.low))
        g.set(item, cg("upperBound"), decimal_literal(c.high))
    if c.unit is not None:
        g.set(item, cg("unitText"), Literal(c.unit))
    if c.qualifier is not None:
        g.set(item, cg("qualifier"), NamedNode(iris.QUALIFIER + c.qualifier))
    if c.modality is not None:
        g.set(item, cg("modality"), NamedNode(iris.MODALITY + c.modality))
    if c.period is not None:
        g.set(item, cg("period"), Literal(c.period, datatype=NamedNode(XSD + "duration")))
    for name in c.clears:
        g.remove(item, cg(CLEARABLE[name]))


def _merge(g: _Graph, c: Correction) -> bool:
    """Actor `target` becomes `into` in this graph: its statements move, its names become
    alternative labels, owl:sameAs records it. False when the graph does not hold the actor."""
    old, new = NamedNode(c.target), NamedNode(c.into)
    if not g.mentions(old):
        return False
    names = [o for o in g.objects(old, PREF) + g.objects(old, ALT)]
    types = g.objects(old, RDF_TYPE)
    g.remove(old, PREF)
    g.remove(old, ALT)
    g.remove(old, RDF_TYPE)
    g.triples = {(new if s == old else s, p, new if o == old else o) for (s, p, o) in g.triples}
    if not g.objects(new, PREF):
        g.add(new, PREF, Literal(c.into_name) if c.into_name else (names[0] if names else Literal(new.value)))
    if not g.objects(new, RDF_TYPE):
        for t in (types or [cg(c.into_kind or "Person")]):
            g.add(new, RDF_TYPE, t)
    preferred = {o.value for o in g.objects(new, PREF)}
    for name in names:
        if name.value not in preferred:
            g.add(new, ALT, name)
    g.add(old, SAME_AS, new)
    g.add(new, cg("correctedBy"), NamedNode(c.iri))
    g.add(g.doc, cg("appliedCorrection"), NamedNode(c.iri))
    return True
