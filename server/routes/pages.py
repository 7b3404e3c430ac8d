"""The browser pages: the YASGUI query page (/ and /query), the graph explorer (/explore) and the
debate views (/debate: the overview, the timeline, the figures side by side).

Both pages load only files this server serves: the project's own scripts and styles from
server/web/static, and the browser libraries (YASGUI, Cytoscape.js) from server/web/node_modules,
installed by `npm ci --prefix server/web` (.ci/setup-web.sh). Files are served from fixed
tables built at start-up, so a request path is looked up, never joined onto a folder: `..`,
encoded slashes and absolute paths simply find nothing.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from common.iris import PREFIXES
from server.routes import query_catalog

HERE = Path(__file__).resolve().parents[1]   # server/: templates/ and web/ sit beside the role folders
WEB = HERE / "web"
STATIC_DIR = WEB / "static"
NODE_MODULES = WEB / "node_modules"
templates = Jinja2Templates(directory=str(HERE / "templates"))

# name served under /vendor/ -> file inside node_modules (the dist builds the pages need)
VENDOR_FILES = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.js.map": "@zazuko/yasgui/build/yasgui.min.js.map",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".map": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
               ".ico": "image/x-icon", ".html": "text/html; charset=utf-8"}
# tags of queries that serve the pages themselves rather than an analyst's question
INTERNAL_TAGS = {"explorer", "linked-data", "ontology"}
FIRST_EXAMPLE = "stance_proponents"
# the order the examples are listed in, by their first tag: the analyst's questions first
TAG_ORDER = ("stance", "quantities", "actors", "documents", "contract")

router = APIRouter(include_in_schema=False)


def _static_table() -> dict[str, Path]:
    """Every file under server/web/static, by its path relative to that folder."""
    if not STATIC_DIR.is_dir():
        return {}
    return {p.relative_to(STATIC_DIR).as_posix(): p for p in STATIC_DIR.rglob("*") if p.is_file()}


STATIC_FILES = _static_table()


def _serve(table: dict[str, Path], name: str, missing_hint: str = "") -> FileResponse:
    path = table.get(name)
    if path is None or not path.is_file():
        raise HTTPException(status_code=404, detail=f"no file {name!r}{missing_hint}")
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "public, max-age=3600",
                                 "X-Content-Type-Options": "nosniff"})


@router.get("/static/{name:path}")
async def static_file(name: str) -> FileResponse:
    return _serve(STATIC_FILES, name)


@router.get("/vendor/{name:path}")
async def vendor_file(name: str) -> FileResponse:
    table = {key: NODE_MODULES / rel for key, rel in VENDOR_FILES.items()}
    return _serve(table, name, " (run `npm ci --prefix server/web` to install the browser libraries)"
                  if name in VENDOR_FILES else "")


def analyst_queries() -> list[query_catalog.NamedQuery]:
    """The queries offered as examples, grouped by their first tag, the welcome query first."""
    def rank(q: query_catalog.NamedQuery) -> tuple:
        tag = q.tags[0] if q.tags else ""
        return (q.name != FIRST_EXAMPLE, TAG_ORDER.index(tag) if tag in TAG_ORDER else len(TAG_ORDER), q.name)
    return sorted((q for q in query_catalog.catalog().values() if not INTERNAL_TAGS & set(q.tags)), key=rank)


@router.get("/api/prefixes", include_in_schema=True, tags=["pages"],
            summary="The ontology's prefixes (prefix -> namespace IRI)")
async def prefixes() -> JSONResponse:
    """Also what the query editor autocompletes after PREFIX (in prefix.cc's JSON shape)."""
    return JSONResponse(PREFIXES)


@router.get("/", response_class=HTMLResponse)
@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request) -> HTMLResponse:
    examples = analyst_queries()
    config = {"endpoint": "/sparql", "prefixes": PREFIXES, "prefixesUrl": "/api/prefixes",
              "first": FIRST_EXAMPLE, "examples": [q.as_json() for q in examples]}
    return templates.TemplateResponse(request, "query.html",
                                      {"active": "query", "examples": examples, "config": config})


@router.get("/api", response_class=HTMLResponse)
async def api_page(request: Request) -> HTMLResponse:
    """Every analyst query with a form for its parameters, its rows, and CSV/JSON links."""
    examples = analyst_queries()
    config = {"endpoint": "/sparql", "prefixes": PREFIXES, "queries": {q.name: q.as_json() for q in examples}}
    return templates.TemplateResponse(request, "api.html",
                                      {"active": "api", "queries": examples, "config": config})


@router.get("/api/docs", response_class=HTMLResponse)
async def api_reference() -> HTMLResponse:
    """Swagger UI over /openapi.json with its files served from here (FastAPI's /docs uses a CDN)."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="claimgraph API",
                               swagger_js_url="/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/vendor/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")


@router.get("/docs", include_in_schema=False)
async def docs_redirect() -> RedirectResponse:
    """Where FastAPI apps usually keep their reference: sent to the offline one."""
    return RedirectResponse("/api/docs")


@router.get("/explore", response_class=HTMLResponse)
async def explore_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "explore.html", {"active": "explore"})


# the debate views: path segment -> (title, the script that draws it)
DEBATE_VIEWS = {"overview": ("Who argues which side", "debate-overview.js"),
                "timeline": ("Claims per stance over time", "debate-timeline.js"),
                "figures": ("Figures side by side", "debate-figures.js")}


async def _debate(request: Request, view: str) -> HTMLResponse:
    """One debate view; its filters live in the query string, so the URL is its permalink."""
    title, script = DEBATE_VIEWS[view]
    figures = {p.name: p.default for p in query_catalog.get("figures_side_by_side").params}
    # a store whose inferred graphs another claimgraph derived lacks what the views read (figure
    # rows, tallies): the page says so and what to run, rather than drawing an empty chart
    status = getattr(request.app.state.engine, "inference_status", None)
    inference = await status() if status is not None else None
    return templates.TemplateResponse(request, "debate.html", {"active": "debate", "view": view, "title": title,
                                                               "script": script, "default_kind": figures["kind"],
                                                               "inference": inference})


@router.get("/debate", response_class=HTMLResponse)
async def debate_overview(request: Request) -> HTMLResponse:
    return await _debate(request, "overview")


@router.get("/debate/timeline", response_class=HTMLResponse)
async def debate_timeline(request: Request) -> HTMLResponse:
    return await _debate(request, "timeline")


@router.get("/debate/figures", response_class=HTMLResponse)
async def debate_figures(request: Request) -> HTMLResponse:
    return await _debate(request, "figures")


@router.get("/favicon.ico")
async def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=308)
