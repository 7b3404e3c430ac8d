"""The same endpoint over a remote store (`--store sparql+http://...`, issue 8): queries, updates
and Graph Store calls are forwarded with the standard protocols; a remote that hangs or is gone
gives a prompt 504 / 502 with a message."""
from __future__ import annotations

import httpx
import pytest

from conftest import free_port
from server_helpers import AUTH, EX, JSON, TOKEN, ask, fixture_store, select, start, values
from store_support import OxigraphServer, SilentServer, oxigraph_binary

pytestmark = pytest.mark.skipif(oxigraph_binary() is None, reason="needs the `oxigraph` binary (PyPI oxigraph)")


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    oxigraph = OxigraphServer(fixture_store(tmp_path_factory, "remote"))
    server = start(oxigraph.location, "--token", TOKEN, "--timeout", "5")
    yield server
    server.stop()
    oxigraph.stop()


def test_queries_are_forwarded_with_the_union_default_graph(remote):
    assert values(select(remote, f"SELECT ?n WHERE {{ ?s <{EX}name> ?n }}"), "n") == {"Alice", "Bob", "Carol"}
    assert values(select(remote, f"SELECT ?n WHERE {{ ?s <{EX}name> ?n }}", **{"default-graph-uri": EX + "g2"}),
                  "n") == {"Bob"}
    turtle = httpx.get(remote.sparql, params={"query": f"DESCRIBE <{EX}alice>", "format": "turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")


def test_remote_syntax_errors_are_400(remote):
    response = httpx.get(remote.sparql, params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400


def test_updates_and_graph_store_are_forwarded(remote):
    graph = EX + "remote-written"
    response = httpx.post(remote.sparql, data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}a> <{EX}b> 1 }} }}"},
                          headers=AUTH)
    assert response.status_code == 204, response.text
    assert ask(remote, f"ASK {{ GRAPH <{graph}> {{ <{EX}a> <{EX}b> 1 }} }}")
    put = httpx.put(f"{remote.base}/store", params={"graph": EX + "remote-put"}, headers={**AUTH, "Content-Type": "text/turtle"},
                    content=f"<{EX}c> <{EX}d> <{EX}e> .".encode())
    assert put.status_code == 201, put.text
    got = httpx.get(f"{remote.base}/store", params={"graph": EX + "remote-put"}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and f"<{EX}c>".encode() in got.content
    assert httpx.delete(f"{remote.base}/store", params={"graph": EX + "remote-put"}).status_code == 401


def test_service_is_refused_before_forwarding(remote):
    response = httpx.get(remote.sparql, params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"})
    assert response.status_code == 400


def test_a_hanging_remote_gives_504(tmp_path_factory):
    silent = SilentServer()
    server = start(f"sparql+http://127.0.0.1:{silent.port}/query", "--timeout", "2")
    try:
        response = httpx.get(server.sparql, params={"query": "ASK {}"}, headers={"Accept": JSON}, timeout=60)
        assert response.status_code == 504
        assert f"127.0.0.1:{silent.port}" in response.text
    finally:
        server.stop()
        silent.close()


def test_a_missing_remote_gives_502():
    server = start(f"sparql+http://127.0.0.1:{free_port()}/query")
    try:
        response = httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=60)
        assert response.status_code == 502
        assert "could not be reached" in response.text
    finally:
        server.stop()
