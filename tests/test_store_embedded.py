"""Embedded store specifics: atomic replace under concurrent reads, the folder lock, read-only opens."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from conftest import ROOT, run_cli
from store import StoreError, StoreLocked, open_read_only, open_store

GRAPH = "https://w3id.org/claimgraph/id/doc/atomic"
P = NamedNode("http://example.org/version")
VERSIONS = {"A": 400, "B": 650}      # different sizes: a half-written graph cannot pass as either
SNAPSHOT = "SELECT ?g ?v (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?v } } GROUP BY ?g ?v"


def version_quads(version: str) -> list[Quad]:
    return [Quad(NamedNode(f"{GRAPH}/item/{i}"), P, Literal(version)) for i in range(VERSIONS[version])]


def snapshot(store) -> dict[str, int]:
    rows = store.query(SNAPSHOT, bindings={"g": NamedNode(GRAPH)})
    return {row["v"].value: int(row["n"].value) for row in rows}


def test_readers_never_see_half_a_graph_while_it_is_replaced(tmp_path):
    store = open_store(tmp_path / "store")
    store.replace_graph(GRAPH, version_quads("A"))
    stop = threading.Event()
    seen: list[dict[str, int]] = []

    def read() -> None:
        while not stop.is_set():
            seen.append(snapshot(store))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for i in range(40):
            store.replace_graph(GRAPH, version_quads("AB"[i % 2]))
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    store.close()
    allowed = [{"A": VERSIONS["A"]}, {"B": VERSIONS["B"]}]
    assert seen, "the reader threads ran no query"
    assert all(view in allowed for view in seen), [v for v in seen if v not in allowed][:3]
    assert {next(iter(view)) for view in seen} == {"A", "B"}


def test_a_second_opener_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "store"
    holder = open_store(path)
    try:
        probe = subprocess.run([sys.executable, "-c", f"from store import open_store; open_store({str(path)!r})"],
                               capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert probe.returncode != 0
        assert "StoreLocked" in probe.stderr and "in use by another process" in probe.stderr
        cli = run_cli("--store", str(path), "export", "--format", "nquads", check=False, timeout=300)
        assert cli.returncode == 2
        message = " ".join(cli.stderr.decode().split())
        assert "in use by another process" in message and "sparql+http://" in message
        with pytest.raises(StoreLocked):
            open_store(path)                 # the same process, too
    finally:
        holder.close()
    reopened = open_store(path)              # closing released the lock
    reopened.close()


def test_read_only_open_sees_committed_data_and_refuses_writes(tmp_path):
    path = tmp_path / "store"
    with open_store(path) as store:
        store.replace_graph(GRAPH, version_quads("A"))
    reader = open_read_only(path)
    try:
        assert reader.graphs() == [GRAPH]
        assert snapshot(reader) == {"A": VERSIONS["A"]}
        with pytest.raises(StoreError, match="read-only"):
            reader.replace_graph(GRAPH, [])
        writer = open_store(path)            # a read-only opener holds no lock
        writer.close()
    finally:
        reader.close()


def test_read_only_open_of_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        open_read_only(tmp_path / "nothing-here")


def test_a_file_is_not_a_store(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(path)


def test_closed_store_says_so(tmp_path):
    store = open_store(tmp_path / "store")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


def test_unknown_location_scheme_is_refused():
    with pytest.raises(StoreError, match="unsupported store location"):
        open_store("ftp://example.org/store")
