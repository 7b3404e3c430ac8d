"""Extraction -> RDF: every triple of one document, in that document's named graph.

The shape written here is the one docs/MODEL.md documents and ontology/shapes.ttl checks.
IRIs come from common.iris only, so re-ingesting the same text yields the same quads.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from common import iris
from ingest.model import Actor, Claim, Extraction, Quantity, Span

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
QUOTE_CONTEXT = 32  # characters of prefix/suffix kept on a TextQuoteSelector


def _ns(prefix: str):
    base = iris.PREFIXES[prefix]
    return lambda local: NamedNode(base + local)


CG, DCT, SKOS, OA, SCHEMA = (_ns(p) for p in ("cg", "dcterms", "skos", "oa", "schema"))
ACTOR_CLASSES = {"person": "Person", "organization": "Organization", "organisation": "Organization",
                 "group": "Group"}
UNNAMED_KINDS = {"group"}  # "Western officials", "analysts": speakers, but not named actors


def _integer(n: int) -> Literal:
    return Literal(str(int(n)), datatype=NamedNode(XSD + "integer"))


def _decimal(x: float) -> Literal:
    text = format(Decimal(str(x)).normalize(), "f")
    return Literal(text, datatype=NamedNode(XSD + "decimal"))


def _boolean(b: bool) -> Literal:
    return Literal("true" if b else "false", datatype=NamedNode(XSD + "boolean"))


class _GraphWriter:
    """Collects the quads of one document graph."""

    def __init__(self, graph: NamedNode):
        self.graph = graph
        self.quads: list[Quad] = []

    def add(self, s, p, o) -> None:
        if o is not None:
            self.quads.append(Quad(s, p, o, self.graph))


def _actor_iri(actor: Actor) -> NamedNode:
    if actor.iri:
        return NamedNode(actor.iri)
    if actor.key.startswith("http"):
        return NamedNode(actor.key)
    return NamedNode(iris.actor(actor.key))


def _write_span(w: _GraphWriter, doc: NamedNode, text: str, span: Span) -> NamedNode:
    node = NamedNode(iris.span(doc.value, span.start, span.end))
    position, quote = NamedNode(node.value + "/position"), NamedNode(node.value + "/quote")
    w.add(node, RDF_TYPE, OA("SpecificResource"))
    w.add(node, OA("hasSource"), doc)
    w.add(node, OA("hasSelector"), position)
    w.add(node, OA("hasSelector"), quote)
    w.add(position, RDF_TYPE, OA("TextPositionSelector"))
    w.add(position, OA("start"), _integer(span.start))
    w.add(position, OA("end"), _integer(span.end))
    w.add(quote, RDF_TYPE, OA("TextQuoteSelector"))
    w.add(quote, OA("exact"), Literal(span.of(text)))
    w.add(quote, OA("prefix"), Literal(text[max(0, span.start - QUOTE_CONTEXT):span.start]))
    w.add(quote, OA("suffix"), Literal(text[span.end:span.end + QUOTE_CONTEXT]))
    return node


def _stance(notation: str | None) -> NamedNode | None:
    return NamedNode(iris.STANCE + notation) if notation else None


def _write_document(w: _GraphWriter, doc: NamedNode, ex: Extraction, actors: dict[str, NamedNode]) -> None:
    a = ex.article
    w.add(doc, RDF_TYPE, CG("Document"))
    w.add(doc, DCT("identifier"), Literal(a.doc_id))
    w.add(doc, DCT("source"), Literal(a.url or a.source))
    w.add(doc, CG("format"), Literal(a.format))
    w.add(doc, CG("text"), Literal(a.text))
    w.add(doc, CG("sha256"), Literal(hashlib.sha256(a.text.encode("utf-8")).hexdigest()))
    w.add(doc, CG("bodyEnd"), _integer(a.body_stop))
    w.add(doc, CG("extractionPipeline"), Literal(ex.pipeline))
    if a.title:
        w.add(doc, DCT("title"), Literal(a.title))
    if a.published:
        w.add(doc, DCT("issued"), Literal(a.published, datatype=NamedNode(XSD + "date")))
    for prop, name in (("publisher", a.publisher), ("creator", a.author)):
        if name:
            node = actors.get(name) or NamedNode(iris.actor(name))
            w.add(doc, DCT(prop), node)
            if node not in actors.values():
                w.add(node, RDF_TYPE, CG("Organization" if prop == "publisher" else "Person"))
                w.add(node, SKOS("prefLabel"), Literal(name))
    w.add(doc, CG("supportsStance"), _stance(ex.stance))
    for notation, score in sorted(ex.stance_scores.items()):
        node = NamedNode(iris.stance_score(doc.value, notation))
        w.add(doc, CG("hasStanceScore"), node)
        w.add(node, RDF_TYPE, CG("StanceScore"))
        w.add(node, CG("stance"), _stance(notation))
        w.add(node, CG("score"), _decimal(score))
        for cue in ex.stance_cues.get(notation, []):
            w.add(node, CG("firedCue"), NamedNode(cue))


def _write_actor(w: _GraphWriter, doc: NamedNode, actor: Actor, node: NamedNode,
                 actors: dict[str, NamedNode]) -> None:
    if actor.kind.lower() not in UNNAMED_KINDS:
        w.add(doc, SCHEMA("mentions"), node)
    w.add(node, RDF_TYPE, CG(ACTOR_CLASSES.get(actor.kind.lower(), "Actor")))
    w.add(node, SKOS("prefLabel"), Literal(actor.name))
    for alias in sorted(actor.aliases - {actor.name}):
        w.add(node, SKOS("altLabel"), Literal(alias))
    if actor.role:
        w.add(node, CG("role"), Literal(actor.role))
    if actor.affiliation:
        affiliation = actors.get(actor.affiliation) or _reference(actor.affiliation)
        w.add(node, CG("affiliation"), affiliation)


def _reference(key: str) -> NamedNode:
    """An actor or place given by IRI, else by name (minted as a place: affiliations that are
    not actors of the document are countries and the like)."""
    return NamedNode(key) if key.startswith("http") else NamedNode(iris.place(key))


def _write_claim(w: _GraphWriter, doc: NamedNode, text: str, claim: Claim, actors: dict[str, NamedNode]) -> NamedNode:
    node = NamedNode(iris.claim(doc.value, claim.span.start, claim.span.end))
    w.add(node, RDF_TYPE, CG("Claim"))
    w.add(node, CG("inDocument"), doc)
    w.add(node, CG("speaker"), actors.get(claim.speaker) or _reference(claim.speaker))
    w.add(node, CG("cue"), Literal(claim.cue))
    w.add(node, CG("claimText"), Literal(claim.text))
    w.add(node, CG("isDirectQuote"), _boolean(claim.direct_quote))
    w.add(node, CG("isThesis"), _boolean(claim.is_thesis))
    w.add(node, CG("supportsStance"), _stance(claim.stance))
    for cue in claim.stance_cues:
        w.add(node, CG("firedCue"), NamedNode(cue))
    w.add(node, CG("evidence"), _write_span(w, doc, text, claim.span))
    return node


def _write_quantity(w: _GraphWriter, doc: NamedNode, text: str, q: Quantity,
                    actors: dict[str, NamedNode], claims: list[NamedNode]) -> None:
    node = NamedNode(iris.quantity(doc.value, q.span.start, q.span.end))
    w.add(node, RDF_TYPE, CG("Quantity"))
    w.add(node, CG("inDocument"), doc)
    w.add(node, CG("evidence"), _write_span(w, doc, text, q.span))
    if q.value is not None:
        w.add(node, CG("value"), _decimal(q.value))
    if q.low is not None and q.high is not None:
        w.add(node, CG("lowerBound"), _decimal(q.low))
        w.add(node, CG("upperBound"), _decimal(q.high))
    if q.unit:
        w.add(node, CG("unitText"), Literal(q.unit))
    if q.kind:
        w.add(node, CG("countedKind"), NamedNode(q.kind))
    w.add(node, CG("qualifier"), NamedNode(iris.QUALIFIER + q.qualifier))
    w.add(node, CG("modality"), NamedNode(iris.MODALITY + q.modality))
    if q.period:
        w.add(node, CG("period"), Literal(q.period, datatype=NamedNode(XSD + "duration")))
    if q.subject:
        w.add(node, CG("about"), actors.get(q.subject) or _reference(q.subject))
    if q.attributed_to:
        w.add(node, CG("attributedTo"), actors.get(q.attributed_to) or _reference(q.attributed_to))
    if q.claim is not None and 0 <= q.claim < len(claims):
        w.add(node, CG("statedIn"), claims[q.claim])


def _dedupe(quads: Iterable[Quad]) -> list[Quad]:
    return list(dict.fromkeys(quads))


def to_quads(ex: Extraction) -> list[Quad]:
    """Every quad of the document graph for one extraction (graph IRI = document IRI)."""
    doc = NamedNode(iris.document(ex.article.doc_id))
    w = _GraphWriter(doc)
    text = ex.article.text
    actors = {actor.key: _actor_iri(actor) for actor in ex.actors}
    _write_document(w, doc, ex, actors)
    for actor in ex.actors:
        _write_actor(w, doc, actor, actors[actor.key], actors)
    claims = [_write_claim(w, doc, text, claim, actors) for claim in ex.claims]
    for q in ex.quantities:
        _write_quantity(w, doc, text, q, actors, claims)
    return _dedupe(w.quads)
