"""Reads and writes through one server: a read after a write sees it, and reads running while
writes commit never fail (the query workers reopen their read-only store after each write)."""
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
