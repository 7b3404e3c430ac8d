"""Reads and writes through one server: a read after a write sees it, and reads running while
writes commit never fail (serving processes reopen their read-only store after each write)."""
from __future__ import annotations

import threading

import httpx
import pytest

from server_helpers import AUTH, EX, JSON, TOKEN, fixture_store, select, start

COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}counter> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(fixture_store(tmp_path_factory, "consistency"), "--token", TOKEN)
    yield server
    server.stop()


def insert(server, i: int) -> None:
    update = f"INSERT DATA {{ GRAPH <{EX}counter> {{ <{EX}item/{i}> <{EX}n> {i} }} }}"
    response = httpx.post(server.sparql, content=update.encode(), timeout=30,
                          headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text


def count(server) -> int:
    return int(select(server, COUNT)[0]["n"]["value"])


def test_read_after_write_sees_it(server):
    for i in range(5):
        insert(server, 1000 + i)
        assert count(server) == i + 1
    httpx.delete(f"{server.base}/store", params={"graph": EX + "counter"}, headers=AUTH)
    assert count(server) == 0


def test_reads_during_writes_never_fail(server):
    seen: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                response = client.get(server.sparql, params={"query": COUNT}, headers={"Accept": JSON})
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text}")
                    continue
                seen.append(int(response.json()["results"]["bindings"][0]["n"]["value"]))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for i in range(40):
            insert(server, i)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert failures == []
    assert seen, "the readers got no answers"
    assert max(seen) <= 40
    assert count(server) == 40


def test_a_client_leaving_mid_stream_frees_its_read(server):
    """The thread streaming to a client that hangs up stops and gives its read back; nothing leaks."""
    digits = " ".join(str(i) for i in range(10))
    big = "SELECT * WHERE { " + " ".join(f"VALUES ?{v} {{ {digits} }}" for v in "abcdef") + " }"   # 10^6 rows
    with httpx.stream("GET", server.sparql, params={"query": big}, headers={"Accept": "text/tab-separated-values"},
                      timeout=60) as response:
        assert response.status_code == 200
        next(response.iter_bytes())          # take the first chunk, then hang up
    running = None
    for _ in range(100):
        health = httpx.get(f"{server.base}/healthz").json()
        running = health["reads_in_flight"]
        if running == 0:
            break
        threading.Event().wait(0.2)
    assert running == 0
    assert health["serving_processes"] == 2
    insert(server, 5000)                     # a write is not held back by a leaked read
    assert int(select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}item/5000> ?p ?o }}")[0]["n"]["value"]) == 1
