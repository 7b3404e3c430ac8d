"""Benchmark harness: the synthetic corpus is deterministic and truthful, and the quick run
finishes with every section in its results JSON (structure only; numbers belong in bench/)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate_article, write_corpus
from bench.rdfgen import document_quads, write_nquads
from common import iris

ROOT = Path(__file__).resolve().parent.parent


def test_corpus_is_deterministic_and_independent_of_size():
    assert generate_article(7) == generate_article(7)
    assert generate_article(7).text != generate_article(8).text
    assert generate_article(3, seed=1).text != generate_article(3, seed=2).text


def test_planted_offsets_point_at_what_was_planted():
    for index in range(20):
        article = generate_article(index)
        assert article.claims and article.quantities
        for claim in article.claims:
            words = article.text[claim.start:claim.end]
            assert words and words == words.strip()
            assert claim.speaker in {actor.name for actor in article.actors}
        for quantity in article.quantities:
            words = article.text[quantity.start:quantity.end]
            assert quantity.kind in words
            shown = quantity.value if quantity.value is not None else quantity.lower
            assert f"{shown:,}" in words


def test_write_corpus_txt_and_jsonl(tmp_path):
    count, characters = write_corpus(tmp_path / "txt", 5)
    files = sorted((tmp_path / "txt").glob("*.txt"))
    assert count == 5 and len(files) == 5
    assert sum(len(f.read_text(encoding="utf-8")) for f in files) == characters
    write_corpus(tmp_path / "jsonl", 5, fmt="jsonl")
    records = [json.loads(line) for line in (tmp_path / "jsonl" / "corpus.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == [f.stem for f in files]
    assert records[2]["text"] == files[2].read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        write_corpus(tmp_path / "bad", 1, fmt="xml")


def test_synthetic_rdf_lives_in_the_document_graph(tmp_path):
    quads = document_quads(4)
    graph = iris.document("bench-000004")
    assert {q.graph_name.value for q in quads} == {graph}
    written = write_nquads(tmp_path / "x.nq", 1500)
    assert written >= 1500
    assert sum(1 for _ in (tmp_path / "x.nq").open()) == written


@pytest.mark.slow
def test_quick_benchmark_writes_every_section(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--name", "smoke", "--results-dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = json.loads((tmp_path / "smoke.json").read_text())
    for key in ("machine", "config", "ingest", "query", "load", "dump", "targets"):
        assert key in results, key
    for section in ("ingest", "query", "load", "dump"):
        assert results[section]["status"] in {"ok", "not available", "error"}, section
    assert results["machine"]["nproc"] >= 1
    queries = results["query"]["queries"]
    assert set(queries) == {"point_lookup", "stance_claims", "construct_document", "quantity_aggregate",
                            "all_claims"}
    for query in queries.values():
        assert set(query["peers"]) == {"claimgraph", "oxigraph", "rdflib-endpoint", "pyoxigraph-in-process"}
        floor = query["peers"]["pyoxigraph-in-process"]
        assert floor["status"] == "ok" and floor["rows"] > 0
        for row in query["peers"].values():
            if row["status"] == "ok":   # every endpoint that answered gave the floor's answer
                assert row["rows"] == floor["rows"]
    assert len(results["dump"]["sizes"]) == 2
    assert all(t["met"] in (True, False, None) for t in results["targets"])


def test_the_workers_comparison_on_real_articles_copies_each_article_into_its_own_document(tmp_path):
    """`--workers-corpus`: each .txt/.html article copied N times, every copy ingested as a
    document of its own, by 1 and 2 workers (and 1 worker on one CPU where CPUs can be pinned)."""
    from bench.ingest import _workers_real

    source = tmp_path / "src"
    source.mkdir()
    for i in range(2):
        (source / f"story{i}.txt").write_text(f"Analysts in town {i} said the talks had stalled.\n", encoding="utf-8")
    (source / "notes.json").write_text("{}", encoding="utf-8")          # not an article: left out
    fixed = {"seconds": 0.0}
    result = _workers_real(source, 3, tmp_path / "work", tmp_path / "store", fixed, 300.0, log=lambda *_: None)

    assert result["status"] == "ok" and result["sources"] == 2 and result["articles"] == 6
    for key in ("workers_1", "workers_2"):
        assert result[key]["status"] == "ok" and result[key]["ingested"] == 6
        assert result[key]["cpu_seconds"] > 0
    assert result["speedup"] > 0
    assert not (tmp_path / "work" / "real").exists()
