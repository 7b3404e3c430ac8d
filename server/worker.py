"""A query worker process: opens the store read-only, answers one request at a time.

Why a process: pyoxigraph cannot cancel a running query, so the server ends the process when a
query outlives its timeout and starts a fresh one. The worker also serialises the answer itself
(pyoxigraph's Rust serialisers) and streams it to the server in chunks, so big results and dumps
never sit in memory whole.

Consistency: each request carries the server's write generation; when it differs from the one
the worker's store was opened at, the worker reopens the store (read-only opens see a snapshot
taken at open time). A read (or an open) that fails because files are missing or changing is
retried on a freshly opened store for up to ~4 s (`store_moved`): the writer's background
compaction deletes files an open still names, and reading beside a writer is undefined
behaviour for RocksDB read-only opens.

Started by `server.engine` as `python -m server.worker FD CONFIG_JSON`.
"""
from __future__ import annotations

import json
import pickle
import socket
import sys
import time
from itertools import islice
from typing import Callable

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, RdfFormat, Store, Triple, Variable,
                        parse, serialize)

from claimgraph.iris import PREFIXES
from server import conneg
from server.errors import ProtocolError
from server.safety import check_query
from server.update_dataset import names_dataset
from server.wire import DATA, END, ERROR, HEAD, HEADER, READY, REQUEST, frame

CHUNK = 64 * 1024
PREFIXED_FORMATS = {RdfFormat.TURTLE, RdfFormat.TRIG}


class RowCapExceeded(Exception):
    pass


class FrameWriter:
    """A binary file for pyoxigraph's serialisers that ships 64 KiB DATA frames to the server.

    The HEAD frame (the media type) is held back with the first data, so a small answer leaves
    as ONE send (HEAD + DATA + END): one wake-up of the server instead of three.
    It counts result rows on the way (a format-specific separator) to enforce max_rows without
    serialising in Python; the count can only over-estimate (a literal containing the separator),
    so the cap is never exceeded.
    """

    sends = 0   # frames sent by any writer in this (single-threaded) process: has a request answered yet?

    def __init__(self, sock: socket.socket, media_type: str, row_marker: tuple[bytes, int] | None,
                 max_rows: int) -> None:
        self.sock, self.max_rows = sock, max_rows
        self.marker, start = row_marker if row_marker else (None, 0)
        self.head = frame(HEAD, media_type.encode())
        self.buffer = bytearray()
        self.rows = start
        self.tail = b""

    def write(self, data: bytes) -> int:
        if self.marker is not None:   # also count a separator split between two writes
            edge = len(self.marker) - 1
            self.rows += data.count(self.marker) + (self.tail + data[:edge]).count(self.marker)
            self.tail = (self.tail + data)[-edge:] if edge else b""
            if self.rows > self.max_rows:
                raise RowCapExceeded()
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            FrameWriter.sends += 1
            self.sock.sendall(self.head + frame(DATA, bytes(self.buffer)))
            self.head = b""
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        """Send what is left and the END frame."""
        data = frame(DATA, bytes(self.buffer)) if self.buffer else b""
        FrameWriter.sends += 1
        self.sock.sendall(self.head + data + frame(END))
        self.head = b""
        self.buffer.clear()


# Counting rows in the serialised stream: what separates two solutions in each format.
# Counting rows in the serialised stream: the separator, and the count before the first row
# (JSON separates rows, so the first row has none; CSV and TSV end their header line too).
ROW_MARKERS = {"json": (b"},{", 1), "xml": (b"<result>", 0), "csv": (b"\r\n", -1), "tsv": (b"\n", -1)}


