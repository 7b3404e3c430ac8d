"""The hot path: GET /sparql?query=... answered in a plain ASGI layer, before FastAPI's routing.

Small queries are dominated by per-request Python work in the server process; routing, the
Request object, dependency solving and the exception middleware cost about as much as the
query itself. This layer handles the one overwhelmingly common shape — a GET with exactly one
`query` and dataset/format parameters — with the same functions the `/sparql` route uses
(`server.protocol`, `engine.run`), and hands every other request to the full application,
which stays the single place that documents the route (OpenAPI) and answers everything else.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.responses import PlainTextResponse

from server.errors import ProtocolError
from server.protocol import _multi, _single

FAST_KEYS = frozenset({"query", "default-graph-uri", "named-graph-uri", "format"})


class SparqlFastPath:
    def __init__(self, app, engine, path: str = "/sparql") -> None:
        self.app, self.engine, self.path = app, engine, path

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path
                or not scope["query_string"]):
            return await self.app(scope, receive, send)
        params = _multi(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        if not params.keys() <= FAST_KEYS or len(params.get("query", ())) != 1:
            return await self.app(scope, receive, send)    # errors, service description, odd requests
        accept = host = None
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
            elif name == b"host":
                host = value.decode("latin-1")
        if host is None and scope.get("server"):
            host = "%s:%d" % tuple(scope["server"])
        base_iri = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{self.path}"
        format = params.get("format")
        try:
            operation = _single(params)
            response = await self.engine.run(operation.text, accept=accept, format=format[-1] if format else None,
                                             default_graph_uris=params.get("default-graph-uri"),
                                             named_graph_uris=params.get("named-graph-uri"), base_iri=base_iri)
        except ProtocolError as exc:
            response = PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)
        await response(scope, receive, send)
