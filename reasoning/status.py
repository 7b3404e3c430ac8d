"""Whether a store's inferred graphs were derived with the rules this code derives with.

Why: the debate views read what the derivation writes beside each document (its tallies, its
figure rows; reasoning/reasoner.py). A store written by an older claimgraph keeps the inferred
graphs of that version until `claimgraph reason` re-derives them, and a view over it would draw
what they lack as nothing at all: the figures view an empty chart on a store written before the
figure rows. The server reads this once per store generation and the views say what to do.

Cost: one scan of the named graphs and one index range of the rules-version markers (one per
document), no SPARQL: ~0.1 s at 10,000 documents.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from pyoxigraph import Literal, NamedNode, Quad, Store

from common import iris
from common.iris import ONTOLOGY_GRAPH
from common.ontology import ontology_quads
from reasoning.reasoner import RULES_VERSION, reasoner_for


@dataclass(frozen=True)
class InferenceStatus:
    """Documents in the store, and how many of them have an inferred graph derived with the
    current rules (`claimgraph reason` re-derives the others)."""
    documents: int
    current: int

    @property
    def stale(self) -> int:
        return self.documents - self.current

    def as_dict(self) -> dict:
        return {**asdict(self), "stale": self.stale}


def rules_version(store: Store, graphs: list[str]) -> str:
    """The version `claimgraph reason` would derive with on this store: it writes the ontology
    files into the ontology graph first, so the files stand for that graph here."""
    def quads_of(graph: str) -> list[Quad]:
        if graph == ONTOLOGY_GRAPH:
            return ontology_quads()
        return list(store.quads_for_pattern(None, None, None, NamedNode(graph)))
    if ONTOLOGY_GRAPH not in graphs:
        graphs = [*graphs, ONTOLOGY_GRAPH]
    return reasoner_for(graphs, quads_of).version


def inference_status(store: Store) -> InferenceStatus:
    """How many documents of `store` (a pyoxigraph Store, read-only or not) carry the current
    rules version in their inferred graph (a missing inferred graph is not current)."""
    graphs = [g.value for g in store.named_graphs() if isinstance(g, NamedNode)]
    wanted = {iris.inferred_graph(g) for g in graphs if iris.is_document_graph(g)}
    if not wanted:
        return InferenceStatus(0, 0)
    version = Literal(rules_version(store, graphs))
    current = sum(1 for q in store.quads_for_pattern(None, RULES_VERSION, version, None)
                  if q.subject == q.graph_name and q.graph_name.value in wanted)
    return InferenceStatus(len(wanted), current)
