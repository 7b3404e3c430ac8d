"""`claimgraph query`, `export` and `load` on a small store, run as a user runs them."""
from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib

from conftest import ROOT, run_cli

SAMPLE = ROOT / "tests" / "data" / "web_sample.trig"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="tests/data/web_sample.trig is missing")


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "store")
    run_cli("--store", path, "load", str(SAMPLE))
    return path


def expected_documents() -> set[str]:
    dataset = rdflib.Dataset()
    dataset.parse(SAMPLE, format="trig")
    doc_class = rdflib.URIRef("https://w3id.org/claimgraph/ontology#Document")
    identifier = rdflib.URIRef("http://purl.org/dc/terms/identifier")
    documents = {s for s, _, _, _ in dataset.quads((None, rdflib.RDF.type, doc_class, None))}
    return {str(o) for s, _, o, _ in dataset.quads((None, identifier, None, None)) if s in documents}


def test_named_query_as_csv_and_json(sample_store):
    out = run_cli("--store", sample_store, "query", "documents", "--format", "csv").stdout.decode()
    records = list(csv.DictReader(io.StringIO(out)))
    assert {r["doc"] for r in records} == expected_documents()
    answer = json.loads(run_cli("--store", sample_store, "query", "documents", "-f", "json").stdout)
    assert {b["doc"]["value"] for b in answer["results"]["bindings"]} == expected_documents()


def test_query_text_as_a_table(sample_store):
    text = "SELECT ?doc WHERE { ?d <http://purl.org/dc/terms/identifier> ?doc }"
    out = run_cli("--store", sample_store, "query", text).stdout.decode()
    for doc in expected_documents():
        assert doc in out
    assert f"{len(expected_documents())} row(s)" in out


def test_query_file_and_construct_as_turtle(sample_store, tmp_path):
    rq = tmp_path / "graph.rq"
    rq.write_text("CONSTRUCT { ?d a ?c } WHERE { GRAPH ?g { ?d a ?c } }", encoding="utf-8")
    out = run_cli("--store", sample_store, "query", str(rq), "--format", "turtle").stdout.decode()
    assert len(rdflib.Graph().parse(data=out, format="turtle")) > 0


def test_ask_prints_true_or_false(sample_store):
    out = run_cli("--store", sample_store, "query", "ASK { ?s ?p ?o }").stdout.decode()
    assert out.strip() == "true"


@pytest.mark.parametrize("query, fmt, message", [
    ("SELECT ?s WHERE { ?s ?p }", "table", "syntax error"),
    ("no_such_query", "table", "unknown named query"),
    ("missing.rq", "table", "no query file"),
    ("documents", "yaml", "not 'yaml'"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "CONSTRUCT/DESCRIBE result is RDF"),
])
def test_bad_queries_and_formats_exit_2_with_the_reason(sample_store, query, fmt, message):
    proc = run_cli("--store", sample_store, "query", query, "--format", fmt, check=False)
    assert proc.returncode == 2
    assert message in " ".join(proc.stderr.decode().split())


def normal(triple) -> tuple:
    """Compare literals by value: the store writes canonical lexical forms ("2.0" -> "2")."""
    return tuple((term.toPython(), term.datatype, term.language) if isinstance(term, rdflib.Literal) else term
                 for term in triple)


def test_turtle_export_of_the_default_view_round_trips(sample_store, tmp_path):
    out = run_cli("--store", sample_store, "export", "--format", "turtle").stdout.decode()
    exported = rdflib.Graph().parse(data=out, format="turtle")
    dataset = rdflib.Dataset()
    dataset.parse(SAMPLE, format="trig")
    union = {normal((s, p, o)) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert {normal(triple) for triple in exported} == union
    trig = tmp_path / "all.trig"
    run_cli("--store", sample_store, "export", "--format", "trig", "--output", str(trig))
    copy = str(tmp_path / "copy")
    run_cli("--store", copy, "load", str(trig))
    again = run_cli("--store", copy, "export", "--format", "nquads").stdout.decode()
    original = run_cli("--store", sample_store, "export", "--format", "nquads").stdout.decode()
    assert sorted(again.splitlines()) == sorted(original.splitlines())


def test_backup_is_a_store_that_answers_like_the_original(tmp_path):
    original, copy = str(tmp_path / "store"), tmp_path / "backup"
    data = tmp_path / "data.nq"
    data.write_text('<https://example.org/a> <https://example.org/p> "x" <https://example.org/g> .\n')
    run_cli("--store", original, "load", str(data))
    run_cli("--store", original, "backup", str(copy))
    exported = run_cli("--store", str(copy), "export", "--format", "nquads").stdout.decode()
    assert exported.strip() == data.read_text().strip()
    again = run_cli("--store", original, "backup", str(copy), check=False)
    assert again.returncode == 2 and b"not empty" in again.stderr


def test_backup_of_a_remote_store_is_refused_with_the_alternative():
    proc = run_cli("--store", "sparql+http://127.0.0.1:9/sparql", "backup", "/tmp/never-written", check=False)
    assert proc.returncode == 2 and b"export --format nquads" in proc.stderr
