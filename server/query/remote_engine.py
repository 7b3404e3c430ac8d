"""The engine over a remote SPARQL 1.1 store (`--store sparql+http://...`): the same API as
`server.query.engine.QueryEngine`, answered by forwarding with the standard protocols.

- Queries go to the remote query endpoint (POST form, `default-graph-uri`/`named-graph-uri`,
  the preset's union-default-graph parameter); the answer streams back as it arrives.
- Updates and Graph Store writes go to the remote update / Graph Store endpoints (the token
  check happens here first, exactly as for the embedded store).
- SERVICE and LOAD are refused here before anything is sent; bindings travel as a trailing
  VALUES clause built from parsed terms (`store.terms.values_clause`), after the same
  projection check pyoxigraph applies.
- A remote that does not connect or answer in time gives 504, one that fails gives 502, each
  with a message naming the endpoint; nothing waits forever. The row cap is the remote's business.
"""
from __future__ import annotations

import json
import logging
import time
from typing import AsyncIterator

import httpx
from pyoxigraph import Quad, RdfFormat, serialize
from starlette.responses import Response, StreamingResponse

from common.config import Settings
from server.http import conneg
from server.query.engine import ResultShapes, check_bearer
from server.http.errors import ProtocolError
from server.http.safety import check_query, check_update
from server.query.evaluate import parse_term
from store.endpoints import parse_location
from store.errors import StoreError
from store.terms import check_bindable, values_clause

log = logging.getLogger("claimgraph.server")
MESSAGE_LIMIT = 500


