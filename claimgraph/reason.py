"""`claimgraph reason`: write out what the ontology defines, so plain SPARQL sees it.

Each rule is a SPARQL CONSTRUCT file in ontology/rules/ (its header says what it derives and
why). The rules read every graph except the inferred one (documents + the ontology graph,
refreshed first from the ontology files), and their union replaces the inferred graph in one
atomic step, so running reason twice gives the same graph and readers never see half of it.
OWL consistency is not checked here (HermiT is too slow for every run); the test suite checks
the ontology with HermiT.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from common.iris import INFERRED_GRAPH, ONTOLOGY_GRAPH
from common.ontology import ontology_quads
from common.paths import ONTOLOGY_DIR

RULES_DIR = ONTOLOGY_DIR / "rules"


def rule_files(rules_dir: Path = RULES_DIR) -> list[Path]:
    """The rule files in name order."""
    return sorted(rules_dir.glob("*.rq"))


def materialise(store, *, refresh_ontology: bool = True) -> int:
    """Replace the inferred graph with everything the rules derive; return its triple count."""
    if refresh_ontology:
        store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
    sources = [g for g in store.graphs() if g != INFERRED_GRAPH]
    derived: dict = {}
    for rule in rule_files():
        for triple in store.query(rule.read_text(encoding="utf-8"), default_graphs=sources):
            derived[triple] = None
    graph = NamedNode(INFERRED_GRAPH)
    store.replace_graph(INFERRED_GRAPH, [Quad(t.subject, t.predicate, t.object, graph) for t in derived])
    return len(derived)
