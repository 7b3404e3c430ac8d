"""Turning pyoxigraph terms into SPARQL/N-Triples text safely, and graph names into terms.

`str()` of a pyoxigraph term is its N-Triples form with every special character escaped, so
data written this way cannot break out of the statement it is placed in.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from store.errors import BadQuery, StoreError

VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def graph_node(graph: str) -> NamedNode:
    """The graph IRI as a NamedNode; a malformed IRI is refused with the reason."""
    if isinstance(graph, NamedNode):
        return graph
    try:
        return NamedNode(graph)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"invalid graph IRI {graph!r}: {exc}") from None


def ntriples_lines(quads: Iterable[Quad]) -> Iterator[str]:
    """One N-Triples statement per quad, its graph name dropped (the caller chooses the graph)."""
    for quad in quads:
        if not isinstance(quad, Quad):
            raise StoreError(f"expected a pyoxigraph Quad, got {type(quad).__name__}")
        yield f"{quad.subject} {quad.predicate} {quad.object} .\n"


def replace_update(graph: NamedNode, quads: Iterable[Quad]) -> str:
    """ONE SPARQL update that swaps the graph's content: drop it, then insert the new triples.

    A SPARQL update request is a single transaction in Oxigraph (and in Fuseki, Virtuoso's
    per-request mode), so readers see the old or the new graph, never a mix.
    """
    body = "".join(ntriples_lines(quads))
    if not body:
        return f"DROP SILENT GRAPH {graph}"
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"


def values_clause(bindings: Mapping[str, object]) -> str:
    """A trailing `VALUES (?a ?b) { (term term) }` clause from pyoxigraph terms (N-Triples escaped).

    Used where pyoxigraph's substitutions cannot be: over the SPARQL protocol, and for variables
    a SELECT does not project. The bound variables join the WHERE results before projection.
    """
    names = []
    for name in bindings:
        bare = name.lstrip("?$")
        if not VARIABLE_NAME.match(bare):
            raise BadQuery(f"invalid variable name {name!r} in bindings")
        names.append(bare)
    variables = " ".join(f"?{name}" for name in names)
    for name, term in bindings.items():
        if not isinstance(term, (NamedNode, BlankNode, Literal, Triple)):
            raise BadQuery(f"binding for {name!r} must be a pyoxigraph term, not {type(term).__name__}")
    row = " ".join(str(term) for term in bindings.values())
    return f"\nVALUES ({variables}) {{ ({row}) }}\n"
