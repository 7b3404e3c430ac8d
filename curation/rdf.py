"""A correction as RDF in the curation graph: a W3C Web Annotation, and back.

    <cgr:correction/ID> a oa:Annotation , cg:Correction , cg:SpeakerCorrection ;
        dcterms:identifier "ID" ; oa:motivatedBy oa:editing ;
        dcterms:creator <cgr:analyst/alice> ; dcterms:created "…"^^xsd:dateTime ;
        oa:bodyValue "the note" ;
        cg:corrects <claim> ; cg:correctsDocument <doc> ;
        oa:hasTarget <cgr:correction/ID/target> ;           # the words it stands on
        cg:newSpeaker <actor> ; cg:newActorName "…" ; cg:newActorKind "Person" .
    <…/target> a oa:SpecificResource ; oa:hasSource <doc> ;
        oa:hasSelector <…/target/position> , <…/target/quote> .

Merges, splits, actor rejections and document stances target the resource itself
(`oa:hasTarget <actor>`), as Web Annotation allows.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from common import iris
from curation.model import CLEARABLE, KIND_OF_CLASS, KINDS, Correction, Selector

P = iris.PREFIXES
XSD = P["xsd"]
RDF_TYPE = NamedNode(P["rdf"] + "type")
GRAPH = NamedNode(iris.CURATION_GRAPH)


def cg(local: str) -> NamedNode:
    return NamedNode(iris.CG + local)


def oa(local: str) -> NamedNode:
    return NamedNode(P["oa"] + local)


def dct(local: str) -> NamedNode:
    return NamedNode(P["dcterms"] + local)


def decimal_literal(number: Decimal) -> Literal:
    return Literal(format(number.normalize(), "f"), datatype=NamedNode(XSD + "decimal"))


def integer_literal(number: int) -> Literal:
    return Literal(str(int(number)), datatype=NamedNode(XSD + "integer"))


# (Correction field, property, kind of term) for the plain "new value" statements
CHANGE_PROPERTIES = (
    ("speaker", "newSpeaker", "iri"), ("speaker_name", "newActorName", "text"),
    ("speaker_kind", "newActorKind", "text"), ("cue", "newCue", "text"),
    ("value", "newValue", "decimal"), ("low", "newLowerBound", "decimal"), ("high", "newUpperBound", "decimal"),
    ("unit", "newUnitText", "text"), ("period", "newPeriod", "duration"),
    ("into", "mergedInto", "iri"), ("into_name", "newActorName", "text"), ("into_kind", "newActorKind", "text"),
    ("undoes", "undoes", "iri"),
)
CONCEPT_PROPERTIES = (("stance", "newStance", iris.STANCE), ("qualifier", "newQualifier", iris.QUALIFIER),
                      ("modality", "newModality", iris.MODALITY))


def _term(kind: str, value) -> Literal | NamedNode:
    if kind == "iri":
        return NamedNode(value)
    if kind == "decimal":
        return decimal_literal(value)
    if kind == "duration":
        return Literal(value, datatype=NamedNode(XSD + "duration"))
    return Literal(value)


def to_quads(c: Correction) -> list[Quad]:
    """The correction's statements in the curation graph."""
    node = NamedNode(c.iri)
    out: list[Quad] = []

    def add(s, p, o) -> None:
        out.append(Quad(s, p, o, GRAPH))
    cls, motivation = KINDS[c.kind]
    add(node, RDF_TYPE, oa("Annotation"))
    add(node, RDF_TYPE, cg("Correction"))
    add(node, RDF_TYPE, cg(cls))
    add(node, dct("identifier"), Literal(c.id))
    add(node, oa("motivatedBy"), oa(motivation))
    analyst = NamedNode(iris.analyst(c.creator))
    add(node, dct("creator"), analyst)
    add(analyst, RDF_TYPE, cg("Analyst"))
    add(analyst, NamedNode(P["rdfs"] + "label"), Literal(c.creator))
    add(node, dct("created"), Literal(c.created, datatype=NamedNode(XSD + "dateTime")))
    if c.note:
        add(node, oa("bodyValue"), Literal(c.note))
    if c.target:
        add(node, cg("corrects"), NamedNode(c.target))
    if c.document:
        add(node, cg("correctsDocument"), NamedNode(c.document))
    if c.selector is not None and c.document:
        target = NamedNode(c.iri + "/target")
        position, quote = NamedNode(target.value + "/position"), NamedNode(target.value + "/quote")
        add(node, oa("hasTarget"), target)
        add(target, RDF_TYPE, oa("SpecificResource"))
        add(target, oa("hasSource"), NamedNode(c.document))
        add(target, oa("hasSelector"), position)
        add(target, oa("hasSelector"), quote)
        add(position, RDF_TYPE, oa("TextPositionSelector"))
        add(position, oa("start"), integer_literal(c.selector.start))
        add(position, oa("end"), integer_literal(c.selector.end))
        add(quote, RDF_TYPE, oa("TextQuoteSelector"))
        add(quote, oa("exact"), Literal(c.selector.exact))
        add(quote, oa("prefix"), Literal(c.selector.prefix))
        add(quote, oa("suffix"), Literal(c.selector.suffix))
    elif c.target:
        add(node, oa("hasTarget"), NamedNode(c.target))
    for name, prop, kind in CHANGE_PROPERTIES:
        value = getattr(c, name)
        if value is not None:
            add(node, cg(prop), _term(kind, value))
    for name, prop, base in CONCEPT_PROPERTIES:
        value = getattr(c, name)
        if value is not None:
            add(node, cg(prop), NamedNode(base + value))
    for name in c.clears:
        add(node, cg("clearsProperty"), cg(CLEARABLE[name]))
    return out


