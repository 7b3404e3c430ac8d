"""`python -m bench.quality`: extraction quality on real articles, scored as the acceptance scorer does.

    python -m bench.quality check                  are the texts here, and the ones that were labelled?
    python -m bench.quality score --split dev      ingest the dev texts with the real CLI, serve, score
    python -m bench.quality score --split test --spacy-model none
    python -m bench.quality save RAW.json          store re-retrieved excerpts (one or a list) under their document ids

The gold (bench/quality/gold/{dev,test}.json) is committed; the texts are third-party and are
not: they live in CLAIMGRAPH_REALTEXT (default ../realtext/texts beside the clone), one
DOC.txt per document, and every score first checks each text against its recorded sha256.
README.md beside this file says how to get them again.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from bench.peers import ROOT, start_claimgraph
from bench.quality.gold import doc_id, load_gold, sha256_text, split_of
from ingest.extract.pipeline import NO_MODEL, choose_spacy_model

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
RESULTS = ROOT / "bench" / "results"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
CLI = [sys.executable, "-m", "claimgraph.cli"]

app = typer.Typer(add_completion=False, help="Extraction quality on real articles (see bench/quality/README.md).")
console = Console(stderr=True)


def texts_dir() -> Path:
    return Path(os.environ.get("CLAIMGRAPH_REALTEXT") or ROOT.parent / "realtext" / "texts")


def gold_documents(split: str) -> list[dict]:
    """The documents of one or more gold files: 'dev', 'dev,test-1', or 'all'."""
    names = sorted(p.stem for p in GOLD.glob("*.json")) if split == "all" else [s.strip() for s in split.split(",")]
    docs = []
    for name in names:
        path = GOLD / f"{name}.json"
        if not path.exists():
            raise typer.BadParameter(f"no gold file {path.name} in {GOLD}", param_hint="--split")
        docs += load_gold(path)["documents"]
    return docs


def text_status(docs: list[dict], texts: Path) -> dict[str, str]:
    """doc -> 'ok' | 'missing' | 'changed' (not the text that was labelled)."""
    status = {}
    for d in docs:
        path = texts / f"{d['doc']}.txt"
        if not path.exists():
            status[d["doc"]] = "missing"
        else:
            status[d["doc"]] = "ok" if sha256_text(path.read_text(encoding="utf-8")) == d["sha256"] else "changed"
    return status


@app.command()
def check(split: str = typer.Option("all", help="gold files: dev, test-2, dev,test-1 or all"),
          texts: Optional[Path] = typer.Option(None, help="folder of DOC.txt (default: CLAIMGRAPH_REALTEXT)")) -> None:
    """List each labelled document whose text is missing or differs from the labelled one."""
    docs = gold_documents(split)
    status = text_status(docs, texts or texts_dir())
    bad = {d: s for d, s in status.items() if s != "ok"}
    for d, s in sorted(bad.items()):
        url = next(x["url"] for x in docs if x["doc"] == d)
        console.print(f"{d}: {s}  ({url})")
    console.print(f"{len(docs) - len(bad)} of {len(docs)} texts present and unchanged")
    raise typer.Exit(1 if bad else 0)


@app.command()
def save(raw: Path = typer.Argument(..., help='{"url": ..., "excerpt": "<the JSON string as returned>"}, or a list of them'),
         texts: Optional[Path] = typer.Option(None)) -> None:
    """Store re-retrieved excerpts as DOC.txt, and say of each whether it is the text that was labelled."""
    loaded = json.loads(raw.read_text(encoding="utf-8"))
    records = loaded if isinstance(loaded, list) else [loaded]
    folder = texts or texts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    labelled = {d["doc"]: d for d in gold_documents("all")}
    differing = 0
    for record in records:
        doc = doc_id(record["url"])
        (folder / f"{doc}.txt").write_text(record["excerpt"], encoding="utf-8")
        verdict = "not in the gold"
        if doc in labelled:
            same = labelled[doc]["sha256"] == sha256_text(record["excerpt"])
            differing += not same
            verdict = "matches the gold" if same else "DIFFERS from the text that was labelled"
        console.print(f"{doc} ({split_of(record['url'])}): {verdict}")
    raise typer.Exit(1 if differing else 0)


def _score(corpus: Path, gold: Path, endpoint: str) -> tuple[dict, list[str]]:
    base = [sys.executable, str(SCORER), "--endpoint", endpoint, "--queries", str(ROOT / "queries"),
            "--gold", str(gold), "--corpus", str(corpus)]
    summary = subprocess.run([*base, "--json"], capture_output=True, text=True, check=True, timeout=600)
    listing = subprocess.run([*base, "--errors"], capture_output=True, text=True, check=True, timeout=600)
    errors = [line for line in listing.stdout.splitlines() if line.startswith("rt-")]
    return json.loads(summary.stdout), errors


def _error_counts(lines: list[str]) -> dict[str, int]:
    """How many misses and false hits of each kind. The lines themselves quote the third-party
    texts, so they are printed (--errors), never written to the results file."""
    kinds = {"claim missed": "missed", "claim not in the gold": "not in the gold", "claim wrong speaker": "given to",
             "actor missed": "missed", "actor not in the gold": "not in the gold"}
    counts: dict[str, int] = {}
    for line in lines:
        part = line.split(": ", 1)[1] if ": " in line else line
        for kind, marker in kinds.items():
            if part.startswith(kind.split()[0]) and marker in part:
                counts[kind] = counts.get(kind, 0) + 1
                break
    return counts


def _table(title: str, summary: dict) -> Table:
    table = Table(title=title)
    for col in ("part", "P", "R", "F1", "tp / fp / fn"):
        table.add_column(col)
    for part in ("actors", "claims", "quantities"):
        s = summary[part]
        table.add_row(part, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      f"{s['tp']} / {s['fp']} / {s['fn']}")
    for name, v in summary["attributes"].items():
        table.add_row(name, "", "", "", f"{v['correct']}/{v['of']}")
    st = summary["article_stance"]
    table.add_row("article stance", "", "", "", f"{st['correct']}/{st['of']}")
    return table


@app.command()
def score(split: str = typer.Option("dev", help="gold files: dev, test-2, dev,test-1 or all"),
          spacy_model: Optional[str] = typer.Option(None, "--spacy-model",
                                                    help="trained pipeline for ingest, or none (default: the ingest's own default)"),
          texts: Optional[Path] = typer.Option(None, help="folder of DOC.txt (default: CLAIMGRAPH_REALTEXT)"),
          name: Optional[str] = typer.Option(None, help="results file name (default: quality-SPLIT-MODEL-TIME)"),
          errors: bool = typer.Option(False, "--errors", help="print every miss and false hit")) -> None:
    """Ingest the split's texts with the real CLI, serve them, and score them with ../shared/eval/score.py."""
    spacy_model = choose_spacy_model(spacy_model) or NO_MODEL
    if not SCORER.exists():
        console.print(f"the scorer is not at {SCORER}")
        raise typer.Exit(2)
    docs = gold_documents(split)
    if not docs:
        console.print(f"no gold documents for split {split!r} in {GOLD}")
        raise typer.Exit(2)
    folder = texts or texts_dir()
    status = text_status(docs, folder)
    bad = sorted(d for d, s in status.items() if s != "ok")
    if bad:
        console.print(f"{len(bad)} texts missing or changed (run `python -m bench.quality check`): {', '.join(bad)}")
        raise typer.Exit(2)
    with tempfile.TemporaryDirectory(prefix="cg-quality-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        for d in docs:
            shutil.copyfile(folder / f"{d['doc']}.txt", corpus / f"{d['doc']}.txt")
        gold = work / "gold.json"
        gold.write_text(json.dumps({"documents": docs}, ensure_ascii=False), encoding="utf-8")
        store = work / "store"
        started = time.perf_counter()
        ingest = subprocess.run([*CLI, "--store", str(store), "ingest", str(corpus), "--spacy-model", spacy_model],
                                capture_output=True, text=True, cwd=ROOT, timeout=1800)
        seconds = time.perf_counter() - started
        if ingest.returncode not in (0, 1) or not re.search(r", 0 failed", ingest.stderr):
            console.print(ingest.stderr[-2000:])
            raise typer.Exit(2)
        with start_claimgraph(store, work / "logs") as endpoint:
            summary, error_lines = _score(corpus, gold, endpoint.url)
    chars = sum(d["chars"] for d in docs)
    result = {"split": split, "spacy_model": spacy_model, "documents": len(docs), "characters": chars,
              "sites": len({d.get("site") for d in docs}), "ingest_seconds": round(seconds, 2),
              "summary": summary, "error_counts": _error_counts(error_lines),
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name or f'quality-{split}-{spacy_model}-{stamp}'}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(_table(f"{split}: {len(docs)} documents, {result['sites']} sites, pipeline {spacy_model}", summary))
    if errors:
        for line in error_lines:
            print(line)
    console.print(f"written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    app()
