"""A bounded load test of a running claimgraph server on loopback: mixed named-API and SPARQL
traffic as fast as the server answers, then errors, latency percentiles and memory over time.

    python -m bench.load --store data/store --seconds 60          # starts its own server
    python -m bench.load --base http://127.0.0.1:8000 --seconds 60 --pid SERVER_PID

Traffic: `concurrency` clients in a closed loop (each sends its next request as soon as the
last is answered — the highest rate the server sustains), half to the named-query API
(`/api/queries/NAME`, every query whose parameters have defaults, plus searches) and half to
`/sparql` (GET, POST form and POST application/sparql-query; the queries are bench/queries/*.rq
and queries/*.rq). Memory: the resident set of the server's whole process tree (the query
workers too), sampled every half second; after a warm-up the last third's mean must stay
within 20 % of the first third's.

Bounds: only 127.0.0.1, at most `seconds` of load and `max_requests` requests, then it stops.
Exit code 0 when every target holds (no errors, p99 under one second, memory flat), else 1.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.procmem import rss_bytes, tree

ROOT = Path(__file__).resolve().parent.parent
SPARQL_FILES = [ROOT / "bench" / "queries" / name for name in ("point_lookup.rq", "stance_claims.rq",
                                                                "quantity_aggregate.rq")] + \
               [ROOT / "queries" / name for name in ("documents.rq", "actors.rq")]
SEARCH_WORDS = ["russia", "nato", "truce", "analyst", "ministry", "tank", "missile", "peace"]
JSON = "application/sparql-results+json"
P99_TARGET_S = 1.0
MEMORY_DRIFT = 0.20


@dataclass
class LoadReport:
    seconds: float
    concurrency: int
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    by_kind: dict[str, dict] = field(default_factory=dict)
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    rss_mb: list[float] = field(default_factory=list)
    rss_first_third_mb: float = 0.0
    rss_last_third_mb: float = 0.0
    rss_drift: float = 0.0

    @property
    def memory_flat(self) -> bool:
        return abs(self.rss_drift) <= MEMORY_DRIFT

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.requests > 0 and self.p99_ms < P99_TARGET_S * 1000 and self.memory_flat

    def as_dict(self) -> dict:
        return {**asdict(self), "memory_flat": self.memory_flat, "ok": self.ok}


def _check_loopback(base: str) -> None:
    if urlsplit(base).hostname != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1, not {base}")


def build_requests(base: str) -> dict[str, list[tuple[str, dict]]]:
    """kind ("named" / "sparql") -> the (method, httpx kwargs) of every request the mix draws from."""
    catalogue = httpx.get(f"{base}/api/queries", timeout=60).json()
    named = []
    for query in catalogue:
        params = {}
        for param in query["params"]:
            value = param.get("default") or (param.get("enum") or [None])[0]
            if value is None and param.get("required"):
                break
            if value is not None:
                params[param["name"]] = value
        else:
            named.append(("GET", {"url": f"{base}{query['path']}", "params": params}))
    search = next((q for q in catalogue if q["name"] == "explore_search"), None)
    if search:
        named += [("GET", {"url": f"{base}{search['path']}", "params": {"text": word}})
                  for word in SEARCH_WORDS]
    sparql = []
    for path in SPARQL_FILES:
        text = path.read_text()
        sparql += [("GET", {"url": f"{base}/sparql", "params": {"query": text}, "headers": {"Accept": JSON}}),
                   ("POST", {"url": f"{base}/sparql", "data": {"query": text}, "headers": {"Accept": JSON}}),
                   ("POST", {"url": f"{base}/sparql", "content": text.encode(),
                                       "headers": {"Accept": JSON, "Content-Type": "application/sparql-query"}})]
    if not named:
        raise SystemExit("the server lists no named query that can run without parameters")
    return {"named": named, "sparql": sparql}


class MemorySampler(threading.Thread):
    """RSS of a process tree every `every` seconds, in MB."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.samples.append(sum(rss_bytes(p) for p in tree(self.pid)) / 1e6)


async def _drive(requests: dict[str, list], seconds: float, concurrency: int, max_requests: int, seed: int) -> tuple:
    rng = random.Random(seed)
    latencies: dict[str, list[float]] = {"named": [], "sparql": []}
    errors: list[str] = []
    issued = 0
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal issued
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            kind = "named" if rng.random() < 0.5 else "sparql"          # half and half
            method, kwargs = rng.choice(requests[kind])
            started = time.perf_counter()
            try:
                response = await http.request(method, **kwargs)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {method} {kwargs['url']}: {response.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {method} {kwargs['url']}")
            latencies[kind].append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def _pct(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def run(base: str, server_pid: int | None, *, seconds: float = 60, concurrency: int = 8,
        max_requests: int = 500_000, warmup: float = 3.0, seed: int = 7) -> LoadReport:
    """Load `base` for `seconds` (after `warmup` seconds of the same traffic, not measured)."""
    _check_loopback(base)
    requests = build_requests(base)
    asyncio.run(_drive(requests, warmup, concurrency, max_requests, seed))      # caches filled, workers warm
    sampler = MemorySampler(server_pid) if server_pid else None
    if sampler:
        sampler.start()
    latencies, errors, elapsed = asyncio.run(_drive(requests, seconds, concurrency, max_requests, seed + 1))
    if sampler:
        sampler.stop.set()
        sampler.join()
    every = [x for values in latencies.values() for x in values]
    report = LoadReport(seconds=round(elapsed, 2), concurrency=concurrency, requests=len(every),
                        errors=len(errors), error_samples=errors[:10], rps=round(len(every) / elapsed, 1),
                        p50_ms=round(_pct(every, 50), 1), p99_ms=round(_pct(every, 99), 1),
                        max_ms=round(max(every, default=0) * 1000, 1))
    report.by_kind = {kind: {"requests": len(values), "p50_ms": round(_pct(values, 50), 1),
                             "p99_ms": round(_pct(values, 99), 1)} for kind, values in latencies.items()}
    if sampler and len(sampler.samples) >= 3:
        samples = sampler.samples
        third = len(samples) // 3
        report.rss_mb = [round(s, 1) for s in samples]
        report.rss_first_third_mb = round(statistics.fmean(samples[:third]), 1)
        report.rss_last_third_mb = round(statistics.fmean(samples[-third:]), 1)
        report.rss_drift = round(report.rss_last_third_mb / report.rss_first_third_mb - 1, 3)
    return report


def _serve(store: str, workers: int | None) -> tuple[subprocess.Popen, str]:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    extra = ["--workers", str(workers)] if workers else []
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "--store", store, "serve", "--host", "127.0.0.1",
                             "--port", str(port), *extra], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"claimgraph serve exited {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("claimgraph serve did not come up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--store", help="serve this store folder for the run (started and stopped here)")
    target.add_argument("--base", help="a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--pid", type=int, help="with --base: the server's process id, for memory samples")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--workers", type=int, help="with --store: serving processes")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    proc = None
    if args.store:
        proc, base = _serve(args.store, args.workers)
        pid = proc.pid
    else:
        base, pid = args.base.rstrip("/"), args.pid
    try:
        report = run(base, pid, seconds=args.seconds, concurrency=args.concurrency, max_requests=args.max_requests)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    data = report.as_dict()
    summary = {k: v for k, v in data.items() if k != "rss_mb"}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
