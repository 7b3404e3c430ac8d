"""Answering one read — a query, a dump, one graph — from a pyoxigraph store into a byte sink.

This is the part of a read that runs off the event loop (in a thread: pyoxigraph releases the
GIL while it evaluates). The answer is serialised by pyoxigraph's Rust serialisers straight into
`sink`, a binary file object that also carries the media type, so big results never sit in
memory whole and nothing is serialised in Python.

Requests are plain dicts (the same shape every engine builds):
    {"op": "query", "query": str, "bindings": {var: N-Triples term} | None, "accept": str | None,
     "format": str | None, "default_graphs": [iri] | None, "named_graphs": [iri] | None,
     "union": bool, "base_iri": str | None}
    {"op": "dump", "whole": True, "format": str} | {"op": "dump", "graph": iri | None, "accept", "format"}
"""
from __future__ import annotations

import itertools
import json
from typing import Iterable, Iterator, Protocol

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, RdfFormat, Store, Triple, Variable,
                        parse, serialize)

from common.iris import PREFIXES
from server.http import conneg
from server.query import paging
from server.http.errors import ProtocolError
from server.http.safety import check_query
from server.http.update_dataset import names_dataset
from store.embedded import asserted_quads

PREFIXED_FORMATS = {RdfFormat.TURTLE, RdfFormat.TRIG}

# Counting rows in the serialised stream: the separator, and the count before the first row
# (JSON separates rows, so the first row has none; CSV and TSV end their header line too).
ROW_MARKERS = {"json": (b"},{", 1), "xml": (b"<result>", 0), "csv": (b"\r\n", -1), "tsv": (b"\n", -1)}


class RowCapExceeded(Exception):
    """More result rows (or CONSTRUCT/DESCRIBE triples) than the server's cap."""

    def __init__(self, unit: str = "rows") -> None:
        super().__init__(unit)
        self.unit = unit


class Sink(Protocol):
    """Where an answer goes: `begin` once with the media type, then `write` (file protocol)."""

    def begin(self, media_type: str, row_marker: tuple[bytes, int] | None, max_rows: int) -> None: ...
    def write(self, data: bytes) -> int: ...
    def flush(self) -> None: ...


class RowCounter:
    """Counts result rows in serialised output by a format's separator, to enforce the row cap
    without serialising in Python. It can only over-count (a literal containing the separator),
    so the cap is never exceeded."""

    def __init__(self, row_marker: tuple[bytes, int] | None, max_rows: int) -> None:
        self.marker, self.rows = row_marker if row_marker else (None, 0)
        self.max_rows, self.tail = max_rows, b""

    def count(self, data: bytes) -> None:
        if self.marker is None:
            return
        edge = len(self.marker) - 1          # also count a separator split between two writes
        self.rows += data.count(self.marker) + (self.tail + data[:edge]).count(self.marker)
        if edge:
            self.tail = data[-edge:] if len(data) >= edge else (self.tail + data)[-edge:]
        if self.rows > self.max_rows:
            raise RowCapExceeded()


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
    """A read failed because the writer changed the store's files under a read-only open.

    A read-only RocksDB open lists the table files of the moment it opened; the writer compacts
    in the background after a write and deletes files that list still names, and pyoxigraph
    reports the missing file as a RuntimeError "Corruption: IO error: No such file". The store
    is fine: opening it again reads the current files.
    """
    if isinstance(exc, OSError):
        return True
    text = str(exc)
    return isinstance(exc, RuntimeError) and ("Corruption" in text or "IO error" in text)


def answer(store: Store, request: dict, sink: Sink, *, max_rows: int, service_allow: frozenset[str],
           generation: object = None) -> None:
    """Write the answer to `request` into `sink`; ProtocolError for the client's mistakes.
    `generation`: the store's write generation, if the caller knows it (what may be kept between
    reads, like the document order of paging by document, is kept per generation)."""
    if request["op"] == "query":
        return _query(store, request, sink, max_rows, service_allow, generation)
    if request["op"] == "dump":
        return _dump(store, request, sink)
    raise ValueError(f"unknown read operation {request['op']!r}")


