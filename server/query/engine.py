"""The query engine every router uses: `request.app.state.engine` (a `QueryEngine`).

API for routers (named queries, pages, Linked Data) — all coroutine methods, all raise
`server.http.errors.ProtocolError(status, message)` on failure, which the app turns into a
plain-text response with that status (so routers normally just let it propagate):

    engine = request.app.state.engine
    # A full HTTP answer, content-negotiated exactly like /sparql (SELECT/ASK -> SPARQL JSON,
    # XML, CSV, TSV; CONSTRUCT/DESCRIBE -> Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads):
    response = await engine.run(query_text,
                                bindings={"actor": "<https://w3id.org/claimgraph/id/actor/x>"},
                                accept=request.headers.get("accept"), format=None,
                                default_graph_uris=None, named_graph_uris=None)
    # Results for Python code (a page, a JSON API): SPARQL JSON bindings, one dict per row,
    # each value a SPARQL-JSON term {"type": "uri"|"literal"|"bnode", "value": ..., ...}:
    rows = await engine.select(query_text, {"doc": '"000_abc"'})
    yes = await engine.ask(query_text, bindings)            # bool
    nt = await engine.construct(query_text, bindings)       # bytes, N-Triples

`bindings` maps a variable name (with or without ?) to ONE RDF term in N-Triples syntax
(`<iri>`, `"text"`, `"text"@en`, `"5"^^<http://www.w3.org/2001/XMLSchema#integer>`); the
engine parses it and binds it with pyoxigraph `substitutions` — nothing is pasted into the query.
pyoxigraph's rule: a bound variable must be in the SELECT projection (SELECT * is fine).
Use `server.query.engine.iri_term(iri)` / `literal_term(text)` to build them.

How it works (why it is built this way):
- Reads run in a pool of threads of the process that received the request (pyoxigraph
  releases the GIL while it evaluates), so a small query costs one thread hand-over, not a
  trip to another process. `claimgraph serve` runs several such serving processes over one
  store (`server.processes.serve`), each with a read-only open of it (`role="replica"`), plus one writer
  process that owns the read-write store (RocksDB allows one writer) and performs every SPARQL
  update and Graph Store write (`role="writer"`; serving processes forward writes to it).
- The writer holds new reads back and waits for running ones before it commits, then bumps a
  generation counter; both live in `server.processes.shared_state`. A serving process reopens its store
  when the generation moved, so a read that follows a write sees it, and no read meets files a
  commit is changing.
- pyoxigraph cannot cancel a query. A query that outlives `settings.query_timeout` gets a 503;
  its thread runs on, so the serving process that ran it retires (`on_runaway`): it stops
  taking connections, finishes its other requests and exits, and the writer starts a fresh one,
  while the other serving processes go on answering.
- Answers are serialised by pyoxigraph's Rust serialisers in the read's thread; small ones
  become one plain Response, big ones stream with bounded read-ahead (`server.query.read_job`), so
  memory stays flat.
- `create_app(settings)` alone (no `serve`) gives `role="standalone"`: one process that owns the
  store and does both; a runaway query there is answered with 503 but runs on in its thread.
- A slow read's whole answer is kept, keyed on everything that decides it and the store
  generation it was read at (`_results`): the same request on the same data (the overview every
  analyst opens, a named query's first page) is answered from memory until the next write moves
  the generation. Only answers that took RESULT_MIN_SECONDS and fit RESULT_MAX_BYTES are kept,
  RESULT_MEMORY of them per serving process.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections import OrderedDict
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable, Iterable

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse
from starlette.responses import Response, StreamingResponse

from common import iris
from common.config import Settings
from server.http.errors import ProtocolError
from server.query.evaluate import MOVED_RETRY_PAUSES, RowCapExceeded, answer, store_moved
from server.query.read_job import Abandoned, BufferSink, ReadJob
from server.http.safety import check_json_nesting, check_update
from server.processes.shared_state import SharedState
from server.http.update_dataset import apply_update_dataset
from reasoning import summary

log = logging.getLogger("claimgraph.server")

ROLES = ("standalone", "writer", "replica")
GATE_POLL = 0.002        # seconds between looks at the write gate / the reads in flight
INLINE_BUDGET = 0.001    # seconds: a query seen answered this fast may run on the event loop next time
INLINE_EVICT = 0.005     # ... and stops doing so if it ever takes this long there
CHEAP_MEMORY = 4096      # how many such queries are remembered
RESULT_MIN_SECONDS = 0.2            # an answer this slow is kept for the same request on the same data
RESULT_MAX_BYTES = 4 * 1024 * 1024  # ... when it is no bigger than this
RESULT_MEMORY = 64                  # ... and this many of them per serving process (least recently used go)
READ_STACK_BYTES = 512 * 1024 * 1024   # per read thread (address space; only the pages used are memory):
                                       # Oxigraph recurses per operator, see server.http.safety


def iri_term(iri: str) -> str:
    """An IRI as an N-Triples term for `bindings` (validated by pyoxigraph)."""
    return str(NamedNode(iri))


def literal_term(text: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal as an N-Triples term for `bindings`, escaped by pyoxigraph."""
    return str(Literal(text, language=language, datatype=NamedNode(datatype) if datatype else None))


