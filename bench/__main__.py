"""`python -m bench`: ingest, query-over-HTTP, bulk-load and dump benchmarks in one run.

    python -m bench                 the full run (minutes to an hour; see BENCHMARKS.md)
    python -m bench --quick         every section at tiny sizes (the CI smoke test)
    python -m bench --only query    one or more sections: ingest, pipelines, query, load (load + dump), scale
    python -m bench corpus OUT -n 1000 [--format jsonl]   just write a synthetic corpus

Results print as tables and are written to bench/results/NAME.json (NAME defaults to a UTC
timestamp, or `quick-...` for --quick).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from bench import dumpload, ingest, loadgen, pipelines, query, report, scale
from bench.corpus import SEED, write_corpus

RESULTS = Path(__file__).with_name("results")
SECTIONS = ("ingest", "pipelines", "query", "load", "scale")
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"

PROFILES = {
    "full": dict(ingest_sizes=[100, 1000, 10000], workers_size=10000, ingest_budget=1500.0,
                 pipeline_sizes=[100, 1000, 10000],
                 query_quads=100_000, seconds=5.0, concurrency=8, repeat=3, dump_sizes=[250_000, 1_000_000],
                 scale_sizes=[10_000, 100_000], scale_calls=7),
    "quick": dict(ingest_sizes=[3, 8], workers_size=8, ingest_budget=240.0, pipeline_sizes=[3, 8],
                  query_quads=3_000, seconds=1.0, concurrency=4, repeat=1, dump_sizes=[3_000, 12_000],
                  scale_sizes=[40], scale_calls=2),
}

app = typer.Typer(add_completion=False, help="Benchmarks against peers in one run: ingest, SPARQL over HTTP, "
                  "bulk load, dump. `--quick` for the smoke run; see BENCHMARKS.md.")
console = Console(stderr=True)


class CorpusFormat(str, Enum):
    txt = "txt"
    jsonl = "jsonl"


def _ints(text: Optional[str]) -> Optional[list[int]]:
    if text is None:
        return None
    try:
        return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"expected comma-separated integers, got {text!r}") from None


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    quick: bool = typer.Option(False, "--quick", help="Tiny sizes: every section in a couple of minutes."),
    only: Optional[str] = typer.Option(None, "--only", help="Comma-separated sections: ingest,pipelines,query,load,scale."),
    name: Optional[str] = typer.Option(None, "--name", help="Results file name (bench/results/NAME.json)."),
    results_dir: Path = typer.Option(RESULTS, "--results-dir", help="Where the results JSON goes."),
    workdir: Optional[Path] = typer.Option(None, "--workdir", help="Scratch folder (default: a temp dir)."),
    keep: bool = typer.Option(False, "--keep", help="Keep the scratch folder."),
    ingest_sizes: Optional[str] = typer.Option(None, "--ingest-sizes", help="Articles per ingest run, e.g. 100,1000."),
    pipeline_sizes: Optional[str] = typer.Option(None, "--pipeline-sizes",
                                                 help="Real articles per run of the pipelines section, e.g. 100,1000."),
    workers_size: Optional[int] = typer.Option(None, "--workers-size", help="Articles for the 1 vs 2 workers run."),
    ingest_budget: Optional[float] = typer.Option(None, "--ingest-budget", help="Seconds; larger sizes are skipped."),
    workers_corpus: Optional[Path] = typer.Option(None, "--workers-corpus",
                                                  help="Also compare 1 and 2 workers on this folder of real "
                                                       "articles (.txt/.html), each copied --workers-copies times."),
    workers_copies: int = typer.Option(400, "--workers-copies", min=1, help="Copies of each --workers-corpus article."),
    query_quads: Optional[int] = typer.Option(None, "--query-quads", help="Store size for the query benchmark."),
    seconds: Optional[float] = typer.Option(None, "--seconds", help="Seconds of load per query and endpoint."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", help="Connections for the throughput runs."),
    repeat: Optional[int] = typer.Option(None, "--repeat", min=1,
                                         help="Rounds per query and endpoint (interleaved); the median is kept."),
    dump_sizes: Optional[str] = typer.Option(None, "--dump-sizes", help="Store sizes (quads) for load and dump."),
    no_wrk: bool = typer.Option(False, "--no-wrk", help="Use the Python load generator even when wrk exists."),
    scale_sizes: Optional[str] = typer.Option(None, "--scale-sizes", help="Documents per scale store, e.g. 10000,100000."),
    scale_calls: Optional[int] = typer.Option(None, "--scale-calls", min=1, help="Calls per named query in the scale section."),
) -> None:
    """Run the benchmarks (all sections unless --only)."""
    if ctx.invoked_subcommand is not None:
        return
    profile = dict(PROFILES["quick" if quick else "full"])
    overrides = dict(ingest_sizes=_ints(ingest_sizes), pipeline_sizes=_ints(pipeline_sizes),
                     workers_size=workers_size, ingest_budget=ingest_budget,
                     query_quads=query_quads, seconds=seconds, concurrency=concurrency, repeat=repeat,
                     dump_sizes=_ints(dump_sizes), scale_sizes=_ints(scale_sizes), scale_calls=scale_calls)
    profile.update({k: v for k, v in overrides.items() if v is not None})
    if workers_corpus is not None:
        profile.update(workers_corpus=str(workers_corpus), workers_copies=workers_copies)
    sections = [s.strip() for s in only.split(",")] if only else list(SECTIONS)
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise typer.BadParameter(f"unknown section(s) {', '.join(unknown)}: choose from {', '.join(SECTIONS)}")

    started = datetime.now(timezone.utc)
    name = name or f"{'quick-' if quick else ''}{started.strftime('%Y%m%dT%H%M%SZ')}"
    scratch = workdir or Path(tempfile.mkdtemp(prefix="claimgraph-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    prefer_wrk = not no_wrk
    if prefer_wrk and not loadgen.wrk_available():
        console.print("[yellow]wrk not found (run .ci/setup-bench.sh); using the Python load generator[/yellow]")

    def log(message: str) -> None:
        console.print(f"[dim]{time.strftime('%H:%M:%S')}[/dim] {message}")

    results: dict = {"name": name, "started": started.isoformat(), "quick": quick, "seed": SEED,
                     "config": profile, "machine": report.machine(), "sections": sections}
    try:
        for section in SECTIONS:
            if section not in sections:
                continue
            section_started = time.perf_counter()
            results.update(_run_section(section, scratch, profile, prefer_wrk, log))
            log(f"{section}: done in {time.perf_counter() - section_started:.0f}s")
    finally:
        if not keep and workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)
    results["finished"] = datetime.now(timezone.utc).isoformat()
    results["machine"]["loadavg_end"] = report._loadavg()
    results["targets"] = report.targets(results)

    report.print_tables(results, Console(width=None if console.is_terminal else 150))
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    console.print(f"results written to {path}")


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


def _run_section(section: str, scratch: Path, profile: dict, prefer_wrk: bool, log) -> dict:
    """One section; a crash is recorded in the results instead of losing the whole run."""
    try:
        if section == "ingest":
            return {"ingest": ingest.run(scratch / "ingest", sizes=profile["ingest_sizes"],
                                         workers_size=profile["workers_size"], budget=profile["ingest_budget"],
                                         log=log, real_corpus=_path(profile.get("workers_corpus")),
                                         real_copies=profile.get("workers_copies", 400))}
        if section == "pipelines":
            from ingest.extract.pipeline import DEFAULT_SPACY_MODEL, choose_spacy_model
            models = [pipelines.RULES] + ([DEFAULT_SPACY_MODEL] if choose_spacy_model(None) else [])
            return {"pipelines": pipelines.run(scratch / "pipelines", source=_path(profile.get("workers_corpus")) or SEEDS,
                                               sizes=profile["pipeline_sizes"], models=models,
                                               budget=max(profile["ingest_budget"], 3600.0), log=log)}
        if section == "query":
            return {"query": query.run(scratch / "query", quads=profile["query_quads"], seconds=profile["seconds"],
                                       concurrency=profile["concurrency"], repeat=profile["repeat"],
                                       prefer_wrk=prefer_wrk, log=log)}
        if section == "scale":
            return {"scale": scale.run(scratch / "scale", sizes=profile["scale_sizes"], calls=profile["scale_calls"],
                                       log=log)}
        load, dump = dumpload.run(scratch / "dump", sizes=profile["dump_sizes"], log=log)
        return {"load": load, "dump": dump}
    except Exception as exc:   # noqa: BLE001 — reported, and the other sections still run
        log(f"[red]{section} failed:[/red] {type(exc).__name__}: {exc}")
        error = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
        return {"load": error, "dump": error} if section == "load" else {section: error}


@app.command()
def corpus(
    out: Path = typer.Argument(..., help="Folder to write into."),
    articles: int = typer.Option(100, "--articles", "-n", min=1),
    format: CorpusFormat = typer.Option(CorpusFormat.txt, "--format", "-f", help="txt files or one corpus.jsonl."),
    seed: int = typer.Option(SEED, "--seed"),
) -> None:
    """Write a deterministic synthetic corpus (the one the ingest benchmark uses)."""
    count, characters = write_corpus(out, articles, fmt=format.value, seed=seed)
    console.print(f"wrote {count} article(s), {characters:,} characters, to {out}")


@app.command("profile")
def profile_server(
    query_name: str = typer.Option("point_lookup", "--query", help="A bench/queries/NAME.rq to drive."),
    quads: int = typer.Option(100_000, "--quads"),
    seconds: float = typer.Option(15.0, "--seconds"),
    concurrency: int = typer.Option(8, "--concurrency"),
    workdir: Path = typer.Option(Path(tempfile.gettempdir()) / "claimgraph-bench-profile", "--workdir",
                                 help="Keeps the collapsed stacks (profile-QUERY.txt) for flame graphs."),
) -> None:
    """Profile `claimgraph serve` under wrk load with py-spy; print where the samples fall."""
    from bench import profile
    from rich.table import Table
    outcome = profile.run(workdir, query_name=query_name, quads=quads, seconds=seconds, concurrency=concurrency,
                          log=console.print)
    out = Console(width=None if console.is_terminal else 200)
    for title, rows in (("self samples", outcome["self"]), ("inclusive samples", outcome["inclusive"])):
        table = Table(title=f"{title} ({outcome['samples']} total) — {outcome['query']}")
        table.add_column("share", justify="right")
        table.add_column("frame")
        for frame, count in rows:
            table.add_row(f"{100 * count / max(outcome['samples'], 1):.1f}%", frame)
        out.print(table)
    console.print(f"collapsed stacks: {outcome['collapsed']}")


@app.command()
def render(
    results_files: list[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                               help="bench/results/*.json; with several, later files' sections win."),
    target: Path = typer.Option(Path(__file__).resolve().parent.parent / "BENCHMARKS.md", "--to",
                                help="Markdown file whose results block is replaced."),
) -> None:
    """Put a run's tables and machine description into BENCHMARKS.md (between the results markers)."""
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in results_files]
    results = _merge(runs)
    note = (["Each table comes from the last of these runs that measured its section."]
            if len(runs) > 1 else [])
    block = "\n\n".join([report.markdown_header(run, path) for run, path in zip(runs, results_files)]
                         + note + [report.markdown(results).strip()])
    text = target.read_text(encoding="utf-8") if target.exists() else f"{report.START}\n{report.END}\n"
    if report.START not in text or report.END not in text:
        raise typer.BadParameter(f"{target} has no {report.START} ... {report.END} markers")
    head, rest = text.split(report.START, 1)
    _, tail = rest.split(report.END, 1)
    target.write_text(f"{head}{report.START}\n{block}\n{report.END}{tail}", encoding="utf-8")
    console.print(f"updated {target} from {', '.join(map(str, results_files))}")


def _merge(runs: list[dict]) -> dict:
    """One result from several runs: each section from the last run that measured it."""
    merged = dict(runs[0])
    for run in runs[1:]:
        for section in run.get("sections", []):
            for key in ({"load", "dump"} if section == "load" else {section}):
                if key in run:
                    merged[key] = run[key]
    merged["targets"] = report.targets(merged)
    return merged


if __name__ == "__main__":
    app()
