"""Corrections in the store: reading them, and writing a corrected document graph atomically.

Works on any `store.base.GraphStore` (embedded or remote), through its `query` and `update`.

Why a snapshot: a document graph with corrections applied is no longer what the extractor
produced, and a new correction (or a split that undoes a merge) must start again from what it
produced. Re-running the extractor would need spaCy and the article file in the server; instead
the first time a document graph is written with a correction applied, its uncorrected
extraction is kept, as N-Quads text, in the special graph cgg:extraction/{doc id} (one literal,
so union-default-graph queries never see its statements as data). Every later write applies
all the document's corrections to that snapshot. The document graph, its snapshot and the new
correction go to the store in ONE SPARQL update, so a reader sees all of it or none, and a
crash leaves either state. A re-ingest writes the new extraction as the new snapshot.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from common import iris
from reasoning.reasoner import inferred_graph_quads
from curation import rdf
from curation.apply import Outcome, apply
from curation.model import Correction
from store import sparql
from store.terms import ntriples_lines, replace_update

CURATION = NamedNode(iris.CURATION_GRAPH)


def _rows(store, name: str, **bindings) -> list:
    return list(store.query(sparql.load(name), bindings={k: v for k, v in bindings.items()} or None))


def load_corrections(store) -> list[Correction]:
    """Every correction in the store, oldest first, with its status."""
    statements = [(row["s"], row["p"], row["o"]) for row in _rows(store, "curation_statements")]
    statuses = [(row["correction"].value, row["status"].value) for row in _rows(store, "correction_status")]
    return corrections_from(statements, statuses)


def corrections_from(statements, statuses) -> list[Correction]:
    """Corrections from the rows of store/sparql/curation_statements.rq ((s, p, o) terms, anything
    with `.value`) and of correction_status.rq ((correction IRI, status)): the server reads them
    through its query engine, the CLI through the store."""
    corrections = rdf.from_quads(_Statement(s, p, o) for s, p, o in statements)
    found: dict[str, set[str]] = {}
    for iri, status in statuses:
        found.setdefault(iri, set()).add(status)
    undone = {c.undoes for c in corrections if c.kind == "split" and c.undoes}
    for c in corrections:
        seen = found.get(c.iri, set())
        if c.iri in undone:
            c.status = "undone"
        elif c.kind == "split" or "applied" in seen:
            c.status = "applied"
        elif "orphaned" in seen:
            c.status = "orphaned"
        else:
            c.status = "pending" if c.document else "applied"
    return corrections


class _Statement:
    __slots__ = ("subject", "predicate", "object")

    def __init__(self, s, p, o):
        self.subject, self.predicate, self.object = s, p, o


def relevant(corrections: list[Correction], doc_iri: str) -> list[Correction]:
    """What applies to one document: its own corrections and every merge and split."""
    return [c for c in corrections if c.document == doc_iri or c.is_global]


# ---- snapshots --------------------------------------------------------------------------------

def snapshot_quads(store, doc_iri: str) -> list[Quad] | None:
    rows = _rows(store, "extraction_snapshot", _graph=NamedNode(iris.extraction_graph(doc_iri)))
    if not rows:
        return None
    return list(parse(rows[0]["nquads"].value.encode("utf-8"), format=RdfFormat.N_QUADS))


def current_quads(store, doc_iri: str) -> list[Quad] | None:
    """The document graph as stored (None when the store does not hold it)."""
    graph = NamedNode(doc_iri)
    if doc_iri not in set(store.graphs()):
        return None
    buffer = io.BytesIO()
    store.dump(buffer, "nquads", graph=doc_iri)
    return [Quad(q.subject, q.predicate, q.object, graph) for q in parse(buffer.getvalue(), format=RdfFormat.N_QUADS)]


def uncorrected(store, doc_iri: str) -> list[Quad] | None:
    """What the extractor wrote for the document: its snapshot, or the graph itself when it has
    never been corrected (a graph differs from its extraction only once it has a snapshot)."""
    snapshot = snapshot_quads(store, doc_iri)
    return snapshot if snapshot is not None else current_quads(store, doc_iri)


def _snapshot_graph_quads(doc_iri: str, raw: list[Quad]) -> list[Quad]:
    graph = NamedNode(iris.extraction_graph(doc_iri))
    text = serialize([Quad(q.subject, q.predicate, q.object, NamedNode(doc_iri)) for q in raw],
                     format=RdfFormat.N_QUADS).decode("utf-8")
    return [Quad(graph, rdf.RDF_TYPE, rdf.cg("ExtractionSnapshot"), graph),
            Quad(graph, rdf.cg("snapshotOf"), NamedNode(doc_iri), graph),
            Quad(graph, rdf.cg("nquads"), Literal(text), graph)]


# ---- writing ----------------------------------------------------------------------------------

@dataclass
class Rewrite:
    """Document graphs to replace (with their snapshots) and correction statements to add, in one update."""
    documents: dict[str, tuple[list[Quad], list[Quad]]] = field(default_factory=dict)   # doc -> (raw, corrected)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    new_statements: list[Quad] = field(default_factory=list)

    def correct(self, doc_iri: str, raw: list[Quad], corrections: list[Correction]) -> Outcome:
        outcome = apply(doc_iri, raw, relevant(corrections, doc_iri))
        self.documents[doc_iri] = (raw, outcome.quads)
        self.outcomes[doc_iri] = outcome
        return outcome

    def update_text(self) -> str:
        parts = []
        for doc_iri, (raw, corrected) in self.documents.items():
            parts.append(replace_update(NamedNode(doc_iri), corrected))
            # the document's inferred graph follows its corrected graph in the same update
            inferred = NamedNode(iris.inferred_graph(doc_iri))
            parts.append(replace_update(inferred, inferred_graph_quads(doc_iri, corrected)))
            snapshot = NamedNode(iris.extraction_graph(doc_iri))
            parts.append(replace_update(snapshot, _snapshot_graph_quads(doc_iri, raw)))
        if self.new_statements:
            parts.append(f"INSERT DATA {{ GRAPH {CURATION} {{\n{''.join(ntriples_lines(self.new_statements))}}} }}")
        return " ;\n".join(parts)

    def write(self, store) -> None:
        if self.documents or self.new_statements:
            # the documents' tallies change with them: a store keeping a summary follows (reasoning/summary.py)
            store.update(self.update_text(), rewrites=list(self.documents))


class CurationIndex:
    """What the ingest's writer needs to know once per batch: which documents have corrections
    (or a snapshot from earlier ones) and which actors merges rename, so a document without
    any keeps the fast path (one look at a set, one byte search per merge)."""

    def __init__(self, store):
        graphs = store.graphs() if hasattr(store, "graphs") and hasattr(store, "query") else []   # a bare writer stub: none
        self.corrections = load_corrections(store) if iris.CURATION_GRAPH in graphs else []
        self.documents = {c.document for c in self.corrections if c.document}
        self.snapshots = {g[len(iris.EXTRACTION_GRAPH):] for g in graphs if g.startswith(iris.EXTRACTION_GRAPH)}
        undone = {c.undoes for c in self.corrections if c.kind == "split"}
        self.merged = [f"<{c.target}>".encode() for c in self.corrections if c.kind == "merge" and c.iri not in undone]

    def __bool__(self) -> bool:
        return bool(self.corrections or self.snapshots)

    def needs(self, doc_iri: str, nquads: bytes) -> bool:
        return (doc_iri in self.documents or doc_iri[len(iris.ID + "doc/"):] in self.snapshots
                or any(actor in nquads for actor in self.merged))

    def write(self, store, doc_iri: str, nquads: bytes) -> Outcome:
        """Write a freshly extracted document with its corrections applied, its inferred graph
        derived from the corrected graph, and its snapshot. `nquads` may carry the inferred graph
        the ingest derived from the uncorrected extraction: only the document's own quads count."""
        raw = [q for q in parse(nquads, format=RdfFormat.N_QUADS) if q.graph_name.value == doc_iri]
        rewrite = Rewrite()
        outcome = rewrite.correct(doc_iri, raw, self.corrections)
        rewrite.write(store)
        return outcome

