"""Safe by default: SERVICE refused (and the target never contacted), runaway queries stopped,
writes refused without the token, body and row caps, CORS, no stack traces."""
from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from conftest import free_port
from server_helpers import AUTH, EX, JSON, TOKEN, ask, fixture_store, select, serving_pids, start, wait_for


class CountingEndpoint:
    """A local HTTP server that answers every request with an empty SPARQL result and counts hits."""

    def __init__(self) -> None:
        self.hits = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                endpoint.hits += 1
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def endpoint():
    ep = CountingEndpoint()
    yield ep
    ep.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return fixture_store(tmp_path_factory, "safety")


@pytest.fixture(scope="module")
def server(store):
    """Token set, short timeout, small caps."""
    server = start(store, "--token", TOKEN, "--timeout", "3",
                   env={"CLAIMGRAPH_MAX_BODY_BYTES": "4000", "CLAIMGRAPH_MAX_ROWS": "4"})
    yield server
    server.stop()


def service_spellings(url: str) -> list[str]:
    base, _, last = url.rpartition("/")
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ sErViCe # a comment\n <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{base}/> SELECT * WHERE {{ SERVICE remote:{last} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {{ ?x ?y ?z }} UNION "
        f"{{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }} }} }}",
        f"SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


def test_service_is_refused_and_never_contacted(server, endpoint):
    for query in service_spellings(endpoint.url):
        response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": JSON}, timeout=30)
        assert response.status_code == 400, (query, response.text)
        assert "SERVICE" in response.text
    assert endpoint.hits == 0


def test_service_and_load_in_updates_are_refused(server, endpoint):
    updates = [f"INSERT {{ GRAPH <{EX}fetched> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{endpoint.url}> {{ ?s ?p ?o }} }}",
               f"LOAD <{endpoint.url}> INTO GRAPH <{EX}fetched>",
               f"load silent <{endpoint.url}>"]
    for update in updates:
        response = httpx.post(server.sparql, content=update.encode(), timeout=30,
                              headers={**AUTH, "Content-Type": "application/sparql-update"})
        assert response.status_code == 400, (update, response.text)
    assert endpoint.hits == 0
    assert not ask(server, f"ASK {{ GRAPH <{EX}fetched> {{ ?s ?p ?o }} }}")


def test_allow_listed_service_is_called(tmp_path_factory, endpoint):
    """The control: with the endpoint on the allow-list the same query does reach it."""
    allowed = start(fixture_store(tmp_path_factory, "allowed"), env={"CLAIMGRAPH_SERVICE_ALLOW": endpoint.url})
    try:
        before = endpoint.hits
        response = httpx.get(allowed.sparql, params={"query": service_spellings(endpoint.url)[0]},
                             headers={"Accept": JSON}, timeout=30)
        assert response.status_code == 200, response.text
        assert endpoint.hits > before
    finally:
        allowed.stop()


def test_runaway_query_is_stopped_and_the_next_one_answered(server):
    assert wait_for(lambda: len(serving_pids(server)) == 2)
    before = serving_pids(server)
    patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(9))     # 15^9 rows: hours of work
    bomb = f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}"
    response = httpx.get(server.sparql, params={"query": bomb}, headers={"Accept": JSON}, timeout=120)
    assert response.status_code == 503
    assert "timeout" in response.text
    # the worker that ran it was ended (its process is gone) and replaced
    assert wait_for(lambda: not before <= {pid for pid in serving_pids(server) if os.path.exists(f"/proc/{pid}")})
    assert wait_for(lambda: len(serving_pids(server) - before) >= 1)
    assert ask(server, f"ASK {{ <{EX}alice> <{EX}name> ?n }}")