def parse_term(text: str):
    """One RDF term from its N-Triples form, parsed (never pasted into the query)."""
    try:
        triples = list(parse(f"<urn:s> <urn:p> {text} .".encode(), RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as exc:
        raise ProtocolError(400, f"binding {text!r} is not one N-Triples term: {exc}") from None
    if len(triples) != 1:
        raise ProtocolError(400, f"binding {text!r} is not one N-Triples term")
    return triples[0].object


MOVED_RETRY_PAUSES = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)   # seconds before each fresh open: a compaction takes ~1 s


def store_moved(exc: BaseException) -> bool:
    """A read failed because the writer changed the store's files under this read-only open.

    A read-only RocksDB open lists the table files of the moment it opened; the server's writer
    compacts in the background after a write and deletes files that list still names, and
    pyoxigraph reports the missing file as a RuntimeError "Corruption: IO error: No such file".
    The store is fine: opening it again reads the current files.
    """
    if isinstance(exc, OSError):
        return True
    text = str(exc)
    return isinstance(exc, RuntimeError) and ("Corruption" in text or "IO error" in text)


class Worker:
    def __init__(self, sock: socket.socket, config: dict) -> None:
        self.sock = sock
        self.path = config["store"]
        self.max_rows = int(config["max_rows"])
        self.allow = frozenset(config.get("service_allow") or ())
        self.generation = -1
        self.store: Store | None = None

    def reopen(self, generation: int) -> Store:
        self.store = None
        self.store = Store.read_only(self.path)
        self.generation = generation
        return self.store

    def serve(self) -> None:
        self.reopen(0)
        self.sock.sendall(frame(READY))
        reader = self.sock.makefile("rb")
        while True:
            head = reader.read(HEADER.size)
            if len(head) < HEADER.size:
                return                      # the server went away
            kind, length = HEADER.unpack(head)
            request = pickle.loads(reader.read(length))
            if kind != REQUEST:
                continue
            try:
                self.handle(request)
            except ProtocolError as exc:
                self.sock.sendall(frame(ERROR, pickle.dumps((exc.status, exc.message))))
            except ValueError as exc:        # a malformed IRI or term in the request's parameters
                self.sock.sendall(frame(ERROR, pickle.dumps((400, f"bad request: {exc}"))))
            except RowCapExceeded:
                self.sock.sendall(frame(ERROR, pickle.dumps(
                    (400, f"the result has more than {self.max_rows} rows (the server's cap); add a LIMIT"))))
            except Exception as exc:   # never let one request end the worker silently
                if store_moved(exc):
                    self.sock.sendall(frame(ERROR, pickle.dumps((503, "the store changed while it was read; "
                                                                      "try again"))))
                    continue
                self.sock.sendall(frame(ERROR, pickle.dumps((500, f"query failed: {type(exc).__name__}: {exc}"))))

    def handle(self, request: dict) -> None:
        op: Callable[[dict], None] = getattr(self, "op_" + request["op"])
        sent_before = FrameWriter.sends
        for pause in MOVED_RETRY_PAUSES:
            time.sleep(pause)
            try:
                if request["generation"] != self.generation:
                    self.reopen(request["generation"])
                return op(request)
            except Exception as exc:
                if not store_moved(exc) or FrameWriter.sends != sent_before:
                    raise
                self.generation = -1            # files the last open listed are gone: open afresh
        raise ProtocolError(503, "the store changed while it was read; try again")

    # -- operations ---------------------------------------------------------------------------

    def op_query(self, request: dict) -> None:
        query = request["query"]
        check_query(query, self.allow)
        options: dict = {}
        if request.get("default_graphs"):
            options["default_graph"] = [NamedNode(g) for g in request["default_graphs"]]
        elif not names_dataset(query):   # a FROM clause in the query defines its own default graph
            options["use_default_graph_as_union"] = request.get("union", True)
        if request.get("named_graphs"):
            options["named_graphs"] = [NamedNode(g) for g in request["named_graphs"]]
            if not request.get("default_graphs"):   # a protocol dataset with no default graph: it is empty
                options.pop("use_default_graph_as_union", None)
                options["default_graph"] = []
        if request.get("bindings"):
            options["substitutions"] = {Variable(k.lstrip("?$")): parse_term(v) for k, v in request["bindings"].items()}
        if request.get("base_iri"):
            options["base_iri"] = request["base_iri"]
        result = self._evaluate(query, options)
        form = "solutions" if isinstance(result, QuerySolutions) else "boolean" if isinstance(result, QueryBoolean) else "graph"
        fmt = conneg.choose(form, request.get("accept"), request.get("format"))
        if fmt.results is not None:
            writer = FrameWriter(self.sock, fmt.content_type,
                                 ROW_MARKERS.get(fmt.name) if form == "solutions" else None, self.max_rows)
            result.serialize(writer, fmt.results)
        else:
            writer = FrameWriter(self.sock, fmt.content_type, None, self.max_rows)
            triples = islice(result, self.max_rows)
            if fmt.rdf.supports_datasets:
                triples = (Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
            serialize(triples, writer, fmt.rdf, prefixes=PREFIXES if fmt.rdf in PREFIXED_FORMATS else None)
        writer.finish()

    def _evaluate(self, query: str, options: dict):
        for attempt in (1, 2):
            try:
                return self.store.query(query, **options)
            except SyntaxError as exc:
                raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
            except (ValueError, TypeError, RuntimeError) as exc:
                if store_moved(exc):
                    raise                   # not the query's fault: handle() reopens and retries
                raise ProtocolError(400, f"cannot run the query: {exc}") from None
            except OSError as exc:
                if attempt == 2:
                    raise ProtocolError(503, f"the store could not be read: {exc}") from None
                self.reopen(self.generation)

    def op_dump(self, request: dict) -> None:
        """The whole store (quad formats) or one graph (`graph` None = the default graph)."""
        fmt = conneg.choose("graph", request.get("accept"), request.get("format"))
        graph = request.get("graph")
        node = DefaultGraph() if graph is None else NamedNode(graph)
        store = self.store
        writer = FrameWriter(self.sock, fmt.content_type, None, 0)
        if request.get("whole"):
            if fmt.rdf.supports_datasets:
                store.dump(writer, fmt.rdf, prefixes=PREFIXES if fmt.rdf in PREFIXED_FORMATS else None)
            else:   # every graph's triples in turn: streams in constant memory (the union view would
                    # de-duplicate through a set as large as the store); RDF graphs are sets, so a triple
                    # held by two graphs may be written twice without changing the graph
                triples = (Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None))
                serialize(triples, writer, fmt.rdf, prefixes=PREFIXES if fmt.rdf in PREFIXED_FORMATS else None)
        else:
            if graph is not None and not store.contains_named_graph(node):
                raise ProtocolError(404, f"no graph <{graph}> in the store")
            prefixes = PREFIXES if fmt.rdf in PREFIXED_FORMATS else None
            if fmt.rdf.supports_datasets:
                serialize(store.quads_for_pattern(None, None, None, node), writer, fmt.rdf, prefixes=prefixes)
            else:
                store.dump(writer, fmt.rdf, from_graph=node, prefixes=prefixes)
        writer.finish()

    def op_ping(self, request: dict) -> None:
        FrameWriter(self.sock, "text/plain", None, 0).finish()


def _die_with_parent() -> None:
    """Linux: end this worker when the server process dies, even by kill -9, so a runaway query
    never outlives the server that started it."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                                 # elsewhere the socket's end-of-file still ends an idle worker


def main(argv: list[str]) -> None:
    _die_with_parent()
    sock = socket.socket(fileno=int(argv[0]))
    config = json.loads(argv[1])
    try:
        worker = Worker(sock, config)
        worker.serve()
    except OSError as exc:
        try:
            sock.sendall(frame(ERROR, pickle.dumps((503, f"query worker cannot open the store: {exc}"))))
        except OSError:
            pass
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
