"""The named-query REST API: every queries/NAME.rq is `GET /api/queries/NAME`.

Each query gets its own documented operation in the OpenAPI description (one route per .rq
file, its grlc-declared parameters listed), and a catch-all route answers unknown names with
404. Parameter values are turned into RDF terms by `server.routes.query_catalog` and handed to the
SPARQL engine as bindings (N-Triples terms), never pasted into the query. Results come back
in whatever format the engine negotiates: SPARQL JSON by default, CSV, TSV, XML, or an RDF
syntax for CONSTRUCT queries, chosen by `Accept` or by `?format=`.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from server.routes import query_catalog
from server.http.errors import ProtocolError
from server.routes.query_catalog import NamedQuery, ParameterError

router = APIRouter()

RESERVED = {"format", "limit", "offset", "total"}  # query-string keys that steer the response, not the query
DEFAULT_PAGE = 100       # rows per page when `limit` is not given: a screenful, and ~1 ms a row to evaluate
MAX_PAGE = 10_000        # the largest page a client may ask for
PAGING_PARAMETERS = [
    {"name": "limit", "in": "query", "required": False,
     "description": f"Rows per page (1 to {MAX_PAGE}; default {DEFAULT_PAGE}). Rows come in the query's ORDER BY.",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": DEFAULT_PAGE}},
    {"name": "offset", "in": "query", "required": False,
     "description": "Rows to skip before the page (default 0): offset=500 with limit=500 is the second page.",
     "schema": {"type": "integer", "minimum": 0, "default": 0}},
    {"name": "total", "in": "query", "required": False,
     "description": "true: answer {\"total\": N}, the number of rows of the whole answer, instead of a page.",
     "schema": {"type": "boolean", "default": False}},
]
FORMAT_PARAMETER = {
    "name": "format", "in": "query", "required": False,
    "description": "Result format, overriding Accept: json, csv, tsv, xml (SELECT/ASK); "
                   "turtle, ntriples, nquads, trig, jsonld, rdfxml (CONSTRUCT/DESCRIBE).",
    "schema": {"type": "string"},
}
RESULT_TYPES = {
    "SELECT": ["application/sparql-results+json", "text/csv", "text/tab-separated-values",
               "application/sparql-results+xml"],
    "ASK": ["application/sparql-results+json", "application/sparql-results+xml"],
    "CONSTRUCT": ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"],
    "DESCRIBE": ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"],
}


def _bad_request(message: str) -> ProtocolError:
    return ProtocolError(400, message)


def _integer(params, name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _bad_request(f"parameter {name!r}: {raw[:50]!r} is not an integer") from None
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise _bad_request(f"parameter {name!r}: {value} is out of range ({bounds})")
    return value


def paging(params) -> tuple[tuple[int, int], bool]:
    """(offset, limit) and whether the total was asked for, from the query string; 400 naming
    the parameter when one is not a number in range."""
    limit = _integer(params, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    offset = _integer(params, "offset", 0, 0, None)
    total = (params.get("total") or "false").lower()
    if total not in {"true", "false", "1", "0"}:
        raise _bad_request(f"parameter 'total': {total[:50]!r} is not true or false")
    return (offset, limit), total in {"true", "1"}


async def execute(request: Request, query: NamedQuery, values: dict[str, str],
                  accept: str | None = None, format: str | None = None,
                  page: tuple[int, int] | None = None, count: bool = False) -> Response:
    """Run a named query with request values bound as terms; errors in a value are a 400."""
    try:
        terms = query.bindings(values)
    except ParameterError as exc:
        raise _bad_request(str(exc)) from None
    engine = request.app.state.engine
    if accept is None:
        accept = request.headers.get("accept")
        if accept and "text/html" in accept:
            accept = None    # a browser following a link: its */* would pick XML; answer the default, JSON
    return await engine.run(query.text, bindings={var: str(term) for var, term in terms.items()},
                            accept=accept, format=format, page=None if query.form == "ASK" else page, count=count,
                            page_by=query.page_by,
                            page_keys=query.page_keys and {"query": query.page_keys, "variables": list(query.key_vars)},
                            graph_of=query.graph_of and next(p.variable for p in query.params if p.name == query.graph_of))


async def run_named(request: Request, name: str) -> Response:
    try:
        query = query_catalog.get(name)
    except KeyError:
        raise ProtocolError(404, f"no named query {name!r}; see /api/queries") from None
    params = request.query_params
    for key in params:
        if len(params.getlist(key)) > 1:
            raise _bad_request(f"parameter {key!r}: given more than once")
    values = {key: value for key, value in params.items() if key not in RESERVED}
    page, count = paging(params)
    return await execute(request, query, values, format=params.get("format"), page=page, count=count)


@router.get("/api/queries", summary="List the named queries with their parameters", tags=["named queries"])
async def list_queries() -> JSONResponse:
    """Every named query: name, summary, description, tags, parameters (name, type, default)."""
    return JSONResponse([q.as_json() for q in query_catalog.catalog().values()])


def _operation(query: NamedQuery):
    async def endpoint(request: Request) -> Response:
        return await run_named(request, query.name)
    endpoint.__name__ = f"query_{query.name}"
    return endpoint


def _register(query: NamedQuery) -> None:
    """One documented GET operation per .rq file, so /openapi.json lists each query."""
    responses = {"200": {"description": "The query's results",
                         "content": {media: {} for media in RESULT_TYPES.get(query.form, [])}},
                 "400": {"description": "A parameter is missing, unknown or not of its type"}}
    router.add_api_route(
        f"/api/queries/{query.name}", _operation(query), methods=["GET"],
        summary=query.summary or query.name, description=query.description,
        operation_id=f"query_{query.name}",
        tags=[f"named queries: {query.tags[0]}" if query.tags else "named queries"],
        response_class=Response,
        openapi_extra={"parameters": [p.openapi() for p in query.params] + [FORMAT_PARAMETER]
                       + ([] if query.form == "ASK" else PAGING_PARAMETERS),
                       "responses": responses})


for _query in query_catalog.catalog().values():
    _register(_query)


@router.get("/api/queries/{name}", include_in_schema=False)
async def unknown_query(request: Request, name: str) -> Response:
    """Reached only by names without a .rq file (each file has its own route above)."""
    return await run_named(request, name)
