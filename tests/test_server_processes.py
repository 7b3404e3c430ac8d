"""`claimgraph serve`'s process layout: one writer, several serving processes sharing the port.

What users rely on: every serving process answers; one that dies is replaced and the others
answer meanwhile; writes sent to any of them land in the one store (that they end with the
server is in test_server_safety). Plus the pieces underneath: the write gate, the hand-over of answers from a read's
thread, the remembered form decoding, the access log.
"""
from __future__ import annotations

import asyncio
import io
import os
import signal
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import given, strategies as st

from server_helpers import AUTH, EX, TOKEN, fixture_store, serving_pids, start, wait_for

COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}procs> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(fixture_store(tmp_path_factory, "processes"), "--token", TOKEN, "--workers", "3")
    yield server
    server.stop()


def health(server) -> dict:
    return httpx.get(f"{server.base}/healthz", timeout=10).json()


def test_the_asked_number_of_serving_processes_run_and_answer(server):
    assert wait_for(lambda: health(server)["serving_processes"] == 3)
    assert len(serving_pids(server)) == 3
    # new connections are shared out among the processes accepting on the one socket: over
    # fresh connections, more than one of them answers, and only serving processes answer
    answered = set()
    for _ in range(60):
        with httpx.Client() as client:     # a fresh connection each time
            answered.add(client.get(f"{server.base}/healthz").json()["pid"])
    assert len(answered) >= 2
    assert answered <= serving_pids(server)


def test_writes_through_any_process_land_in_the_one_store(server):
    for i in range(12):                      # fresh connections: they land on different processes
        update = f"INSERT DATA {{ GRAPH <{EX}procs> {{ <{EX}p/{i}> <{EX}n> {i} }} }}"
        with httpx.Client() as client:
            response = client.post(server.sparql, content=update.encode(), timeout=30,
                                   headers={**AUTH, "Content-Type": "application/sparql-update"})
        assert response.status_code == 204, response.text
        with httpx.Client() as client:       # and each read, wherever it lands, sees every write so far
            rows = client.get(server.sparql, params={"query": COUNT},
                              headers={"Accept": "application/sparql-results+json"}).json()
        assert int(rows["results"]["bindings"][0]["n"]["value"]) == i + 1


def test_a_killed_serving_process_is_replaced_and_the_others_answer(server):
    assert wait_for(lambda: len(serving_pids(server)) == 3)
    before = serving_pids(server)
    victim = sorted(before)[0]
    os.kill(victim, signal.SIGKILL)
    for _ in range(20):                      # answered throughout, by the processes still up
        with httpx.Client() as client:
            response = client.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert response.status_code == 200
    assert wait_for(lambda: victim not in serving_pids(server) and len(serving_pids(server)) == 3)
    assert wait_for(lambda: health(server)["serving_processes"] == 3)


# -- the pieces underneath ---------------------------------------------------------------------

def test_the_write_gate_holds_new_reads_and_counts_running_ones(tmp_path):
    from server.processes.shared_state import SharedState
    writer = SharedState.create(tmp_path / "state")
    reader = SharedState.attach(tmp_path / "state")
    assert reader.try_begin_read(0)
    assert writer.reads_in_flight() == 1
    writer.close_gate()
    assert not reader.try_begin_read(1)             # held back while a write commits ...
    assert writer.reads_in_flight() == 1            # ... and not counted; the running one still is
    reader.end_read(0)
    assert writer.reads_in_flight() == 0
    writer.open_gate(bump=True)
    assert reader.generation == 1                   # the reader sees the write's generation
    assert reader.try_begin_read(1)
    reader.set_serving(1, True)
    assert writer.serving() == 1
    writer.clear_slot(1)                            # a dead process's reads and flag go with it
    assert writer.reads_in_flight() == 0 and writer.serving() == 0


def test_a_small_answer_comes_whole_and_a_big_one_streams_with_bounded_read_ahead():
    from server.query.read_job import CHUNK, INLINE_LIMIT, WINDOW, ReadJob
    import threading

    async def scenario():
        loop = asyncio.get_running_loop()
        small = ReadJob(loop)
        small.begin("text/plain", None, 10)
        small.write(b"hello")
        small.finish()
        assert await small.first == ("text/plain", b"hello")

        big = ReadJob(loop)
        produced = []

        def produce():
            big.begin("text/plain", None, 10)
            for i in range(200):                     # 200 x 16 KiB = 3.2 MB, far over INLINE_LIMIT
                big.write(bytes([65 + i % 26]) * 16384)
                produced.append(i)
            big.finish()
        thread = threading.Thread(target=produce)
        thread.start()
        media_type, body = await big.first
        assert body is None                          # streaming
        await asyncio.sleep(0.3)                     # nobody reads: the thread must wait, not run ahead
        ahead = len(produced) * 16384
        assert ahead <= INLINE_LIMIT + (WINDOW + 2) * CHUNK
        received = b"".join([chunk async for chunk in big.chunks(None)])
        thread.join(5)
        assert len(received) == 200 * 16384 and received[:16384] == b"A" * 16384

        gone = ReadJob(loop)
        stopped = threading.Event()

        def produce_forever():
            gone.begin("text/plain", None, 10)
            try:
                while True:
                    gone.write(b"x" * 65536)
            except Exception:
                stopped.set()
        thread = threading.Thread(target=produce_forever)
        thread.start()
        await gone.first
        gone.abandon()                               # the client went away
        assert await asyncio.to_thread(stopped.wait, 5)
        thread.join(5)
    asyncio.run(scenario())


