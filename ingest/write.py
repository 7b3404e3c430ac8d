"""The batch ingest's one writer: documents go to the store in input order, off the thread that
extracts or collects them, and new documents in bulk.

Why a thread: a bulk write of a batch takes about a second, during which the
extraction workers (or, with one worker, the extraction itself) keep going instead of waiting;
pyoxigraph releases the GIL while it writes.

Why batches: a document the store does not hold yet joins a batch that is written by one bulk
load (`EmbeddedStore.add_new_graphs`) once it holds BATCH_BYTES of N-Quads. That is about half
the store CPU of one transaction per document, compactions included, and the store's CPU is what
the extraction workers compete with on a small machine.

What stays as before:
- each document is in the store entirely or not at all: a failed bulk write is undone by the
  store and its documents are then written one by one, so the one at fault is found and
  reported and the others go in;
- a document whose graph the store holds already (a re-ingest), or whose id came earlier in
  this batch, replaces its graph in one transaction, after everything queued before it, so the
  later document wins;
- outcomes are reported in input order, whatever order the writes finished in;
- stores without a bulk path (a remote endpoint) get one `replace_graph` per document.

Analysts' corrections (curation/): a document that has corrections (or a snapshot of an earlier
extraction, or an actor a merge renames) is written with them applied, with its uncorrected
extraction as its snapshot, in one update (`curation.storage.CurationIndex.write`), after
everything queued before it; re-ingesting never undoes a correction. The store's corrections are
read once per batch: the writer is the store's one writer while the batch runs.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

from common import iris
from reasoning import summary
from ingest.model import Article

# N-Quads bytes per bulk write (~220 dense synthetic documents, ~500 news articles). The store's
# CPU for 10,000 synthetic documents measured the same from 2 to 32 MB batches (76-82 s,
# compactions included), but smaller batches add files faster than RocksDB merges them, and
# it then holds the writer back: with 8 MB batches one-worker ingests of 10,000 articles took
# 184 and 248 s (one core busy for long stretches), with 32 MB 166 and 167 s. Memory: the bulk
# loader's tables for a 32 MB batch are ~200 MB. At most two batches (one being written, one
# being filled) are alive at a time.
BATCH_BYTES = 32 * 1024 * 1024

Outcome = Callable[[Article, "str | None"], None]   # (document, why it failed or None)


class DocumentWriter:
    """Writes documents to `store` from one background thread; `report(article, error)` is called
    from the caller's thread, in input order, as writes complete (and for all of them on close)."""

    def __init__(self, store, report: Outcome, *, batch_bytes: int = BATCH_BYTES, notes: list[str] | None = None):
        from curation.storage import CurationIndex
        self.store = store
        self.curation = CurationIndex(store)
        self.notes = notes if notes is not None else []
        self.report = report
        self.batch_bytes = batch_bytes
        self.bulk = all(hasattr(store, name) for name in ("add_new_graphs", "holds_graph", "holds_only"))
        # A store that holds no document at the start (a first ingest) can only hold the graphs
        # this writer adds itself (the writer holds the store's lock): one check here instead of
        # a key lookup per document (each lookup reads every not yet compacted file's filter).
        self._empty_at_start = self.bulk and store.holds_only({iris.ONTOLOGY_GRAPH, summary.SUMMARY_GRAPH})
        # the store-level summary of the tallies (reasoning/summary.py): made current once here (a
        # store written before it, or whose last bulk write was cut short), then kept in step by
        # each write of this batch
        ensure = getattr(store, "ensure_summary", None)
        if ensure is not None:
            ensure()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-writer")
        self._batch: list[tuple[str, bytes, Future]] = []     # (graph, N-Quads, outcome)
        self._batch_size = 0
        self._batched: set[str] = set()                 # graphs sent in bulk during this run
        self._order: deque[tuple[Article, Future]] = deque()   # every document, in input order
        self._queued: deque[tuple[Future, int]] = deque()      # submitted jobs and their bytes
        self._queued_bytes = 0

    def add(self, article: Article, nquads: bytes) -> None:
        """Queue one document's N-Quads (its graph is the document IRI)."""
        graph = iris.document(article.doc_id)
        outcome: Future = Future()
        self._order.append((article, outcome))
        if self.curation and self.curation.needs(graph, nquads):
            if graph in self._batched:
                self._send_batch()
            self._submit(len(nquads), self._write_corrected, graph, nquads, outcome)
        elif self.bulk and graph not in self._batched and not self._held(graph):
            self._batch.append((graph, nquads, outcome))
            self._batched.add(graph)
            self._batch_size += len(nquads)
            if self._batch_size >= self.batch_bytes:
                self._send_batch()
        else:
            if graph in self._batched:   # an earlier version is queued: it must be written first
                self._send_batch()
            self._submit(len(nquads), self._replace_one, graph, nquads, outcome)
        self._report_done(wait=False)

    def add_failed(self, article: Article, error: str) -> None:
        """A document that never got as far as the store: reported in its place in the order."""
        outcome: Future = Future()
        outcome.set_result(error)
        self._order.append((article, outcome))
        self._report_done(wait=False)

    def close(self) -> None:
        """Write what is queued, report every outcome, stop the thread."""
        try:
            self._send_batch()
            self._report_done(wait=True)
        finally:
            self._thread.shutdown(wait=True)

    # ---- caller's thread ---------------------------------------------------------------

    def _held(self, graph: str) -> bool:
        if self._empty_at_start:
            return False
        try:
            return self.store.holds_graph(graph)
        except Exception:   # then the one-document path decides, and reports what is wrong
            return True

    def _send_batch(self) -> None:
        if not self._batch:
            return
        batch, size = self._batch, self._batch_size
        self._batch, self._batch_size = [], 0
        self._submit(size, self._write_batch, batch)

    def _submit(self, size: int, job, *args) -> None:
        # bound memory: wait for older jobs while more than two batches' worth is queued
        while self._queued and self._queued_bytes + size > 2 * self.batch_bytes:
            self._retire_oldest_job()
        self._queued.append((self._thread.submit(job, *args), size))
        self._queued_bytes += size

    def _retire_oldest_job(self) -> None:
        job, size = self._queued.popleft()
        job.result()   # jobs catch their own errors; this only waits
        self._queued_bytes -= size

    def _report_done(self, *, wait: bool) -> None:
        while self._order and (wait or self._order[0][1].done()):
            article, outcome = self._order.popleft()
            self.report(article, outcome.result())
        while self._queued and self._queued[0][0].done():
            self._retire_oldest_job()

    # ---- writer thread -----------------------------------------------------------------

    def _write_batch(self, batch: list[tuple[str, bytes, Future]]) -> None:
        try:
            self.store.add_new_graphs([(graph, data) for graph, data, _ in batch])
        except Exception:
            for graph, data, outcome in batch:   # undone by the store: find the one at fault
                self._replace_one(graph, data, outcome)
            return
        for *_, outcome in batch:
            outcome.set_result(None)

    def _replace_one(self, graph: str, data: bytes, outcome: Future) -> None:
        try:
            replace = getattr(self.store, "replace_graph_nquads", None)
            if replace is not None:
                replace(graph, data)
            else:   # one replace per graph: the inferred one first, the document last
                by_graph: dict[str, list] = {}
                for quad in _as_quads(data):
                    by_graph.setdefault(quad.graph_name.value, []).append(quad)
                for name in sorted(by_graph, key=lambda name: name == graph):
                    self.store.replace_graph(name, by_graph[name])
        except Exception as exc:
            outcome.set_result(f"writing to the store failed: {type(exc).__name__}: {exc}")
            return
        outcome.set_result(None)


    def _write_corrected(self, graph: str, data: bytes, outcome: Future) -> None:
        try:
            result = self.curation.write(self.store, graph, data)
        except Exception as exc:
            outcome.set_result(f"writing to the store with its corrections failed: {type(exc).__name__}: {exc}")
            return
        if result.orphaned:
            self.notes.append(f"{len(result.orphaned)} correction(s) of {graph} no longer find their target "
                              "in this version of the text and are orphaned (kept; `claimgraph corrections --orphaned`)")
        outcome.set_result(None)


def _as_quads(nquads: bytes) -> list:
    from pyoxigraph import RdfFormat, parse

    return list(parse(nquads, format=RdfFormat.N_QUADS))
