"""The embedded store's ingest write path: a graph's N-Quads bytes written all-or-nothing, new
graphs added in bulk and undone as a whole on failure, flushes counted on the one-graph path,
and compactions that yield the CPU during a batch."""
from __future__ import annotations

import io
import os

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from store import StoreError, open_store
from store import embedded as embedded_store

GRAPH = "https://w3id.org/claimgraph/id/doc/write-path"
OTHER = "https://w3id.org/claimgraph/id/doc/other"
P = NamedNode("http://example.org/version")


def quads(version: str, n: int, graph: str = GRAPH) -> list[Quad]:
    return [Quad(NamedNode(f"{graph}/item/{i}"), P, Literal(f"{version} \"quoted\"\nline {i} é <{graph}> .\n"),
                 NamedNode(graph))
            for i in range(n)]


def nq(version: str, n: int, graph: str = GRAPH) -> bytes:
    return serialize(quads(version, n, graph), format=RdfFormat.N_QUADS)


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
    store.replace_graph_nquads(GRAPH, nq("A", 50))
    with open_store(tmp_path / "by-quads") as by_quads:
        by_quads.replace_graph(GRAPH, quads("A", 50))
        assert nquads(store) == nquads(by_quads)
    assert store.graphs() == [GRAPH]
    assert len(nquads(store, GRAPH)) == 50


def test_replacing_an_existing_graph_by_bytes_swaps_all_of_it(store):
    store.replace_graph_nquads(GRAPH, nq("A", 40))
    store.replace_graph_nquads(OTHER, nq("x", 1, OTHER))
    store.replace_graph_nquads(GRAPH, nq("B", 7))
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?v }} }}"))
    assert len(rows) == 7 and all(r["v"].value.startswith("B") for r in rows)
    assert len(nquads(store, OTHER)) == 1


@pytest.mark.parametrize("existing", [False, True])
def test_a_payload_broken_at_its_end_writes_nothing(store, existing):
    if existing:
        store.replace_graph_nquads(GRAPH, nq("A", 30))
    before = nquads(store)
    broken = nq("B", 300) + b'<http://example.org/s> <http://example.org/p> "never closed <%s> .\n' % GRAPH.encode()
    with pytest.raises(StoreError, match="not valid N-Quads"):
        store.replace_graph_nquads(GRAPH, broken)
    assert nquads(store) == before


def test_statements_outside_the_graph_are_refused_and_nothing_is_written(store):
    with pytest.raises(StoreError, match="other graphs"):
        store.replace_graph_nquads(GRAPH, nq("A", 5) + nq("A", 1, OTHER))
    with pytest.raises(StoreError, match="other graphs"):
        store.add_new_graphs([(GRAPH, nq("A", 5)), (OTHER, nq("A", 3, GRAPH))])
    assert nquads(store) == []


def test_new_graphs_are_added_in_bulk_as_if_written_one_by_one(tmp_path, store):
    graphs = [f"{GRAPH}/{i}" for i in range(20)]
    store.add_new_graphs([(g, nq(g[-1], 30, g)) for g in graphs])
    with open_store(tmp_path / "one-by-one") as one_by_one:
        for g in graphs:
            one_by_one.replace_graph(g, quads(g[-1], 30, g))
        assert nquads(store) == nquads(one_by_one)
    assert sorted(store.graphs()) == sorted(graphs)
    assert all(store.holds_graph(g) for g in graphs) and not store.holds_graph(OTHER)


def test_a_bulk_write_refuses_graphs_already_held_or_named_twice(store):
    store.replace_graph_nquads(GRAPH, nq("A", 4))
    before = nquads(store)
    with pytest.raises(StoreError, match="already in the store"):
        store.add_new_graphs([(OTHER, nq("B", 2, OTHER)), (GRAPH, nq("B", 2))])
    with pytest.raises(StoreError, match="twice"):
        store.add_new_graphs([(OTHER, nq("B", 2, OTHER)), (OTHER, nq("C", 2, OTHER))])
    assert nquads(store) == before


def test_a_failed_bulk_write_is_undone_for_every_graph_of_the_batch(store):
    store.replace_graph_nquads(GRAPH, nq("A", 4))
    before = nquads(store)
    batch = [(f"{OTHER}/{i}", nq("B", 200, f"{OTHER}/{i}")) for i in range(5)]
    batch.append((f"{OTHER}/bad", b'<http://example.org/s> <http://example.org/p> "never closed <%s/bad> .\n' % OTHER.encode()))
    with pytest.raises(StoreError, match="undone"):
        store.add_new_graphs(batch)
    assert nquads(store) == before and store.graphs() == [GRAPH]


def test_writes_by_bytes_count_towards_the_periodic_flush(store, monkeypatch):
    flushes = []
    monkeypatch.setattr(embedded_store, "FLUSH_EVERY_QUADS", 100)
    monkeypatch.setattr(store, "_flush", lambda: flushes.append(store._written_since_flush))
    store.replace_graph_nquads(GRAPH, nq("A", 60))
    assert flushes == []
    store.replace_graph_nquads(OTHER, nq("A", 60, OTHER))
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


def test_graphs_a_failing_bulk_load_wrote_before_failing_are_removed_again(store):
    """Oxigraph's bulk load is not atomic: a disk that fills up can leave part of a batch behind."""
    class HalfWrites:
        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def bulk_load(self, data, **options):
            lines = data.splitlines(keepends=True)
            self.real.bulk_load(b"".join(lines[:len(lines) // 2]), **options)
            raise OSError("No space left on device")

    store.replace_graph_nquads(GRAPH, nq("A", 4))
    before = nquads(store)
    store._store = HalfWrites(store._store)
    batch = [(f"{OTHER}/{i}", nq("B", 50, f"{OTHER}/{i}")) for i in range(4)]
    with pytest.raises(StoreError, match="undone.*No space left"):
        store.add_new_graphs(batch)
    store._store = store._store.real
    assert nquads(store) == before and store.graphs() == [GRAPH]
