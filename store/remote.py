"""A remote SPARQL 1.1 store, spoken to only through the W3C protocols (Query, Update, GSP).

Used when the graph outgrows one machine or when the embedded store is held by a running
server: `--store sparql+http://host:port/path` (see `store.endpoints` for how the endpoint
URLs are found). Every answer is turned back into pyoxigraph objects so callers cannot tell
which store answered:
- SELECT / ASK: the SPARQL JSON results parsed by `pyoxigraph.parse_query_results`;
- CONSTRUCT / DESCRIBE: the N-Triples answer loaded into a scratch in-memory pyoxigraph Store
  and re-read, which yields a genuine `QueryTriples`.

`replace_graph` is ONE request per document: a SPARQL update `DROP SILENT GRAPH g ; INSERT
DATA {...}` (atomic on engines that run an update request as one transaction, as Oxigraph and
Fuseki do), or a Graph Store `PUT` of the graph as N-Triples (the preset for claimgraph serve,
whose PUT is its own atomic replace_graph, and for Virtuoso; `?replace=gsp|update` chooses).
Both are idempotent. Bindings are checked locally with pyoxigraph's own rules (a SELECT must
project every bound variable, as on the embedded store) and sent as a trailing `VALUES`
clause built from serialized terms, since the protocol has no parameter binding.
Every timeout and HTTP error becomes a StoreError naming the endpoint, status and message.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

import httpx
from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryResultsFormat, RdfFormat, Store, Triple, parse,
                        parse_query_results, serialize)

from common.iris import PREFIXES, is_inferred_graph
from store import sparql
from store.base import GraphStore, QueryResult, Term
from store.endpoints import Endpoints, parse_location
from store.errors import QuerySyntaxError, StoreError, StoreTimeout, StoreUnavailable
from store.formats import format_for_path, rdf_format
from store.terms import check_bindable, graph_node, ntriples_lines, family, replace_graphs_update, replace_update, values_clause

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
QUERY_ACCEPT = f"{RESULTS_JSON}, {RESULTS_XML};q=0.9, {N_TRIPLES};q=0.9, text/turtle;q=0.5"
GRAPH_ACCEPT = f"{N_TRIPLES}, text/turtle;q=0.5"
# The query form, after the prologue (comments, BASE, PREFIX): some engines (Virtuoso) answer a
# CONSTRUCT in SPARQL JSON when that is the first type accepted, so RDF is asked for explicitly.
QUERY_FORM = re.compile(r"^(?:\s|#[^\n]*+|BASE\s*+<[^>]*+>|PREFIX\s++[^\s:]*+:\s*+<[^>]*+>)*+"
                        r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
LOAD_BATCH = 10_000          # quads per INSERT DATA request during a bulk load
MESSAGE_LIMIT = 600
OFF_STANDARD_JSON = (b'"bnode"', b'"typed-literal"', b'"__ASK_RETVAL"')   # parsing is lazy: look first
BNODE_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class _ChunkReader(io.RawIOBase):
    """A file-like view of an HTTP response body, so pyoxigraph parses it while it streams in."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def repair_results_json(body: bytes) -> bytes:
    """Bring an engine's off-standard SPARQL JSON results to the W3C form pyoxigraph parses.

    Seen in Virtuoso 7: blank node labels such as `nodeID://b10006`, the pre-1.1 `typed-literal`
    term type, and ASK answered as a one-row SELECT of `__ASK_RETVAL`.
    """
    document = json.loads(body)
    head_vars = document.get("head", {}).get("vars", [])
    bindings = document.get("results", {}).get("bindings", [])
    if head_vars == ["__ASK_RETVAL"] and "boolean" not in document:
        value = bindings[0]["__ASK_RETVAL"]["value"] if bindings else "0"
        return json.dumps({"head": {}, "boolean": value not in ("0", "false")}).encode("utf-8")
    for row in bindings:
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            elif term.get("type") == "bnode" and not BNODE_LABEL.match(term.get("value", "")):
                term["value"] = "b" + hashlib.sha1(term["value"].encode("utf-8")).hexdigest()[:24]
    return json.dumps({"head": document.get("head", {}), "results": {"bindings": bindings}}).encode("utf-8")


