"""The batch runner: broken inputs are reported by name and never stop or spoil the batch;
writes are one atomic graph per document; workers give the same graphs as one process."""
from __future__ import annotations

import json
import os

import pytest

from common import iris
from ingest.extract.pipeline import Extractor
from ingest.run import ingest_paths
from store import open_store

STORY = ("Ceasefire talks resume amid doubts\n\n"
         "A senior analyst at an invented research centre, Maria Kowalczyk, said that a pause in "
         "the fighting would let the army regroup and rebuild its reserves within months.\n\n"
         "The ministry reported that about 1,200 new recruits joined every month this year.\n")


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def _corpus(folder, n=3):
    folder.mkdir()
    for i in range(n):
        (folder / f"story-{i}.txt").write_text(STORY.replace("Maria", f"Maria{i}"), encoding="utf-8")
    return folder


def _doc_graphs(store):
    return sorted(g for g in store.graphs() if g.startswith(iris.ID + "doc/"))


def _graph_nquads(store, graph):
    import io
    out = io.BytesIO()
    store.dump(out, "nquads", graph=graph)
    return sorted(out.getvalue().decode().splitlines())


def test_a_batch_with_broken_files_ingests_the_rest_with_the_real_pipeline(tmp_path, store):
    folder = _corpus(tmp_path / "in", n=2)
    (folder / "empty.txt").write_text("   \n")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x01" + bytes(range(256)))
    (folder / "lines.jsonl").write_text(json.dumps({"id": "j-1", "text": STORY}) + "\n{broken\n")
    report = ingest_paths(store, [folder, tmp_path / "missing"])

    assert report.ingested == ["j-1", "story-0", "story-1"]
    failed = {os.path.basename(f.source): f.reason for f in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "lines.jsonl:2", "missing"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["binary.txt"]
    assert _doc_graphs(store) == sorted(iris.document(d) for d in report.ingested)
    assert iris.ONTOLOGY_GRAPH in store.graphs()
    rows = list(store.query("SELECT ?id WHERE { ?d a <%sDocument> ; <http://purl.org/dc/terms/identifier> ?id }" % iris.CG))
    assert sorted(r["id"].value for r in rows) == ["j-1", "story-0", "story-1"]


def test_reingesting_is_idempotent(tmp_path, store):
    folder = _corpus(tmp_path / "in", n=1)
    ingest_paths(store, [folder])
    graph = iris.document("story-0")
    first = _graph_nquads(store, graph)
    ingest_paths(store, [folder])
    assert _graph_nquads(store, graph) == first
    assert _doc_graphs(store) == [graph]


def test_workers_write_the_same_document_graphs(tmp_path):
    folder = _corpus(tmp_path / "in", n=4)
    graphs = []
    for workers in (1, 2):
        with open_store(tmp_path / f"store-{workers}") as s:
            report = ingest_paths(s, [folder], workers=workers)
            assert report.ingested == [f"story-{i}" for i in range(4)] and not report.failed
            graphs.append({g: _graph_nquads(s, g) for g in _doc_graphs(s)})
    assert graphs[0] == graphs[1]


class QuadsOnlyStore:
    """A store with only the GraphStore contract's replace_graph (as the remote store has)."""

    def __init__(self, inner):
        self.inner = inner

    def replace_graph(self, graph, quads):
        self.inner.replace_graph(graph, list(quads))


def test_a_store_without_the_bytes_write_gets_the_same_graphs_as_quads(tmp_path):
    folder = _corpus(tmp_path / "in", n=2)
    graphs = []
    for name, wrap in (("bytes", lambda s: s), ("quads", QuadsOnlyStore)):
        with open_store(tmp_path / name) as s:
            report = ingest_paths(wrap(s), [folder], workers=1)
            assert report.ingested == ["story-0", "story-1"] and not report.failed
            graphs.append({g: _graph_nquads(s, g) for g in _doc_graphs(s)})
    assert graphs[0] == graphs[1] and len(graphs[0]) == 2


class FlakyExtractor:
    """The real extractor, except that it fails on documents whose id says so."""

    def __init__(self):
        self.real = Extractor()

    def extract(self, article):
        if "explode" in article.doc_id:
            raise RuntimeError("simulated extractor bug")
        if "crash" in article.doc_id:
            os._exit(3)          # a worker dying in native code, out of memory, ...
        return self.real.extract(article)


def test_an_extraction_error_fails_one_document_only(tmp_path, store):
    folder = _corpus(tmp_path / "in", n=2)
    (folder / "explode.txt").write_text(STORY)
    report = ingest_paths(store, [folder], extractor_factory=FlakyExtractor)
    assert report.ingested == ["story-0", "story-1"]
    assert [(f.source, "simulated extractor bug" in f.reason) for f in report.failed] == [("explode.txt", True)]
    assert iris.document("explode") not in store.graphs()


def test_a_dying_worker_is_reported_and_the_others_go_through(tmp_path, store):
    folder = _corpus(tmp_path / "in", n=3)
    (folder / "crash.txt").write_text(STORY)
    report = ingest_paths(store, [folder], workers=2, extractor_factory=FlakyExtractor)
    assert report.ingested == ["story-0", "story-1", "story-2"]
    assert len(report.failed) == 1 and report.failed[0].source == "crash.txt"
    assert "worker process died" in report.failed[0].reason


def test_a_worker_dying_mid_batch_loses_only_its_document_and_keeps_input_order(tmp_path, store, monkeypatch):
    """Articles travel to workers several per task: a crash in the middle of a task, with more
    tasks queued behind it, must still cost only the one document, and outcomes stay in order."""
    import ingest.run

    monkeypatch.setattr(ingest.run, "ARTICLES_PER_TASK", 3)
    monkeypatch.setattr(ingest.run, "IN_FLIGHT_PER_WORKER", 3)
    folder = tmp_path / "in"
    folder.mkdir()
    names = [f"a{i:02d}" for i in range(11)]
    names[4] = "a04-crash"
    for name in names:
        (folder / f"{name}.txt").write_text(STORY, encoding="utf-8")
    report = ingest_paths(store, [folder], workers=2, extractor_factory=FlakyExtractor)
    assert report.ingested == [n for n in names if "crash" not in n]
    assert [f.source for f in report.failed] == ["a04-crash.txt"]
    assert set(_doc_graphs(store)) == {iris.document(n) for n in report.ingested}

def test_a_mapping_or_store_failure_fails_one_document_only(tmp_path, store, monkeypatch):
    import ingest.map

    real_to_quads = ingest.map.to_quads

    def to_quads(extraction):
        if extraction.article.doc_id == "story-1":
            raise ValueError("simulated mapping bug")
        return real_to_quads(extraction)

    monkeypatch.setattr(ingest.map, "to_quads", to_quads)
    report = ingest_paths(store, [_corpus(tmp_path / "in", n=3)])
    assert report.ingested == ["story-0", "story-2"]
    assert report.failed[0].source == "story-1.txt" and "simulated mapping bug" in report.failed[0].reason
    assert iris.document("story-1") not in store.graphs()


def test_duplicate_doc_ids_later_one_wins_with_a_warning(tmp_path, store):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "same.txt").write_text(STORY)
    (second / "same.txt").write_text(STORY.replace("regroup", "recover"))
    report = ingest_paths(store, [first, second])
    assert report.ingested == ["same"]
    assert any("duplicate doc id 'same'" in w for w in report.warnings)
    texts = list(store.query(f"SELECT ?t WHERE {{ ?d <{iris.CG}text> ?t }}"))
    assert len(texts) == 1 and "recover" in texts[0]["t"].value


