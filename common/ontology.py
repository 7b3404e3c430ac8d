"""The ontology as quads: claimgraph.ttl plus every vocabulary file, in the ontology graph.

The ingest writes these into `cgg:ontology` so that SPARQL over the store sees labels,
comments, concept schemes, the kind hierarchy and the known actors next to the data, and
`claimgraph reason` finds the sub-property and sub-class axioms it materialises.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from common.iris import ONTOLOGY_GRAPH
from common.paths import ONTOLOGY_DIR, VOCAB_DIR

ONTOLOGY_FILE = ONTOLOGY_DIR / "claimgraph.ttl"


def ontology_files(ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """claimgraph.ttl first, then vocab/*.ttl in name order (a stable order for stable output)."""
    return [ontology_dir / "claimgraph.ttl", *sorted((ontology_dir / "vocab").glob("*.ttl"))]


def ontology_quads(ontology_dir: Path = ONTOLOGY_DIR) -> list[Quad]:
    """Every triple of the ontology and its vocabularies as a quad in the ontology graph.

    A file that does not parse raises ValueError naming the file, so a typo in a vocabulary
    stops the ingest with the file to fix rather than silently dropping knowledge.
    """
    graph = NamedNode(ONTOLOGY_GRAPH)
    quads: list[Quad] = []
    for path in ontology_files(ontology_dir):
        try:
            with path.open("rb") as source:
                triples = list(parse(source, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
        except (SyntaxError, OSError) as exc:
            raise ValueError(f"cannot read ontology file {path}: {exc}") from None
        quads.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return list(dict.fromkeys(quads))


__all__ = ["ONTOLOGY_FILE", "VOCAB_DIR", "ontology_files", "ontology_quads"]
