"""The GraphStore contract, run against both stores: embedded pyoxigraph and a real `oxigraph serve`.

Whatever a caller does through `store.open_store(...)` must behave the same on both.
"""
from __future__ import annotations

import io

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples

from store import BadQuery, GraphStore, QuerySyntaxError, StoreError, open_store
from store_support import OxigraphServer, oxigraph_binary

EX = "http://example.org/"
G1, G2 = "https://w3id.org/claimgraph/id/doc/one", "https://w3id.org/claimgraph/id/doc/two%20b"
P = NamedNode(EX + "p")
LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
ACTOR = NamedNode("https://w3id.org/claimgraph/id/actor/someone")
TRICKY = 'a "quoted" text\nwith a newline, a tab\t, a backslash \\ and } { > < braces — é ünï'


def document_quads(graph: str, version: str, count: int) -> list[Quad]:
    """`count` marker triples carrying `version`, a shared actor label, and awkward literals.

    The graph names given here are deliberately wrong: replace_graph must rewrite them.
    """
    wrong = NamedNode(EX + "not-this-graph")
    quads = [Quad(NamedNode(f"{graph}/item/{i}"), P, Literal(version), wrong) for i in range(count)]
    quads += [
        Quad(ACTOR, LABEL, Literal("Someone", language="en"), wrong),
        Quad(NamedNode(f"{graph}/text"), P, Literal(TRICKY), wrong),
        Quad(NamedNode(f"{graph}/n"), P, Literal("4.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
        Quad(NamedNode(f"{graph}/b"), P, BlankNode("k1"), wrong),
    ]
    return quads


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` binary (PyPI package oxigraph) is not installed")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data")
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "remote"])
def any_store(request, tmp_path) -> GraphStore:
    if request.param == "embedded":
        store = open_store(tmp_path / "store")
    else:
        store = open_store(request.getfixturevalue("oxigraph_server").location)
        for graph in store.graphs():      # the server is shared by the module: start empty
            store.drop_graph(graph)
    yield store
    store.close()


def graph_rows(store: GraphStore, graph: str) -> set[tuple[str, str, str]]:
    result = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": NamedNode(graph)})
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in result if not isinstance(r["o"], BlankNode)}


def test_replace_graph_is_idempotent_and_rewrites_graph_names(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 5))
    first = graph_rows(any_store, G1)
    any_store.replace_graph(G1, document_quads(G1, "v1", 5))
    assert graph_rows(any_store, G1) == first
    assert any_store.graphs() == [G1]
    assert (f"<{G1}/text>", str(P), str(Literal(TRICKY))) in first
    assert len(first) == 5 + 3


def test_replace_graph_replaces_everything_and_leaves_other_graphs_alone(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 7))
    any_store.replace_graph(G2, document_quads(G2, "v1", 3))
    any_store.replace_graph(G1, document_quads(G1, "v2", 2))
    versions = {row[2] for row in graph_rows(any_store, G1) if row[0].startswith(f"<{G1}/item/")}
    assert versions == {'"v2"'}
    assert len([r for r in graph_rows(any_store, G1) if "/item/" in r[0]]) == 2
    assert len([r for r in graph_rows(any_store, G2) if "/item/" in r[0]]) == 3
    assert any_store.graphs() == sorted([G1, G2])


def test_drop_graph_and_empty_replace(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 2))
    any_store.replace_graph(G2, document_quads(G2, "v1", 2))
    any_store.drop_graph(G1)
    any_store.drop_graph(G1)                     # dropping again is not an error
    any_store.replace_graph(G2, [])
    assert any_store.graphs() == []


def test_query_forms_return_pyoxigraph_results(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 3))
    assert isinstance(any_store.query("SELECT * WHERE { ?s ?p ?o }"), QuerySolutions)
    ask = any_store.query("ASK { ?s ?p ?o }")
    assert isinstance(ask, QueryBoolean) and bool(ask)
    construct = any_store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(construct, QueryTriples)
    assert len(list(construct)) == 3 + 4


def test_default_graph_is_the_union_unless_asked_otherwise(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 3))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(any_store.query(count)))["n"].value) == 7
    assert int(next(iter(any_store.query(count, default_union=False)))["n"].value) == 0
    assert int(next(iter(any_store.query(count, default_graphs=[G1])))["n"].value) == 7
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    any_store.replace_graph(G2, document_quads(G2, "v1", 1))
    assert {r["g"].value for r in any_store.query(named, named_graphs=[G2])} == {G2}


def test_bindings_fix_variables_without_pasting_text(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 3))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    rows = list(any_store.query(query, bindings={"o": Literal(TRICKY)}))
    assert [r["s"].value for r in rows] == [f"{G1}/text"]
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
    assert list(any_store.query(query, bindings={"o": hostile})) == []
    assert any_store.graphs() == [G1]


def test_syntax_errors_are_reported_as_such(any_store):
    with pytest.raises(QuerySyntaxError):
        any_store.query("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(SyntaxError):             # also catchable as a plain SyntaxError
        any_store.update("INSERT DATA { <a> }")


def test_invalid_graph_iri_is_refused(any_store):
    with pytest.raises(StoreError, match="invalid graph IRI"):
        any_store.replace_graph("not an iri", [])


def _rdflib_union(store_quads: list[Quad]) -> rdflib.Graph:
    nquads = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store_quads)
    return rdflib.Graph().parse(data=nquads, format="nt")


def test_turtle_export_of_the_default_view_round_trips_through_rdflib(any_store):
    q1, q2 = document_quads(G1, "v1", 4), document_quads(G2, "v2", 2)
    any_store.replace_graph(G1, q1)
    any_store.replace_graph(G2, q2)
    out = io.BytesIO()
    any_store.dump(out, "turtle")
    parsed = rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="turtle")
    # one shared actor label in both graphs -> once in the union view; blank nodes stay per store
    assert len(parsed) == len(set(map(str, parsed))) and len(parsed) == 4 + 2 + 3 * 2 + 1
    expected = _rdflib_union(q1 + q2)
    assert {t for t in parsed if not isinstance(t[2], rdflib.BNode)} == \
           {t for t in expected if not isinstance(t[2], rdflib.BNode)}


def test_trig_and_nquads_exports_keep_graphs_and_reload(any_store, tmp_path):
    any_store.replace_graph(G1, document_quads(G1, "v1", 4))
    any_store.replace_graph(G2, document_quads(G2, "v2", 2))
    trig = io.BytesIO()
    any_store.dump(trig, "trig")
    dataset = rdflib.Dataset()
    dataset.parse(data=trig.getvalue().decode("utf-8"), format="trig")
    sizes = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert sizes == {G1: 8, G2: 6}
    nquads = tmp_path / "dump.nq"
    with nquads.open("wb") as out:
        any_store.dump(out, "nquads")
    copy = open_store(tmp_path / "copy")
    try:
        copy.load(nquads)
        assert copy.graphs() == [G1, G2]
        assert graph_rows(copy, G1) == graph_rows(any_store, G1)
    finally:
        copy.close()


def test_one_graph_export(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 4))
    any_store.replace_graph(G2, document_quads(G2, "v2", 2))
    out = io.BytesIO()
    any_store.dump(out, "ntriples", graph=G2)
    assert len(rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="nt")) == 6
    out = io.BytesIO()
    any_store.dump(out, "nquads", graph=G2)
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) == 6 and all(line.endswith(f"<{G2}> .") for line in lines)
    with pytest.raises(StoreError, match="no graph"):
        any_store.dump(io.BytesIO(), "turtle", graph=EX + "missing")
    with pytest.raises(StoreError, match="unknown RDF format"):
        any_store.dump(io.BytesIO(), "yaml")


def test_bulk_load_triples_into_a_graph_and_quads_into_theirs(any_store, tmp_path):
    triples = tmp_path / "data.ttl"
    triples.write_text(f'@prefix ex: <{EX}> .\nex:a ex:p "1" , "2" .\nex:b ex:p ex:a .\n', encoding="utf-8")
    any_store.load(triples, graph=G1)
    quads = tmp_path / "data.nq"
    quads.write_text(f'<{EX}c> <{EX}p> "3" <{G2}> .\n', encoding="utf-8")
    any_store.load(quads, format="nquads")
    assert any_store.graphs() == [G1, G2]
    assert len(graph_rows(any_store, G1)) == 3
    broken = tmp_path / "broken.ttl"
    broken.write_text("ex:a ex:p .", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid"):
        any_store.load(broken)
    with pytest.raises(StoreError, match="cannot tell the RDF format"):
        any_store.load(tmp_path / "data.unknown")


def test_binding_a_variable_the_select_does_not_project_is_refused(any_store):
    any_store.replace_graph(G1, document_quads(G1, "v1", 3))
    grouped = "SELECT ?o (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?o"
    with pytest.raises(BadQuery, match="g"):
        any_store.query(grouped, bindings={"g": NamedNode(G1)})
    with pytest.raises(BadQuery, match="pyoxigraph term"):
        any_store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"s": "<http://example.org/a>"})
    ask = any_store.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": NamedNode(G2)})
    assert bool(ask) is False
