"""The claimgraph HTTP server: SPARQL 1.1 Protocol, Graph Store Protocol, dumps, and the UI routers.

Routes (all documented in the OpenAPI schema at /docs and /openapi.json):
- `/sparql` — SPARQL 1.1 Protocol. GET `?query=`, POST form `query=` / `update=`, POST
  `application/sparql-query` / `application/sparql-update`; `default-graph-uri`,
  `named-graph-uri`, `using-graph-uri`, `using-named-graph-uri`; `format=` overrides Accept.
  GET without a query answers a SPARQL Service Description.
- `/store?graph=IRI` or `/store?default` — Graph Store Protocol (indirect identification):
  GET/HEAD open, PUT/POST/DELETE need the bearer token. POST `/store` without a graph creates a
  new graph (201 + Location, itself readable at `/store/graph/{id}`).
- `/dump.ttl`, `/dump.trig`, `/dump.nq` — the whole store, streamed.
- `/healthz` — 200 once the store is open.

The default graph of a query is the union of all graphs (`settings.union_default_graph`,
CLAIMGRAPH_UNION_DEFAULT_GRAPH=false turns it off so the default graph is the store's own
unnamed graph); named graphs are reachable with GRAPH <iri> either way. The Graph Store
Protocol's `?default` always addresses the store's unnamed default graph.

Writes are off unless a token is configured (`--token` / CLAIMGRAPH_UPDATE_TOKEN); SERVICE is
refused unless CLAIMGRAPH_SERVICE_ALLOW names the endpoint; queries stop at
`settings.query_timeout` (503); bodies over `settings.max_body_bytes` get 413.
"""
from __future__ import annotations

import importlib
import logging
import os
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response

from common.config import Settings
from server.http import conneg
from server.query.engine import QueryEngine, parse_rdf
from server.http.errors import ProtocolError
from server.http import access_log
from server.http.fast_path import SparqlFastPath
from server.http.protocol import from_get, from_post, read_body, split_content_type

log = logging.getLogger("claimgraph.server")

UI_ROUTERS = ("server.routes.named_queries", "server.routes.linked_data", "server.routes.pages",
              "server.routes.corrections")
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

SPARQL_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"},
     "description": "A SPARQL 1.1 query (GET). Without query or update, GET answers a Service Description."},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Graph(s) whose merge is the query's default graph (overrides the union default)."},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Graph(s) a GRAPH clause may address."},
    {"name": "using-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Update only: graphs the WHERE of each DELETE/INSERT reads as default graph."},
    {"name": "using-named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Update only: named graphs the WHERE of each DELETE/INSERT may address."},
    {"name": "format", "in": "query", "schema": {"type": "string"},
     "description": "Overrides Accept: json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, rdfxml, jsonld, "
                    "trig, nquads (CONSTRUCT/DESCRIBE)."},
]
SPARQL_POST_BODY = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/sparql-update": {"schema": {"type": "string"}}}}}
GSP_PARAMETERS = [
    {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "The graph's IRI."},
    {"name": "default", "in": "query", "schema": {"type": "string"}, "allowEmptyValue": True,
     "description": "Present (with no value) to address the store's unnamed default graph."},
]
GSP_BODY = {"requestBody": {"content": {media: {"schema": {"type": "string"}} for media in (
    "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
    "application/trig", "application/n-quads", "multipart/form-data")}}}
RESULT_CONTENT = {"content": {f.media_type: {} for f in conneg.RESULT_FORMATS + conneg.GRAPH_FORMATS}}
ERRORS = {400: {"description": "Bad request (syntax error, two operations, SERVICE refused, ...)"},
          406: {"description": "No acceptable result format"}, 413: {"description": "Body too large"},
          415: {"description": "Unsupported Content-Type"},
          503: {"description": "Query timeout or no free worker"}}
WRITE_ERRORS = {401: {"description": "No bearer token"}, 403: {"description": "Wrong token, or writes disabled"}}


