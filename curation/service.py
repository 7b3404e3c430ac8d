"""Making a correction: check it against the graph, then write it and every document graph it
changes in one update. The API (server/routes/corrections.py) and the CLI both call `record`.

The caller serialises writes (the server's one writer process holds its write lock; the CLI
holds the embedded store's lock), so two corrections of one document never interleave: the
second starts from the snapshot and the corrections the first wrote, and both are kept.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from common import iris
from curation import rdf
from curation.apply import _Graph, anchor, selector_for
from curation.model import BadField, Correction, Selector
from curation.storage import Rewrite, _rows, current_quads, load_corrections, uncorrected

CLAIM_OR_QUANTITY = ("/claim/", "/quantity/")


def record(store, c: Correction, *, imported: bool = False) -> Correction:
    """Check `c` against the graph (BadField names what is wrong), complete it (document,
    selector, actor names), store it and re-write the document graphs it changes."""
    corrections = load_corrections(store)
    if any(existing.id == c.id for existing in corrections):
        if imported:
            return next(existing for existing in corrections if existing.id == c.id)
        raise BadField("id", f"a correction {c.id} exists already")
    documents = _complete(store, c, corrections, strict=not imported)
    everything = corrections + [c]
    rewrite = Rewrite(new_statements=rdf.to_quads(c))
    for doc_iri in documents:
        raw = uncorrected(store, doc_iri)
        if raw is not None:
            rewrite.correct(doc_iri, raw, everything)
    rewrite.write(store)
    c.status = _status(c, rewrite)
    return c


def _status(c: Correction, rewrite: Rewrite) -> str:
    if c.kind == "split":
        return "applied"
    if any(c.id in o.orphaned for o in rewrite.outcomes.values()):
        return "orphaned"
    if any(c.id in o.applied for o in rewrite.outcomes.values()):
        return "applied"
    return "pending" if c.document else "applied"


def _complete(store, c: Correction, corrections: list[Correction], *, strict: bool) -> list[str]:
    """Fill in what the graph knows; the documents whose graphs must be re-written.

    `strict` (new corrections) refuses a target the graph does not hold; imports keep what the
    record says, so a correction made on another copy of the store is kept even if it orphans."""
    if c.kind == "merge":
        for name, iri in (("target", c.target), ("into", c.into)):
            if _actor(store, iri) is None and strict:
                raise BadField(name, f"no actor <{iri}> in the graph")
        described = _actor(store, c.into)
        if described is not None:
            c.into_name, c.into_kind = c.into_name or described[0], c.into_kind or described[1]
        return _documents_holding(store, c.target)
    if c.kind == "split":
        merges = [m for m in corrections if m.kind == "merge" and m.target == c.target and m.into == c.into
                  and not any(s.undoes == m.iri for s in corrections if s.kind == "split")]
        if not merges:
            raise BadField("target", f"no merge of <{c.target}> into <{c.into}> to split")
        c.undoes = merges[-1].iri
        return _documents_holding(store, c.target)
    if c.kind in ("add_claim", "add_quantity"):
        graph = _document_graph(store, c.document, "document")
        text = graph.text() if graph else c.selector.exact
        sel = c.selector
        if graph is not None:
            if sel.end > len(text):
                raise BadField("end", f"is past the end of the document text ({len(text)} characters)")
            if sel.exact and text[sel.start:sel.end] != sel.exact:
                raise BadField("exact", f"the text at {sel.start}-{sel.end} is {text[sel.start:sel.end]!r}, "
                                        f"not {sel.exact!r}")
            c.selector = selector_for(text, sel.start, sel.end)
        what = "claim" if c.kind == "add_claim" else "quantity"
        c.target = f"{c.document}/{what}/{c.selector.start}-{c.selector.end}"
        if c.kind == "add_claim":
            _speaker(store, c)
        return [c.document]
    target = c.target
    if target.startswith(iris.ID + "doc/") and not any(part in target for part in CLAIM_OR_QUANTITY):
        if c.kind != "set_stance":
            raise BadField("target", "a document can only have its stance set")
        c.document = target
        if _document_graph(store, target, "target") is None and strict:
            raise BadField("target", f"no document <{target}> in the store")
        return [target]
    if "/actor/" in target:
        if c.kind != "reject":
            raise BadField("target", f"an actor can be rejected, merged or split, not given a {c.kind}")
        if not c.document:
            raise BadField("document", "rejecting an actor needs the document it is wrongly listed in")
        graph = _document_graph(store, c.document, "document")
        if strict and (graph is None or not graph.has_subject(NamedNode(target))):
            raise BadField("target", f"no actor <{target}> in document <{c.document}>")
        return [c.document]
    part = next((p for p in CLAIM_OR_QUANTITY if p in target), None)
    if part is None:
        raise BadField("target", f"<{target}> is not a claim, quantity, actor or document")
    if c.kind == "set_quantity" and part != "/quantity/":
        raise BadField("target", "only a quantity has values to set")
    if c.kind == "set_speaker" and part != "/claim/":
        raise BadField("target", "only a claim has a speaker")
    c.document = target.split(part, 1)[0]
    graph = _document_graph(store, c.document, "target")
    if graph is not None:
        node = NamedNode(target)
        evidence = graph.objects(node, rdf.cg("evidence"))
        if not evidence and strict:
            raise BadField("target", f"no claim or quantity <{target}> in the graph")
        if evidence:
            c.selector = _span_selector(graph, evidence[0]) or c.selector
    elif strict:
        raise BadField("target", f"no document <{c.document}> in the store")
    if c.kind == "set_speaker":
        _speaker(store, c)
    return [c.document]


def _span_selector(graph: _Graph, span) -> Selector | None:
    for selector in graph.objects(span, rdf.oa("hasSelector")):
        start, end = graph.objects(selector, rdf.oa("start")), graph.objects(selector, rdf.oa("end"))
        if start and end:
            return selector_for(graph.text(), int(start[0].value), int(end[0].value))
    return None


def _speaker(store, c: Correction) -> None:
    if c.speaker:
        described = _actor(store, c.speaker)
        if described is None:
            if not c.speaker_name:
                raise BadField("speaker", f"no actor <{c.speaker}> in the graph; give speaker_name for a new one")
        else:
            c.speaker_name = c.speaker_name or described[0]
            c.speaker_kind = c.speaker_kind or described[1]
    else:
        c.speaker = iris.actor(c.speaker_name)
        described = _actor(store, c.speaker)
        if described is not None:
            c.speaker_kind = c.speaker_kind or described[1]
    c.speaker_kind = c.speaker_kind or "Person"


def _actor(store, iri: str) -> tuple[str, str] | None:
    rows = _rows(store, "actor_description", _actor=NamedNode(iri))
    if not rows:
        return None
    cls = rows[0]["class"]
    return rows[0]["label"].value, (cls.value[len(iris.CG):] if cls is not None else "Person")


def _documents_holding(store, iri: str) -> list[str]:
    return sorted({row["document"].value for row in _rows(store, "documents_holding", _resource=NamedNode(iri))})


def _document_graph(store, doc_iri: str, field_name: str) -> _Graph | None:
    quads = current_quads(store, doc_iri)
    return None if quads is None else _Graph(NamedNode(doc_iri), quads)


def orphaned(store) -> list[Correction]:
    return [c for c in load_corrections(store) if c.status == "orphaned"]


__all__ = ["record", "orphaned", "anchor"]
