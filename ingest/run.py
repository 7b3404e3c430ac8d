"""Batch ingest: read -> extract -> map -> store, one atomic graph write per document.

What a batch guarantees:
- the ontology graph (cgg:ontology) is refreshed first, so queries always see the ontology
  the documents were mapped against;
- each document is written after its quads are complete, and is in the store entirely (new
  version) or as it was before, never half: new documents go in by bulk writes of a few hundred,
  undone as a whole if they fail, the others by one atomic graph replace each (ingest/write.py);
- one bad document never stops the others: a failure to read, extract, map or write it is
  recorded in the report with the source's name and a readable reason, and the batch goes on;
- with `workers > 1`, extraction and mapping (the slow part) run in worker processes, each
  building its Extractor once; writes stay in this process (one writer thread) and happen in
  input order, so the store ends up the same whatever the number of workers;
- a document travels from extraction to the store as N-Quads bytes serialised by Oxigraph
  (whatever the number of workers): cheap to send between processes and parsed in Rust by the
  writer, where pickled Quad objects cost the one writer more than the write itself saved;
- a doc id seen twice in one batch: the later document wins, and the report says so.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol

from common import iris
from ingest.model import Article, Extraction, ReadError
from ingest.read import read_path
from ingest.write import DocumentWriter

log = logging.getLogger("claimgraph.ingest")
READ_LOGGER = "claimgraph.ingest.read"


class ExtractorLike(Protocol):
    def extract(self, article: Article) -> Extraction: ...


ExtractorFactory = Callable[[], ExtractorLike]


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)     # doc ids written, in input order
    failed: list[ReadError] = field(default_factory=list)  # what could not be ingested, and why
    warnings: list[str] = field(default_factory=list)      # duplicates, guessed encodings, ...

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest_paths(store, paths: Iterable[str | os.PathLike], *, workers: int = 1, known_actors: bool = True,
                 spacy_model: str | None = None, progress: bool = False,
                 extractor_factory: ExtractorFactory | None = None) -> IngestReport:
    """Ingest every article under `paths` into `store`; see the module docstring for guarantees.

    `extractor_factory` builds the object whose `.extract(article)` is called (default: the
    project's spaCy Extractor); with workers > 1 it must be picklable (a module-level callable).
    """
    from reasoning.reasoner import refresh_ontology

    report = IngestReport()
    factory = extractor_factory or _default_factory(known_actors, spacy_model, report)
    written: set[str] = set()   # the doc ids in report.ingested, for a constant-time duplicate check
    refresh_ontology(store)

    with _collect_read_notes(report), _Progress(progress) as bar, _compaction_yields(store):
        articles = _articles(paths, report, bar)
        results = (_extract_in_process(articles, factory) if workers <= 1
                   else _extract_in_workers(articles, factory, workers))

        def record(article: Article, error: str | None) -> None:
            if error is None:
                _record_ingested(report, article.doc_id, written)
            else:
                report.failed.append(ReadError(_name(article), error))
            bar.advance(ok=error is None)

        writer = DocumentWriter(store, record, notes=report.warnings)
        try:
            for article, nquads, error in results:
                if error is None:
                    writer.add(article, nquads)
                else:
                    writer.add_failed(article, error)
        finally:
            writer.close()
    return report


# ---- reading ---------------------------------------------------------------------------

def _articles(paths: Iterable, report: IngestReport, bar: "_Progress") -> Iterator[Article]:
    """Articles in input order; read errors go straight to the report."""
    for path in paths:
        for item in read_path(path):
            if isinstance(item, ReadError):
                report.failed.append(item)
                bar.advance(ok=False)
            else:
                yield item


def _record_ingested(report: IngestReport, doc_id: str, written: set[str]) -> None:
    if doc_id in written:      # a list lookup here grew quadratically: 0.5 s of the writer at 10,000 documents
        report.ingested.remove(doc_id)
        report.warnings.append(f"duplicate doc id {doc_id!r} in this batch: the later document replaced the earlier one")
    written.add(doc_id)
    report.ingested.append(doc_id)


def _name(article: Article) -> str:
    """How a failed document is named in the report: its source, and its id when that differs."""
    stem = article.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return article.source if stem == article.doc_id else f"{article.source} (id {article.doc_id})"


# ---- extracting ------------------------------------------------------------------------

Result = tuple[Article, "bytes | None", "str | None"]   # the document's N-Quads, or why there are none


def _default_factory(known_actors: bool, spacy_model: str | None, report: IngestReport) -> "_DefaultExtractorFactory":
    """The project's Extractor, backed by the packaged trained pipeline unless told otherwise;
    without that package the rules run alone, and the report says so."""
    from ingest.extract.pipeline import DEFAULT_SPACY_MODEL, choose_spacy_model
    chosen = choose_spacy_model(spacy_model)
    if spacy_model is None and chosen is None:
        report.warnings.append(f"the trained pipeline {DEFAULT_SPACY_MODEL} is not installed: "
                               "extracting with the rules alone")
    return _DefaultExtractorFactory(known_actors, chosen)


class _DefaultExtractorFactory:
    """Builds the project's Extractor; a class (not a closure) so worker processes can get it."""

    def __init__(self, known_actors: bool, spacy_model: str | None):
        self.known_actors, self.spacy_model = known_actors, spacy_model

    def __call__(self) -> ExtractorLike:
        from ingest.extract.pipeline import Extractor
        return Extractor(known_actors=self.known_actors, spacy_model=self.spacy_model)


def _extract_one(extractor: ExtractorLike, article: Article) -> tuple[bytes | None, str | None]:
    """Extract one document and map it to its quads as N-Quads bytes; the reason if it failed.

    Mapping, reasoning (the document's inferred graph, reasoning.reasoner) and serialising happen
    here, beside extraction, so that with worker processes the one writer (the parent) only
    writes: the write is the serial part of a parallel ingest. The bytes hold the document's
    graph and its inferred graph, which the writer stores in one atomic write.
    """
    import ingest.map
    from reasoning.reasoner import with_inferred
    from pyoxigraph import RdfFormat, serialize

    try:
        extraction = extractor.extract(article)
    except Exception as exc:
        log.debug("extraction failed for %s:\n%s", article.doc_id, traceback.format_exc())
        return None, f"extraction failed: {type(exc).__name__}: {exc}"
    try:
        quads = with_inferred(iris.document(article.doc_id), ingest.map.to_quads(extraction))
        return serialize(quads, format=RdfFormat.N_QUADS), None
    except Exception as exc:
        log.debug("mapping failed for %s:\n%s", article.doc_id, traceback.format_exc())
        return None, f"mapping to RDF failed: {type(exc).__name__}: {exc}"


def _extract_in_process(articles: Iterator[Article], factory: ExtractorFactory) -> Iterator[Result]:
    extractor = None
    for article in articles:
        if extractor is None:  # built on first use: a batch of only broken files needs no spaCy
            extractor = factory()
        yield (article, *_extract_one(extractor, article))


# Articles handed out per worker process. Bounds memory (a result is ~150 kB of N-Quads) and
# lets workers run ahead while the writer flushes or is slow on a document: with 2 per worker
# each worker slept ~4.4 s of a 17 s two-worker run on 1,000 articles, with 8 ~1.8 s (-2 s wall).
IN_FLIGHT_PER_WORKER = 8
# Articles per task sent to a worker. Each task costs the parent a future, a pickled message each
# way and wake-ups of the pool's two helper threads, on the cores the workers need: with one
# article per task that was ~0.7 ms of parent CPU per article (1.4 CPU-s of a 20 s two-worker
# ingest of 2,000 news articles), with 4 per task ~0.35 ms, and the ingest ~0.5 s faster.
ARTICLES_PER_TASK = 4
_worker_extractor: ExtractorLike | None = None
_worker_setup_error: str | None = None


def _init_worker(factory: ExtractorFactory) -> None:
    """Build this process's Extractor once; a failure is reported per document, not as a dead pool."""
    global _worker_extractor, _worker_setup_error
    try:
        _worker_extractor = factory()
    except Exception as exc:
        _worker_setup_error = f"the extractor could not be built: {type(exc).__name__}: {exc}"


def _extract_in_worker(articles: list[Article]) -> list[tuple[bytes | None, str | None]]:
    """One task: the given articles, extracted in order, each result on its own."""
    if _worker_extractor is None:
        return [(None, _worker_setup_error or "the extractor could not be built")] * len(articles)
    return [_extract_one(_worker_extractor, article) for article in articles]


def _extract_in_workers(articles: Iterator[Article], factory: ExtractorFactory, workers: int) -> Iterator[Result]:
    """Extraction in `workers` processes, results handed back in input order.

    Articles go out ARTICLES_PER_TASK at a time, and at most IN_FLIGHT_PER_WORKER x workers are
    in flight, so memory stays bounded on any batch size.
    If a worker process dies (out of memory, a crash in native code) every article in flight
    is lost with it: the pool is rebuilt and those articles are tried again one at a time, so
    the one that kills a worker is found and reported and the others go through.
    """
    chunk_size = max(1, min(ARTICLES_PER_TASK, IN_FLIGHT_PER_WORKER))
    window = max(1, IN_FLIGHT_PER_WORKER * workers // chunk_size)   # tasks in flight
    pending: deque[tuple[list[Article], Future]] = deque()
    pool = _new_pool(factory, workers)
    source = iter(articles)
    try:
        while True:
            while len(pending) < window and (chunk := list(itertools.islice(source, chunk_size))):
                pending.append((chunk, pool.submit(_extract_in_worker, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                suspects = chunk + [article for waiting, _ in pending for article in waiting]
                pending.clear()
            else:
                for article, outcome in zip(chunk, outcomes):
                    yield (article, *outcome)
                continue
            pool = _renew(pool, factory, workers)
            for suspect in suspects:
                try:
                    [outcome] = pool.submit(_extract_in_worker, [suspect]).result()
                except BrokenProcessPool:
                    outcome = (None, "extraction failed: the worker process died on this document")
                    pool = _renew(pool, factory, workers)
                yield (suspect, *outcome)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _renew(pool: ProcessPoolExecutor, factory: ExtractorFactory, workers: int) -> ProcessPoolExecutor:
    pool.shutdown(wait=False, cancel_futures=True)
    return _new_pool(factory, workers)


def _new_pool(factory: ExtractorFactory, workers: int) -> ProcessPoolExecutor:
    # forkserver, not fork: the parent holds an open store with its own threads, and forking a
    # threaded process can copy a held lock into the child; a fork server starts clean.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_init_worker, initargs=(factory,))


# ---- the store's background work -------------------------------------------------------

def _compaction_yields(store):
    """The store's background compactions give way to extraction, when the store can do that
    (the embedded one; see EmbeddedStore.compaction_yields)."""
    yields = getattr(store, "compaction_yields", None)
    return yields() if yields is not None else contextlib.nullcontext()


# ---- reporting -------------------------------------------------------------------------

class _collect_read_notes:
    """Copies the reader's notes (guessed encodings, ignored metadata) into the report."""

    def __init__(self, report: IngestReport):
        self.handler = _ListHandler(report.warnings)
        self.logger = logging.getLogger(READ_LOGGER)

    def __enter__(self):
        self.previous_level = self.logger.level
        if self.logger.getEffectiveLevel() > logging.INFO:
            self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc_info):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.previous_level)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.INFO)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


class _Progress:
    """A rich progress line (documents done / failed) when asked for, else nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.done = self.failed = 0

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
            self.bar = Progress(SpinnerColumn(), TextColumn("ingesting: {task.fields[done]} done, "
                                                            "{task.fields[failed]} failed"),
                                TimeElapsedColumn(), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=None, done=0, failed=0)
        return self

    def advance(self, *, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        if self.enabled:
            self.bar.update(self.task, done=self.done, failed=self.failed)

    def __exit__(self, *exc_info) -> None:
        if self.enabled:
            self.bar.stop()
