"""Turning pyoxigraph terms into SPARQL/N-Triples text safely, and graph names into terms.

`str()` of a pyoxigraph term is its N-Triples form with every special character escaped, so
data written this way cannot break out of the statement it is placed in.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple, Variable

from common.iris import inferred_graph, is_document_graph
from store.errors import BadQuery, QuerySyntaxError, StoreError

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
    per-request mode), so readers see the old or the new graph, never a mix. Triples with blank
    nodes go in an `INSERT {...} WHERE {}` template, because some engines (Virtuoso) refuse blank
    nodes in `INSERT DATA`; plain data uses `INSERT DATA`.
    """
    quads = list(quads)
    body = "".join(ntriples_lines(quads))
    if not body:
        return f"DROP SILENT GRAPH {graph}"
    has_blank = any(isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode) for q in quads)
    insert = (f"INSERT {{ GRAPH {graph} {{\n{body}}} }} WHERE {{}}" if has_blank
              else f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}")
    return f"DROP SILENT GRAPH {graph} ;\n{insert}"


def family(graph: str) -> tuple[str, ...]:
    """The graphs written and removed together with `graph`: a document's graph and its inferred
    graph (reasoning.reasoner), so a re-ingest or a removal never leaves stale inferences."""
    return (graph, inferred_graph(graph)) if is_document_graph(graph) else (graph,)


def replace_graphs_update(graphs: list[NamedNode], quads: Iterable[Quad]) -> str:
    """ONE SPARQL update (one transaction) that empties each of `graphs` and inserts `quads`
    into their own graphs (each quad's graph must be one of `graphs`): a document and its
    inferred graph are replaced, or dropped, together."""
    by_graph: dict[str, list[Quad]] = {g.value: [] for g in graphs}
    for quad in quads:
        if not isinstance(quad, Quad) or quad.graph_name.value not in by_graph:
            raise StoreError(f"quad outside the graphs being replaced: {quad}")
        by_graph[quad.graph_name.value].append(quad)
    drops = [f"DROP SILENT GRAPH {g}" for g in graphs]
    inserts = [replace_update(g, by_graph[g.value]).split(" ;\n", 1)[1] for g in graphs if by_graph[g.value]]
    return " ;\n".join(drops + inserts)


def substitutions(bindings: Mapping[str, object]) -> dict[Variable, object]:
    """pyoxigraph substitutions from {"name" or "?name": term}; names and terms are checked."""
    result = {}
    for name, term in bindings.items():
        bare = str(name).lstrip("?$")
        if not VARIABLE_NAME.match(bare):
            raise BadQuery(f"invalid variable name {name!r} in bindings")
        if not isinstance(term, (NamedNode, BlankNode, Literal, Triple)):
            raise BadQuery(f"binding for ?{bare} must be a pyoxigraph term, not {type(term).__name__}")
        result[Variable(bare)] = term
    return result


def check_bindable(sparql_text: str, bindings: Mapping[str, object]) -> None:
    """Raise what the embedded store would raise for these bindings (syntax, unprojected variable).

    The query is run with the substitutions on an empty in-memory store, which costs nothing and
    keeps the two stores' rules identical.
    """
    try:
        Store().query(sparql_text, substitutions=substitutions(bindings))
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except (RuntimeError, ValueError, TypeError) as exc:
        raise BadQuery(f"cannot run the query: {exc}") from None


def values_clause(bindings: Mapping[str, object]) -> str:
    """A trailing `VALUES (?a ?b) { (term term) }` clause from pyoxigraph terms (N-Triples escaped).

    This is how bindings travel over the SPARQL protocol, which has no parameters. For the
    variables a query projects (the only ones `check_bindable` lets through) the answer is the
    same as with substitutions.
    """
    checked = substitutions(bindings)
    variables = " ".join(f"?{variable.value}" for variable in checked)
    row = " ".join(str(term) for term in checked.values())
    return f"\nVALUES ({variables}) {{ ({row}) }}\n"