def test_writes_need_the_token(server):
    update = f"INSERT DATA {{ GRAPH <{EX}intruder> {{ <{EX}x> <{EX}y> <{EX}z> }} }}"
    plain = {"Content-Type": "application/sparql-update"}
    missing = httpx.post(server.sparql, content=update.encode(), headers=plain)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(server.sparql, content=update.encode(), headers={**plain, "Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    put = httpx.put(f"{server.base}/store", params={"graph": EX + "intruder"}, content=b"",
                    headers={"Content-Type": "text/turtle"})
    assert put.status_code == 401
    delete = httpx.delete(f"{server.base}/store", params={"graph": EX + "g1"}, headers={"Authorization": "Bearer x"})
    assert delete.status_code == 403
    post = httpx.post(f"{server.base}/store", content=b"", headers={"Content-Type": "text/turtle"})
    assert post.status_code == 401
    assert not ask(server, f"ASK {{ GRAPH <{EX}intruder> {{ ?s ?p ?o }} }}")
    assert ask(server, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")
    assert httpx.get(f"{server.base}/store", params={"graph": EX + "g1"}).status_code == 200   # reads stay open


def test_writes_are_off_without_a_configured_token(tmp_path_factory):
    server = start(fixture_store(tmp_path_factory, "no-token"))
    try:
        update = f"INSERT DATA {{ GRAPH <{EX}intruder> {{ <{EX}x> <{EX}y> <{EX}z> }} }}"
        response = httpx.post(server.sparql, data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403
        assert "disabled" in response.text
        put = httpx.put(f"{server.base}/store", params={"graph": EX + "g1"}, content=b"",
                        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
        assert put.status_code == 403
        assert ask(server, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")
        assert not ask(server, f"ASK {{ GRAPH <{EX}intruder> {{ ?s ?p ?o }} }}")
    finally:
        server.stop()


def test_body_cap(server):
    padding = "#" + "x" * 5000 + "\n"
    response = httpx.post(server.sparql, content=(padding + "ASK {}").encode(),
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    small = httpx.post(server.sparql, content=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert small.status_code == 200


def test_row_cap(server):
    everything = "SELECT * WHERE { ?s ?p ?o }"                      # more than 4 rows in the fixture
    response = httpx.get(server.sparql, params={"query": everything}, headers={"Accept": JSON})
    assert response.status_code == 400
    assert "LIMIT" in response.text
    assert len(select(server, everything + " LIMIT 4")) == 4
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values"):
        at_cap = httpx.get(server.sparql, params={"query": everything + " LIMIT 4"}, headers={"Accept": accept})
        over = httpx.get(server.sparql, params={"query": everything + " LIMIT 5"}, headers={"Accept": accept})
        assert (at_cap.status_code, over.status_code) == (200, 400), accept
    # A graph answer over the cap is refused too, never cut short: a client would take a cut
    # graph for the whole one.
    for accept in ("application/n-triples", "text/turtle"):
        over = httpx.get(server.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": accept})
        assert over.status_code == 400, accept
        assert "more than 4 triples" in over.text and "LIMIT" in over.text
    graph = httpx.get(server.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 4"},
                      headers={"Accept": "application/n-triples"})
    assert graph.status_code == 200
    assert len(graph.content.strip().splitlines()) == 4


def test_cors_for_browsers(server):
    response = httpx.get(server.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.net"})
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.net")
    preflight = httpx.options(server.sparql, headers={"Origin": "https://example.net",
                                                      "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200


def test_errors_carry_no_stack_traces(server):
    probes = [httpx.get(server.sparql, params={"query": "SELECT ?x WHERE { ?x"}),
              httpx.get(server.sparql, params={"query": "ASK {}", "format": "png"}),
              httpx.get(f"{server.base}/store", params={"graph": "not an iri"}),
              httpx.post(server.sparql, content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
              httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "image/png"})]
    for response in probes:
        assert 400 <= response.status_code < 500, response.text
        assert "Traceback" not in response.text and 'File "' not in response.text
    assert probes[-1].status_code == 406


def test_openapi_documents_every_route(server):
    paths = httpx.get(f"{server.base}/openapi.json").json()["paths"]
    for route in ("/sparql", "/store", "/dump.ttl", "/dump.trig", "/dump.nq", "/healthz"):
        assert route in paths
    assert {"get", "post"} <= set(paths["/sparql"])
    assert {"get", "put", "post", "delete"} <= set(paths["/store"])


def test_a_worker_that_died_while_idle_is_replaced_transparently(server):
    assert wait_for(lambda: len(serving_pids(server)) == 2)
    for pid in serving_pids(server):
        os.kill(pid, 9)                       # both idle workers gone, e.g. killed by the OOM killer
    assert ask(server, f"ASK {{ <{EX}bob> ?p ?o }}")
    assert wait_for(lambda: len(serving_pids(server)) == 2)


def test_workers_do_not_outlive_a_killed_server(tmp_path_factory):
    """kill -9 of the server ends its serving processes too, even one busy with a runaway query."""
    server = start(fixture_store(tmp_path_factory, "orphans"), "--timeout", "600")
    assert wait_for(lambda: len(serving_pids(server)) == 2)
    workers = serving_pids(server)
    patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(9))
    with httpx.Client(timeout=1) as client:
        try:
            client.get(server.sparql, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}"})
        except httpx.TimeoutException:
            pass                               # the query is running in a worker now
    server.proc.kill()
    server.proc.wait()
    server.stop()
    assert wait_for(lambda: not [pid for pid in workers if running(pid)])


def running(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False
