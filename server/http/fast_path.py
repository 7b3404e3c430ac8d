"""The hot path: queries to /sparql answered in a plain ASGI layer, outside FastAPI.

Small queries are dominated by per-request Python work in the server process; routing, the
Request object, dependency solving and the exception middleware cost about as much as the
query itself. This layer handles the common shapes — GET `?query=`, POST form `query=`, POST
`application/sparql-query`, with dataset/format parameters — with the same functions the
`/sparql` route uses (`server.http.protocol`, `engine.run`). Everything else (updates, the service
description, anything unusual) goes on to the full application, with the body replayed, and
that application stays the one place that documents the route (OpenAPI).
"""
from __future__ import annotations

import logging

from starlette.responses import PlainTextResponse

from server.http.errors import ProtocolError
from server.http.protocol import FORM, QUERY_TYPE, Operation, _multi, _single, decode_pairs, from_body, split_content_type

log = logging.getLogger("claimgraph.server")
FAST_KEYS = frozenset({"query", "default-graph-uri", "named-graph-uri", "format"})


class SparqlFastPath:
    def __init__(self, app, engine, max_body_bytes: int, path: str = "/sparql") -> None:
        self.app, self.engine, self.limit, self.path = app, engine, max_body_bytes, path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in ("GET", "POST"):
            return await self.app(scope, receive, send)
        headers = {}
        for name, value in scope["headers"]:
            if name in (b"accept", b"host", b"content-type", b"content-length"):
                headers[name] = value.decode("latin-1")
        try:
            url_params = _multi(decode_pairs(scope["query_string"].decode("latin-1")))
        except UnicodeDecodeError:
            return await self.app(scope, receive, send)     # the application's own parser reports it
        try:
            if scope["method"] == "GET":
                if not scope["query_string"]:
                    return await self.app(scope, receive, send)     # the service description
                operation = _single(url_params)
            else:
                media, params = split_content_type(headers.get(b"content-type"))
                if media not in (FORM, QUERY_TYPE):
                    return await self.app(scope, receive, send)     # updates, errors
                body = await self._body(receive, headers.get(b"content-length"))
                operation = from_body(media, params, body, url_params)
                if operation.kind != "query":
                    return await self.app(scope, _replay(body, receive), send)
            if operation.kind != "query" or not operation.params.keys() <= FAST_KEYS:
                if scope["method"] == "GET":
                    return await self.app(scope, receive, send)
                return await self.app(scope, _replay(body, receive), send)
            response = await self._run(scope, headers, operation)
        except ProtocolError as exc:
            response = PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)
        except Exception:      # outside FastAPI's error middleware: same answer as the app's handler
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            response = PlainTextResponse("internal error (logged on the server)\n", status_code=500)
        await response(scope, receive, send)

    async def _run(self, scope, headers: dict, operation: Operation):
        host = headers.get(b"host")
        if host is None and scope.get("server"):
            host = "%s:%d" % tuple(scope["server"])
        base_iri = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{self.path}"
        return await self.engine.run(operation.text, accept=headers.get(b"accept"), format=operation.one("format"),
                                     default_graph_uris=operation.values("default-graph-uri"),
                                     named_graph_uris=operation.values("named-graph-uri"), base_iri=base_iri)

    async def _body(self, receive, declared: str | None) -> bytes:
        if declared and declared.isdigit() and int(declared) > self.limit:
            raise ProtocolError(413, f"request body of {declared} bytes is over the {self.limit}-byte limit")
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                raise ProtocolError(400, "the client went away before sending the body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise ProtocolError(413, f"request body is over the {self.limit}-byte limit")
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _replay(body: bytes, receive):
    """A receive() that hands the already-read body to the application once, then the real stream."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replayed
