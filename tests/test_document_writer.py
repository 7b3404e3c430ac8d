"""The ingest's one writer (ingest/write.py): new documents in bulk batches, the rest one by one,
outcomes in input order, a failed batch narrowed down to the document at fault, later wins."""
from __future__ import annotations

import io

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from common import iris
from ingest.model import Article
from ingest.write import DocumentWriter
from store import open_store

P = NamedNode("http://example.org/says")


def article(doc_id: str) -> Article:
    return Article(doc_id=doc_id, text="text", source=f"{doc_id}.txt")


def nq(doc_id: str, version: str = "v1", n: int = 20) -> bytes:
    graph = NamedNode(iris.document(doc_id))
    return serialize([Quad(NamedNode(f"{graph.value}/s{i}"), P, Literal(f"{version} {i}"), graph) for i in range(n)],
                     format=RdfFormat.N_QUADS)


def dump(store) -> list[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return sorted(out.getvalue().decode().splitlines())


def versions(store, doc_id: str) -> set[str]:
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{iris.document(doc_id)}> {{ ?s ?p ?o }} }}")
    return {r["o"].value.split()[0] for r in rows}


class Recorder:
    def __init__(self):
        self.outcomes: list[tuple[str, str | None]] = []

    def __call__(self, art: Article, error: str | None) -> None:
        self.outcomes.append((art.doc_id, error))


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def test_batches_of_any_size_give_the_store_one_by_one_writes_give(tmp_path, store, monkeypatch):
    bulk_writes = []
    real = store.add_new_graphs
    monkeypatch.setattr(store, "add_new_graphs", lambda graphs: (bulk_writes.append(len(graphs)), real(graphs)))
    report = Recorder()
    writer = DocumentWriter(store, report, batch_bytes=len(nq("d00")) * 4)
    for i in range(25):
        writer.add(article(f"d{i:02}"), nq(f"d{i:02}"))
    writer.close()
    assert report.outcomes == [(f"d{i:02}", None) for i in range(25)]
    assert sum(bulk_writes) == 25 and len(bulk_writes) > 1
    with open_store(tmp_path / "one-by-one") as other:
        other.ensure_summary()   # as the writer does: both stores keep the store-level summary
        for i in range(25):
            other.replace_graph_nquads(iris.document(f"d{i:02}"), nq(f"d{i:02}"))
        assert dump(store) == dump(other)


def test_a_failed_batch_is_written_one_by_one_and_only_the_bad_document_fails(store):
    report = Recorder()
    writer = DocumentWriter(store, report)
    broken = nq("d1")[:-40] + b"\n"
    for doc_id, data in [("d0", nq("d0")), ("d1", broken), ("d2", nq("d2"))]:
        writer.add(article(doc_id), data)
    writer.close()
    assert [d for d, e in report.outcomes] == ["d0", "d1", "d2"]
    assert report.outcomes[0][1] is None and report.outcomes[2][1] is None
    assert "writing to the store failed" in report.outcomes[1][1]
    assert not store.holds_graph(iris.document("d1"))
    assert versions(store, "d0") == versions(store, "d2") == {"v1"}


def test_held_graphs_and_repeated_ids_are_replaced_and_the_later_document_wins(store):
    store.replace_graph_nquads(iris.document("old"), nq("old", "v1", n=50))
    report = Recorder()
    writer = DocumentWriter(store, report)
    writer.add(article("new"), nq("new", "v1"))
    writer.add(article("old"), nq("old", "v2", n=3))     # held by the store: replaced
    writer.add(article("new"), nq("new", "v2", n=5))     # its first version is still in the batch
    writer.add(article("other"), nq("other"))
    writer.close()
    assert [d for d, _ in report.outcomes] == ["new", "old", "new", "other"]
    assert all(e is None for _, e in report.outcomes)
    assert versions(store, "old") == {"v2"} and versions(store, "new") == {"v2"}
    assert len(list(store.query(f"SELECT * WHERE {{ GRAPH <{iris.document('new')}> {{ ?s ?p ?o }} }}"))) == 5


def test_a_store_that_held_no_document_is_not_asked_about_each_one(store, monkeypatch):
    store.replace_graph(iris.ONTOLOGY_GRAPH, [Quad(P, P, Literal("x"), NamedNode(iris.ONTOLOGY_GRAPH))])
    asked = []
    real = store.holds_graph
    monkeypatch.setattr(store, "holds_graph", lambda graph: (asked.append(graph), real(graph))[1])
    writer = DocumentWriter(store, Recorder())
    for doc_id in ("a", "b", "a"):
        writer.add(article(doc_id), nq(doc_id, version=doc_id))
    writer.close()
    assert asked == []
    store.replace_graph_nquads(iris.document("c"), nq("c"))
    writer = DocumentWriter(store, Recorder())
    writer.add(article("c"), nq("c", "v2"))
    writer.add(article("d"), nq("d"))
    writer.close()
    assert asked == [iris.document("c"), iris.document("d")]
    assert versions(store, "c") == {"v2"}


def test_documents_that_failed_before_the_store_keep_their_place_in_the_report(store):
    report = Recorder()
    writer = DocumentWriter(store, report)
    writer.add(article("a"), nq("a"))
    writer.add_failed(article("b"), "extraction failed: boom")
    writer.add(article("c"), nq("c"))
    writer.close()
    assert report.outcomes == [("a", None), ("b", "extraction failed: boom"), ("c", None)]


def test_a_store_without_a_bulk_path_gets_one_replace_per_document(store):
    class Plain:
        """Only the GraphStore contract, as a remote endpoint offers."""

        def __init__(self, inner):
            self.inner, self.calls = inner, []

        def replace_graph(self, graph, quads):
            self.calls.append(graph)
            self.inner.replace_graph(graph, quads)

    plain = Plain(store)
    report = Recorder()
    writer = DocumentWriter(plain, report)
    for doc_id in ("a", "b"):
        writer.add(article(doc_id), nq(doc_id))
    writer.close()
    assert plain.calls == [iris.document("a"), iris.document("b")]
    assert versions(store, "a") == {"v1"} and report.outcomes == [("a", None), ("b", None)]