def test_the_report_notes_a_guessed_encoding(tmp_path, store):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "legacy.txt").write_bytes(STORY.replace("said", "déclaré said").encode("cp1252"))
    report = ingest_paths(store, [folder])
    assert report.ingested == ["legacy"]
    assert any("legacy.txt" in w and "cp1252" in w for w in report.warnings)


def test_cli_names_the_broken_file_and_exits_1(tmp_path):
    from conftest import run_cli

    folder = _corpus(tmp_path / "in", n=1)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    proc = run_cli("--store", str(tmp_path / "store"), "ingest", str(folder), check=False)
    stderr = proc.stderr.decode()
    assert proc.returncode == 1
    assert "broken.txt" in stderr and "binary" in stderr
    assert "ingested 1 document(s), 1 failed" in stderr


def test_odd_but_readable_articles_give_valid_graphs(tmp_path, store):
    """Inputs from the reliability list: no sentences, numbers in every format, one huge line,
    HTML full of scripts. Each is ingested cleanly or refused by name; the store conforms."""
    from claimgraph.validate import validate_store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "no-sentences.txt").write_text("!!! ??? ...\n---\n12 34 56\n")
    (folder / "numbers.txt").write_text(
        "Officials said 1,200 or 1.200 or 1 200 or 1e6 or 2.5 million or one million tanks, 5-8 million shells, "
        "between 3,000 and 3,500, up to 350 per month, 40% more, three times more, 10:45, 2024, 1st, 0.0001, "
        "-17, +3, 10^9, ½, ٣٤, 九千.\n")
    (folder / "one-line.txt").write_text(("The analyst said the truce would let Russia regroup " * 300).strip())
    (folder / "scripts.html").write_text(
        "<html><head><script>document.write('Putin said 500 tanks')</script></head><body>"
        "<script>var x = 'Rutte said 1,000 missiles';</script><article><p>" + STORY.replace("\n", " ") +
        "</p><p>" + STORY.replace("\n", " ") + "</p></article><noscript>enable js</noscript></body></html>")
    report = ingest_paths(store, [folder])
    assert sorted(report.ingested + [os.path.basename(f.source).split(".")[0] for f in report.failed]) == [
        "no-sentences", "numbers", "one-line", "scripts"]
    assert {"numbers", "one-line", "scripts"} <= set(report.ingested)
    text = next(iter(store.query(f"SELECT ?t WHERE {{ GRAPH <{iris.document('scripts')}> {{ ?d <{iris.CG}text> ?t }} }}")))["t"].value
    assert "document.write" not in text and "var x" not in text
    result = validate_store(store)
    assert result.conforms, result.messages
