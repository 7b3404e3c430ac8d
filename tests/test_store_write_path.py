"""The embedded store's ingest write path: N-Triples bytes written as one all-or-nothing graph,
flushes counted on that path too, and compactions that yield the CPU during a batch."""
from __future__ import annotations

import io
import os

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from store import StoreError, open_store
from store import embedded as embedded_store

GRAPH = "https://w3id.org/claimgraph/id/doc/write-path"
OTHER = "https://w3id.org/claimgraph/id/doc/other"
P = NamedNode("http://example.org/version")


def triples(version: str, n: int) -> list[Triple]:
    return [Triple(NamedNode(f"{GRAPH}/item/{i}"), P, Literal(f"{version} \"quoted\"\nline {i} é"))
            for i in range(n)]


def ntriples(version: str, n: int) -> bytes:
    return serialize(triples(version, n), format=RdfFormat.N_TRIPLES)


def nquads(s, graph: str | None = None) -> list[str]:
    out = io.BytesIO()
    s.dump(out, "nquads", graph=graph)
    return sorted(out.getvalue().decode().splitlines())


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def test_bytes_give_the_same_graph_as_quads_and_only_in_that_graph(tmp_path, store):
    store.replace_graph_ntriples(GRAPH, ntriples("A", 50))
    with open_store(tmp_path / "by-quads") as by_quads:
        by_quads.replace_graph(GRAPH, [Quad(t.subject, t.predicate, t.object, NamedNode(GRAPH))
                                       for t in triples("A", 50)])
        assert nquads(store) == nquads(by_quads)
    assert store.graphs() == [GRAPH]
    assert len(nquads(store, GRAPH)) == 50


def test_replacing_an_existing_graph_by_bytes_swaps_all_of_it(store):
    store.replace_graph_ntriples(GRAPH, ntriples("A", 40))
    store.replace_graph_ntriples(OTHER, serialize([Triple(NamedNode(OTHER), P, Literal("x"))],
                                                  format=RdfFormat.N_TRIPLES))
    store.replace_graph_ntriples(GRAPH, ntriples("B", 7))
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?v }} }}"))
    assert len(rows) == 7 and all(r["v"].value.startswith("B") for r in rows)
    assert len(nquads(store, OTHER)) == 1


@pytest.mark.parametrize("existing", [False, True])
def test_a_payload_broken_at_its_end_writes_nothing(store, existing):
    if existing:
        store.replace_graph_ntriples(GRAPH, ntriples("A", 30))
    before = nquads(store)
    broken = ntriples("B", 300) + b'<http://example.org/s> <http://example.org/p> "never closed .\n'
    with pytest.raises(StoreError, match="not valid N-Triples"):
        store.replace_graph_ntriples(GRAPH, broken)
    assert nquads(store) == before


def test_writes_by_bytes_count_towards_the_periodic_flush(store, monkeypatch):
    flushes = []
    monkeypatch.setattr(embedded_store, "FLUSH_EVERY_QUADS", 100)
    monkeypatch.setattr(store, "_flush", lambda: flushes.append(store._written_since_flush))
    store.replace_graph_ntriples(GRAPH, ntriples("A", 60))
    assert flushes == []
    store.replace_graph_ntriples(OTHER, ntriples("A", 60))
    assert flushes == [120]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="per-thread priorities are read from Linux /proc")
def test_compactions_run_at_the_lowest_priority_during_a_batch_only(store):
    def priorities() -> list[int]:
        return [os.getpriority(os.PRIO_PROCESS, tid) for tid in embedded_store._threads_named("rocksdb:low")]

    before = priorities()
    assert before, "RocksDB's compaction threads were not found by name"
    with store.compaction_yields():
        assert set(priorities()) == {19}
    assert priorities() == before