class RemoteEngine(ResultShapes):
    """Forwards every operation to the remote store named by `settings.store`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        try:
            self.endpoints = parse_location(settings.store)
        except StoreError as exc:
            raise ProtocolError(500, str(exc)) from None
        self.client: httpx.AsyncClient | None = None
        self.allow = frozenset(settings.service_allow)

    # -- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        import os
        ep = self.endpoints
        headers = {"User-Agent": "claimgraph"}
        token = os.environ.get("CLAIMGRAPH_REMOTE_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = (ep.username, ep.password or "") if ep.username else None
        timeout = httpx.Timeout(min(ep.read_timeout, self.settings.query_timeout), connect=ep.connect_timeout)
        self.client = httpx.AsyncClient(headers=headers, auth=auth, timeout=timeout)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    @property
    def is_open(self) -> bool:
        return self.client is not None

    def health(self) -> dict:
        """What /healthz reports beside "ok": one process, reads sent to the remote store."""
        return {"serving_processes": 1, "reads_in_flight": None}

    # -- plumbing ----------------------------------------------------------------------------

    async def _send(self, method: str, url: str, what: str, **kwargs) -> httpx.Response:
        """Send with streaming; remote failures become 502/504 with the endpoint named."""
        try:
            request = self.client.build_request(method, url, **kwargs)
            response = await self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise ProtocolError(504, f"the remote store at {url} did not answer the {what} in time") from None
        except httpx.HTTPError as exc:
            raise ProtocolError(502, f"the remote store at {url} could not be reached: {exc}") from None
        if response.status_code >= 400:
            body = (await response.aread()).decode(errors="replace")[:MESSAGE_LIMIT]
            await response.aclose()
            status = response.status_code
            if status in (400, 404, 406, 415):   # the client's mistake, reported by the remote
                raise ProtocolError(status, f"the remote store refused the {what}: {body}")
            raise ProtocolError(502, f"the remote store at {url} failed the {what} (HTTP {status}): {body}")
        return response

    async def _relay(self, response: httpx.Response) -> AsyncIterator[bytes]:
        try:
            async for chunk in response.aiter_raw():
                yield chunk
        except httpx.TimeoutException:
            log.warning("remote store stopped sending mid-answer (timeout)")
            raise
        finally:
            await response.aclose()

    def _answer(self, response: httpx.Response, default_type: str) -> Response:
        headers = {"content-type": response.headers.get("content-type", default_type)}
        if response.headers.get("content-encoding"):
            headers["content-encoding"] = response.headers["content-encoding"]
        return StreamingResponse(self._relay(response), status_code=200, headers=headers)

    # -- queries -----------------------------------------------------------------------------

    def _accept(self, accept: str | None, format: str | None) -> str:
        if not format:
            return accept or "*/*"
        offered = []
        for form in ("solutions", "graph"):
            try:
                offered.append(conneg.choose(form, None, format).media_type)
            except ProtocolError:
                pass
        if not offered:
            raise ProtocolError(406, f"unknown format {format!r}")
        return ", ".join(offered)

    async def run(self, query: str, *, bindings: dict[str, str] | None = None, accept: str | None = None,
                  format: str | None = None, default_graph_uris: list[str] | None = None,
                  named_graph_uris: list[str] | None = None, base_iri: str | None = None,
                  page: tuple[int, int] | None = None, count: bool = False, page_by: str | None = None,
                  graph_of: str | None = None, page_keys: dict | None = None) -> Response:
        # page_by, graph_of, page_keys: the remote answers the whole query (same rows, only slower)
        if page is not None or count:
            return await self._paged(query, bindings, accept, format, page, count)
        check_query(query, self.allow)
        if bindings:
            terms = {name: parse_term(text) for name, text in bindings.items()}
            try:
                check_bindable(query, terms)
            except StoreError as exc:
                raise ProtocolError(400, str(exc)) from None
            query = query + values_clause(terms)
        form: list[tuple[str, str]] = [("query", query)]
        form += [("default-graph-uri", g) for g in default_graph_uris or []]
        form += [("named-graph-uri", g) for g in named_graph_uris or []]
        if (self.settings.union_default_graph and not default_graph_uris and not named_graph_uris
                and self.endpoints.union_param):
            form.append((self.endpoints.union_param, "true"))
        started = time.perf_counter()
        response = await self._send("POST", self.endpoints.query, "query", data=dict_multi(form),
                                    headers={"Accept": self._accept(accept, format)})
        if self.settings.log_queries:
            log.info("remote query answered in %.1f ms", (time.perf_counter() - started) * 1000)
        return self._answer(response, "application/octet-stream")

    async def _paged(self, query: str, bindings: dict[str, str] | None, accept: str | None, format: str | None,
                     page: tuple[int, int] | None, count: bool) -> Response:
        """A page (or the row count) cut here from the remote's whole JSON answer: the SPARQL
        protocol has no paging, and the query text is never edited."""
        from pyoxigraph import QueryResultsFormat, QuerySolutions, parse_query_results
        from server.query.paging import write_page
        from server.read_job import BufferSink
        result = parse_query_results(await self._collect(query, bindings, "json"), QueryResultsFormat.JSON)
        if not isinstance(result, QuerySolutions):
            raise ProtocolError(400, "paging and totals apply to SELECT queries")
        if count:
            return Response(json.dumps({"total": sum(1 for _ in result)}), media_type="application/json")
        fmt = conneg.choose("solutions", accept, format)
        sink = BufferSink()
        sink.begin(fmt.content_type, None, 0)
        write_page(result, page[0], page[1], sink, fmt.results)
        return Response(bytes(sink.buffer), media_type=fmt.content_type)

    async def _collect(self, query: str, bindings: dict[str, str] | None, format: str) -> bytes:
        response = await self.run(query, bindings=bindings, format=format)
        return b"".join([chunk async for chunk in response.body_iterator])

    # -- graphs ------------------------------------------------------------------------------

    def _gsp_params(self, graph: str | None) -> dict[str, str]:
        return {"graph": graph} if graph is not None else {"default": ""}

    async def dump(self, format: str, *, inferred: bool = True) -> Response:
        if not inferred:
            raise ProtocolError(400, "parameter 'inferred': leaving inferred graphs out needs the embedded store; "
                                     "use `claimgraph export --no-inferred` against the remote store")
        fmt = conneg.choose("graph", None, format)
        response = await self._send("GET", self.endpoints.gsp, "dump", headers={"Accept": fmt.media_type})
        return self._answer(response, fmt.media_type)

    async def graph(self, graph: str | None, *, accept: str | None, format: str | None = None) -> Response:
        fmt = conneg.choose("graph", accept, format)
        response = await self._send("GET", self.endpoints.gsp, "graph read", params=self._gsp_params(graph),
                                    headers={"Accept": fmt.media_type})
        return self._answer(response, fmt.media_type)

    async def graph_exists(self, graph: str | None) -> bool:
        if graph is None:
            return True
        try:
            # GET, not HEAD: some servers send a body with a HEAD 404, which corrupts the connection
            response = await self._send("GET", self.endpoints.gsp, "graph check", params=self._gsp_params(graph),
                                        headers={"Accept": "application/n-triples"})
        except ProtocolError as exc:
            if exc.status == 404:
                return False
            raise
        await response.aclose()
        return True

    # -- writes ------------------------------------------------------------------------------

    def check_token(self, authorization: str | None) -> None:
        check_bearer(self.settings.update_token, authorization)

    async def update(self, update: str, *, using_graph_uris: list[str] | None = None,
                     using_named_graph_uris: list[str] | None = None, base_iri: str | None = None) -> None:
        check_update(update, self.allow)
        form = [("update", update)] + [("using-graph-uri", g) for g in using_graph_uris or []] \
            + [("using-named-graph-uri", g) for g in using_named_graph_uris or []]
        response = await self._send("POST", self.endpoints.update, "update", data=dict_multi(form))
        await response.aclose()

    async def write_with(self, job):
        """Run `job(store)` against the remote store (a `store.remote.RemoteStore`), one at a time."""
        import asyncio
        from store import open_store
        if not hasattr(self, "_job_lock"):
            self._job_lock = asyncio.Lock()
        async with self._job_lock:
            def run():
                store = open_store(self.settings.store)
                try:
                    return job(store)
                finally:
                    store.close()
            return await asyncio.to_thread(run)

    async def _write(self, method: str, graph: str | None, quads: list[Quad] | None, what: str) -> int:
        content = serialize([Quad(q.subject, q.predicate, q.object) for q in quads], format=RdfFormat.N_TRIPLES) \
            if quads is not None else None
        headers = {"Content-Type": "application/n-triples"} if content is not None else {}
        response = await self._send(method, self.endpoints.gsp, what, params=self._gsp_params(graph),
                                    content=content, headers=headers)
        await response.aclose()
        return response.status_code

    async def put_graph(self, graph: str | None, quads: list[Quad]) -> bool:
        existed = await self.graph_exists(graph)
        await self._write("PUT", graph, quads, "graph replace")
        return not existed

    async def post_graph(self, graph: str | None, quads: list[Quad]) -> bool:
        existed = await self.graph_exists(graph)
        await self._write("POST", graph, quads, "graph merge")
        return not existed

    async def delete_graph(self, graph: str | None) -> None:
        await self._write("DELETE", graph, None, "graph delete")


def dict_multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """httpx form data with repeated fields."""
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value)
    return form