def _query(store: Store, request: dict, sink: Sink, max_rows: int, allow: frozenset[str],
           generation: object = None) -> None:
    query = request["query"]
    check_query(query, allow)
    options = _dataset_options(query, request)
    if request.get("bindings"):
        options["substitutions"] = {Variable(k.lstrip("?$")): parse_term(v) for k, v in request["bindings"].items()}
    if request.get("base_iri"):
        options["base_iri"] = request["base_iri"]
    bound = (options.get("substitutions") or {}).get(Variable(request.get("graph_of") or "unbound"))
    if bound is not None and _union_only(options):   # rows-in-graph-of: only those graphs can answer
        options["named_graphs"] = paging.graphs_holding(store, bound) + [paging.ONTOLOGY]
    page = request.get("page")
    if page is not None and not request.get("count") and _by_document(request, options):
        # before the whole query is evaluated: pyoxigraph sorts an ORDER BY answer when the query
        # is run, not when its first row is read (page-by is only accepted on a SELECT)
        fmt = conneg.choose("solutions", request.get("accept"), request.get("format"))
        run = lambda text, opts: _evaluate(store, text, opts)
        order = paging.document_order(store, run, generation)
        variables, rows = paging.by_document(run, query, options, page["offset"], page["limit"], order)
        sink.begin(fmt.content_type, None, max_rows)
        paging.write_rows(variables, rows, sink, fmt.results)
        return
    if (page is not None and not request.get("count") and page["offset"] + page["limit"] <= paging.KEYED_ROWS
            and _by_keys(request, options)):
        run = lambda text, opts: _evaluate(store, text, opts)
        key_vars = request["page_keys"]["variables"]
        keys = paging.sorted_keys(store, run, request["page_keys"]["query"], key_vars, options, generation)
        if keys is not None:   # else: a key this module cannot sort as SPARQL does; the whole query
            fmt = conneg.choose("solutions", request.get("accept"), request.get("format"))
            graphs_of = lambda identifier: paging.graphs_holding(store, identifier)
            variables, rows = paging.by_keys(run, query, options, page["offset"], page["limit"], keys, key_vars,
                                             graphs_of)
            sink.begin(fmt.content_type, None, max_rows)
            paging.write_rows(variables, rows, sink, fmt.results)
            return
    result = _evaluate(store, query, options)
    form = "solutions" if isinstance(result, QuerySolutions) else "boolean" if isinstance(result, QueryBoolean) else "graph"
    if request.get("count") and form != "boolean":
        sink.begin("application/json", None, 0)
        sink.write(json.dumps({"total": sum(1 for _ in result)}).encode())
        return
    fmt = conneg.choose(form, request.get("accept"), request.get("format"))
    if page is not None and form == "solutions":
        sink.begin(fmt.content_type, None, max_rows)
        paging.write_page(result, page["offset"], page["limit"], sink, fmt.results)
        return
    if page is not None and form == "graph":
        result = itertools.islice(result, page["offset"], page["offset"] + page["limit"])
    if fmt.results is not None:
        sink.begin(fmt.content_type, ROW_MARKERS.get(fmt.name) if form == "solutions" else None, max_rows)
        result.serialize(sink, fmt.results)
        return
    sink.begin(fmt.content_type, None, max_rows)
    triples = _capped(result, max_rows)
    if fmt.rdf.supports_datasets:
        triples = (Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    serialize(triples, sink, fmt.rdf, prefixes=PREFIXES if fmt.rdf in PREFIXED_FORMATS else None)


def _capped(triples: Iterable[Triple], max_rows: int) -> Iterator[Triple]:
    """A graph answer's triples, refused past the cap as a SELECT's rows are: a client must never
    take a cut graph for the whole one."""
    for count, triple in enumerate(triples, 1):
        if count > max_rows:
            raise RowCapExceeded("triples")
        yield triple


def _by_document(request: dict, options: dict) -> bool:
    """Whether a page can be taken document by document: the named query says its rows go by
    document (`page-by: document`) and the request sets no dataset of its own."""
    return request.get("page_by") == "document" and _union_only(options)


def _by_keys(request: dict, options: dict) -> bool:
    """Whether a page can be taken by page keys: the named query has a key query (`page-by: keys`)
    and the request sets no dataset of its own."""
    return request.get("page_by") == "keys" and bool(request.get("page_keys")) and _union_only(options)


def _union_only(options: dict) -> bool:
    """The request's dataset is the store's union default graph and all its named graphs."""
    return (options.get("use_default_graph_as_union") is True
            and "named_graphs" not in options and "default_graph" not in options)


def _dataset_options(query: str, request: dict) -> dict:
    """The query's dataset: protocol graphs, else the query's own FROM, else the union default."""
    options: dict = {}
    if request.get("default_graphs"):
        options["default_graph"] = [NamedNode(g) for g in request["default_graphs"]]
    elif not names_dataset(query):
        options["use_default_graph_as_union"] = request.get("union", True)
    if request.get("named_graphs"):
        options["named_graphs"] = [NamedNode(g) for g in request["named_graphs"]]
        if not request.get("default_graphs"):   # a protocol dataset with no default graph: it is empty
            options.pop("use_default_graph_as_union", None)
            options["default_graph"] = []
    return options


def _evaluate(store: Store, query: str, options: dict):
    try:
        return store.query(query, **options)
    except SyntaxError as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
    except (ValueError, TypeError, RuntimeError) as exc:
        if store_moved(exc):
            raise                   # not the query's fault: the caller reopens and retries
        raise ProtocolError(400, f"cannot run the query: {exc}") from None


def _dump(store: Store, request: dict, sink: Sink) -> None:
    """The whole store (quad formats) or one graph (`graph` None = the default graph)."""
    fmt = conneg.choose("graph", request.get("accept"), request.get("format"))
    prefixes = PREFIXES if fmt.rdf in PREFIXED_FORMATS else None
    if request.get("whole"):
        sink.begin(fmt.content_type, None, 0)
        if request.get("inferred") is False:   # asserted data only, graph by graph
            quads = asserted_quads(store)
            if not fmt.rdf.supports_datasets:
                quads = (Triple(q.subject, q.predicate, q.object) for q in quads)
            serialize(quads, sink, fmt.rdf, prefixes=prefixes)
        elif fmt.rdf.supports_datasets:
            store.dump(sink, fmt.rdf, prefixes=prefixes)
        else:   # every graph's triples in turn: streams in constant memory (the union view would
                # de-duplicate through a set as large as the store); RDF graphs are sets, so a triple
                # held by two graphs may be written twice without changing the graph
            triples = (Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None))
            serialize(triples, sink, fmt.rdf, prefixes=prefixes)
        return
    graph = request.get("graph")
    node = DefaultGraph() if graph is None else NamedNode(graph)
    if graph is not None and not store.contains_named_graph(node):
        raise ProtocolError(404, f"no graph <{graph}> in the store")
    sink.begin(fmt.content_type, None, 0)
    if fmt.rdf.supports_datasets:
        serialize(store.quads_for_pattern(None, None, None, node), sink, fmt.rdf, prefixes=prefixes)
    else:
        store.dump(sink, fmt.rdf, from_graph=node, prefixes=prefixes)
