"""A bounded load test on loopback (bench/load.py): mixed named-API and SPARQL traffic at the
rate the server sustains, over a store built by the real ingest. It must finish with zero
errors and the server's memory (its whole process tree) flat.

The duration is a setting: CLAIMGRAPH_LOAD_SECONDS (60 s by default, as in CI; shorter for local runs;
`python -m bench.load --store STORE --seconds 60`, which also checks p99 under one second —
latency is measured here and written to tests/artifacts/load.json, but asserted only by the
bench tool, because a shared CI machine makes speed a poor pass/fail signal).
"""
from __future__ import annotations

import json
import os

import pytest

from bench.load import MEMORY_DRIFT, run
from conftest import ARTIFACTS, SEEDS, Server, run_cli

SECONDS = float(os.environ.get("CLAIMGRAPH_LOAD_SECONDS", "60"))   # the issue asks for at least 60 s
CONCURRENCY = int(os.environ.get("CLAIMGRAPH_LOAD_CONCURRENCY", "8"))


@pytest.mark.slow
def test_mixed_load_finishes_without_errors_and_memory_stays_flat(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    store = str(tmp_path / "store")
    run_cli("--store", store, "ingest", str(SEEDS))
    server = Server(store)
    try:
        report = run(server.base, server.proc.pid, seconds=SECONDS, concurrency=CONCURRENCY, max_requests=200_000)
    finally:
        server.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report.as_dict(), indent=2))
    assert report.requests > 0
    assert report.errors == 0, report.error_samples
    assert report.by_kind["named"]["requests"] > 0 and report.by_kind["sparql"]["requests"] > 0
    assert report.seconds < SECONDS + 120                    # it stopped by itself
    assert len(report.rss_mb) >= 3
    assert abs(report.rss_drift) <= MEMORY_DRIFT, (report.rss_first_third_mb, report.rss_last_third_mb)