def check_bearer(token: str | None, authorization: str | None) -> None:
    """401 without a bearer token, 403 with a wrong one or when writes are switched off."""
    if not token:
        raise ProtocolError(403, "updates and Graph Store writes are disabled on this server; "
                                 "start it with --token (CLAIMGRAPH_UPDATE_TOKEN) to enable them")
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ProtocolError(401, "this operation needs 'Authorization: Bearer <token>'",
                            {"WWW-Authenticate": 'Bearer realm="claimgraph"'})
    if not hmac.compare_digest(authorization[7:].strip().encode(), token.encode()):
        raise ProtocolError(403, "the bearer token is not valid for this server")


class ResultShapes:
    """select/ask/construct for code that wants Python values, over any engine's `_collect`
    (the bytes of one query's answer in a given format): the embedded and the remote engine
    share them."""

    async def _collect(self, query: str, bindings: dict[str, str] | None, format: str) -> bytes:
        raise NotImplementedError

    async def select(self, query: str, bindings: dict[str, str] | None = None) -> list[dict[str, dict]]:
        """SELECT results as SPARQL-JSON bindings: one {variable: term-dict} per row."""
        document = json.loads(await self._collect(query, bindings, "json"))
        if "results" not in document:
            raise ProtocolError(400, "select() needs a SELECT query")
        return document["results"]["bindings"]

    async def ask(self, query: str, bindings: dict[str, str] | None = None) -> bool:
        document = json.loads(await self._collect(query, bindings, "json"))
        if "boolean" not in document:
            raise ProtocolError(400, "ask() needs an ASK query")
        return bool(document["boolean"])

    async def construct(self, query: str, bindings: dict[str, str] | None = None) -> bytes:
        """CONSTRUCT / DESCRIBE results as N-Triples bytes."""
        return await self._collect(query, bindings, "ntriples")