def create_app(settings: Settings, *, role: str = "standalone", shared=None, slot: int = 0,
               writer_socket: str | None = None, lifecycle=None) -> FastAPI:
    """The FastAPI application over the store named by `settings.store`.

    `role` (see `server.query.engine`): "standalone" owns the store and does everything in one
    process; under `claimgraph serve` the serving processes are "replica"s (reads here, writes
    forwarded to `writer_socket`) and the writer process is "writer" (`shared` is the
    `server.processes.shared_state.SharedState` between them, `slot` a serving process's place in it).
    `lifecycle` has `async start(app)` / `async stop()` run after the engine starts / before it
    stops (the writer uses it to supervise the serving processes)."""
    engine = _make_engine(settings, role=role, shared=shared, slot=slot)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import asyncio
        if settings.log_queries:      # here, not before uvicorn starts: its logging set-up closes older handlers
            _buffered_logging()
        await engine.start()
        flusher = asyncio.get_running_loop().create_task(_flush_logs())
        try:
            if lifecycle is not None:
                await lifecycle.start(app)
            yield
        finally:
            if lifecycle is not None:
                await lifecycle.stop()
            flusher.cancel()
            await engine.stop()
            for handler in LOG_BUFFERS:
                handler.flush()
            access_log.flush()

    # FastAPI's own /docs and /redoc load their scripts from a CDN; the API reference is served
    # from the project's npm assets at /api/docs instead, and /docs points there.
    app = FastAPI(title="claimgraph", description=__doc__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  version="0.1", openapi_tags=[{"name": "SPARQL"}, {"name": "Graph Store"}, {"name": "status"}])
    app.state.engine = engine
    app.state.settings = settings
    _add_error_handlers(app)
    _add_sparql_routes(app, engine, settings)
    _add_graph_store_routes(app, engine, settings)
    _add_status_routes(app, engine)
    for module_name in UI_ROUTERS:
        app.include_router(importlib.import_module(module_name).router)
    app.state.writer_socket = writer_socket
    app.state.public = role != "writer"      # the writer answers only the serving processes: they log and add CORS
    return app


def asgi_app(app: FastAPI):
    """What uvicorn serves: `app` behind the request log, CORS and the /sparql fast path.

    They wrap the FastAPI application from outside, so a query on the hot path never enters
    FastAPI's own middleware stack, routing or dependency solving — per-request Python is most
    of the cost of a small query. In a serving process, writes are passed to the writer process
    (`server.processes.forward`) before FastAPI sees them."""
    settings, engine = app.state.settings, app.state.engine
    stack = app
    if app.state.writer_socket is not None:
        from server.processes.forward import WriteForwarder
        stack = WriteForwarder(stack, app.state.writer_socket)
    stack = SparqlFastPath(stack, engine=engine, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins and app.state.public:
        stack = CORSMiddleware(stack, allow_origins=list(settings.cors_origins),
                               allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
                               allow_headers=["*"], expose_headers=["Location", "Content-Type"])
    if settings.log_queries and app.state.public:
        stack = access_log.AccessLog(stack)
    return stack


def _make_engine(settings: Settings, **roles):
    from store import is_remote_location
    if is_remote_location(settings.store):
        from server.query.remote_engine import RemoteEngine
        return RemoteEngine(settings)
    return QueryEngine(settings, **roles)


# -- errors ------------------------------------------------------------------------------------

def _add_error_handlers(app: FastAPI) -> None:
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)

    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return PlainTextResponse(f"bad request: {problems}\n", status_code=400)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return PlainTextResponse("internal error (logged on the server)\n", status_code=500)

    app.add_exception_handler(ProtocolError, protocol_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)


# -- SPARQL 1.1 Protocol -----------------------------------------------------------------------

