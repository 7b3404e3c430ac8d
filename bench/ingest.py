"""Ingest: articles/s, characters/s and peak memory at growing corpus sizes, and 1 vs 2 workers.

Each run is the real CLI (`claimgraph --store DIR ingest CORPUS --workers N`) in a fresh store.
A run over a single article gives the fixed cost (interpreter, spaCy, vocabulary, store
open), so the marginal cost per article, (t(N) - t(1)) / (N - 1), can be compared across
sizes: flat means linear. A size whose predicted time exceeds the budget is skipped and
reported as such, not silently dropped.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from bench.corpus import write_corpus
from bench.timed import run_timed

CLI = [sys.executable, "-m", "claimgraph.cli"]
MB = 1024 * 1024
INGESTED = re.compile(r"ingested (\d+) document")


def _ingest(corpus: Path, store: Path, workers: int, timeout: float, cpus: set[int] | None = None,
            spacy_model: str | None = None) -> dict:
    """`spacy_model`: the ingest's --spacy-model (None: the CLI's default pipeline)."""
    shutil.rmtree(store, ignore_errors=True)
    model = ["--spacy-model", spacy_model] if spacy_model else []
    timed = run_timed([*CLI, "--store", str(store), "ingest", str(corpus), "--workers", str(workers), *model],
                      timeout=timeout, cpus=cpus)
    shutil.rmtree(store, ignore_errors=True)
    match = INGESTED.search(timed.stderr_tail)
    row = {"seconds": timed.seconds, "peak_rss_mb": timed.peak_bytes / MB, "exit": timed.returncode,
           "ingested": int(match.group(1)) if match else None,
           # CPU of the whole tree over wall time: how many cores the run kept busy. With one
           # worker the store's writer thread and compactions already use the second core,
           # which bounds what a second worker can add on a 2-core machine.
           "cpu_seconds": timed.cpu_seconds, "cores_busy": timed.cpu_seconds / max(timed.seconds, 1e-9)}
    if timed.returncode not in (0, 1) or match is None:
        row["status"] = "error"
        row["reason"] = timed.stderr_tail[-600:].strip()
    else:
        row["status"] = "ok"
    return row


def run(workdir: Path, *, sizes: list[int], workers_size: int, budget: float, log=print,
        real_corpus: Path | None = None, real_copies: int = 400) -> dict:
    try:
        import ingest.run  # noqa: F401
    except ImportError as exc:
        return {"status": "not available", "reason": f"ingest.run cannot be imported: {exc}"}
    corpora = workdir / "corpora"
    store = workdir / "ingest-store"
    characters: dict[int, int] = {}
    for n in sorted({1, *sizes, workers_size}):
        _, characters[n] = write_corpus(corpora / str(n), n)

    # the fixed cost is subtracted from every size, so its noise matters: take the quicker of two
    fixed = min((_ingest(corpora / "1", store, 1, timeout=budget) for _ in range(2)),
                key=lambda row: (row["status"] != "ok", row["seconds"]))
    log(f"ingest: fixed cost (1 article) {fixed['seconds']:.2f}s")
    if fixed["status"] != "ok":
        return {"status": "error", "reason": fixed.get("reason", ""), "fixed": fixed}

    rows = []
    per_article = None
    for n in sorted(sizes):
        predicted = fixed["seconds"] + (per_article or 0) * n
        if per_article is not None and predicted > budget:
            rows.append({"articles": n, "status": "skipped",
                         "reason": f"predicted {predicted:.0f}s exceeds the {budget:.0f}s budget (--ingest-budget)"})
            log(f"ingest: {n} articles skipped (predicted {predicted:.0f}s)")
            continue
        row = _ingest(corpora / str(n), store, 1, timeout=max(budget, 2 * predicted))
        row.update(_rates(n, characters[n], row, fixed))
        rows.append({"articles": n, "characters": characters[n], **row})
        log(f"ingest: {n} articles in {row['seconds']:.1f}s")
        if row["status"] == "ok" and n > 1:
            per_article = (row["seconds"] - fixed["seconds"]) / (n - 1)

    same_size = next((r for r in rows if r["articles"] == workers_size and r.get("status") == "ok"), None)
    workers = _workers(corpora / str(workers_size), store, workers_size, characters[workers_size], fixed, budget,
                       log, one=same_size)
    out = {"status": "ok", "fixed": fixed, "sizes": rows, "workers": workers, "marginal_cost_growth": _growth(rows)}
    if real_corpus is not None:
        out["workers_real"] = _workers_real(real_corpus, real_copies, workdir, store, fixed, budget, log)
    return out


def _workers_real(source: Path, copies: int, workdir: Path, store: Path, fixed: dict, budget: float, log) -> dict:
    """The workers comparison on real articles: the synthetic articles are dense (a claim or a
    figure in most sentences), so the store's share of the ingest is larger there than on news.
    Each .txt/.html article of `source` is copied `copies` times under new names, so every copy
    is a document of its own (ids come from file names); other files are left out."""
    folder = workdir / "real"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = sorted(p for p in Path(source).iterdir() if p.suffix.lower() in (".txt", ".html", ".htm"))
    if not articles:
        return {"status": "error", "reason": f"no .txt or .html articles in {source}"}
    for i in range(copies):
        for article in articles:
            shutil.copyfile(article, folder / f"copy{i:04d}-{article.name}")
    n = copies * len(articles)
    chars = sum(len(a.read_text(encoding="utf-8", errors="replace")) for a in articles) * copies
    result = _workers(folder, store, n, chars, fixed, budget, log)
    shutil.rmtree(folder, ignore_errors=True)
    return {"status": "ok", "source": str(source), "sources": len(articles), "copies": copies, **result}


def _rates(n: int, chars: int, row: dict, fixed: dict) -> dict:
    if row["status"] != "ok":
        return {}
    seconds = row["seconds"]
    marginal = max(seconds - fixed["seconds"], 1e-9)
    return {"articles_per_s": n / seconds, "characters_per_s": chars / seconds,
            "ms_per_article": 1000 * seconds / n,
            "marginal_ms_per_article": 1000 * marginal / max(n - 1, 1),
            "marginal_articles_per_s": max(n - 1, 1) / marginal}


def _workers(corpus: Path, store: Path, n: int, chars: int, fixed: dict, budget: float, log,
             one: dict | None = None) -> dict:
    """The same corpus with --workers 1 (reused from the size runs when measured) and --workers 2,
    and, where CPUs can be pinned, --workers 1 held to one CPU: with one worker the store's writer
    thread and compactions already use a second core, so "2 workers vs 1" on the same cores is
    bounded by what that leaves, while "2 workers on 2 cores vs 1 worker on 1 core" is how the
    ingest scales with cores."""
    if one is None:
        one = _ingest(corpus, store, 1, timeout=budget)
    one = {k: v for k, v in one.items() if k not in ("articles", "characters")}
    two = _ingest(corpus, store, 2, timeout=budget)
    log(f"ingest: {n} articles, 1 worker {one['seconds']:.1f}s, 2 workers {two['seconds']:.1f}s")
    out = {"articles": n, "workers_1": {**one, **_rates(n, chars, one, fixed)},
           "workers_2": {**two, **_rates(n, chars, two, fixed)}}
    if one["status"] == "ok" and two["status"] == "ok":
        out["speedup"] = one["seconds"] / two["seconds"]
        out["marginal_speedup"] = max(one["seconds"] - fixed["seconds"], 1e-9) / \
            max(two["seconds"] - fixed["seconds"], 1e-9)
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) >= 2:
        pinned = _ingest(corpus, store, 1, timeout=max(budget, 3 * one["seconds"]), cpus={cpus[0]})
        log(f"ingest: {n} articles, 1 worker on 1 CPU {pinned['seconds']:.1f}s")
        out["workers_1_one_cpu"] = {**pinned, **_rates(n, chars, pinned, fixed)}
        if pinned["status"] == "ok" and two["status"] == "ok":
            out["core_scaling"] = pinned["seconds"] / two["seconds"]
    return out


def _growth(rows: list[dict]) -> float | None:
    """Marginal cost per article at the largest measured size over that at the smallest (1.0 = linear)."""
    measured = [r for r in rows if r.get("status") == "ok" and r["articles"] > 1]
    if len(measured) < 2:
        return None
    return measured[-1]["marginal_ms_per_article"] / measured[0]["marginal_ms_per_article"]
