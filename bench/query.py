"""Query over HTTP: requests/s and p50/p99 latency per query and per endpoint, on the same data.

Every peer serves one synthetic store (bench.rdfgen); each query is first sent once and its
answer counted, so a peer that answers wrongly or not at all is reported as such rather than
timed. Fast peers get wrk (throughput at `concurrency` connections, then latency at one
connection); a peer so slow that one request takes over a fifth of the run (wrk would count only
a handful) gets a bounded sequential client instead.
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat, Store, parse

from bench import loadgen, peers
from bench.rdfgen import write_nquads

QUERY_DIR = Path(__file__).with_name("queries")
SLOW_FRACTION = 0.2      # of the run's seconds: slower first answers switch to the sequential client
MIN_LATENCY_SAMPLES = 5
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"


@dataclass(frozen=True)
class BenchQuery:
    name: str
    weight: str          # small | heavy: which target applies
    text: str

    @property
    def is_graph(self) -> bool:
        return self.text.lstrip().upper().startswith("CONSTRUCT") or "\nCONSTRUCT" in self.text

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.is_graph else SELECT_ACCEPT


WEIGHTS = {"point_lookup": "small", "stance_claims": "small", "construct_document": "small",
           "quantity_aggregate": "heavy", "all_claims": "heavy"}


def load_queries() -> list[BenchQuery]:
    return [BenchQuery(name, weight, (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8"))
            for name, weight in WEIGHTS.items()]


def count_answer(query: BenchQuery, body: bytes) -> int:
    """Rows of a SELECT (JSON results) or triples of a CONSTRUCT (N-Triples)."""
    if query.is_graph:
        return sum(1 for _ in parse(body, RdfFormat.N_TRIPLES))
    return len(json.loads(body)["results"]["bindings"])


def prepare_stores(workdir: Path, quads: int) -> tuple[Path, Path, Path, int]:
    """N-Quads file + one store for claimgraph + a copy for oxigraph serve (same bytes)."""
    nquads = workdir / "query-data.nq"
    written = write_nquads(nquads, quads)
    claimgraph_store, oxigraph_store = workdir / "query-store-claimgraph", workdir / "query-store-oxigraph"
    for folder in (claimgraph_store, oxigraph_store):
        shutil.rmtree(folder, ignore_errors=True)
    store = Store(str(claimgraph_store))
    store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS)
    store.flush()
    del store
    shutil.copytree(claimgraph_store, oxigraph_store)
    return nquads, claimgraph_store, oxigraph_store, written


def in_process_floor(store_path: Path, queries: list[BenchQuery], seconds: float) -> dict:
    """pyoxigraph in this process, results serialized as the endpoints would: the floor of any server."""
    store = Store(str(store_path))
    out: dict = {}
    try:
        for query in queries:
            latencies, rows = [], 0
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline or not latencies:
                started = time.perf_counter()
                result = store.query(query.text)
                if isinstance(result, QueryTriples):
                    body = result.serialize(format=RdfFormat.N_TRIPLES)
                else:
                    body = result.serialize(format=QueryResultsFormat.JSON)
                latencies.append(time.perf_counter() - started)
            rows = count_answer(query, body)
            total = sum(latencies)
            out[query.name] = {"status": "ok", "tool": "in-process", "requests": len(latencies),
                               "rps": len(latencies) / total, "p50_ms": _pct(latencies, 0.50) * 1000,
                               "p99_ms": _pct(latencies, 0.99) * 1000, "rows": rows}
    finally:
        del store
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _measure_one(client: httpx.Client, endpoint: peers.Endpoint, query: BenchQuery, *, seconds: float,
                 concurrency: int, prefer_wrk: bool) -> dict:
    started = time.perf_counter()
    try:
        response = client.post(endpoint.url, data={"query": query.text}, headers={"Accept": query.accept})
    except httpx.HTTPError as exc:
        return {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
    first = time.perf_counter() - started
    if response.status_code != 200:
        return {"status": "error", "reason": f"HTTP {response.status_code}: {response.text[:300]}"}
    try:
        rows = count_answer(query, response.content)
    except (ValueError, KeyError, SyntaxError) as exc:
        return {"status": "error", "reason": f"unreadable answer ({response.headers.get('content-type')}): {exc}"}
    if first > SLOW_FRACTION * seconds:   # slow peer: a few sequential requests, bounded by time and count
        budget = max(seconds, 3 * first)
        load = loadgen.run_python(endpoint.url, query.text, query.accept, seconds=budget, concurrency=1,
                                  max_requests=max(3, int(budget / first)))
        return {"status": "ok", "rows": rows, **load.as_dict(), "latency_tool": load.tool,
                "latency_p50_ms": load.p50_ms, "latency_p99_ms": load.p99_ms}
    load = loadgen.run_load(endpoint.url, query.text, query.accept, seconds=seconds,
                            concurrency=concurrency, prefer_wrk=prefer_wrk)
    latency = loadgen.run_load(endpoint.url, query.text, query.accept, seconds=max(1.0, seconds / 2),
                               concurrency=1, prefer_wrk=prefer_wrk)
    if latency.requests - latency.errors < MIN_LATENCY_SAMPLES:   # too few answers for percentiles
        latency = loadgen.run_python(endpoint.url, query.text, query.accept, seconds=max(seconds, 10 * first),
                                     concurrency=1, max_requests=MIN_LATENCY_SAMPLES)
    return {"status": "ok", "rows": rows, **load.as_dict(), "latency_tool": latency.tool,
            "latency_p50_ms": latency.p50_ms, "latency_p99_ms": latency.p99_ms}


PEER_ORDER = ("oxigraph", "claimgraph", "rdflib-endpoint", "pyoxigraph-in-process")
REFERENCE = "oxigraph"


def _median(measured: list[dict]) -> dict:
    """The round with the median req/s (whole round, so its latencies belong with it); all rounds' req/s kept."""
    ok = sorted((m for m in measured if m.get("status") == "ok"), key=lambda m: m["rps"])
    if not ok:
        return measured[-1]
    chosen = dict(ok[(len(ok) - 1) // 2])
    chosen["rounds_rps"] = [m.get("rps") for m in measured]
    return chosen


def run(workdir: Path, *, quads: int, seconds: float, concurrency: int, prefer_wrk: bool = True,
        repeat: int = 1, log=print) -> dict:
    queries = load_queries()
    nquads, cg_store, ox_store, written = prepare_stores(workdir, quads)
    log(f"query: {written} quads in the store")
    results: dict[str, dict] = {}
    results["pyoxigraph-in-process"] = in_process_floor(cg_store, queries, seconds)
    starters = {
        "oxigraph": lambda: peers.start_oxigraph(ox_store, workdir / "logs"),
        "claimgraph": lambda: peers.start_claimgraph(cg_store, workdir / "logs"),
        "rdflib-endpoint": lambda: peers.start_rdflib_endpoint(nquads, workdir / "logs"),
    }
    # All endpoints run side by side and each query is measured on each of them back to back, so a
    # change in the machine's background load hits every peer alike instead of whichever ran last.
    endpoints: dict[str, peers.Endpoint] = {}
    try:
        for name, start in starters.items():
            log(f"query: starting {name}")
            try:
                endpoints[name] = start()
            except peers.PeerUnavailable as exc:
                results[name] = {"status": "not available", "reason": str(exc)}
                log(f"query: {name} not available: {exc}")
        for name in endpoints:
            results[name] = {}
        with httpx.Client(timeout=300) as client:
            for bench_query in queries:
                rounds: dict[str, list[dict]] = {name: [] for name in endpoints}
                for _ in range(repeat):
                    for name, endpoint in endpoints.items():
                        rounds[name].append(_measure_one(client, endpoint, bench_query, seconds=seconds,
                                                         concurrency=concurrency, prefer_wrk=prefer_wrk))
                for name, measured in rounds.items():
                    results[name][bench_query.name] = _median(measured)
                log(f"query: {bench_query.name} measured")
    finally:
        for endpoint in endpoints.values():
            endpoint.stop()
    return {"status": "ok", "quads": written, "seconds_per_run": seconds, "concurrency": concurrency,
            "repeat": repeat,
            "load_tool": "wrk" if prefer_wrk and loadgen.wrk_available() else "python",
            "queries": {q.name: {"weight": q.weight, "file": f"bench/queries/{q.name}.rq",
                                 "peers": {peer: _peer_row(results.get(peer, {}), q.name) for peer in PEER_ORDER},
                                 "ratio_to_oxigraph": _ratios(results, q.name)}
                        for q in queries}}


def _peer_row(peer_results: dict, query: str) -> dict:
    if peer_results.get("status") == "not available":
        return {"status": "not available", "reason": peer_results.get("reason", "")}
    return peer_results.get(query, {"status": "not available", "reason": "not measured"})


def _ratios(results: dict, query: str) -> dict:
    reference = results.get(REFERENCE, {}).get(query, {})
    base = reference.get("rps") if reference.get("status") == "ok" else None
    ratios = {}
    for peer in PEER_ORDER:
        row = results.get(peer, {}).get(query, {})
        ratios[peer] = (row["rps"] / base) if base and row.get("status") == "ok" and row.get("rps") else None
    return ratios
