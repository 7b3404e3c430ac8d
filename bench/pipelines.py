"""Ingest speed of the two extraction pipelines on real articles, each held to one core.

The rules alone, and the rules backed by the packaged trained pipeline (which parses only the
sentences that hold a verb of speech). Each size is a folder of copies of the real articles
of `source` (the seeds by default), ingested by the real CLI with --workers 1 pinned to one
CPU; a one-article run gives the fixed cost (interpreter, spaCy, the trained pipeline, store),
so characters per second are reported end to end and at the margin, and the marginal cost per
article from the smallest to the largest size says whether the cost stays linear.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from bench.ingest import _growth, _ingest, _rates

RULES = "none"


def _copies(source: Path, folder: Path, n: int) -> int:
    """n articles cycling through the real ones under new names; returns their characters."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = sorted(p for p in source.iterdir() if p.suffix.lower() in (".txt", ".html", ".htm"))
    if not articles:
        raise ValueError(f"no .txt or .html articles in {source}")
    texts = [a.read_text(encoding="utf-8", errors="replace") for a in articles]
    for i in range(n):
        k = i % len(articles)
        (folder / f"copy{i:05d}-{articles[k].name}").write_text(texts[k], encoding="utf-8")
    return sum(len(texts[i % len(texts)]) for i in range(n))


def run(workdir: Path, *, source: Path, sizes: list[int], models: list[str], budget: float, log=print) -> dict:
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    one_cpu = {cpus[0]} if cpus else None
    store = workdir / "store"
    chars = {n: _copies(source, workdir / f"corpus-{n}", n) for n in sorted({1, *sizes})}
    out: dict = {"status": "ok", "source": str(source), "one_cpu": one_cpu is not None, "pipelines": {}}
    for model in models:
        fixed = min((_ingest(workdir / "corpus-1", store, 1, budget, one_cpu, model) for _ in range(2)),
                    key=lambda row: (row["status"] != "ok", row["seconds"]))
        rows = []
        for n in sorted(sizes):
            row = _ingest(workdir / f"corpus-{n}", store, 1, budget, one_cpu, model)
            row.update(_rates(n, chars[n], row, fixed))
            if row["status"] == "ok":
                row["marginal_characters_per_s"] = (chars[n] - chars[1]) / max(row["seconds"] - fixed["seconds"], 1e-9)
            rows.append({"articles": n, "characters": chars[n], **row})
            log(f"pipelines: {model}, {n} articles in {row['seconds']:.1f}s "
                f"({row.get('characters_per_s', 0):,.0f} characters/s)")
        out["pipelines"][model] = {"fixed": fixed, "sizes": rows, "marginal_cost_growth": _growth(rows)}
    for n in sorted({*sizes} - {1}):
        shutil.rmtree(workdir / f"corpus-{n}", ignore_errors=True)
    return out
