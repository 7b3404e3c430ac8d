"""`python -m bench.query_ab STORE REVISION OUT.json [CALLS] [NAME,NAME...]`: named queries' first
pages, as a git revision writes them against as this checkout does, in this process, alternating.

Why: on the shared 2-core machine the first call over HTTP (`bench.scale queries`) varies 1.5-3x
with the other work, so a rewrite's gain is hard to see there. Here both texts run on the same
read-only store, one after the other, the way the server answers a first page
(`server.query.evaluate.answer`, page 0..100, bindings from the query catalog); wall time and the
process's CPU time (pyoxigraph evaluates in this process) are recorded for each call. Then each
query's whole answer is compared: the same rows, and the same sequence of its ORDER BY keys (rows
tied on every key may come in another order).
"""
from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pyoxigraph import Store

from bench.scale import FREQUENT
from common import iris
from server.query.evaluate import answer
from server.routes import query_catalog

HEAD = iris.actor(FREQUENT[0][0])
# parameters (as bench.scale gives them) and the variables each query orders by
CASES: dict[str, tuple[dict, list[str]]] = {
    "resource_links": ({"resource": HEAD}, ["direction", "property", "other"]),
    "explore_neighbours": ({"node": HEAD}, ["link", "label"]),
    "explore_search": ({"text": "Kalmström"}, ["documents", "label"]),
    "actor_timeline": ({"actor": HEAD}, ["published", "doc", "start"]),
    "actor_stance_summary": ({}, ["truceAsRegrouping", "russiaNeedsPeace", "name"]),
    "actors_roles_affiliations": ({}, ["documents", "claims", "name"]),
    "overview_actors": ({}, ["claims", "name", "speaker"]),
    "figures_side_by_side": ({}, ["sources", "low", "high", "modality", "countedLabel"]),
    "disagreeing_figures": ({}, ["kindLabel", "period", "docA", "docB", "figureA", "figureB"]),
    "projections_vs_reports": ({}, ["kindLabel"]),
}


class _Sink(io.BytesIO):
    def begin(self, media_type: str, marker, max_rows: int) -> None:
        self.media_type = media_type


def first_page(store: Store, name: str, text: str, limit: int = 100) -> tuple[float, float, list[dict]]:
    """(wall s, CPU s, rows) of one page of `text` run as the named query `name`."""
    query = query_catalog.get(name)
    terms = query.bindings(CASES[name][0])
    graph_of = query.graph_of and next(p.variable for p in query.params if p.name == query.graph_of)
    request = {"op": "query", "query": text, "bindings": {k: str(v) for k, v in terms.items()},
               "accept": "application/sparql-results+json", "format": None, "page": {"offset": 0, "limit": limit},
               "page_by": query.page_by, "graph_of": graph_of}
    sink = _Sink()
    wall, cpu = time.perf_counter(), time.process_time()
    answer(store, request, sink, max_rows=10**7, service_allow=frozenset())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, json.loads(sink.getvalue())["results"]["bindings"]


def compare(store: Store, revision: str, names: list[str], calls: int) -> dict:
    out: dict = {"revision": revision, "loadavg_start": list(os.getloadavg()), "queries": {}}
    for name in names:
        old = subprocess.run(["git", "show", f"{revision}:queries/{name}.rq"], capture_output=True, text=True,
                             check=True).stdout
        new = query_catalog.get(name).text
        times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for _ in range(calls):
            for label, text in (("before", old), ("after", new)):
                wall, cpu, _ = first_page(store, name, text)
                times[label].append((wall, cpu))
        _, _, a = first_page(store, name, old, limit=10**7)
        _, _, b = first_page(store, name, new, limit=10**7)
        keys = CASES[name][1]
        row = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
        entry: dict = {label: {"wall_ms": [round(w * 1000) for w, _ in t], "cpu_ms": [round(c * 1000) for _, c in t],
                               "median_wall_ms": round(statistics.median(w for w, _ in t) * 1000),
                               "median_cpu_ms": round(statistics.median(c for _, c in t) * 1000)}
                       for label, t in times.items()}
        entry.update(rows=[len(a), len(b)], identical=a == b, same_rows=sorted(map(row, a)) == sorted(map(row, b)),
                     same_key_sequence=[[r.get(k) for k in keys] for r in a] == [[r.get(k) for k in keys] for r in b])
        out["queries"][name] = entry
        print(name, {label: (entry[label]["median_wall_ms"], entry[label]["median_cpu_ms"]) for label in times},
              "rows", entry["rows"], "same rows", entry["same_rows"], "same keys", entry["same_key_sequence"], flush=True)
    out["loadavg_end"] = list(os.getloadavg())
    return out


if __name__ == "__main__":
    store_path, revision, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    names = sys.argv[5].split(",") if len(sys.argv) > 5 else list(CASES)
    result = {"store": store_path, **compare(Store.read_only(store_path), revision, names, calls)}
    target.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