class RemoteStore(GraphStore):
    """A SPARQL 1.1 service reached over HTTP(S)."""

    is_remote = True

    def __init__(self, location: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.location = location
        self.endpoints: Endpoints = parse_location(location)
        headers = {"User-Agent": "claimgraph"}
        token = os.environ.get("CLAIMGRAPH_REMOTE_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = (httpx.BasicAuth(self.endpoints.username, self.endpoints.password or "")
                if self.endpoints.username else None)
        timeout = httpx.Timeout(self.endpoints.read_timeout, connect=self.endpoints.connect_timeout)
        self._client: httpx.Client | None = httpx.Client(headers=headers, auth=auth, timeout=timeout,
                                                          transport=transport, follow_redirects=False)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r}, preset={self.endpoints.preset!r})"

    # --- HTTP plumbing: every failure becomes a StoreError that says where and why -------------

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            raise StoreError(f"remote store {self.endpoints.query} is closed")
        return self._client

    def _fail(self, response: httpx.Response, url: str, kind: str) -> StoreError:
        try:
            body = response.read().decode("utf-8", errors="replace").strip()
        except httpx.HTTPError:
            body = ""
        message = body[:MESSAGE_LIMIT] or response.reason_phrase
        status = response.status_code
        where = f"remote store {url} answered {status}"
        if status == 400 and kind in {"query", "update"}:
            return QuerySyntaxError(f"{where}: {message}")
        if status in (401, 403):
            return StoreError(f"{where} (not allowed): {message}; set CLAIMGRAPH_REMOTE_TOKEN "
                              "or put user:password in the location")
        if status == 404:
            return StoreError(f"{where} (no such endpoint or graph): {message}; check the location's "
                              "preset=, update= and store= parameters")
        if status >= 500:
            return StoreUnavailable(f"{where}: {message}")
        return StoreError(f"{where}: {message}")

    @contextmanager
    def _request(self, method: str, url: str, *, kind: str, **kwargs) -> Iterator[httpx.Response]:
        """One HTTP exchange, streamed; yields the response once it has a success status."""
        try:
            with self.client.stream(method, url, **kwargs) as response:
                if response.status_code >= 300:
                    raise self._fail(response, url, kind)
                yield response
        except httpx.TimeoutException as exc:
            raise StoreTimeout(f"remote store {url} did not answer in time ({type(exc).__name__}; "
                               f"connect {self.endpoints.connect_timeout:g}s, read "
                               f"{self.endpoints.read_timeout:g}s — set timeout= on the location or "
                               "CLAIMGRAPH_REMOTE_TIMEOUT)") from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"cannot reach remote store {url}: {exc or type(exc).__name__}") from None

    def _post_update(self, sparql_text: str) -> None:
        with self._request("POST", self.endpoints.update, kind="update", data={"update": sparql_text}) as response:
            response.read()

    def _query_form(self, sparql_text: str, default_union: bool, default_graphs: list[str] | None,
                    named_graphs: list[str] | None) -> dict:
        form: dict = {"query": sparql_text}
        if default_graphs is not None:
            form["default-graph-uri"] = [graph_node(g).value for g in default_graphs]
        elif default_union and self.endpoints.union_param and named_graphs is None:
            form[self.endpoints.union_param] = "true"
        if named_graphs is not None:
            form["named-graph-uri"] = [graph_node(g).value for g in named_graphs]
        return form

    # --- GraphStore ---------------------------------------------------------------------------

    def query(self, sparql_text: str, *, bindings: dict[str, Term] | None = None, default_union: bool = True,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
        if bindings:
            check_bindable(sparql_text, bindings)
            sparql_text = sparql_text + values_clause(bindings)
        form = self._query_form(sparql_text, default_union, default_graphs, named_graphs)
        form_match = QUERY_FORM.match(sparql_text)
        is_graph = form_match is not None and form_match.group(1).upper() in {"CONSTRUCT", "DESCRIBE"}
        with self._request("POST", self.endpoints.query, kind="query", data=form,
                           headers={"Accept": GRAPH_ACCEPT if is_graph else QUERY_ACCEPT}) as response:
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
            body = response.read()
        return self._parse_answer(media, body)

    def _parse_answer(self, media: str, body: bytes) -> QueryResult:
        try:
            results_format = QueryResultsFormat.from_media_type(media) if media else None
            if results_format is not None:
                if results_format == QueryResultsFormat.JSON and any(mark in body for mark in OFF_STANDARD_JSON):
                    body = repair_results_json(body)
                return parse_query_results(body, results_format)
            rdf = RdfFormat.from_media_type(media) if media else None
            if rdf is not None:
                scratch = Store()
                scratch.load(body, rdf, to_graph=DefaultGraph())
                return scratch.query(sparql.load("all_triples"))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"remote store {self.endpoints.query} sent an unreadable {media} answer: {exc}") from None
        raise StoreError(f"remote store {self.endpoints.query} answered with unexpected content type {media!r}")

    def update(self, sparql_text: str, *, rewrites: Sequence[str] = ()) -> None:
        """`rewrites` is not needed here: a remote store keeps no summary (reasoning/summary.py)."""
        self._post_update(sparql_text)

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        node = graph_node(graph)
        if self.endpoints.replace_mode == "gsp":
            body = "".join(ntriples_lines(quads)).encode("utf-8")
            if body:
                with self._request("PUT", self.endpoints.gsp, kind="gsp", params={"graph": node.value},
                                   content=body, headers={"Content-Type": N_TRIPLES}) as response:
                    response.read()
                return
            return self.drop_graph(graph)
        self._post_update(replace_update(node, quads))

    def replace_graph_nquads(self, graph: str, data: bytes) -> None:
        """A document's N-Quads, its graph and its inferred graph (store.embedded.family): one
        update request with the update protocol (atomic); with Graph Store PUTs, the inferred
        graph first and then the document (two requests: a reader may briefly see new
        inferences beside the old document)."""
        nodes = [graph_node(member) for member in family(graph)]
        try:
            quads = list(parse(data, format=RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise StoreError(f"the data for graph {graph} is not valid N-Quads: {exc}") from None
        if self.endpoints.replace_mode != "gsp":
            return self._post_update(replace_graphs_update(nodes, quads))
        for node in reversed(nodes):
            self.replace_graph(node.value, [q for q in quads if q.graph_name == node])

    def drop_graph(self, graph: str) -> None:
        members = family(graph)
        if len(members) > 1:
            for member in reversed(members):
                self._drop_one(member)
            return
        self._drop_one(graph)

    def _drop_one(self, graph: str) -> None:
        node = graph_node(graph)
        if self.endpoints.replace_mode != "gsp":
            return self._post_update(replace_update(node, ()))
        try:
            with self._request("DELETE", self.endpoints.gsp, kind="gsp", params={"graph": node.value}) as response:
                response.read()
        except StoreError as exc:
            if "answered 404" not in str(exc):   # GSP: deleting a missing graph is a 404
                raise

    def graphs(self) -> list[str]:
        result = self.query(sparql.load("graphs"), default_union=False)
        hidden = self.endpoints.system_graphs
        return sorted(row["g"].value for row in result
                      if isinstance(row["g"], NamedNode) and not row["g"].value.startswith(hidden))

    def _graph_triples(self, graph: str | None, union: bool) -> Iterator[Triple]:
        """Stream the triples of one graph (or the default view) as they arrive."""
        default_graphs = [graph] if graph is not None else None
        form = self._query_form(sparql.load("all_triples"), union, default_graphs, None)
        with self._request("POST", self.endpoints.query, kind="query", data=form,
                           headers={"Accept": N_TRIPLES}) as response:
            reader = io.BufferedReader(_ChunkReader(response.iter_bytes()))
            try:
                for quad in parse(reader, RdfFormat.N_TRIPLES):
                    yield Triple(quad.subject, quad.predicate, quad.object)
            except SyntaxError as exc:
                raise StoreError(f"remote store {self.endpoints.query} sent unreadable N-Triples: {exc}") from None

    def _graph_quads(self, graph: str) -> Iterator[Quad]:
        node = graph_node(graph)
        for triple in self._graph_triples(graph, union=False):
            yield Quad(triple.subject, triple.predicate, triple.object, node)

    def dump(self, out: BinaryIO, format: str, graph: str | None = None, *, inferred: bool = True) -> None:
        """Stream the store over the query protocol (CONSTRUCT as N-Triples), re-serialized locally.

        A whole-store quad dump (TriG, N-Quads) covers the named graphs (claimgraph writes
        nothing to the default graph); a whole-store triple dump is the union view, asked with
        the engine's union parameter when it has one, else graph by graph.
        """
        fmt = rdf_format(format)
        prefixes = PREFIXES if fmt.name in {"Turtle", "TriG", "N3"} else None
        if graph is not None:
            exists = self.query(sparql.load("graph_exists"), default_graphs=[graph])
            if not bool(exists):
                raise StoreError(f"no graph {graph} in {self.endpoints.query}")
            items = self._graph_quads(graph) if fmt.supports_datasets else self._graph_triples(graph, union=False)
        elif fmt.supports_datasets:
            items = itertools.chain.from_iterable(self._graph_quads(g) for g in self._graphs(inferred))
        elif not inferred:
            items = itertools.chain.from_iterable(self._graph_triples(g, union=False) for g in self._graphs(False))
        elif self.endpoints.union_param:
            items = self._graph_triples(None, union=True)
        else:
            items = itertools.chain.from_iterable(self._graph_triples(g, union=False) for g in self.graphs())
        try:
            serialize(items, out, fmt, prefixes=prefixes)
        except OSError as exc:
            raise StoreError(f"export of {self.endpoints.query} failed: {exc}") from None

    def _graphs(self, inferred: bool) -> list[str]:
        return [g for g in self.graphs() if inferred or not is_inferred_graph(g)]

    def load(self, path: str | Path, format: str | None = None, graph: str | None = None) -> None:
        """Parse the file locally as it is read and send it in INSERT DATA batches (not atomic)."""
        fmt = format_for_path(path, format)
        target = graph_node(graph) if graph is not None else None
        try:
            quads = parse(path=str(path), format=fmt)
            while batch := list(itertools.islice(quads, LOAD_BATCH)):
                if self.endpoints.replace_mode == "gsp":
                    self._post_graphs(batch, target)
                else:
                    self._post_update(self._insert_data(batch, target))
        except SyntaxError as exc:
            raise StoreError(f"{path} is not valid {fmt.name}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc}") from None

    def _post_graphs(self, batch: list[Quad], target: NamedNode | None) -> None:
        """Add a batch through the Graph Store protocol: one POST (merge) per graph in it."""
        for graph, quads in self._by_graph(batch, target).items():
            params = {"default": ""} if isinstance(graph, DefaultGraph) else {"graph": graph.value}
            body = "".join(ntriples_lines(quads)).encode("utf-8")
            with self._request("POST", self.endpoints.gsp, kind="gsp", params=params, content=body,
                               headers={"Content-Type": N_TRIPLES}) as response:
                response.read()

    @staticmethod
    def _by_graph(batch: list[Quad], target: NamedNode | None) -> dict[object, list[Quad]]:
        by_graph: dict[object, list[Quad]] = {}
        for quad in batch:
            graph = target if target is not None and isinstance(quad.graph_name, DefaultGraph) else quad.graph_name
            by_graph.setdefault(graph, []).append(quad)
        return by_graph

    @classmethod
    def _insert_data(cls, batch: list[Quad], target: NamedNode | None) -> str:
        blocks = []
        for graph, quads in cls._by_graph(batch, target).items():
            body = "".join(ntriples_lines(quads))
            blocks.append(body if isinstance(graph, DefaultGraph) else f"GRAPH {graph} {{\n{body}}}\n")
        return "INSERT DATA {\n" + "".join(blocks) + "}"

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None