class QueryEngine(ResultShapes):
    """Answers reads in this process's threads; performs writes when it owns the store (see the
    module docstring for the three roles)."""

    def __init__(self, settings: Settings, *, role: str = "standalone", shared: SharedState | None = None,
                 slot: int = 0, on_runaway: Callable[[], None] | None = None) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown engine role {role!r}; one of {', '.join(ROLES)}")
        self.settings, self.role, self.shared, self.slot = settings, role, shared, slot
        self.on_runaway = on_runaway
        self._service_allow = frozenset(settings.service_allow)
        self.store = None                    # store.EmbeddedStore (read-write), in the writer roles
        self.generation = 0
        self._pool: ThreadPoolExecutor | None = None
        self._replica_store: Store | None = None
        self._replica_generation = -1
        self._open_lock = threading.Lock()
        self._reads = 0                      # reads in flight in this process (for /healthz)
        self._write_lock = asyncio.Lock()
        self._cheap: OrderedDict[tuple, int] = OrderedDict()   # request -> store generation it was cheap at
        # request -> (store generation it was read at, media type, answer): slow answers, kept
        self._results: OrderedDict[tuple, tuple[int, str, bytes]] = OrderedDict()
        self._inference: tuple[int, dict | None] | None = None   # (generation, reasoning.status as a dict)

    # -- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        threading.stack_size(READ_STACK_BYTES)   # for every thread started from here on: reads, and updates
        if self.role == "replica":
            await asyncio.to_thread(self._open_replica)   # fail now, not at the first query
        else:
            from store import open_store
            self.store = open_store(self.settings.store)   # creates the folder; raises StoreError/StoreLocked
            # the store-level summary the whole-store queries read (reasoning/summary.py): rebuilt
            # once if the store was written without it, then kept in step by every write here
            self.store.ensure_summary()
            self.store.store.flush()
        self._pool = ThreadPoolExecutor(max_workers=max(1, self.settings.threads), thread_name_prefix="read")
        self._pool.submit(self._warm)
        if self.shared is not None and self.role == "replica":
            self.shared.set_serving(self.slot, True)

    def _warm(self) -> None:
        """Read the document order of paging by document (server/query/paging.py) once, on a read
        thread, so the first page of such a query does not pay for it (10,000 documents: ~1 s);
        then whether the store's inferred graphs are current, which the debate pages show (the
        writer also logs it, once: a store written by an older claimgraph needs `claimgraph reason`)."""
        from server.query import paging
        try:
            generation = self._current_generation()
            store = self._read_store()
            paging.document_order(store, lambda text, options: store.query(text, **options), generation)
        except Exception:   # noqa: BLE001 -- a warm-up only: the first query computes it instead
            log.debug("document order warm-up failed", exc_info=True)
        status = self._inference_status()
        if status and status["stale"] and self.role != "replica":
            log.warning("%d of %d document(s) in %s were derived with other rules than this claimgraph's "
                        "(written by another version, or before inference was written): the debate views "
                        "miss what they add (figures, counts) until `claimgraph reason` re-derives them "
                        "(stop the server first)", status["stale"], status["documents"], self.settings.store)

    def _inference_status(self) -> dict | None:
        """reasoning.status on the store this process reads, kept per store generation; None when
        it cannot tell (a serving process whose files moved: the next call tries again)."""
        from reasoning.status import inference_status
        generation = self._current_generation()
        kept = self._inference
        if kept is not None and kept[0] == generation:
            return kept[1]
        try:
            status = inference_status(self._read_store()).as_dict()
        except Exception:   # noqa: BLE001 -- a notice only: the pages draw without it
            log.debug("inference status failed", exc_info=True)
            return None
        self._inference = (generation, status)
        return status

    async def inference_status(self) -> dict | None:
        """Whether the store's inferred graphs were derived with the current rules:
        {"documents", "current", "stale"} (reasoning/status.py), read on a read thread once per
        store generation; None when it cannot tell."""
        kept = self._inference
        if kept is not None and kept[0] == self._current_generation():
            return kept[1]
        if self._pool is None:
            return None
        await self._enter_read(None)   # like any read: never while the writer commits
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, self._inference_status)
        finally:
            self._leave_read()

    async def stop(self) -> None:
        if self.shared is not None and self.role == "replica":
            self.shared.set_serving(self.slot, False)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._replica_store = None
        if self.store is not None:
            self.store.close()

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    def health(self) -> dict:
        """What /healthz reports beside "ok": serving processes up, and reads running."""
        if self.shared is not None:
            return {"serving_processes": self.shared.serving(), "reads_in_flight": self.shared.reads_in_flight()}
        return {"serving_processes": 1, "reads_in_flight": self._reads}

    # -- the store a read uses -------------------------------------------------------------------

    def _open_replica(self) -> Store:
        generation = self.shared.generation if self.shared is not None else 0
        store = Store.read_only(str(self.settings.store))
        self._replica_store, self._replica_generation = store, generation
        return store

    def _read_store(self) -> Store:
        if self.role != "replica":
            return self.store.store          # the read-write store: RocksDB snapshots make reads safe
        with self._open_lock:
            if self._replica_store is None or self._replica_generation != self.shared.generation:
                return self._open_replica()  # a write happened since: see it
            return self._replica_store

    def _answer(self, request: dict, sink) -> None:
        """One read into `sink`, from the store this process reads (thread or event loop)."""
        generation = self._current_generation()
        answer(self._read_store(), request, sink, max_rows=self.settings.max_rows, service_allow=self._service_allow,
               generation=generation)

    def _forget_replica_store(self) -> None:
        with self._open_lock:
            self._replica_store = None

    # -- reads ---------------------------------------------------------------------------------

    async def _enter_read(self, deadline: float | None) -> None:
        """Count the read in; in a serving process, wait while the writer commits."""
        if self.shared is not None and self.role == "replica":
            loop = asyncio.get_running_loop()
            while not self.shared.try_begin_read(self.slot):
                if deadline is not None and loop.time() >= deadline:
                    raise ProtocolError(503, "a write to the store held reads back for longer than the "
                                             f"{self.settings.query_timeout:g} s timeout; try again")
                await asyncio.sleep(GATE_POLL)
        self._reads += 1

    def _leave_read(self, _future=None) -> None:
        self._reads -= 1
        if self.shared is not None and self.role == "replica":
            self.shared.end_read(self.slot)

    def _read_in_thread(self, request: dict, job: ReadJob) -> None:
        """The thread's part: answer into the job, reopening and retrying when the writer moved files."""
        if job.abandoned:
            return                              # waited in the pool past its deadline
        try:
            for pause in MOVED_RETRY_PAUSES:
                if pause:
                    time.sleep(pause)
                try:
                    generation = self._current_generation()
                    started = time.perf_counter()
                    self._answer(request, job)
                    job.elapsed, job.generation = time.perf_counter() - started, generation
                    job.finish()
                    return
                except Exception as exc:
                    if not store_moved(exc) or self.role != "replica" or not job.restart():
                        raise
                    self._forget_replica_store()
            raise ProtocolError(503, "the store changed while it was read; try again")
        except Abandoned:
            pass
        except BaseException as exc:
            error = _client_error(exc, self.settings.max_rows)
            # The traceback's frames hold pyoxigraph objects (query solutions) that must be freed
            # on this thread: pyoxigraph refuses to drop them on another one. Only the message leaves.
            exc.__traceback__ = error.__traceback__ = None
            error.__context__ = error.__cause__ = None
            try:
                job.fail(error)
            except Abandoned:
                pass

    async def _call(self, request: dict, timeout: float | None) -> tuple[str, bytes | AsyncIterator[bytes]]:
        """Run one read; the media type and the body (bytes, or chunks to stream)."""
        key = _cheap_key(request)
        kept = self._results.get(key) if key is not None else None
        if kept is not None and kept[0] == self._current_generation():
            self._results.move_to_end(key)
            return kept[1], kept[2]
        if key is not None and self._cheap.get(key) == self._current_generation():
            answered = self._answer_inline(request, key)
            if answered is not None:
                return answered
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + timeout if timeout else None
        await self._enter_read(deadline)
        job = ReadJob(loop)
        try:
            running = loop.run_in_executor(self._pool, self._read_in_thread, request, job)
        except RuntimeError:                    # the pool is shut down: the server is stopping
            self._leave_read()
            raise ProtocolError(503, "the server is shutting down") from None
        running.add_done_callback(self._leave_read)   # the read slot is held as long as the thread reads
        try:
            async with asyncio.timeout_at(deadline):
                media_type, body = await job.first
        except TimeoutError:
            job.abandon()
            self._runaway(running)
            raise ProtocolError(503, f"the query ran longer than the {timeout:g} s timeout and was stopped; "
                                     "narrow it or add a LIMIT") from None
        except BaseException:                   # cancelled (client gone), or the read's own error
            job.abandon()
            raise
        if body is not None:
            if key is not None and job.elapsed <= INLINE_BUDGET:
                self._cheap[key] = job.generation
                if len(self._cheap) > CHEAP_MEMORY:
                    self._cheap.popitem(last=False)
            elif key is not None and job.elapsed >= RESULT_MIN_SECONDS and len(body) <= RESULT_MAX_BYTES:
                self._results[key] = (job.generation, media_type, bytes(body))
                if len(self._results) > RESULT_MEMORY:
                    self._results.popitem(last=False)
            self._log(request, started, "done")
            return media_type, body
        return media_type, self._stream(job, running, deadline, request, started)

    def _current_generation(self) -> int:
        return self.shared.generation if self.role == "replica" else self.generation

    def _answer_inline(self, request: dict, key: tuple) -> tuple[str, bytes] | None:
        """Answer on the event loop, sparing the hand-over to a thread and back (about a third of
        a small query's cost): only a request this process has already seen answered within
        INLINE_BUDGET on the same store generation — the same query on the same data, so the
        same work; a runaway can never block the loop this way. None: take the thread path."""
        if self.role == "replica" and not self.shared.try_begin_read(self.slot):
            return None                          # a write is committing: wait for it the usual way
        self._reads += 1
        sink = BufferSink()
        started = time.perf_counter()
        try:
            self._answer(request, sink)
        except Exception as exc:
            self._cheap.pop(key, None)
            if store_moved(exc):
                return None                      # the thread path reopens the store and retries
            raise _client_error(exc, self.settings.max_rows) from None
        finally:
            self._leave_read()
        if time.perf_counter() - started > INLINE_EVICT:
            self._cheap.pop(key, None)
        else:
            self._cheap.move_to_end(key)
        return sink.media_type, bytes(sink.buffer)

    async def _stream(self, job: ReadJob, running: asyncio.Future, deadline: float | None,
                      request: dict, started: float) -> AsyncIterator[bytes]:
        try:
            async for chunk in job.chunks(deadline):
                yield chunk
            self._log(request, started, "streamed")
        except TimeoutError:
            log.warning("streamed query stopped at the %s s timeout", self.settings.query_timeout)
            raise
        finally:
            job.abandon()
            if not running.done() and deadline is not None and asyncio.get_running_loop().time() >= deadline:
                self._runaway(running)

    def _runaway(self, running: asyncio.Future) -> None:
        """A read outlived its deadline inside pyoxigraph, where it cannot be stopped."""
        if running.done():
            return
        if self.on_runaway is not None:
            log.warning("a query outlived the %g s timeout; this serving process retires and a fresh one "
                        "takes its place", self.settings.query_timeout)
            self.on_runaway()
        else:
            log.warning("a query outlived the %g s timeout; its thread runs on until pyoxigraph finishes it",
                        self.settings.query_timeout)

    def _log(self, request: dict, started: float, how: str) -> None:
        """Query time as the engine answered (the request log line has the time to the client)."""
        if self.settings.log_queries and log.isEnabledFor(logging.DEBUG if how == "done" else logging.INFO):
            elapsed = (asyncio.get_running_loop().time() - started) * 1000
            log.log(logging.DEBUG if how == "done" else logging.INFO, "%s %s in %.1f ms", request["op"], how, elapsed)

    async def run(self, query: str, *, bindings: dict[str, str] | None = None, accept: str | None = None,
                  format: str | None = None, default_graph_uris: list[str] | None = None,
                  named_graph_uris: list[str] | None = None, base_iri: str | None = None,
                  page: tuple[int, int] | None = None, count: bool = False, page_by: str | None = None,
                  graph_of: str | None = None, page_keys: dict | None = None) -> Response:
        """Answer a SPARQL query as a content-negotiated HTTP response (see the module docstring).
        `page` = (offset, limit): only those rows (server.query.paging); `count`: {"total": rows} instead;
        `page_by` = "document": the query's rows go by document, so a page is taken document by document;
        "keys": a page is taken a batch of page keys at a time, `page_keys` = {"query": the key query,
        "variables": the key variables} (server.query.paging);
        `graph_of` = a bound variable: every row comes from the document graph holding its value."""
        request = {"op": "query", "query": query, "bindings": bindings, "accept": accept, "format": format,
                   "default_graphs": default_graph_uris, "named_graphs": named_graph_uris,
                   "union": self.settings.union_default_graph, "base_iri": base_iri,
                   "page": None if page is None else {"offset": page[0], "limit": page[1]}, "count": count,
                   "page_by": page_by, "graph_of": graph_of, "page_keys": page_keys}
        media_type, body = await self._call(request, self.settings.query_timeout)
        return _response(media_type, body, vary=True)

    async def _collect(self, query: str, bindings: dict[str, str] | None, format: str) -> bytes:
        request = {"op": "query", "query": query, "bindings": bindings, "accept": None, "format": format,
                   "union": self.settings.union_default_graph}
        _, body = await self._call(request, self.settings.query_timeout)
        if isinstance(body, bytes):
            return body
        try:
            return b"".join([chunk async for chunk in body])
        finally:
            await body.aclose()

    # -- reads of whole graphs ------------------------------------------------------------------

    async def dump(self, format: str, *, inferred: bool = True) -> Response:
        """The whole store in one RDF format, streamed (no timeout: the work is bounded by the store);
        `inferred=False` leaves the inferred graphs out."""
        media_type, body = await self._call({"op": "dump", "whole": True, "format": format, "inferred": inferred}, None)
        return _response(media_type, body)

    async def graph(self, graph: str | None, *, accept: str | None, format: str | None = None) -> Response:
        """One graph (None = the store's default graph) for a Graph Store GET; 404 when missing."""
        media_type, body = await self._call({"op": "dump", "graph": graph, "accept": accept, "format": format},
                                            None)
        return _response(media_type, body)

    # -- readers-writer coordination ------------------------------------------------------------

    @asynccontextmanager
    async def _exclusive(self):
        """For the span of one write: hold new reads in the serving processes back and let the
        running ones finish (a dump streaming to a slow client is not waited for past the query
        timeout: it keeps its snapshot), then bump the generation so the next read sees the write."""
        if self.role == "replica":
            raise ProtocolError(500, "a serving process cannot write; writes go to the writer process")
        async with self._write_lock:
            if self.shared is not None:
                self.shared.close_gate()
            try:
                if self.shared is not None:
                    loop = asyncio.get_running_loop()
                    give_up = loop.time() + self.settings.query_timeout
                    while self.shared.reads_in_flight() and loop.time() < give_up:
                        await asyncio.sleep(GATE_POLL)
                    if self.shared.reads_in_flight():
                        log.warning("writing while %d long read(s) still run (they keep their snapshot)",
                                    self.shared.reads_in_flight())
                yield
            finally:
                self.generation += 1
                if self.shared is not None:
                    self.shared.open_gate(bump=True)

    # -- writes (this process, read-write store) -------------------------------------------------

    def check_token(self, authorization: str | None) -> None:
        check_bearer(self.settings.update_token, authorization)

    async def update(self, update: str, *, using_graph_uris: list[str] | None = None,
                     using_named_graph_uris: list[str] | None = None, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction (callers check the token first)."""
        check_update(update, frozenset(self.settings.service_allow))
        text = apply_update_dataset(update, using_graph_uris or [], using_named_graph_uris or [])
        started = time.perf_counter()
        async with self._exclusive():
            try:
                await asyncio.to_thread(self._update_then_summary, text, base_iri)
            except SyntaxError as exc:
                raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
            except (ValueError, TypeError, RuntimeError) as exc:
                raise ProtocolError(400, f"cannot run the update: {exc}") from None
            except OSError as exc:
                raise ProtocolError(500, f"the update failed in the store: {exc}") from None
        if self.settings.log_queries:
            log.info("update %.1f ms", (time.perf_counter() - started) * 1000)

    def _update_then_summary(self, text: str, base_iri: str | None) -> None:
        """A SPARQL update may write any graph, tallies included, which the store-level summary
        (reasoning/summary.py) cannot follow: its version marker is taken out just before it, inside
        the same exclusive write (no read sees the state between; put back if the update fails), and queries sum the tallies
        until the next `serve` start, ingest or `claimgraph reason` rebuilds it. Rebuilding here
        would hold every read back for ~10-20 s at 10,000 documents; ingests go through Graph
        Store PUTs, which keep the summary in step."""
        current = self.store.summary_current()
        if current:   # first, so that a crash after the update leaves it stale, not wrong
            self.store.mark_summary_stale()
        try:
            self.store.store.update(text, base_iri=base_iri)
        except BaseException:
            if current:   # the update wrote nothing (one transaction): the summary still holds
                self.store.store.add(summary.marker())
            raise

    async def write_with(self, job: Callable):
        """Run `job(store)` (a `store.base.GraphStore`, read-write) as one write: after the writes
        before it, with reads held back as for any write. The corrections API uses it."""
        if self.store is None:
            raise ProtocolError(500, "a serving process cannot write; writes go to the writer process")
        async with self._exclusive():
            return await asyncio.to_thread(job, self.store)

    async def graph_exists(self, graph: str | None) -> bool:
        """Whether a named graph is there (a Graph Store HEAD); an index lookup, so on the loop."""
        if graph is None:
            return True
        await self._enter_read(None)
        try:
            return self._read_store().contains_named_graph(NamedNode(graph))
        finally:
            self._leave_read()

    async def put_graph(self, graph: str | None, quads: list[Quad]) -> bool:
        """Replace a graph's content; True when the graph is new (201), False when replaced (204)."""
        def write() -> bool:
            store = self.store.store
            target = DefaultGraph() if graph is None else NamedNode(graph)
            existed = graph is None or store.contains_named_graph(target)
            if graph is None:
                store.clear_graph(target)
                store.extend(_into(quads, target))
            else:
                self.store.replace_graph(graph, quads)
                store.add_graph(target)   # an empty PUT still leaves an (empty) graph behind
            return not existed
        async with self._exclusive():
            return await asyncio.to_thread(write)

    async def post_graph(self, graph: str | None, quads: list[Quad]) -> bool:
        """Merge triples into a graph; True when the graph had to be created."""
        def write() -> bool:
            store = self.store.store
            target = DefaultGraph() if graph is None else NamedNode(graph)
            existed = graph is None or store.contains_named_graph(target)
            if graph is not None and self.store.summary_current() and (summary.counted(graph)
                                                                      or iris.is_document_graph(graph)):
                # a merge the summary cannot follow: marked stale (before it), as for a SPARQL update
                self.store.mark_summary_stale()
            store.extend(_into(quads, target))
            if graph is not None:
                store.add_graph(target)
            return not existed
        async with self._exclusive():
            return await asyncio.to_thread(write)

    async def delete_graph(self, graph: str | None) -> None:
        """Remove a named graph (404 when missing) or empty the default graph."""
        def write() -> None:
            store = self.store.store
            if graph is None:
                store.clear_graph(DefaultGraph())
                return
            node = NamedNode(graph)
            if not store.contains_named_graph(node):
                raise ProtocolError(404, f"no graph <{graph}> in the store")
            self.store.drop_graph(graph)   # a document's inferred graph goes with it, in one transaction
        async with self._exclusive():
            await asyncio.to_thread(write)


def _into(quads: Iterable[Quad], graph) -> list[Quad]:
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _cheap_key(request: dict) -> tuple | None:
    """Everything that decides a query's work, as a dictionary key (None for other reads)."""
    if request["op"] != "query":
        return None
    bindings = request.get("bindings")
    return (request["query"], tuple(sorted(bindings.items())) if bindings else None, request.get("accept"),
            request.get("format"), tuple(request.get("default_graphs") or ()), tuple(request.get("named_graphs") or ()),
            request.get("union"), request.get("base_iri"),
            tuple(sorted((request.get("page") or {}).items())), request.get("count"), request.get("page_by"),
            request.get("graph_of"))


def _client_error(exc: BaseException, max_rows: int) -> ProtocolError:
    """What the client is told when a read fails in its thread."""
    if isinstance(exc, ProtocolError):
        return exc
    if isinstance(exc, RowCapExceeded):
        return ProtocolError(400, f"the result has more than {max_rows} {exc.unit} (the server's cap); add a LIMIT")
    if isinstance(exc, ValueError):          # a malformed IRI or term in the request's parameters
        return ProtocolError(400, f"bad request: {exc}")
    if store_moved(exc):
        return ProtocolError(503, "the store changed while it was read; try again")
    log.error("read failed: %s: %s", type(exc).__name__, exc)
    return ProtocolError(500, f"query failed: {type(exc).__name__}: {exc}")


def _response(media_type: str, body: bytes | AsyncIterator[bytes], *, vary: bool = False) -> Response:
    headers = {"content-type": media_type, "vary": "Accept"} if vary else {"content-type": media_type}
    if isinstance(body, bytes):
        return Response(body, headers=headers)
    return _StreamResponse(body, headers=headers)


class _StreamResponse(StreamingResponse):
    """A StreamingResponse that always closes its chunk stream (so the read's thread stops),
    however the response ends — even when it never started."""

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.body_iterator.aclose()


def parse_rdf(body: bytes, media_type: str, base_iri: str | None = None) -> list[Quad]:
    """The triples of a Graph Store request body; 415 for an unknown type, 400 for bad RDF."""
    fmt = RdfFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        raise ProtocolError(415, f"cannot read RDF sent as {media_type or 'no Content-Type'}; send Turtle, "
                                 "N-Triples, RDF/XML, JSON-LD, TriG or N-Quads with its media type")
    if fmt == RdfFormat.JSON_LD:
        check_json_nesting(body)        # deep nesting would overflow the parser's stack and abort the server
    try:
        return list(parse(body, fmt, base_iri=base_iri))
    except (SyntaxError, ValueError) as exc:
        raise ProtocolError(400, f"the body is not valid {fmt.name}: {exc}") from None