def from_quads(quads: Iterable) -> list[Correction]:
    """Every correction described by these statements (quads or triples), oldest first."""
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        by_subject[q.subject.value][q.predicate.value].append(q.object)
    labels = {s: props.get(P["rdfs"] + "label", [None])[0] for s, props in by_subject.items()}
    found = []
    for subject, props in by_subject.items():
        classes = [t.value[len(iris.CG):] for t in props.get(RDF_TYPE.value, []) if t.value.startswith(iris.CG)]
        kind = next((KIND_OF_CLASS[c] for c in classes if c in KIND_OF_CLASS), None)
        if kind is None:
            continue

        def one(prop: str):
            values = props.get(prop)
            return values[0] if values else None
        creator = one(dct("creator").value)
        c = Correction(kind=kind, creator=labels.get(creator.value).value if creator is not None and labels.get(creator.value)
                       else (creator.value.rsplit("/", 1)[-1] if creator is not None else "unknown"),
                       id=one(dct("identifier").value).value, created=one(dct("created").value).value)
        note = one(oa("bodyValue").value)
        c.note = note.value if note is not None else None
        target = one(cg("corrects").value)
        c.target = target.value if target is not None else None
        document = one(cg("correctsDocument").value)
        c.document = document.value if document is not None else None
        for name, prop, kind_ in CHANGE_PROPERTIES:
            term = one(iris.CG + prop)
            if term is None or getattr(c, name) is not None:
                continue
            if name in ("speaker_name", "speaker_kind") and c.kind in ("merge", "split"):
                continue
            if name in ("into_name", "into_kind") and c.kind not in ("merge", "split"):
                continue
            setattr(c, name, Decimal(term.value) if kind_ == "decimal" else term.value)
        for name, prop, base in CONCEPT_PROPERTIES:
            term = one(iris.CG + prop)
            if term is not None:
                setattr(c, name, term.value[len(base):])
        reverse = {prop: name for name, prop in CLEARABLE.items()}
        c.clears = sorted(reverse[t.value[len(iris.CG):]] for t in props.get(cg("clearsProperty").value, [])
                          if t.value[len(iris.CG):] in reverse)
        target_node = one(oa("hasTarget").value)
        if target_node is not None and target_node.value == c.iri + "/target":
            c.selector = _selector(by_subject, target_node.value)
        found.append(c)
    return sorted(found, key=Correction.sort_key)


def _selector(by_subject: dict, target: str) -> Selector | None:
    position, quote = by_subject.get(target + "/position", {}), by_subject.get(target + "/quote", {})

    def text(props: dict, local: str) -> str:
        values = props.get(P["oa"] + local)
        return values[0].value if values else ""
    if not position:
        return None
    return Selector(int(text(position, "start")), int(text(position, "end")), text(quote, "exact"),
                    text(quote, "prefix"), text(quote, "suffix"))
