"""Every setting in one place, read from CLAIMGRAPH_* environment variables and CLI flags."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_STORE = "data/store"


def _env_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE              # a folder (embedded) or sparql+http(s)://... (remote)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2                        # serving processes (`claimgraph serve`), beside the one writer
    threads: int = 2                        # reads answered at once (in threads) by each serving process
    query_timeout: float = 30.0             # seconds; a longer query gets 503 and its serving process retires
    max_rows: int = 1_000_000               # cap on SELECT rows and CONSTRUCT/DESCRIBE triples
    max_body_bytes: int = 10_000_000        # cap on request bodies
    update_token: str | None = None         # bearer token; updates and GSP writes are off without it
    analysts_file: str | None = None        # "TOKEN NAME" lines: who may correct the graph (POST /api/corrections)
    cors_origins: list[str] = field(default_factory=lambda: ["*"])
    service_allow: list[str] = field(default_factory=list)  # SERVICE endpoints a query may call
    union_default_graph: bool = True        # default graph = union of all named graphs
    log_queries: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then CLAIMGRAPH_<NAME> variables, then explicit overrides (CLI flags)."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"CLAIMGRAPH_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _convert(f.type, raw)
        settings = replace(cls(), **values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def _convert(type_name: str, raw: str):
    converters = {
        "str": str, "int": int, "float": float,
        "bool": lambda v: v.strip().lower() in {"1", "true", "yes", "on"},
        "list[str]": _env_list,
        "str | None": lambda v: v or None,
    }
    return converters.get(str(type_name), str)(raw)
