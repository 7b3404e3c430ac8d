"""Where a remote SPARQL 1.1 store listens: parse `sparql+http(s)://...` into endpoint URLs.

The location's URL (without the `sparql+` prefix and the claimgraph parameters) is the query
endpoint. The update and Graph Store endpoints follow the engine's convention (a preset), and
can be overridden by query parameters on the location or by environment variables:

    sparql+http://host:7878/query                         # oxigraph serve: /update, /store
    sparql+http://host:3030/ds/sparql?preset=fuseki       # Fuseki: /ds/update, /ds/data
    sparql+http://host:8890/sparql?preset=virtuoso        # Virtuoso: /sparql, /sparql-graph-crud
    sparql+http://host:8000/sparql                        # claimgraph serve: /sparql, /store
    sparql+http://host/q?update=/u&store=/gsp             # anything else, explicitly

How a document graph is written (`replace=`): one SPARQL update (oxigraph, Fuseki, generic) or
one Graph Store PUT (claimgraph serve, Virtuoso — the preset's choice; `?replace=update|gsp`
overrides it).

Location parameters: preset, update, store (resolved against the query URL like a link:
`update` is a sibling, `/update` starts at the root, or a full URL),
timeout (read seconds), connect_timeout, replace (update | gsp), union (a vendor query
parameter that makes the default graph the union of all graphs; empty to turn it off).
Environment: CLAIMGRAPH_REMOTE_UPDATE, CLAIMGRAPH_REMOTE_GSP, CLAIMGRAPH_REMOTE_TIMEOUT,
CLAIMGRAPH_REMOTE_CONNECT_TIMEOUT, CLAIMGRAPH_REMOTE_TOKEN (a bearer token). User and password
in the URL (`sparql+http://user:pw@host/...`) are sent as HTTP basic authentication.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from store.errors import StoreError

CLAIMGRAPH_PARAMS = {"preset", "update", "store", "timeout", "connect_timeout", "replace", "union"}


@dataclass(frozen=True)
class Preset:
    """An engine's conventional endpoints, relative to the query endpoint URL."""
    update: str
    store: str
    union_param: str | None = None   # query parameter asking for the union default graph
    system_graphs: tuple[str, ...] = ()   # IRI prefixes of the engine's own graphs, hidden from graphs()
    replace_mode: str = "update"     # how a graph is written: one SPARQL update, or one GSP PUT


PRESETS: dict[str, Preset] = {
    "oxigraph": Preset(update="update", store="store", union_param="union-default-graph"),
    "fuseki": Preset(update="update", store="data"),
    # Virtuoso 7 refuses some literals (xsd:duration) in INSERT DATA but takes them by GSP PUT
    "virtuoso": Preset(update="sparql", store="sparql-graph-crud", replace_mode="gsp",
                       system_graphs=("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#",
                                      "http://localuriqaserver/", "urn:activitystreams-owl:map")),
    # claimgraph serve: GSP PUT is its atomic replace_graph and skips the SPARQL update checks
    "claimgraph": Preset(update="sparql", store="store", replace_mode="gsp"),
    "generic": Preset(update="", store="store"),   # update at the query URL itself
}

# Which preset a bare location implies, from the last path segment of the query endpoint.
PRESET_BY_LAST_SEGMENT: dict[str, str] = {"query": "oxigraph", "sparql": "claimgraph"}


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    gsp: str
    preset: str
    union_param: str | None
    read_timeout: float
    connect_timeout: float
    replace_mode: str                 # "update": one SPARQL update; "gsp": one Graph Store PUT
    system_graphs: tuple[str, ...] = ()
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def _float(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise StoreError(f"remote store {what} must be a number of seconds, not {value!r}") from None
    if number <= 0:
        raise StoreError(f"remote store {what} must be positive, not {value!r}")
    return number


def parse_location(location: str) -> Endpoints:
    """The endpoints of a `sparql+http(s)://` location; a malformed one is refused with why."""
    if not location.lower().startswith(("sparql+http://", "sparql+https://")):
        raise StoreError(f"not a remote store location: {location!r} (expected sparql+http://host:port/path)")
    parts = urlsplit(location[len("sparql+"):])
    if not parts.hostname:
        raise StoreError(f"remote store location {location!r} names no host")
    try:
        parts.port
    except ValueError as exc:
        raise StoreError(f"remote store location {location!r}: {exc}") from None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown_kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in CLAIMGRAPH_PARAMS]
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    if ":" in parts.hostname:   # an IPv6 literal
        netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    path = parts.path or "/"
    query_url = urlunsplit((parts.scheme, netloc, path, urlencode(unknown_kept), ""))

    last_segment = path.rstrip("/").rsplit("/", 1)[-1]
    preset_name = params.get("preset") or PRESET_BY_LAST_SEGMENT.get(last_segment, "generic")
    if preset_name not in PRESETS:
        raise StoreError(f"unknown remote store preset {preset_name!r}; known: {', '.join(PRESETS)}")
    preset = PRESETS[preset_name]
    base = urlunsplit((parts.scheme, netloc, path, "", ""))

    def endpoint(param: str, env: str, default: str) -> str:
        chosen = params.get(param) or os.environ.get(env) or None
        if chosen is None:
            return urljoin(base, default) if default else base
        return urljoin(base, chosen)

    replace_mode = params.get("replace", preset.replace_mode)
    if replace_mode not in {"update", "gsp"}:
        raise StoreError(f"replace= must be 'update' or 'gsp', not {replace_mode!r}")
    return Endpoints(
        query=query_url,
        update=endpoint("update", "CLAIMGRAPH_REMOTE_UPDATE", preset.update),
        gsp=endpoint("store", "CLAIMGRAPH_REMOTE_GSP", preset.store),
        preset=preset_name,
        union_param=params["union"] or None if "union" in params else preset.union_param,
        read_timeout=_float(params.get("timeout") or os.environ.get("CLAIMGRAPH_REMOTE_TIMEOUT") or "60",
                            "timeout"),
        connect_timeout=_float(params.get("connect_timeout")
                               or os.environ.get("CLAIMGRAPH_REMOTE_CONNECT_TIMEOUT") or "5",
                               "connect timeout"),
        replace_mode=replace_mode,
        system_graphs=preset.system_graphs,
        username=parts.username,
        password=parts.password,
    )
