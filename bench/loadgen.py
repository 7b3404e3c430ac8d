"""HTTP load on loopback: wrk when installed (it can saturate a fast server), else a Python client.

Both report the same numbers: requests/s under `concurrency` connections, and p50/p99 latency.
Every run is bounded in time and in request count, and only ever targets 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

WRK_SCRIPT = Path(__file__).with_name("wrk_post.lua")


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float

    def as_dict(self) -> dict:
        return asdict(self)


def _check_loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"the benchmark only sends load to loopback, not {url}")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def form_body(query: str) -> str:
    return urlencode({"query": query})


def run_wrk(url: str, query: str, accept: str, *, seconds: float, concurrency: int) -> LoadResult:
    """wrk with one thread (the machine has two cores, one stays with the server)."""
    _check_loopback(url)
    env = {**os.environ, "BENCH_BODY": form_body(query), "BENCH_ACCEPT": accept}
    cmd = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
           "-s", str(WRK_SCRIPT), url]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 90)
    line = next((l for l in proc.stdout.splitlines() if l.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    secs = data["duration_us"] / 1e6
    errors = data["socket_errors"] + data["status_errors"]
    return LoadResult("wrk", data["requests"], secs, errors, (data["requests"] - errors) / secs,
                      data["p50_us"] / 1000, data["p99_us"] / 1000)


def run_python(url: str, query: str, accept: str, *, seconds: float, concurrency: int,
               max_requests: int = 100_000) -> LoadResult:
    """A bounded asyncio/httpx client: good enough for slow servers, and the fallback without wrk."""
    _check_loopback(url)
    return asyncio.run(_python_load(url, query, accept, seconds, concurrency, max_requests))


async def _python_load(url, query, accept, seconds, concurrency, max_requests) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    body = form_body(query).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    deadline = time.perf_counter() + seconds
    issued = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, issued
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            started = time.perf_counter()
            try:
                response = await client.post(url, content=body, headers=headers)
                await response.aread()
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    done = len(latencies)
    return LoadResult("python", done, elapsed, errors, (done - errors) / elapsed if elapsed else 0.0,
                      _percentile(latencies, 50) * 1000, _percentile(latencies, 99) * 1000)


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def run_load(url: str, query: str, accept: str, *, seconds: float, concurrency: int,
             prefer_wrk: bool = True) -> LoadResult:
    if prefer_wrk and wrk_available():
        return run_wrk(url, query, accept, seconds=seconds, concurrency=concurrency)
    return run_python(url, query, accept, seconds=seconds, concurrency=concurrency)
