"""The query engine every router uses: `request.app.state.engine` (a `QueryEngine`).

API for routers (named queries, pages, Linked Data) — all coroutine methods, all raise
`server.errors.ProtocolError(status, message)` on failure, which the app turns into a
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
worker parses it and binds it with pyoxigraph `substitutions` — nothing is pasted into the query.
pyoxigraph's rule: a bound variable must be in the SELECT projection (SELECT * is fine).
Use `server.engine.iri_term(iri)` / `literal_term(text)` to build them.

How it works (why it is built this way):
- Queries run in worker processes (`server.worker`, `settings.workers` of them) that open the
  store read-only. pyoxigraph cannot cancel a query, so a query that outlives
  `settings.query_timeout` has its process killed (a 503 tells the client) and a fresh worker
  takes its place; the next query is answered at once by the other workers.
- The server process owns the read-write store (RocksDB allows one writer) and performs SPARQL
  updates and Graph Store writes itself. A write waits until running reads finish and holds new
  ones back while it commits (a readers-writer lock), then bumps a generation counter; each
  worker reopens its read-only store when a request carries a newer generation, so a read that
  follows a write sees it, and no worker reads files a commit is changing.
- Workers serialise answers with pyoxigraph's Rust serialisers and stream 64 KiB frames back;
  small answers become one plain Response, big ones a StreamingResponse, so memory stays flat.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import pickle
import socket
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Iterable

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, parse
from starlette.responses import Response, StreamingResponse

from claimgraph.config import Settings
from claimgraph.paths import ROOT
from server.errors import ProtocolError
from server.safety import check_json_nesting, check_update
from server.update_dataset import apply_update_dataset
from server.wire import DATA, END, ERROR, HEAD, HEADER, READY, REQUEST, frame

log = logging.getLogger("claimgraph.server")

INLINE_LIMIT = 512 * 1024       # answers up to this size are sent as one Response
WORKER_START_TIMEOUT = 120.0


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


class _Worker:
    """One worker process and the socket to it."""

    def __init__(self, proc: subprocess.Popen, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.proc, self.reader, self.writer = proc, reader, writer

    async def read_frame(self) -> tuple[bytes, bytes]:
        kind, length = HEADER.unpack(await self.reader.readexactly(HEADER.size))
        return kind, (await self.reader.readexactly(length) if length else b"")

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        self.writer.close()


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
    """Runs queries in killable worker processes; runs writes in this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = None                    # store.EmbeddedStore, opened read-write in start()
        self.generation = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._reads = 0
        self._writes_allowed = asyncio.Event()
        self._reads_drained = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._closing = False
        self._spawning: set[asyncio.Task] = set()
        self._leases: dict[int, _Stream] = {}

    # -- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        from store import open_store
        self.store = open_store(self.settings.store)   # creates the folder; raises StoreError/StoreLocked
        self.store.store.flush()
        self._writes_allowed.set()
        self._reads_drained.set()
        for _ in range(max(1, self.settings.workers)):
            self._respawn()

    async def stop(self) -> None:
        self._closing = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        for worker in list(self._all):
            await asyncio.to_thread(worker.proc.wait)
        if self.store is not None:
            self.store.close()

    @property
    def is_open(self) -> bool:
        return self.store is not None

    @property
    def ready_workers(self) -> int:
        return self._idle.qsize()

    def _respawn(self) -> None:
        if self._closing:
            return
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _spawn(self) -> None:
        config = {"store": str(self.settings.store), "max_rows": self.settings.max_rows,
                  "service_allow": list(self.settings.service_allow)}
        while not self._closing:
            parent, child = socket.socketpair()
            proc = subprocess.Popen([sys.executable, "-m", "server.worker", str(child.fileno()), json.dumps(config)],
                                    pass_fds=[child.fileno()], cwd=ROOT)
            child.close()
            reader, writer = await asyncio.open_unix_connection(sock=parent, limit=4 * INLINE_LIMIT)
            worker = _Worker(proc, reader, writer)
            try:
                kind, payload = await asyncio.wait_for(worker.read_frame(), WORKER_START_TIMEOUT)
            except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                kind, payload = ERROR, pickle.dumps((503, "query worker did not start"))
            if kind == READY:
                self._all.add(worker)
                self._idle.put_nowait(worker)
                return
            worker.kill()
            log.error("query worker failed: %s", pickle.loads(payload)[1] if payload else "no reason")
            await asyncio.sleep(1.0)

    def _discard(self, worker: _Worker) -> None:
        """End a worker (timed out, client gone, broken) and start its replacement."""
        worker.kill()
        self._all.discard(worker)
        asyncio.get_running_loop().run_in_executor(None, worker.proc.wait)
        self._respawn()

    # -- readers-writer coordination ------------------------------------------------------------

    async def _begin_read(self) -> None:
        while not self._writes_allowed.is_set():
            await self._writes_allowed.wait()
        self._reads += 1
        self._reads_drained.clear()

    def _end_read(self) -> None:
        self._reads -= 1
        if self._reads == 0:
            self._reads_drained.set()

    @asynccontextmanager
    async def _exclusive(self):
        """Hold new reads back and wait for running ones, for the span of one write."""
        async with self._write_lock:
            self._writes_allowed.clear()
            try:
                try:   # a dump streaming to a slow client must not stall every query behind this write
                    await asyncio.wait_for(self._reads_drained.wait(), self.settings.query_timeout)
                except asyncio.TimeoutError:
                    log.warning("writing while %d long read(s) still stream (they keep their snapshot)", self._reads)
                yield
            finally:
                self.generation += 1
                self._writes_allowed.set()

    # -- queries ------------------------------------------------------------------------------

    async def _call(self, request: dict, timeout: float | None, *,
                    retries: int | None = None) -> tuple[str, bytes | AsyncIterator[bytes]]:
        """Send one request to an idle worker; the media type and the body (bytes or a stream).

        A worker found dead before it answered (killed by the OS while idle, say) is replaced and
        the request goes to another worker: idle workers whose socket is already closed are skipped
        for free, and one that dies mid-request gets one retry elsewhere (a query that kills
        workers itself cannot take down more than two); reads have no side effects to repeat."""
        if retries is None:
            retries = 1
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + timeout if timeout else None
        if not self._writes_allowed.is_set():
            try:
                async with asyncio.timeout_at(deadline):
                    await self._begin_read()
            except TimeoutError:
                raise ProtocolError(503, f"a write to the store held reads back for more than {timeout:g} s; "
                                         "try again") from None
        else:
            self._reads += 1
            self._reads_drained.clear()
        try:
            worker = self._idle.get_nowait()
        except asyncio.QueueEmpty:
            try:
                async with asyncio.timeout_at(deadline):
                    worker = await self._idle.get()
            except TimeoutError:
                self._end_read()
                raise ProtocolError(503, f"all {self.settings.workers} query workers stayed busy for "
                                         f"{timeout:g} s; try again later") from None
            except BaseException:            # cancelled (client gone, shutdown): give the read slot back
                self._end_read()
                raise
        if worker.reader.at_eof():           # died while idle: replace it and take another
            self._discard(worker)
            self._end_read()
            return await self._call(request, timeout, retries=retries)
        request["generation"] = self.generation
        worker.writer.write(frame(REQUEST, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)))
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout_at(deadline):
                kind, payload = await worker.read_frame()
                if kind == HEAD:
                    media_type = payload.decode()
                    size = 0
                    while size <= INLINE_LIMIT:
                        kind, payload = await worker.read_frame()
                        if kind != DATA:
                            break
                        chunks.append(payload)
                        size += len(payload)
        except TimeoutError:
            self._discard(worker)
            self._end_read()
            raise ProtocolError(503, f"the query ran longer than the {timeout:g} s timeout and was stopped; "
                                     "narrow it or add a LIMIT") from None
        except (asyncio.IncompleteReadError, ConnectionError):
            self._discard(worker)
            self._end_read()
            if retries > 0 and not chunks:
                log.warning("a query worker had ended; asking another")
                remaining = None if deadline is None else max(0.001, deadline - loop.time())
                return await self._call(request, remaining, retries=retries - 1)
            raise ProtocolError(503, "the query worker ended unexpectedly (out of memory?); try again") from None
        except BaseException:                # cancelled mid-answer: the worker is in an unknown state
            self._discard(worker)
            self._end_read()
            raise
        if kind == ERROR:
            self._idle.put_nowait(worker)
            self._end_read()
            status, message = pickle.loads(payload)
            raise ProtocolError(status, message)
        if kind == END:
            self._idle.put_nowait(worker)
            self._end_read()
            self._log(request, started, "done")
            return media_type, b"".join(chunks)
        return media_type, _Stream(self, worker, self._stream(worker, chunks, deadline, request, started))

    def _release(self, worker: _Worker, healthy: bool) -> None:
        if healthy:
            self._idle.put_nowait(worker)
        else:              # timeout, client gone, or a broken worker: end it, start another
            self._discard(worker)
        self._end_read()

    async def _stream(self, worker: _Worker, chunks: list[bytes], deadline: float | None,
                      request: dict, started: float) -> AsyncIterator[bytes]:
        finished = False
        try:
            for chunk in chunks:
                yield chunk
            chunks.clear()
            while True:
                async with asyncio.timeout_at(deadline):
                    kind, payload = await worker.read_frame()
                if kind == DATA:
                    yield payload
                elif kind == END:
                    finished = True
                    self._log(request, started, "streamed")
                    return
                else:   # an error after the first bytes went out: cut the response short
                    finished = True
                    message = pickle.loads(payload)[1] if kind == ERROR else "unexpected frame"
                    log.warning("response cut short: %s", message)
                    raise ProtocolError(500, message)
        except TimeoutError:
            log.warning("streamed query stopped at the %s s timeout", self.settings.query_timeout)
            raise
        finally:
            lease = self._leases.get(id(worker))
            if lease is not None:
                lease.release(finished)

    def _log(self, request: dict, started: float, how: str) -> None:
        """Query time as the worker answered (the request log line has the time to the client)."""
        if self.settings.log_queries and log.isEnabledFor(logging.DEBUG if how == "done" else logging.INFO):
            elapsed = (asyncio.get_running_loop().time() - started) * 1000
            log.log(logging.DEBUG if how == "done" else logging.INFO, "%s %s in %.1f ms", request["op"], how, elapsed)

    async def run(self, query: str, *, bindings: dict[str, str] | None = None, accept: str | None = None,
                  format: str | None = None, default_graph_uris: list[str] | None = None,
                  named_graph_uris: list[str] | None = None, base_iri: str | None = None) -> Response:
        """Answer a SPARQL query as a content-negotiated HTTP response (see the module docstring)."""
        request = {"op": "query", "query": query, "bindings": bindings, "accept": accept, "format": format,
                   "default_graphs": default_graph_uris, "named_graphs": named_graph_uris,
                   "union": self.settings.union_default_graph, "base_iri": base_iri}
        media_type, body = await self._call(request, self.settings.query_timeout)
        if isinstance(body, bytes):
            return Response(body, headers={"content-type": media_type, "vary": "Accept"})
        return _StreamResponse(body, headers={"content-type": media_type, "vary": "Accept"})

    async def _collect(self, query: str, bindings: dict[str, str] | None, format: str) -> bytes:
        request = {"op": "query", "query": query, "bindings": bindings, "accept": None, "format": format,
                   "union": self.settings.union_default_graph}
        _, body = await self._call(request, self.settings.query_timeout)
        if isinstance(body, bytes):
            return body
        try:
            return b"".join([chunk async for chunk in body])
        finally:
            body.close()

    # -- reads of whole graphs ------------------------------------------------------------------

    async def dump(self, format: str) -> Response:
        """The whole store in one RDF format, streamed (no timeout: the work is bounded by the store)."""
        media_type, body = await self._call({"op": "dump", "whole": True, "format": format}, None)
        return _response(media_type, body)

    async def graph(self, graph: str | None, *, accept: str | None, format: str | None = None) -> Response:
        """One graph (None = the store's default graph) for a Graph Store GET; 404 when missing."""
        media_type, body = await self._call({"op": "dump", "graph": graph, "accept": accept, "format": format},
                                            None)
        return _response(media_type, body)

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
                await asyncio.to_thread(self.store.store.update, text, base_iri=base_iri)
            except SyntaxError as exc:
                raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
            except (ValueError, TypeError, RuntimeError) as exc:
                raise ProtocolError(400, f"cannot run the update: {exc}") from None
            except OSError as exc:
                raise ProtocolError(500, f"the update failed in the store: {exc}") from None
        if self.settings.log_queries:
            log.info("update %.1f ms", (time.perf_counter() - started) * 1000)

    async def graph_exists(self, graph: str | None) -> bool:
        return graph is None or self.store.store.contains_named_graph(NamedNode(graph))

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
            store.remove_graph(node)
        async with self._exclusive():
            await asyncio.to_thread(write)


def _into(quads: Iterable[Quad], graph) -> list[Quad]:
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


class _Stream:
    """A streamed answer and the worker it holds; `close()` gives the worker back exactly once,
    even when the response never started (client gone before the first byte)."""

    def __init__(self, engine: "QueryEngine", worker: _Worker, chunks: AsyncIterator[bytes]) -> None:
        self.engine, self.worker, self.chunks, self.open = engine, worker, chunks, True
        engine._leases[id(worker)] = self

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.chunks.__aiter__()

    def release(self, healthy: bool) -> None:
        if self.open:
            self.open = False
            self.engine._leases.pop(id(self.worker), None)
            self.engine._release(self.worker, healthy)

    def close(self) -> None:
        self.release(False)


class _StreamResponse(StreamingResponse):
    """A StreamingResponse that always releases its worker, however the response ends."""

    def __init__(self, stream: _Stream, **kwargs) -> None:
        super().__init__(stream, **kwargs)
        self._stream = stream

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._stream.close()


def _response(media_type: str, body: bytes | _Stream) -> Response:
    if isinstance(body, bytes):
        return Response(body, headers={"content-type": media_type})
    return _StreamResponse(body, headers={"content-type": media_type})


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
