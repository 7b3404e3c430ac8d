"""Bulk load and dump: triples/s and peak memory, claimgraph against pyoxigraph doing it alone.

For each store size: write a synthetic N-Quads file, load it with `claimgraph load` and with
pyoxigraph's `bulk_load` (bench.limits), then dump the store as N-Quads and Turtle three ways —
pyoxigraph's own dump (the limit), `claimgraph export`, and `GET /dump.nq|/dump.ttl` on
`claimgraph serve` — each timed, with the peak RSS of the process tree doing the work. Two
sizes show whether dump memory stays flat as the store grows.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import httpx

from bench import peers
from bench.procmem import PeakSampler
from bench.rdfgen import write_nquads
from bench.timed import run_timed

CLI = [sys.executable, "-m", "claimgraph.cli"]
LIMIT = [sys.executable, "-m", "bench.limits"]
FORMATS = {"nquads": "nq", "turtle": "ttl"}   # export format -> /dump.<ext>
MB = 1024 * 1024


def _rate(quads: int, seconds: float, out_bytes: int | None, peak: int, ok: bool, reason: str = "") -> dict:
    if not ok:
        return {"status": "error", "reason": reason.strip()[-600:]}
    row = {"status": "ok", "seconds": seconds, "triples_per_s": quads / seconds, "peak_rss_mb": peak / MB}
    if out_bytes is not None:
        row["mb_per_s"] = out_bytes / MB / seconds
        row["bytes"] = out_bytes
    return row


def _load(nquads: Path, quads: int, workdir: Path, timeout: float) -> tuple[dict, Path | None]:
    """claimgraph load vs pyoxigraph bulk_load, each into a fresh folder; returns a loaded store."""
    out: dict = {}
    cg_store, ox_store = workdir / "load-claimgraph", workdir / "load-pyoxigraph"
    for folder in (cg_store, ox_store):
        shutil.rmtree(folder, ignore_errors=True)
    limit = run_timed([*LIMIT, "load", str(ox_store), str(nquads)], timeout=timeout)
    out["pyoxigraph"] = _rate(quads, limit.seconds, None, limit.peak_bytes, limit.ok, limit.stderr_tail)
    cli = run_timed([*CLI, "--store", str(cg_store), "load", str(nquads)], timeout=timeout)
    out["claimgraph"] = _rate(quads, cli.seconds, None, cli.peak_bytes, cli.ok, cli.stderr_tail)
    if cli.ok and limit.ok:
        out["ratio_to_pyoxigraph"] = limit.seconds / cli.seconds
    store = ox_store if limit.ok else (cg_store if cli.ok else None)
    shutil.rmtree(cg_store, ignore_errors=True)
    return out, store


def _dump_files(store: Path, quads: int, workdir: Path, timeout: float) -> dict:
    out: dict = {}
    target = workdir / "dump.out"
    for fmt in FORMATS:
        limit = run_timed([*LIMIT, "dump", str(store), fmt, str(target)], timeout=timeout)
        size = target.stat().st_size if limit.ok and target.exists() else None
        out[f"pyoxigraph {fmt}"] = _rate(quads, limit.seconds, size, limit.peak_bytes, limit.ok, limit.stderr_tail)
        target.unlink(missing_ok=True)
        cli = run_timed([*CLI, "--store", str(store), "export", "--format", fmt, "--output", str(target)],
                        timeout=timeout)
        size = target.stat().st_size if cli.ok and target.exists() else None
        out[f"cli {fmt}"] = _rate(quads, cli.seconds, size, cli.peak_bytes, cli.ok, cli.stderr_tail)
        target.unlink(missing_ok=True)
    return out


def _dump_http(store: Path, quads: int, workdir: Path, timeout: float) -> dict:
    try:
        endpoint = peers.start_claimgraph(store, workdir / "logs")
    except peers.PeerUnavailable as exc:
        return {f"http {fmt}": {"status": "not available", "reason": str(exc)} for fmt in FORMATS}
    out: dict = {}
    with endpoint, httpx.Client(timeout=timeout) as client:
        for fmt, ext in FORMATS.items():
            received = 0
            started = time.perf_counter()
            try:
                with PeakSampler(endpoint.pid) as sampler:
                    with client.stream("GET", f"{endpoint.base}/dump.{ext}") as response:
                        status = response.status_code
                        for chunk in response.iter_raw(1 << 16):
                            received += len(chunk)
            except httpx.HTTPError as exc:
                out[f"http {fmt}"] = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
                continue
            seconds = time.perf_counter() - started
            row = _rate(quads, seconds, received, sampler.peak, status == 200, f"HTTP {status}")
            if status == 200:
                row["server_baseline_rss_mb"] = sampler.baseline / MB
            out[f"http {fmt}"] = row
    return out


def run(workdir: Path, *, sizes: list[int], timeout: float = 1800, log=print) -> tuple[dict, dict]:
    """Returns (load section, dump section)."""
    load_rows, dump_rows = [], []
    for target in sizes:
        nquads = workdir / f"store-{target}.nq"
        quads = write_nquads(nquads, target)
        log(f"load/dump: {quads} quads")
        load_row, store = _load(nquads, quads, workdir, timeout)
        load_rows.append({"quads": quads, "file_mb": nquads.stat().st_size / MB, **load_row})
        if store is None:
            dump_rows.append({"quads": quads, "status": "error", "reason": "no store could be loaded"})
            continue
        methods = {**_dump_files(store, quads, workdir, timeout), **_dump_http(store, quads, workdir, timeout)}
        for fmt in FORMATS:
            base = methods.get(f"pyoxigraph {fmt}", {})
            for way in ("cli", "http"):
                row = methods.get(f"{way} {fmt}", {})
                if base.get("status") == "ok" and row.get("status") == "ok":
                    row["ratio_to_pyoxigraph"] = row["triples_per_s"] / base["triples_per_s"]
        dump_rows.append({"quads": quads, "methods": methods})
        shutil.rmtree(store, ignore_errors=True)
        nquads.unlink(missing_ok=True)
    return ({"status": "ok", "sizes": load_rows},
            {"status": "ok", "sizes": dump_rows, "memory_growth": _memory_growth(dump_rows)})


def _memory_growth(rows: list[dict]) -> dict:
    """Peak RSS at the largest store over peak RSS at the smallest, per method (1.0 = flat).

    pyoxigraph's own dump grows too (RocksDB block cache; the Turtle view of the union of all
    graphs de-duplicates triples in a hash set), so each method's growth is also given relative
    to pyoxigraph's growth for the same format: 1.0 = it grows no more than the limit does.
    """
    measured = [r for r in rows if "methods" in r]
    if len(measured) < 2:
        return {}
    small, large = measured[0]["methods"], measured[-1]["methods"]
    growth, relative = {}, {}
    for method, row in large.items():
        first = small.get(method, {})
        if row.get("status") == "ok" and first.get("status") == "ok":
            growth[method] = row["peak_rss_mb"] / first["peak_rss_mb"]
    for method, value in growth.items():
        limit = growth.get(f"pyoxigraph {method.split()[-1]}")
        if limit and not method.startswith("pyoxigraph"):
            relative[method] = value / limit
    return {"from_quads": measured[0]["quads"], "to_quads": measured[-1]["quads"], "peak_rss_ratio": growth,
            "relative_to_pyoxigraph": relative}