def test_remembered_form_decoding_gives_what_parse_qsl_gives():
    from server.http.protocol import decode_pairs
    for text in ["query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D&format=json", "a=&b=1&b=2", "x=%C3%A9t%C3%A9",
                 "q=" + "%20" * 9000]:
        assert decode_pairs(text) == tuple(parse_qsl(text, keep_blank_values=True, errors="strict"))
        assert decode_pairs(text) == decode_pairs(text)
    with pytest.raises(UnicodeDecodeError):
        decode_pairs("query=%FF%FE")


def test_access_log_lines_carry_method_path_status_and_time():
    from server.http import access_log
    from server.http.access_log import AccessLog

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        pass
    asyncio.run(AccessLog(app)({"type": "http", "method": "GET", "path": "/teapot"}, None, send))
    out = io.StringIO()
    access_log.flush(out)
    line = out.getvalue()
    assert line.count("\n") == 1
    assert " INFO claimgraph.server: GET /teapot 418 " in line and line.rstrip().endswith(" ms")
    access_log.flush(out)                            # nothing new: nothing written
    assert out.getvalue() == line


def test_a_query_seen_cheap_runs_on_the_loop_until_the_store_changes(tmp_path_factory, monkeypatch):
    """The second time, a cheap query needs no thread (the pool is gone and it is still answered,
    with the same bytes); after a write it goes back to a thread (and so fails here)."""
    import server.query.engine
    monkeypatch.setattr(server.query.engine, "INLINE_BUDGET", 5.0)    # "cheap" must not hinge on this machine's speed
    from common.config import Settings
    from server.query.engine import QueryEngine
    from server.http.errors import ProtocolError
    store = fixture_store(tmp_path_factory, "inline")
    query = f"SELECT ?p ?o WHERE {{ <{EX}alice> ?p ?o }} ORDER BY ?p ?o"

    async def scenario():
        engine = QueryEngine(Settings(store=store, log_queries=False))
        await engine.start()
        try:
            first = (await engine.run(query, accept="text/csv")).body
            engine._pool.shutdown(wait=True)          # from here on, a read that needs a thread fails
            again = (await engine.run(query, accept="text/csv")).body
            assert again == first and first.count(b"\n") > 1
            with pytest.raises(ProtocolError):          # a query never seen still needs a thread
                await engine.run(query + " LIMIT 1", accept="text/csv")
            await engine.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}alice> <{EX}q> 1 }} }}")
            with pytest.raises(ProtocolError):          # the store changed: not trusted as cheap any more
                await engine.run(query, accept="text/csv")
        finally:
            await engine.stop()
    asyncio.run(scenario())


@given(rows=st.integers(0, 60), cuts=st.lists(st.integers(1, 9), min_size=1, max_size=40))
def test_rows_are_counted_however_the_serialiser_splits_its_writes(rows, cuts):
    """The row cap counts separators in the byte stream; a separator cut between two writes counts once."""
    from pyoxigraph import QueryResultsFormat, Store
    from server.query.evaluate import ROW_MARKERS, RowCounter
    store = Store()
    query = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(rows)) + " } }"
    for name, fmt in (("json", QueryResultsFormat.JSON), ("xml", QueryResultsFormat.XML),
                      ("csv", QueryResultsFormat.CSV), ("tsv", QueryResultsFormat.TSV)):
        data = store.query(query).serialize(format=fmt)
        counter, start, i = RowCounter(ROW_MARKERS[name], 10**6), 0, 0
        while start < len(data):
            size = cuts[i % len(cuts)]
            counter.count(data[start:start + size])
            start, i = start + size, i + 1
        # exact, except that an empty JSON result counts as one row (the count may only over-estimate)
        assert counter.rows == rows or (name == "json" and rows == 0 and counter.rows == 1), (name, data[:200])


def test_a_graph_created_behind_a_tls_proxy_gets_an_https_location(server):
    """The writer mints POST /store's Location; it must see the scheme the client used, as the
    serving process that took the request saw it (a proxy on loopback says https)."""
    response = httpx.post(f"{server.base}/store", content=b"<urn:a> <urn:b> <urn:c> .",
                          headers={**AUTH, "Content-Type": "text/turtle", "X-Forwarded-Proto": "https"})
    assert response.status_code == 201, response.text
    assert response.headers["location"].startswith(f"https://127.0.0.1:{server.port}/store/graph/")
    plain = httpx.post(f"{server.base}/store", content=b"<urn:a> <urn:b> <urn:c> .",
                       headers={**AUTH, "Content-Type": "text/turtle"})
    assert plain.headers["location"].startswith(f"http://127.0.0.1:{server.port}/store/graph/")


def test_stopping_the_server_removes_its_work_folder(tmp_path_factory, tmp_path):
    # the supervisor's state file and the writer's socket live in a temporary folder; SIGTERM (what
    # service managers and the benches send) ends the server through a graceful shutdown that removes it
    server = start(fixture_store(tmp_path_factory, "workfolder"), env={"TMPDIR": str(tmp_path)})
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("claimgraph-serve-")]
    server.stop()
    assert server.proc.returncode == 128 + signal.SIGTERM
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("claimgraph-serve-")]
