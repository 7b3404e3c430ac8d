"""Standard clients read from the endpoint as they would from Fuseki or Oxigraph:
SPARQLWrapper and rdflib's SPARQLStore; large results stream through complete."""
from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from server_helpers import EX, fixture_store, start


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(fixture_store(tmp_path_factory, "clients"))
    yield server
    server.stop()


def test_sparqlwrapper_select_json_and_xml(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?s ex:name ?name }} ORDER BY ?name")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [row["name"]["value"] for row in rows] == ["Alice", "Bob", "Carol"]
    client.setReturnFormat(XML)
    document = client.query().convert()          # an xml.dom.minidom Document
    assert len(document.getElementsByTagName("result")) == 3


def test_sparqlwrapper_ask_csv_and_construct(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(f"ASK {{ <{EX}bob> <{EX}age> 42 }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"SELECT ?age WHERE {{ <{EX}bob> <{EX}age> ?age }}")
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().split() == ["age", "42"]
    client.setQuery(f"CONSTRUCT WHERE {{ <{EX}carol> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert (rdflib.URIRef(EX + "carol"), rdflib.URIRef(EX + "knows"), rdflib.URIRef(EX + "alice")) in graph


def test_sparqlwrapper_post(server):
    client = SPARQLWrapper(server.sparql)
    client.setMethod("POST")
    client.setQuery(f"SELECT ?n WHERE {{ <{EX}alice> <{EX}name> ?n }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "Alice"


def test_rdflib_sparqlstore(server):
    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=server.sparql, returnFormat="json"))
    rows = list(graph.query(f"PREFIX ex: <{EX}> SELECT ?s ?age WHERE {{ ?s ex:age ?age }} ORDER BY ?age"))
    assert [(str(s), int(age)) for s, age in rows] == [(EX + "alice", 31), (EX + "bob", 42)]
    assert bool(graph.query(f"ASK {{ <{EX}carol> ?p ?o }}"))
    names = {str(o) for o in graph.objects(rdflib.URIRef(EX + "bob"), rdflib.URIRef(EX + "name"))}
    assert names == {"Bob"}


def test_large_results_stream_complete(server):
    """100,000 rows (several MB): streamed from the worker in chunks, every row arrives."""
    digits = " ".join(str(i) for i in range(10))
    query = ("SELECT ?a ?b ?c ?d ?e WHERE { " + " ".join(f"VALUES ?{v} {{ {digits} }}" for v in "abcde") + " }")
    with httpx.stream("GET", server.sparql, params={"query": query}, headers={"Accept": "text/tab-separated-values"},
                      timeout=60) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers        # streamed, not built whole
        lines = sum(chunk.count(b"\n") for chunk in response.iter_bytes())
    assert lines == 1 + 100_000


def test_union_default_graph_can_be_switched_off(tmp_path_factory):
    """CLAIMGRAPH_UNION_DEFAULT_GRAPH=false: the default graph is the store's unnamed graph only."""
    server = start(fixture_store(tmp_path_factory, "no-union"), env={"CLAIMGRAPH_UNION_DEFAULT_GRAPH": "false"})
    try:
        names = f"SELECT ?n WHERE {{ ?s <{EX}name> ?n }}"
        assert httpx.get(server.sparql, params={"query": names}).json()["results"]["bindings"] == []
        labels = httpx.get(server.sparql, params={"query": f"SELECT ?l WHERE {{ ?s <{EX}label> ?l }}"}).json()
        assert [row["l"]["value"] for row in labels["results"]["bindings"]] == ["in the default graph"]
        in_graph = httpx.get(server.sparql, params={"query": f"SELECT ?n WHERE {{ GRAPH <{EX}g2> {{ ?s <{EX}name> ?n }} }}"})
        assert [row["n"]["value"] for row in in_graph.json()["results"]["bindings"]] == ["Bob"]
        description = httpx.get(server.sparql, headers={"Accept": "application/n-triples"}).text
        assert "UnionDefaultGraph" not in description
    finally:
        server.stop()


def peak_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def test_streaming_keeps_server_memory_flat(server):
    """A ~50 MB answer passes through the server process without being held in memory."""
    word = "x" * 100
    values = " ".join(f'"{word}{i}"' for i in range(10))
    query = "SELECT * WHERE { " + " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abcde") + " }"
    httpx.get(server.sparql, params={"query": "ASK {}"})          # warm up before taking the baseline
    before = peak_rss_kb(server.proc.pid)
    size = 0
    with httpx.stream("GET", server.sparql, params={"query": query}, headers={"Accept": "text/tab-separated-values"},
                      timeout=120) as response:
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            size += len(chunk)
    assert size > 50_000_000
    assert peak_rss_kb(server.proc.pid) - before < 25_000       # KB: far less than the answer