def _add_sparql_routes(app: FastAPI, engine, settings: Settings) -> None:

    async def answer(request: Request, operation) -> Response:
        base_iri = str(request.url.replace(query=""))   # relative IRIs resolve against the endpoint
        if operation.kind == "update":
            engine.check_token(request.headers.get("authorization"))
            await engine.update(operation.text, using_graph_uris=operation.values("using-graph-uri"),
                                using_named_graph_uris=operation.values("using-named-graph-uri"), base_iri=base_iri)
            return Response(status_code=204)
        if operation.values("using-graph-uri") or operation.values("using-named-graph-uri"):
            raise ProtocolError(400, "using-graph-uri / using-named-graph-uri belong to updates, not queries")
        return await engine.run(operation.text, accept=request.headers.get("accept"), format=operation.one("format"),
                                default_graph_uris=operation.values("default-graph-uri"),
                                named_graph_uris=operation.values("named-graph-uri"), base_iri=base_iri)

    @app.get("/sparql", tags=["SPARQL"], summary="SPARQL query by GET, or the Service Description",
             responses={200: RESULT_CONTENT, **ERRORS}, openapi_extra={"parameters": SPARQL_PARAMETERS})
    async def sparql_get(request: Request) -> Response:
        operation = from_get(request)
        if operation.kind is None:
            return service_description(request, settings, request.headers.get("accept"), operation.one("format"))
        return await answer(request, operation)

    @app.post("/sparql", tags=["SPARQL"], summary="SPARQL query or update by POST",
              responses={200: RESULT_CONTENT, 204: {"description": "Update applied"}, **ERRORS, **WRITE_ERRORS},
              openapi_extra={"parameters": SPARQL_PARAMETERS, **SPARQL_POST_BODY})
    async def sparql_post(request: Request) -> Response:
        return await answer(request, await from_post(request, settings.max_body_bytes))


