"""Helpers for the reliability tests (issue 7): a corpus of a few dozen articles made at test
time, the graphs a clean ingest gives, and comparisons of a store against them.

The corpus is built from the seed articles read from ../shared/corpus/seeds when the test
runs (never stored in the repository): each seed is cut into paragraphs and rotated, so every
derived article has its own text, sha256 and document graph. Two versions exist of every
article ("a" and "b", same doc id, "b" with an invented closing paragraph), so a test can tell
an old document graph from a new one, and both from a half-written one.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CLI, ROOT, SEEDS, run_cli
from store import open_store

DOC_PREFIX = "https://w3id.org/claimgraph/id/doc/"
# The write path's crash safety and concurrency do not depend on the extraction pipeline. With the
# rules alone, extraction is quick and the write is a large part of each run, so the random kills
# of the crash test land in it; with the trained parser (the default) most runs would be killed
# while still loading or extracting, before anything is written.
RULES_ONLY = {"CLAIMGRAPH_SPACY_MODEL": "none"}
ROTATIONS_SHARED = 5   # 5 seeds x 5 rotations = 25 articles
CLOSING_B = ("\n\nA defence analyst, Mara Quist of the Northfield Institute, said on Tuesday that "
             "between 40 and 55 drones were launched every night, according to her estimate.\n")

# pyoxigraph prints a graph's quads in a canonical way, so a document graph is a set of strings
GRAPH_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
SHA256_PREDICATE = "<https://w3id.org/claimgraph/ontology#sha256>"


def seed_texts() -> list[tuple[str, str]]:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"seed corpus not found at {SEEDS}")
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]


def _rotated(text: str, k: int) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    k %= max(1, len(paragraphs))
    return "\n\n".join(paragraphs[k:] + paragraphs[:k]) + "\n"


def write_corpus(folder: Path, version: str, rotations: int = ROTATIONS_SHARED) -> list[str]:
    """Write version "a" or "b" of the derived corpus into `folder`; return the doc ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for n, (stem, text) in enumerate(seed_texts()):
        for k in range(rotations):
            doc_id = f"rel-{n}-{k}"
            body = _rotated(text, k) + (CLOSING_B if version == "b" else "")
            (folder / f"{doc_id}.txt").write_text(body, encoding="utf-8")
            ids.append(doc_id)
    return ids


def doc_graph(doc_id: str) -> str:
    return DOC_PREFIX + doc_id


def document_graphs(store_path: str | Path) -> dict[str, frozenset[str]]:
    """Every document graph in the (embedded) store at `store_path`, as a set of quad strings."""
    with open_store(str(store_path)) as store:
        return graphs_of(store)


def graphs_of(store) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for graph in store.graphs():
        if not graph.startswith(DOC_PREFIX):
            continue
        rows = store.query(GRAPH_QUADS, bindings={"g": _node(graph)})
        out[graph] = frozenset(f"{row['s']} {row['p']} {row['o']}" for row in rows)
    return out


def _node(iri: str):
    from pyoxigraph import NamedNode
    return NamedNode(iri)


def clean_reference(tmp: Path, corpus: Path) -> dict[str, frozenset[str]]:
    """The document graphs a clean, uninterrupted `claimgraph ingest` of `corpus` gives."""
    store = tmp / f"clean-{corpus.name}"
    run_cli("--store", str(store), "ingest", str(corpus), env=RULES_ONLY)
    return document_graphs(store)


def start_cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    """`claimgraph ARGS` in the background, in its own process group (so a kill takes its workers too)."""
    return subprocess.Popen([*CLI, *args], cwd=ROOT, env={**os.environ, **RULES_ONLY, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def kill_9(proc: subprocess.Popen) -> None:
    """SIGKILL the process and its whole group, then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def validate(store: str | Path) -> subprocess.CompletedProcess:
    return run_cli("--store", str(store), "validate", check=False, timeout=600)


def wait_for(predicate, seconds: float = 60.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Corpus:
    """Both versions of the derived corpus on disk, and the graphs a clean ingest gives for each."""

    def __init__(self, tmp: Path, rotations: int = ROTATIONS_SHARED) -> None:
        self.tmp = tmp
        self.folders = {version: tmp / version for version in "ab"}
        self.ids = [write_corpus(folder, version, rotations) for version, folder in self.folders.items()][0]
        started = time.monotonic()
        self.reference = {"a": clean_reference(tmp, self.folders["a"])}
        self.clean_seconds = time.monotonic() - started       # how long one clean ingest takes here
        self.reference["b"] = clean_reference(tmp, self.folders["b"])

    def version_of(self, graph: str, quads: frozenset[str]) -> str:
        """"a" or "b" when `quads` is exactly that clean document graph; else an AssertionError."""
        for version, reference in self.reference.items():
            if quads == reference.get(graph):
                return version
        a, b = self.reference["a"].get(graph, frozenset()), self.reference["b"].get(graph, frozenset())
        raise AssertionError(f"{graph} is neither clean version: {len(quads)} quads, {len(quads - b)} not in b, "
                             f"{len(quads - a)} not in a (a half-written or mixed document)")

    def graph_hashes(self, version: str) -> frozenset[tuple[str, str]]:
        """(document graph, sha256 of its text) for every document of one version."""
        return frozenset((graph, _sha(quads)) for graph, quads in self.reference[version].items())

    def sha_sizes(self, version: str | None = None) -> dict[str, int]:
        """sha256 of each document's text (one version, or both) -> the size of its clean graph."""
        out = {}
        for name, reference in self.reference.items():
            if version not in (None, name):
                continue
            for quads in reference.values():
                out[_sha(quads)] = len(quads)
        return out


def _sha(quads: frozenset[str]) -> str:
    return next(q for q in quads if SHA256_PREDICATE in q).rsplit(" ", 1)[1].strip('"')


@pytest.fixture(scope="session")
def reliability_corpus(tmp_path_factory) -> Corpus:
    """Import this fixture into a test module to share one corpus (and its clean graphs) per session."""
    corpus = Corpus(tmp_path_factory.mktemp("reliability-corpus"))
    assert set(corpus.reference["a"]) == set(corpus.reference["b"]) == {doc_graph(i) for i in corpus.ids}
    assert all(corpus.reference["a"][g] != corpus.reference["b"][g] for g in corpus.reference["a"])
    return corpus


def no_trace(text: str) -> bool:
    """A response body that shows no Python stack trace."""
    return "Traceback" not in text and 'File "' not in text


class ConnectionCounter:
    """A loopback TCP listener that counts the connections made to it (and answers none)."""

    def __init__(self) -> None:
        import socket
        import threading
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()
