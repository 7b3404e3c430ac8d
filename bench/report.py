"""The results of one run: machine description, target checks, rich tables, JSON and Markdown."""
from __future__ import annotations

import os
import re
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from bench import peers

PACKAGES = ["pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "spacy", "fastapi", "uvicorn", "httpx"]


def _first_line(cmd: list[str]) -> str | None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).strip()
    return text.splitlines()[0] if text else None


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    oxigraph = peers.executable("oxigraph")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "os": platform.platform(), "python": platform.python_version(), "packages": versions,
            "oxigraph_server": _first_line([oxigraph, "--version"]) if oxigraph else None,
            "wrk": _first_line(["wrk", "--version"]), "loadavg_start": _loadavg(),
            "git_commit": _first_line(["git", "-C", str(peers.ROOT), "rev-parse", "--short", "HEAD"])}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _loadavg() -> list[float] | None:
    try:
        return list(os.getloadavg())
    except OSError:
        return None


# -- targets -------------------------------------------------------------------------------------

def targets(results: dict) -> list[dict]:
    """Each issue-6 target as measured in this run: value, goal, met (None when not measured)."""
    rows: list[dict] = []

    def add(name: str, value: float | None, goal: str, met: bool | None) -> None:
        rows.append({"target": name, "value": value, "goal": goal, "met": met})

    queries = results.get("query", {}).get("queries", {})
    for qname, q in queries.items():
        ratio = q.get("ratio_to_oxigraph", {}).get("claimgraph")
        need = 0.9 if q["weight"] == "heavy" else 0.3
        add(f"{qname} ({q['weight']}) req/s vs oxigraph serve", ratio, f">= {need}x",
            None if ratio is None else ratio >= need)
        if q["weight"] == "small":
            p99 = q["peers"].get("claimgraph", {}).get("latency_p99_ms")
            add(f"{qname} p99 latency (1 connection), ms", p99, "< 5 ms", None if p99 is None else p99 < 5)
    aggregate = queries.get("quantity_aggregate", {}).get("peers", {})
    cg, rl = aggregate.get("claimgraph", {}).get("rps"), aggregate.get("rdflib-endpoint", {}).get("rps")
    ratio = cg / rl if cg and rl else None
    add("quantity_aggregate req/s vs rdflib-endpoint", ratio, ">= 50x", None if ratio is None else ratio >= 50)

    dump = results.get("dump", {})
    sizes = [s for s in dump.get("sizes", []) if "methods" in s]
    if sizes:
        largest = sizes[-1]
        for method, row in largest["methods"].items():
            if method.startswith(("cli", "http")):
                ratio = row.get("ratio_to_pyoxigraph")
                add(f"dump {method} ({largest['quads']:,} quads) vs pyoxigraph", ratio, ">= 0.8x",
                    None if ratio is None else ratio >= 0.8)
        memory = dump.get("memory_growth", {})
        for method, growth in memory.get("relative_to_pyoxigraph", {}).items():
            raw = memory["peak_rss_ratio"][method]
            add(f"dump {method} peak RSS growth {memory['from_quads']:,} -> {memory['to_quads']:,} quads "
                f"(raw {raw:.2f}x), relative to pyoxigraph's growth", growth, "<= 1.25x (flat)", growth <= 1.25)

    load = results.get("load", {}).get("sizes", [])
    if load:
        ratio = load[-1].get("ratio_to_pyoxigraph")
        add(f"bulk load ({load[-1]['quads']:,} quads) vs pyoxigraph bulk_load", ratio, "(reported)", None)

    ingest = results.get("ingest", {})
    growth = ingest.get("marginal_cost_growth")
    add("ingest marginal cost per article, largest / smallest size", growth, "<= 1.25x (flat)",
        None if growth is None else growth <= 1.25)
    speedup = ingest.get("workers", {}).get("speedup")
    add("ingest --workers 2 vs --workers 1", speedup, ">= 1.7x", None if speedup is None else speedup >= 1.7)
    for model, run in results.get("pipelines", {}).get("pipelines", {}).items():
        measured = [r for r in run["sizes"] if r.get("status") == "ok"]
        if measured:
            rate = measured[-1].get("characters_per_s")
            add(f"ingest {model}, {measured[-1]['articles']:,} real articles, one CPU: characters/s", rate,
                ">= 40,000", None if rate is None else rate >= 40_000)
            growth = run.get("marginal_cost_growth")
            add(f"ingest {model}: marginal cost per article, largest / smallest size", growth, "<= 1.25x (flat)",
                None if growth is None else growth <= 1.25)
    scaling = ingest.get("workers", {}).get("core_scaling")
    if scaling is not None:
        add("ingest 2 workers on 2 CPUs vs 1 worker on 1 CPU", scaling, "(reported)", None)
    real = ingest.get("workers_real", {})
    if real.get("status") == "ok":
        label = f"{real['sources']} real articles x {real['copies']}"
        add(f"ingest --workers 2 vs --workers 1, {label}", real.get("speedup"), ">= 1.7x",
            None if real.get("speedup") is None else real["speedup"] >= 1.7)
        if real.get("core_scaling") is not None:
            add(f"ingest 2 workers on 2 CPUs vs 1 on 1 CPU, {label}", real["core_scaling"], "(reported)", None)
    return rows


