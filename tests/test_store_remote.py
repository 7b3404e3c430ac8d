"""Remote store specifics: where the endpoints are, and failures that must become StoreError fast."""
from __future__ import annotations

import io

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from conftest import free_port, run_cli
from store import QuerySyntaxError, StoreError, StoreTimeout, StoreUnavailable, open_store
from store.endpoints import parse_location
from store.remote import RemoteStore
from store_support import SilentServer

GRAPH = "https://w3id.org/claimgraph/id/doc/remote"
QUAD = Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("o"))


@pytest.mark.parametrize("location, query, update, gsp", [
    ("sparql+http://127.0.0.1:7878/query", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("sparql+http://h:3030/ds/sparql?preset=fuseki", "http://h:3030/ds/sparql", "http://h:3030/ds/update",
     "http://h:3030/ds/data"),
    ("sparql+http://h:8890/sparql?preset=virtuoso", "http://h:8890/sparql", "http://h:8890/sparql",
     "http://h:8890/sparql-graph-crud"),
    ("sparql+http://h:8000/sparql", "http://h:8000/sparql", "http://h:8000/sparql", "http://h:8000/store"),
    ("sparql+https://h/a/q?update=/u&store=gsp&reasoning=on", "https://h/a/q?reasoning=on", "https://h/u",
     "https://h/a/gsp"),
])
def test_endpoints_follow_presets_and_explicit_parameters(location, query, update, gsp):
    endpoints = parse_location(location)
    assert (endpoints.query, endpoints.update, endpoints.gsp) == (query, update, gsp)


def test_environment_overrides_the_convention(monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_REMOTE_UPDATE", "/sparql/update")
    monkeypatch.setenv("CLAIMGRAPH_REMOTE_GSP", "http://other:9/gsp")
    monkeypatch.setenv("CLAIMGRAPH_REMOTE_TIMEOUT", "7.5")
    endpoints = parse_location("sparql+http://h:1/query")
    assert (endpoints.update, endpoints.gsp, endpoints.read_timeout) == (
        "http://h:1/sparql/update", "http://other:9/gsp", 7.5)


@pytest.mark.parametrize("location, message", [
    ("sparql+http:///query", "names no host"),
    ("sparql+http://h:1/query?preset=nosuch", "unknown remote store preset"),
    ("sparql+http://h:1/query?timeout=soon", "must be a number"),
    ("sparql+http://h:1/query?replace=patch", "replace="),
])
def test_malformed_locations_are_refused(location, message):
    with pytest.raises(StoreError, match=message):
        open_store(location)


def test_a_remote_that_never_answers_times_out_with_a_store_error():
    silent = SilentServer()
    store = open_store(f"sparql+http://127.0.0.1:{silent.port}/query?timeout=1")
    try:
        with pytest.raises(StoreTimeout, match="did not answer in time"):
            store.query("ASK { ?s ?p ?o }")
        with pytest.raises(StoreTimeout):
            store.replace_graph(GRAPH, [QUAD])
    finally:
        store.close()
        silent.close()


def test_a_remote_that_is_not_there_is_unavailable():
    store = open_store(f"sparql+http://127.0.0.1:{free_port()}/query")
    with store, pytest.raises(StoreUnavailable, match="cannot reach"):
        store.graphs()


def _mock(handler) -> RemoteStore:
    return RemoteStore("sparql+http://remote.test/query", transport=httpx.MockTransport(handler))


def test_bearer_token_is_sent_and_refusals_say_how_to_authenticate(monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_REMOTE_TOKEN", "s3cret")
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(403, text="updates need a token")

    with _mock(handler) as store, pytest.raises(StoreError, match="403.*CLAIMGRAPH_REMOTE_TOKEN"):
        store.replace_graph(GRAPH, [QUAD])
    assert seen == ["Bearer s3cret"]


def test_http_errors_carry_the_remote_status_and_message():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/update":
            return httpx.Response(503, text="database is being backed up")
        return httpx.Response(400, text="Parse error on line 1")

    with _mock(handler) as store:
        with pytest.raises(StoreUnavailable, match="503: database is being backed up"):
            store.update("CLEAR ALL")
        with pytest.raises(QuerySyntaxError, match="Parse error on line 1"):
            store.query("SELECT * WHERE { ?s ?p ?o }")


def test_replace_graph_is_one_request_per_document():
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    with _mock(handler) as store:
        store.replace_graph(GRAPH, [QUAD] * 3)
    assert len(requests) == 1 and requests[0].url.path == "/update"

    requests.clear()
    gsp = RemoteStore("sparql+http://remote.test/query?replace=gsp", transport=httpx.MockTransport(handler))
    with gsp:
        gsp.replace_graph(GRAPH, [QUAD])
    assert [(r.method, r.url.path, r.url.params["graph"]) for r in requests] == [("PUT", "/store", GRAPH)]
    assert requests[0].headers["content-type"] == "application/n-triples"


def test_an_unexpected_answer_is_an_error_not_a_crash():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>login page</html>", headers={"content-type": "text/html"})

    with _mock(handler) as store, pytest.raises(StoreError, match="unexpected content type"):
        store.query("ASK {}")


def test_gsp_replace_against_oxigraph(tmp_path):
    """Replace by Graph Store PUT on a real oxigraph serve, then read back through the query protocol."""
    from store_support import OxigraphServer, oxigraph_binary
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` binary is not installed")
    server = OxigraphServer(tmp_path / "data")
    try:
        with open_store(server.location + "?replace=gsp") as store:
            store.replace_graph(GRAPH, [QUAD])
            store.replace_graph(GRAPH, [QUAD])
            out = io.BytesIO()
            store.dump(out, "nquads", graph=GRAPH)
            assert out.getvalue().decode().strip() == f'{QUAD.subject} {QUAD.predicate} {QUAD.object} <{GRAPH}> .'
            store.replace_graph(GRAPH, [])
            assert store.graphs() == []
    finally:
        server.stop()


def test_the_cli_reports_a_hanging_remote_and_exits_2():
    silent = SilentServer()
    try:
        proc = run_cli("--store", f"sparql+http://127.0.0.1:{silent.port}/query?timeout=1", "query", "documents",
                       check=False, timeout=120)
    finally:
        silent.close()
    assert proc.returncode == 2
    assert "did not answer in time" in " ".join(proc.stderr.decode().split())