def service_description(request: Request, settings: Settings, accept: str | None, format: str | None) -> Response:
    """A SPARQL 1.1 Service Description of this endpoint, in the negotiated RDF format."""
    fmt = conneg.choose("graph", accept, format)
    endpoint = NamedNode(str(request.url.replace(query="")))
    service, dataset, default_graph = BlankNode("service"), BlankNode("dataset"), BlankNode("default")
    sd = lambda name: NamedNode(SD + name)   # noqa: E731
    triples = [Triple(service, RDF_TYPE, sd("Service")), Triple(service, sd("endpoint"), endpoint),
               Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
               Triple(service, sd("defaultDataset"), dataset), Triple(dataset, RDF_TYPE, sd("Dataset")),
               Triple(dataset, sd("defaultGraph"), default_graph), Triple(default_graph, RDF_TYPE, sd("Graph")),
               Triple(service, NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                      Literal("claimgraph SPARQL 1.1 endpoint: who claims what in the Russia-Ukraine war debate. "
                              + ("The default graph is the union of all named graphs."
                                 if settings.union_default_graph else "The default graph is the store's unnamed graph.")))]
    if settings.update_token:
        triples.append(Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if settings.union_default_graph:
        triples.append(Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    for result_format in (*(f.results for f in conneg.RESULT_FORMATS), *(f.rdf for f in conneg.GRAPH_FORMATS)):
        triples.append(Triple(service, sd("resultFormat"), NamedNode(result_format.iri)))
    if fmt.rdf.supports_datasets:
        from pyoxigraph import DefaultGraph, Quad
        triples = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    body = serialize(triples, format=fmt.rdf, prefixes={"sd": SD} if fmt.rdf in (RdfFormat.TURTLE, RdfFormat.TRIG) else None)
    return Response(body, headers={"content-type": fmt.content_type, "vary": "Accept"})


# -- Graph Store Protocol ----------------------------------------------------------------------

def _target(request: Request) -> str | None:
    """The graph a /store request addresses: an IRI, or None for the default graph."""
    params = request.query_params
    graphs = params.getlist("graph")
    has_default = "default" in params
    if len(graphs) + has_default != 1:
        raise ProtocolError(400, "address exactly one graph: ?graph=<IRI> or ?default")
    if has_default:
        return None
    try:
        return NamedNode(graphs[0]).value
    except ValueError as exc:
        raise ProtocolError(400, f"invalid graph IRI {graphs[0]!r}: {exc}") from None


async def _payload(request: Request, settings: Settings, graph_base: str) -> list:
    """The triples sent with PUT/POST: one RDF document, or several as multipart/form-data."""
    media, _ = split_content_type(request.headers.get("content-type"))
    if media == "multipart/form-data":
        body_limit = settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > body_limit:
            raise ProtocolError(413, f"request body of {declared} bytes is over the {body_limit}-byte limit")
        quads = []
        async with request.form(max_part_size=body_limit) as form:
            for _, part in form.multi_items():
                if isinstance(part, str):
                    continue
                part_type, _ = split_content_type(part.content_type)
                quads.extend(parse_rdf(await part.read(), part_type, base_iri=graph_base))
        return quads
    body = await read_body(request, settings.max_body_bytes)
    return parse_rdf(body, media, base_iri=graph_base)


def _add_graph_store_routes(app: FastAPI, engine, settings: Settings) -> None:

    async def read(request: Request, graph: str | None) -> Response:
        accept, format = request.headers.get("accept"), request.query_params.get("format")
        if request.method == "HEAD":
            fmt = conneg.choose("graph", accept, format)
            if not await engine.graph_exists(graph):
                raise ProtocolError(404, f"no graph <{graph}> in the store")
            return Response(headers={"content-type": fmt.content_type})
        return await engine.graph(graph, accept=accept, format=format)

    @app.api_route("/store", methods=["GET", "HEAD"], tags=["Graph Store"], summary="Read one graph",
                   responses={200: {"content": {f.media_type: {} for f in conneg.GRAPH_FORMATS}},
                              404: {"description": "No such graph"}, 406: ERRORS[406]},
                   openapi_extra={"parameters": GSP_PARAMETERS})
    async def store_read(request: Request) -> Response:
        return await read(request, _target(request))

    @app.api_route("/store/graph/{graph_id}", methods=["GET", "HEAD"], tags=["Graph Store"],
                   summary="Read a graph created by POST /store (direct identification)",
                   responses={200: {"content": {f.media_type: {} for f in conneg.GRAPH_FORMATS}}, 404: {}})
    async def store_read_direct(request: Request, graph_id: str) -> Response:
        graph = str(request.url.replace(query=""))
        try:
            NamedNode(graph)
        except ValueError:
            raise ProtocolError(404, f"no graph {graph!r} in the store") from None
        return await read(request, graph)

    @app.put("/store", tags=["Graph Store"], summary="Replace one graph (token)", status_code=204,
             responses={201: {"description": "Graph created"}, 204: {"description": "Graph replaced"},
                        **WRITE_ERRORS, 400: {}, 413: {}, 415: {}},
             openapi_extra={"parameters": GSP_PARAMETERS, **GSP_BODY})
    async def store_put(request: Request) -> Response:
        engine.check_token(request.headers.get("authorization"))
        graph = _target(request)
        quads = await _payload(request, settings, graph or str(request.base_url))
        created = await engine.put_graph(graph, quads)
        return Response(status_code=201 if created else 204)

    @app.post("/store", tags=["Graph Store"], summary="Merge into one graph, or create a new graph (token)",
              status_code=204, responses={201: {"description": "Graph created (Location)"},
                                          204: {"description": "Triples merged"}, **WRITE_ERRORS, 400: {}, 415: {}},
              openapi_extra={"parameters": GSP_PARAMETERS, **GSP_BODY})
    async def store_post(request: Request) -> Response:
        engine.check_token(request.headers.get("authorization"))
        params = request.query_params
        if "graph" not in params and "default" not in params:   # POST to the store itself: a new graph
            graph = f"{str(request.base_url).rstrip('/')}/store/graph/{uuid.uuid4().hex}"
            quads = await _payload(request, settings, graph)
            await engine.put_graph(graph, quads)
            return Response(status_code=201, headers={"Location": graph})
        graph = _target(request)
        quads = await _payload(request, settings, graph or str(request.base_url))
        created = await engine.post_graph(graph, quads)
        return Response(status_code=201 if created else 204)

    @app.delete("/store", tags=["Graph Store"], summary="Delete one graph (token)", status_code=204,
                responses={204: {"description": "Deleted"}, 404: {"description": "No such graph"}, **WRITE_ERRORS},
                openapi_extra={"parameters": GSP_PARAMETERS})
    async def store_delete(request: Request) -> Response:
        engine.check_token(request.headers.get("authorization"))
        await engine.delete_graph(_target(request))
        return Response(status_code=204)


# -- dumps and health --------------------------------------------------------------------------

DUMPS = {"ttl": "turtle", "trig": "trig", "nq": "nquads"}


INFERRED_FLAG = {"true": True, "1": True, "false": False, "0": False}


def _inferred_flag(request: Request) -> bool:
    """`?inferred=false` leaves the inferred graphs out of a dump (default: included)."""
    raw = request.query_params.get("inferred", "true").lower()
    if raw not in INFERRED_FLAG:
        raise ProtocolError(400, f"parameter 'inferred': {raw!r} is not true or false")
    return INFERRED_FLAG[raw]


def _add_status_routes(app: FastAPI, engine) -> None:
    for extension, format_name in DUMPS.items():
        fmt = next(f for f in conneg.GRAPH_FORMATS if f.name == format_name)

        async def dump(request: Request, _format: str = format_name) -> Response:
            return await engine.dump(_format, inferred=_inferred_flag(request))
        app.add_api_route(f"/dump.{extension}", dump, methods=["GET"], tags=["Graph Store"],
                          summary=f"The whole store as {fmt.media_type}, streamed",
                          responses={200: {"content": {fmt.media_type: {}}}})

    @app.get("/healthz", tags=["status"], summary="Liveness: 200 once the store is open")
    async def healthz() -> Response:
        if not engine.is_open:
            raise ProtocolError(503, "the store is not open yet")
        return JSONResponse({"status": "ok", "store": str(engine.settings.store), "pid": os.getpid(), **engine.health()})


def _buffered_logging() -> None:
    """One log line per request, written in batches: a write() per line would be a system call
    per request on the hot path. Lines are flushed every 100 records, at once for warnings, and
    by a one-second ticker (`_flush_logs`), so the log is never more than a second behind."""
    from logging.handlers import MemoryHandler
    stream = logging.StreamHandler()
    stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    buffered = MemoryHandler(capacity=100, flushLevel=logging.WARNING, target=stream)
    logger = logging.getLogger("claimgraph")
    for old in LOG_BUFFERS:
        logger.removeHandler(old)
    LOG_BUFFERS[:] = [buffered]
    logger.setLevel(logging.INFO)
    logger.addHandler(buffered)
    logger.propagate = False


LOG_BUFFERS: list = []


async def _flush_logs() -> None:
    import asyncio
    while True:
        await asyncio.sleep(1.0)
        for handler in LOG_BUFFERS:
            handler.flush()
        access_log.flush()


def run(settings: Settings) -> None:
    """Serve (the `claimgraph serve` command): an embedded store with a writer and several
    serving processes (`server.processes.serve`), a remote store from this one process."""
    import uvicorn
    from store import StoreError, is_remote_location, open_store
    if is_remote_location(settings.store):
        uvicorn.run(asgi_app(create_app(settings)), host=settings.host, port=settings.port, log_level="info",
                    access_log=False, loop="auto", http="auto", timeout_graceful_shutdown=5)
        return
    try:                          # fail fast, with the store's own words, not a traceback
        open_store(settings.store).close()
    except StoreError as exc:
        log.error("cannot serve %s: %s", settings.store, exc)
        raise SystemExit(2) from None
    from server.processes.serve import serve
    serve(settings)
