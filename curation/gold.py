"""Corrected documents as evaluation data: the gold form of ../shared/gold/seeds.json.

Each document an analyst corrected is read back through the scorer's own contract queries
(queries/documents.rq, actors.rq, claims.rq, quantities.rq, bound to the document's id), so the
gold says exactly what the corrected graph says; the extractor can then be scored against it
(`python ../shared/eval/score.py --gold corrected.json`). Claims by groups and the article's
thesis are marked optional, as the seed gold marks them.
"""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from common import iris, queries
from curation.storage import load_corrections
from store import sparql

KIND_WORD = {"Person": "person", "Group": "group"}


def export_gold(store) -> dict:
    """{"description", "labels", "documents": [...]} for every document with an applied correction."""
    from curation.model import scheme_notations
    documents = sorted({c.document for c in load_corrections(store) if c.document and c.status == "applied"})
    return {"description": "Gold exported from analysts' corrections (claimgraph corrections export --as-gold).",
            "labels": {"stance": sorted(scheme_notations("StanceScheme")) + ["NEITHER"],
                       "qualifier": sorted(scheme_notations("QualifierScheme")),
                       "modality": sorted(scheme_notations("ModalityScheme"))},
            "documents": [entry for doc in documents if (entry := document_gold(store, doc)) is not None]}


def _value(row, name: str):
    term = row[name]
    return None if term is None else term.value


def document_gold(store, doc_iri: str) -> dict | None:
    doc_id = next(iter(_rows(store, "documents", doc_iri)), None)
    if doc_id is None:
        return None
    entry = {"doc": _value(doc_id, "doc"), "title": _value(doc_id, "title"), "publisher": _value(doc_id, "publisher"),
             "published": _value(doc_id, "published"), "article_stance": _value(doc_id, "stance") or "NEITHER",
             "body_ends_before": _body_end_marker(store, doc_iri)}
    details = {row["actor"].value: row for row in store.query(sparql.load("actor_details"),
                                                               bindings={"_document": NamedNode(doc_iri)})}
    entry["actors"], entry["optional_actors"] = [], []
    for row in _rows(store, "actors", doc_iri):
        kind = _value(row, "kind") or "Organization"
        actor = {"name": _value(row, "name"), "kind": KIND_WORD.get(kind, "organization")}
        extra = details.get(row["actor"].value)
        if extra is not None:
            if _value(extra, "aliases"):
                actor["aliases"] = sorted(set(_value(extra, "aliases").split("\u001f")))
            if _value(extra, "affiliationName"):
                actor["affiliation"] = _value(extra, "affiliationName")
        if _value(row, "role"):
            actor["role"] = _value(row, "role")
        entry["actors"].append(actor)
    entry["claims"] = []
    groups = {row["actor"].value for row in _rows(store, "actors", doc_iri)}
    for row in _rows(store, "claims", doc_iri):
        claim = {"speaker": _value(row, "speaker"), "cue": _value(row, "cue") or "", "evidence": _value(row, "text"),
                 "stance": _value(row, "stance") or "NEITHER"}
        if row["speakerIri"].value not in groups:    # a group or the thesis: neither required nor penalised
            claim["optional"] = True
        entry["claims"].append(claim)
    entry["quantities"] = []
    for row in _rows(store, "quantities", doc_iri):
        q = {"text": _value(row, "text"), "unit": _value(row, "unit"), "subject": _value(row, "subject"),
             "qualifier": _value(row, "qualifier"), "period": _value(row, "period"), "modality": _value(row, "modality")}
        for name in ("value", "low", "high"):
            if row[name] is not None:
                number = float(row[name].value)
                q[name] = int(number) if number.is_integer() else number
        entry["quantities"].append(q)
    return entry


def _rows(store, name: str, doc_iri: str) -> list:
    """A contract query's rows for one document (?doc bound to its id)."""
    doc_id = doc_iri[len(iris.ID + "doc/"):]
    from urllib.parse import unquote
    return list(store.query(queries.load(name), bindings={"doc": Literal(unquote(doc_id))}))


def _body_end_marker(store, doc_iri: str) -> str | None:
    rows = list(store.query(sparql.load("document_text"), bindings={"_document": NamedNode(doc_iri)}))
    if not rows or rows[0]["bodyEnd"] is None:
        return None
    text, end = rows[0]["text"].value, int(rows[0]["bodyEnd"].value)
    marker = text[end:].strip().split("\n", 1)[0][:40].strip()
    return marker or None
