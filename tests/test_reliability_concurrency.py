"""Concurrency: queries see consistent snapshots while an ingest writes; two ingests at once
into one embedded folder serialize or the second refuses by name — never a corrupted store.

The embedded store folder allows one writer (RocksDB's lock), so while `claimgraph serve` holds
it an ingest goes through the server: `--store sparql+http://127.0.0.1:PORT/sparql` with
CLAIMGRAPH_REMOTE_TOKEN set to the server's --token (one Graph Store PUT per document).
"""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from conftest import Server, run_cli
from reliability_support import (DOC_PREFIX, RULES_ONLY, document_graphs, reliability_corpus,  # noqa: F401
                                 start_cli, validate)

pytestmark = pytest.mark.slow

TOKEN = "reliability-token"
JSON = "application/sparql-results+json"
# one query, one snapshot: each document's text hash and its graph's size must belong together
SHA_AND_SIZE = """
SELECT ?g ?sha (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?doc <https://w3id.org/claimgraph/ontology#sha256> ?sha . ?s ?p ?o }
} GROUP BY ?g ?sha
"""


class SnapshotReader(threading.Thread):
    """Queries the server in a loop; records every snapshot and every inconsistency or error."""

    def __init__(self, server: Server, sha_sizes: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.server, self.sha_sizes = server, sha_sizes
        self.stop = threading.Event()
        self.snapshots: list[frozenset[tuple[str, str]]] = []    # (graph, text hash) pairs each answer saw
        self.problems: list[str] = []

    def run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                try:
                    response = client.post(self.server.sparql, data={"query": SHA_AND_SIZE}, headers={"Accept": JSON})
                except httpx.HTTPError as exc:
                    self.problems.append(f"request failed: {exc!r}")
                    continue
                if response.status_code != 200:
                    self.problems.append(f"{response.status_code}: {response.text[:300]}")
                    continue
                seen = set()
                for row in response.json()["results"]["bindings"]:
                    graph, sha, size = row["g"]["value"], row["sha"]["value"], int(row["n"]["value"])
                    if not graph.startswith(DOC_PREFIX):
                        continue
                    if self.sha_sizes.get(sha) != size:
                        self.problems.append(f"{graph}: text {sha[:12]} with {size} quads, a clean graph has "
                                             f"{self.sha_sizes.get(sha)}")
                    seen.add((graph, sha))
                self.snapshots.append(frozenset(seen))


def test_queries_see_whole_documents_while_an_ingest_writes_through_the_server(reliability_corpus, tmp_path):
    corpus = reliability_corpus
    store = tmp_path / "served-store"
    run_cli("--store", str(store), "ingest", str(corpus.folders["a"]), env=RULES_ONLY)
    server = Server(str(store), "--token", TOKEN)
    try:
        readers = [SnapshotReader(server, corpus.sha_sizes()) for _ in range(2)]
        for reader in readers:
            reader.start()
        ingest = run_cli("--store", f"sparql+{server.sparql}", "ingest", str(corpus.folders["b"]),
                         env={"CLAIMGRAPH_REMOTE_TOKEN": TOKEN, **RULES_ONLY}, check=False, timeout=600)
        time.sleep(0.5)
        for reader in readers:
            reader.stop.set()
            reader.join(timeout=120)
        assert ingest.returncode == 0, ingest.stderr.decode()[-3000:]
        problems = [p for reader in readers for p in reader.problems]
        assert not problems, problems[:10]
        snapshots = [s for reader in readers for s in reader.snapshots]
        assert len(snapshots) > 10
        # readers saw the store before, during (a mix of versions) and after the ingest
        before, after = corpus.graph_hashes("a"), corpus.graph_hashes("b")
        assert before in snapshots and after in snapshots
        assert all({graph for graph, _ in s} == {graph for graph, _ in before} for s in snapshots)  # none vanished
    finally:
        server.stop()
    assert document_graphs(store) == corpus.reference["b"]
    checked = validate(store)
    assert checked.returncode == 0, checked.stderr.decode()[-3000:]


def test_two_ingests_into_one_folder_serialize_or_the_second_refuses(reliability_corpus, tmp_path):
    corpus = reliability_corpus
    store = tmp_path / "contended-store"
    first = start_cli("--store", str(store), "ingest", str(corpus.folders["a"]))
    time.sleep(min(1.0, corpus.clean_seconds / 4))
    second = start_cli("--store", str(store), "ingest", str(corpus.folders["b"]))
    outcomes = {}
    for name, proc in (("first", first), ("second", second)):
        _, stderr = proc.communicate(timeout=600)
        outcomes[name] = (proc.returncode, stderr.decode(errors="replace"))
    for name, (code, stderr) in outcomes.items():
        assert code in (0, 2), f"{name} ingest exited {code}: {stderr[-2000:]}"
        if code == 2:
            assert "in use by another process" in stderr and str(store) in stderr, stderr
            assert "Traceback" not in stderr
    assert 0 in {code for code, _ in outcomes.values()}
    graphs = document_graphs(store)
    assert set(graphs) == set(corpus.reference["a"])
    versions = {graph: corpus.version_of(graph, quads) for graph, quads in graphs.items()}
    refused = {name for name, (code, _) in outcomes.items() if code == 2}
    if refused == {"second"}:
        assert set(versions.values()) == {"a"}
    elif refused == {"first"}:
        assert set(versions.values()) == {"b"}
    checked = validate(store)
    assert checked.returncode == 0, checked.stderr.decode()[-3000:]
