"""What the ontology defines, written out so plain SPARQL sees it: per document, at write time.

Each rule is a SPARQL CONSTRUCT file in ontology/rules/ (its header says what it derives and
why). Every rule reads one document plus the ontology, so what it derives is kept per document:
- `cgg:inferred` holds what the rules derive from the ontology (and any other graph that is
  neither a document nor inferred) alone: the kind hierarchy's skos:broaderTransitive, the
  known actors' super-classes;
- `cgg:inferred/doc/ID` (`iris.inferred_graph`) holds what they derive from document ID beyond
  that: its claims' prov:wasAttributedTo, its actors' super-classes, its missile quantities,
  cg:proponentOf for its speakers, and its tallies (reasoning/tallies.py: claims per speaker and
  stance, quantities per kind, the document's own counts) that the whole-store aggregate queries
  sum instead of joining every claim, and its figure facts (reasoning/figures.py: one row per
  figure key, what `figures_side_by_side` groups instead of joining every quantity's words). The ingest computes it beside the extraction and writes it in
  the same atomic write as the document, so it is current as soon as the document is, and a
  re-ingest or removal replaces or drops both together.
Cross-document facts need no pass over the store: an actor who argues a stance in 300 documents
has its cg:proponentOf triple in 300 inferred graphs, and it disappears with the last of them.
`claimgraph reason` (`materialise`) is a rebuild, linear in the store: each document's inferred
graph is recomputed from that document alone (after an ontology change, or for a store written
before inference moved to write time), and inferred graphs of documents that are gone are dropped.

Why the rules see the ontology's schema, not the whole ontology graph, beside a document: the
schema (the ontology without the `rdf:type` statements of its individuals: known actors, cue
words, concepts) gives every rule the same answers on a document (checked in the tests), while
re-deriving the individuals' types for every document cost 60% of the time (10 ms against 4 ms
a document); what follows from the individuals alone is in `cgg:inferred`.
OWL consistency is not checked here (HermiT is too slow for every run); the test suite checks
the ontology with HermiT.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from common import iris
from common.iris import INFERRED_GRAPH, ONTOLOGY_GRAPH
from common.ontology import ontology_quads
from common.paths import ONTOLOGY_DIR
from reasoning.derive import Closures, derive, needs_rules
from reasoning import summary
from reasoning.figures import FIGURES, figure_quads
from reasoning.tallies import TALLIES, tally_quads

RULES_DIR = ONTOLOGY_DIR / "rules"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# rdf:type statements with an object in these namespaces declare terms (classes, properties): schema
SCHEMA_NAMESPACES = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
                     "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RULES_VERSION = NamedNode(iris.CG + "rulesVersion")
DERIVATION = "ingest.infer/1"   # a label of the Python derivation (its old module name, kept so stored graphs stay current); bump when it changes what it writes
_SCRATCH = NamedNode("urn:claimgraph:reason:document")
_BACKGROUND = NamedNode("urn:claimgraph:reason:background")


def rule_files(rules_dir: Path = RULES_DIR) -> list[Path]:
    """The rule files in name order."""
    return sorted(rules_dir.glob("*.rq"))


def _is_schema(quad: Quad) -> bool:
    return quad.predicate.value != RDF_TYPE or quad.object.value.startswith(SCHEMA_NAMESPACES)


class Reasoner:
    """Runs the rules on one document at a time, in a small in-memory store holding the schema."""

    def __init__(self, background: Sequence[Quad] | None = None, rules: Sequence[str] | None = None) -> None:
        background = list(ontology_quads() if background is None else background)
        self.rules = [r.read_text(encoding="utf-8") for r in rule_files()] if rules is None else list(rules)
        whole = Store()
        whole.extend(Quad(q.subject, q.predicate, q.object, _BACKGROUND) for q in background)
        self.background_derived: list[Triple] = self._run(whole, [_BACKGROUND])
        self._store = Store()
        self._store.extend(Quad(q.subject, q.predicate, q.object, _BACKGROUND) for q in background if _is_schema(q))
        self._known = set(self.background_derived) | set(self._run(self._store, [_BACKGROUND]))
        self.closures = Closures.from_quads(background, self._known)
        digest = hashlib.sha256((DERIVATION + TALLIES + FIGURES + self.closures.fingerprint).encode())
        for rule in self.rules:
            digest.update(rule.encode())
        self.version = digest.hexdigest()[:32]

    def _run(self, store: Store, graphs: list[NamedNode]) -> list[Triple]:
        derived: dict[Triple, None] = {}
        for rule in self.rules:
            for triple in store.query(rule, default_graph=graphs):
                derived[triple] = None
        return list(derived)

    def infer(self, document_graph: str, quads: Iterable[Quad]) -> list[Quad]:
        """What the rules derive from this document beyond the background, as quads of its
        inferred graph (stable order). The closures do it in Python (reasoning.derive); a document
        carrying schema of its own goes through the rule files."""
        target = NamedNode(iris.inferred_graph(document_graph))
        quads = list(quads)
        wanted = self.closures.predicates
        triples = [q.triple for q in quads if q.predicate in wanted]
        if not needs_rules(triples):
            return [Quad(t.subject, t.predicate, t.object, target) for t in derive(self.closures, triples)]
        return [Quad(t.subject, t.predicate, t.object, target) for t in self.infer_by_rules(q.triple for q in quads)]

    def infer_by_rules(self, triples: Iterable[Triple]) -> list[Triple]:
        """The rule files themselves on one document (the reference `infer` must agree with)."""
        store = self._store
        store.extend(Quad(t.subject, t.predicate, t.object, _SCRATCH) for t in triples)
        try:
            derived = self._run(store, [_SCRATCH, _BACKGROUND])
        finally:
            store.clear_graph(_SCRATCH)
        return [t for t in derived if t not in self._known]

    def inferred_graph(self, document_graph: str, quads: Iterable[Quad]) -> list[Quad]:
        """The whole inferred graph of a document: what the rules derive (`infer`), the document's
        tallies (reasoning.tallies: the counts the whole-store aggregates sum), its figure facts
        (reasoning.figures: what the figures queries group) and the marker."""
        quads = list(quads)
        return (self.infer(document_graph, quads) + tally_quads(document_graph, quads)
                + figure_quads(document_graph, quads) + [self.marker(document_graph)])

    def marker(self, document_graph: str) -> Quad:
        """The triple that says which rules a document's inferred graph was derived with (its
        cg:rulesVersion), written in that graph: `materialise` skips a graph that carries the
        current version."""
        graph = NamedNode(iris.inferred_graph(document_graph))
        return Quad(graph, RULES_VERSION, Literal(self.version), graph)

    def background_quads(self) -> list[Quad]:
        """What the background alone derives, as quads of `cgg:inferred`."""
        graph = NamedNode(INFERRED_GRAPH)
        return [Quad(t.subject, t.predicate, t.object, graph) for t in self.background_derived]


@lru_cache(maxsize=1)
def ontology_reasoner() -> Reasoner:
    """One Reasoner over the ontology files per process (the ingest's workers build it once)."""
    return Reasoner()


def inferred_graph_quads(document_graph: str, quads: list[Quad]) -> list[Quad]:
    """A document's inferred graph: what the ontology derives from its quads, its tallies, and the
    rules version it was derived with (written by the ingest, and again by every correction)."""
    return ontology_reasoner().inferred_graph(document_graph, quads)


def with_inferred(document_graph: str, quads: list[Quad]) -> list[Quad]:
    """A document's quads followed by its inferred graph's: what the ingest writes in one go."""
    return quads + inferred_graph_quads(document_graph, quads)


def refresh_ontology(store) -> None:
    """Write the ontology graph and what it alone derives (`cgg:inferred`), each in one step."""
    store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
    store.replace_graph(INFERRED_GRAPH, ontology_reasoner().background_quads())


def _graph_nquads(store, graph: str) -> bytes:
    """One graph's quads as N-Quads (the graph name kept)."""
    raw = getattr(store, "store", None)
    if raw is not None:   # the embedded store: straight from the index, no SPARQL
        return serialize(raw.quads_for_pattern(None, None, None, NamedNode(graph)), format=RdfFormat.N_QUADS)
    node = NamedNode(graph)
    from io import BytesIO
    out = BytesIO()
    store.dump(out, "ntriples", graph=graph)
    triples = parse(out.getvalue(), format=RdfFormat.N_TRIPLES)
    return serialize((Quad(t.subject, t.predicate, t.object, node) for t in triples), format=RdfFormat.N_QUADS)


@dataclass
class ReasonReport:
    """What `materialise` did: documents seen, documents re-derived, inferred triples they hold."""
    documents: int = 0
    rederived: int = 0
    triples: int = 0
    summary_rebuilt: bool = False
    settle_seconds: float | None = None   # the store's compactions done before returning (after a bulk rewrite)


def materialise(store, *, refresh: bool = True, everything: bool = False) -> ReasonReport:
    """Bring every inferred graph up to date (see the module docstring).

    Each document's inferred graph carries the version of the rules it was derived with
    (`Reasoner.marker`); the ingest writes it with the graph. A document whose inferred graph
    carries the current version is current and is not read again (one index scan over the
    markers, ~40 µs a document); the others — missing, written before, or derived under another
    ontology — are re-derived from the document alone, in Python (reasoning.derive), compared with
    what is stored, and only those that differ are written (in batches, each one transaction:
    readers see a document's old or new inferred graph, never half). `everything` re-derives
    every document (after document graphs were changed by SPARQL Update, which writes no
    inference). Background graphs (the ontology, and any graph that is neither a document's nor
    inferred) are what the rules see beside each document."""
    if refresh:
        store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
    graphs = store.graphs()
    documents = [g for g in graphs if iris.is_document_graph(g)]
    reasoner = reasoner_for(graphs, lambda g: _quads_of(store, g), stored_ontology=not refresh)
    background = reasoner.background_quads()
    if set(_quads_of(store, INFERRED_GRAPH)) != set(background):
        store.replace_graph(INFERRED_GRAPH, background)
    report = ReasonReport(documents=len(documents))
    current = set() if everything else _current(store, reasoner)
    stale = [g for g in documents if iris.inferred_graph(g) not in current]
    changed: list[tuple[str, list[Quad]]] = []
    for graph in stale:
        inferred = reasoner.inferred_graph(graph, _quads_of(store, graph))
        report.rederived += 1
        report.triples += len(inferred) - 1
        if set(inferred) != set(_quads_of(store, iris.inferred_graph(graph))):
            changed.append((iris.inferred_graph(graph), inferred))
    current = getattr(store, "summary_current", None)
    if len(changed) > SUMMARY_FOLLOW_AT_MOST and current is not None and current():
        # many documents: one rebuild of the summary at the end is cheaper than following each
        store.mark_summary_stale()
    for start in range(0, len(changed), REBUILD_BATCH):
        _replace_inferred(store, changed[start:start + REBUILD_BATCH])
    wanted = {iris.inferred_graph(g) for g in documents}
    for graph in graphs:
        if summary.counted(graph) and graph not in wanted:
            store.drop_graph(graph)
    # the store-level summary of the tallies (reasoning/summary.py): the writes above kept a current
    # one in step; one missing, stale or of another version is rebuilt (one pass over the tallies)
    ensure = getattr(store, "ensure_summary", None)
    if ensure is not None:
        report.summary_rebuilt = ensure()
    # a bulk rewrite leaves compactions behind; done here, the next opener (a server) reads a
    # settled store instead of doing them under its readers (store/embedded.py `settle`)
    settle = getattr(store, "settle", None)
    if settle is not None and (len(changed) > SETTLE_AFTER or report.summary_rebuilt):
        started = time.perf_counter()
        settle()
        report.settle_seconds = time.perf_counter() - started
    return report


def reasoner_for(graphs: Sequence[str], quads_of: Callable[[str], list[Quad]], *,
                 stored_ontology: bool = False) -> Reasoner:
    """The Reasoner `materialise` derives with on a store holding `graphs` (named graph IRIs): the
    ontology files' own when the ontology is the only background graph (the usual store; with
    `stored_ontology`, the ontology graph as stored), else one over every background graph (the
    ontology and any graph that is neither a document's nor inferred). `quads_of` reads a graph.
    One function for `materialise` and for what tells whether a store is current
    (reasoning/status.py), so both name the same rules version."""
    background_graphs = [g for g in graphs if not iris.is_document_graph(g) and not iris.is_inferred_graph(g)]
    if background_graphs == [ONTOLOGY_GRAPH]:
        return Reasoner(quads_of(ONTOLOGY_GRAPH)) if stored_ontology else ontology_reasoner()
    return Reasoner([q for g in background_graphs for q in quads_of(g)])


def _current(store, reasoner: Reasoner) -> set[str]:
    """The inferred graphs that carry the current rules version (embedded store: one scan of the
    marker predicate; another store: none, so every document is re-derived)."""
    raw = getattr(store, "store", None)
    if raw is None:
        return set()
    version = Literal(reasoner.version)
    return {q.graph_name.value for q in raw.quads_for_pattern(None, RULES_VERSION, version, None)
            if q.subject == q.graph_name}


REBUILD_BATCH = 200   # inferred graphs per transaction in a rebuild (~20,000 quads)
SUMMARY_FOLLOW_AT_MOST = 100   # more re-derived documents than this: the summary is rebuilt once instead
SETTLE_AFTER = SUMMARY_FOLLOW_AT_MOST   # more inferred graphs rewritten than this: the store is compacted before returning


def _replace_inferred(store, batch: list[tuple[str, list[Quad]]]) -> None:
    """Several documents' inferred graphs replaced in one transaction where the store can."""
    many = getattr(store, "replace_graphs", None)
    if many is not None:
        many(dict(batch))
        return
    for graph, quads in batch:
        store.replace_graph(graph, quads)


def _quads_of(store, graph: str) -> list[Quad]:
    raw = getattr(store, "store", None)
    if raw is not None:   # the embedded store: straight from the index (a serialise + parse cost 8 ms a document)
        return list(raw.quads_for_pattern(None, None, None, NamedNode(graph)))
    return list(parse(_graph_nquads(store, graph), format=RdfFormat.N_QUADS))