# -- printing ------------------------------------------------------------------------------------

def _f(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _state(section: dict) -> str:
    if not section:
        return "not run"
    return f"{section.get('status')}: {section.get('reason', '')[:100]}"


def _add_worker_rows(t: Table, workers: dict, tag: str, sizes_shown: frozenset = frozenset()) -> None:
    """The 1 / 2 / 1-on-1-CPU worker runs; the 1-worker run is left out when it is a size run
    already in the table (the workers comparison reuses it)."""
    for key, n in (("workers_1", "1"), ("workers_2", "2"), ("workers_1_one_cpu", "1 (1 CPU)")):
        if key not in workers or (key == "workers_1" and workers.get("articles") in sizes_shown):
            continue
        row = workers[key]
        t.add_row(_f(workers.get("articles")) + tag, n, _f(row.get("seconds")), _f(row.get("articles_per_s")),
                  _f(row.get("characters_per_s"), 0), _f(row.get("ms_per_article")),
                  _f(row.get("marginal_ms_per_article")), _f(row.get("cores_busy"), 2), _f(row.get("peak_rss_mb")),
                  row.get("status", "-"))


def tables(results: dict) -> list[Table]:
    out: list[Table] = []
    ingest = results.get("ingest", {})
    t = Table(title="Ingest (claimgraph ingest, fresh store per run)")
    for col in ("articles", "workers", "seconds", "articles/s", "chars/s", "ms/article", "marginal ms/article",
                "cores busy", "peak RSS MB", "status"):
        t.add_column(col, justify="right")
    if ingest.get("status") != "ok":
        t.add_row("-", "-", "-", "-", "-", "-", "-", "-", "-", _state(ingest))
    else:
        fixed = ingest["fixed"]
        t.add_row("1 (fixed cost)", "1", _f(fixed["seconds"], 2), "-", "-", "-", "-", _f(fixed.get("cores_busy"), 2),
                  _f(fixed["peak_rss_mb"]), "ok")
        for row in ingest["sizes"]:
            t.add_row(_f(row["articles"]), "1", _f(row.get("seconds"), 1), _f(row.get("articles_per_s")),
                      _f(row.get("characters_per_s"), 0), _f(row.get("ms_per_article")),
                      _f(row.get("marginal_ms_per_article")), _f(row.get("cores_busy"), 2), _f(row.get("peak_rss_mb")),
                      row.get("status", "") if row.get("status") != "skipped" else "skipped (budget)")
        real = ingest.get("workers_real", {})
        _add_worker_rows(t, ingest.get("workers", {}), "",
                         frozenset(row["articles"] for row in ingest["sizes"] if row.get("status") == "ok"))
        _add_worker_rows(t, real if real.get("status") == "ok" else {}, " real")
    out.append(t)

    pipes = results.get("pipelines", {})
    if pipes:
        t = Table(title="Extraction pipelines on real articles (--workers 1 held to one CPU; copies of "
                        f"{Path(pipes.get('source', '')).name or '-'})")
        for col in ("pipeline", "articles", "seconds", "chars/s", "marginal chars/s", "marginal ms/article",
                    "peak RSS MB", "status"):
            t.add_column(col, justify="right")
        for model, run in pipes.get("pipelines", {}).items():
            t.add_row(model, "1 (fixed cost)", _f(run["fixed"].get("seconds"), 2), "-", "-", "-",
                      _f(run["fixed"].get("peak_rss_mb")), run["fixed"].get("status", ""))
            for row in run["sizes"]:
                t.add_row(model, _f(row["articles"]), _f(row.get("seconds"), 1), _f(row.get("characters_per_s"), 0),
                          _f(row.get("marginal_characters_per_s"), 0), _f(row.get("marginal_ms_per_article")),
                          _f(row.get("peak_rss_mb")), row.get("status", ""))
        out.append(t)

    query = results.get("query", {})
    t = Table(title=f"SPARQL over HTTP ({_f(query.get('quads'))} quads; req/s at "
                    f"{query.get('concurrency')} connections, latency at 1 connection; median of {query.get('repeat', 1)} "
                    f"interleaved round(s); ratio = req/s / oxigraph serve)")
    for col in ("query", "endpoint", "req/s", "ratio", "p50 ms", "p99 ms", "rows", "tool"):
        t.add_column(col, justify="right")
    if query.get("status") != "ok":
        t.add_row("-", "-", "-", "-", "-", "-", "-", _state(query))
    for qname, q in query.get("queries", {}).items():
        for peer, row in q["peers"].items():
            if row.get("status") != "ok":
                t.add_row(qname, peer, row.get("status", "-"), "-", "-", "-", "-", row.get("reason", "")[:60])
                continue
            p50 = row.get("latency_p50_ms", row.get("p50_ms"))
            p99 = row.get("latency_p99_ms", row.get("p99_ms"))
            t.add_row(qname, peer, _f(row["rps"]), _f(q["ratio_to_oxigraph"].get(peer), 2), _f(p50, 2),
                      _f(p99, 2), _f(row.get("rows")), row.get("tool", ""))
    out.append(t)

    t = Table(title="Bulk load (N-Quads file -> store)")
    for col in ("quads", "file MB", "loader", "seconds", "triples/s", "peak RSS MB", "ratio"):
        t.add_column(col, justify="right")
    if results.get("load", {}).get("status") != "ok":
        t.add_row("-", "-", "-", "-", "-", "-", _state(results.get("load", {})))
    for size in results.get("load", {}).get("sizes", []):
        for loader in ("pyoxigraph", "claimgraph"):
            row = size.get(loader, {})
            t.add_row(_f(size["quads"]), _f(size["file_mb"]), loader, _f(row.get("seconds"), 2),
                      _f(row.get("triples_per_s"), 0), _f(row.get("peak_rss_mb")),
                      _f(size.get("ratio_to_pyoxigraph"), 2) if loader == "claimgraph" else "1.00")
    out.append(t)

    t = Table(title="Dump (whole store; ratio = triples/s / pyoxigraph's own dump)")
    for col in ("quads", "method", "seconds", "triples/s", "MB/s", "peak RSS MB", "ratio", "status"):
        t.add_column(col, justify="right")
    if results.get("dump", {}).get("status") != "ok":
        t.add_row("-", "-", "-", "-", "-", "-", "-", _state(results.get("dump", {})))
    for size in results.get("dump", {}).get("sizes", []):
        for method, row in size.get("methods", {}).items():
            t.add_row(_f(size["quads"]), method, _f(row.get("seconds"), 2), _f(row.get("triples_per_s"), 0),
                      _f(row.get("mb_per_s")), _f(row.get("peak_rss_mb")), _f(row.get("ratio_to_pyoxigraph"), 2),
                      row.get("status", "") if row.get("status") == "ok" else row.get("reason", row.get("status", ""))[:60])
    out.append(t)

    t = Table(title="Targets (issue 6)")
    for col in ("target", "value", "goal", "met"):
        t.add_column(col)
    for row in results.get("targets", []):
        met = {True: "yes", False: "NO", None: "-"}[row["met"]]
        t.add_row(row["target"], _f(row["value"], 2), row["goal"], met)
    out.append(t)
    return out


def print_tables(results: dict, console: Console | None = None) -> None:
    console = console or Console()
    for table in tables(results):
        console.print(table)


START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def markdown(results: dict) -> str:
    """The same tables as Markdown, via rich's MARKDOWN box and plain-text export."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=400, color_system=None, file=sink)
        for table in tables(results):
            table.box = box.MARKDOWN
            title, table.title = table.title, None
            console.print(f"\n**{title}**\n")
            console.print(table)
        text = "\n".join(line.rstrip() for line in console.export_text().splitlines())
        return re.sub(r"\n{3,}", "\n\n", text)


def markdown_header(results: dict, source: Path) -> str:
    """Which run, on which machine, under what background load."""
    m = results.get("machine", {})
    packages = ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items() if v)
    wrk = (m.get("wrk") or "").split(" Copyright")[0]
    return "\n".join([
        f"Run `{results.get('name')}` ({'quick' if results.get('quick') else 'full'}; sections: "
        f"{', '.join(results.get('sections', []))}), {results.get('started', '')[:19]} to "
        f"{results.get('finished', '')[:19]} UTC, commit {m.get('git_commit')}; raw numbers: "
        f"`bench/results/{source.name}`.",
        "",
        f"- Machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory_gib')} GiB RAM, {m.get('os')}",
        f"- Python {m.get('python')}; {packages}; server binary: {m.get('oxigraph_server')}; "
        f"load generator: {wrk or 'Python client (wrk not installed)'}",
        f"- Load average (1, 5, 15 min) at start / end: {_loads(m.get('loadavg_start'))} / "
        f"{_loads(m.get('loadavg_end'))} — the machine was shared with other work during the run",
    ])


def _loads(values) -> str:
    return " ".join(f"{v:.1f}" for v in values) if values else "-"
