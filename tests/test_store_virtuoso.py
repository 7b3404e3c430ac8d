"""Issue 8's second engine: the remote store against Virtuoso Open Source 7 (Debian package).

Opt-in: `CLAIMGRAPH_TEST_VIRTUOSO=1 bash .ci/setup-virtuoso.sh && CLAIMGRAPH_TEST_VIRTUOSO=1
.venv/bin/pytest -m virtuoso`. The test starts its own `virtuoso-t` on loopback with a fresh
database and lets the anonymous SPARQL user write to it.

Known Virtuoso 7 deviation, asserted rather than hidden: it stores xsd:duration literals as a
number ("P1M" comes back as "1"), so the contract `quantities` query agrees except for `period`.
"""
from __future__ import annotations

import importlib.util
import io
import os
import shutil

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples

from common import queries
from conftest import ROOT, SEEDS, run_cli
from store import open_store
from store_support import VirtuosoServer

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(os.environ.get("CLAIMGRAPH_TEST_VIRTUOSO") != "1",
                       reason="opt-in: set CLAIMGRAPH_TEST_VIRTUOSO=1 (and run .ci/setup-virtuoso.sh)"),
]

SAMPLE = ROOT / "tests" / "data" / "web_sample.trig"
EXACT = ["documents", "actors", "claims"]
GRAPH = "https://w3id.org/claimgraph/id/doc/virtuoso"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if shutil.which("virtuoso-t") is None:
        pytest.fail("CLAIMGRAPH_TEST_VIRTUOSO=1 but virtuoso-t is missing: run .ci/setup-virtuoso.sh")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def table(store, name: str, drop: tuple[str, ...] = ()) -> list[tuple]:
    result = store.query(queries.load(name))
    names = [v.value for v in result.variables if v.value not in drop]
    return sorted((tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result))


def assert_same_contract_answers(embedded, remote) -> None:
    for name in EXACT:
        expected = table(embedded, name)
        assert expected, f"{name} found nothing"
        assert table(remote, name) == expected, name
    assert table(remote, "quantities", drop=("period",)) == table(embedded, "quantities", drop=("period",))


def test_replace_query_dump_drop(virtuoso):
    quads = [Quad(NamedNode(f"{GRAPH}/s{i}"), NamedNode("http://example.org/p"), Literal(f'v "{i}"\n'))
             for i in range(5)]
    with open_store(virtuoso.location) as store:
        store.replace_graph(GRAPH, quads)
        store.replace_graph(GRAPH, quads)
        assert store.graphs() == [GRAPH]         # Virtuoso's own graphs are hidden
        assert isinstance(store.query("SELECT * WHERE { ?s ?p ?o }"), QuerySolutions)
        assert isinstance(store.query("ASK { ?s ?p ?o }"), QueryBoolean)
        assert isinstance(store.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"), QueryTriples)
        out = io.BytesIO()
        store.dump(out, "nquads", graph=GRAPH)
        assert sorted(out.getvalue().decode().splitlines()) == sorted(
            f"{q.subject} {q.predicate} {q.object} <{GRAPH}> ." for q in quads)
        store.drop_graph(GRAPH)
        assert store.graphs() == []


def test_contract_queries_agree_on_the_sample_graph(virtuoso, tmp_path):
    with open_store(tmp_path / "store") as embedded, open_store(virtuoso.location) as remote:
        for store in (embedded, remote):
            store.load(SAMPLE)
        assert remote.graphs() == embedded.graphs()
        assert_same_contract_answers(embedded, remote)
        for graph in remote.graphs():
            remote.drop_graph(graph)


@pytest.mark.skipif(importlib.util.find_spec("ingest.run") is None, reason="ingest.run is not there yet")
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS}")
def test_ingest_through_the_cli_gives_the_same_contract_answers(virtuoso, tmp_path):
    embedded_path = str(tmp_path / "store")
    run_cli("--store", embedded_path, "ingest", str(SEEDS))
    run_cli("--store", virtuoso.location, "ingest", str(SEEDS))
    with open_store(embedded_path) as embedded, open_store(virtuoso.location) as remote:
        assert remote.graphs() == embedded.graphs()
        assert_same_contract_answers(embedded, remote)
