"""The real-text gold: its form, its checks, and the texts it was labelled on.

The gold has the form of ../shared/gold/seeds.json (so ../shared/eval/score.py reads it as it
is) plus what re-retrieval needs: each document carries the page's `url`, where the excerpt
came from (`source`), the `split` it belongs to, and the `sha256` of its text. Claims and
quantities carry `span` = [start, end] (Unicode code points, end exclusive) into that text.

The texts are third-party and never committed: `check` verifies re-retrieved copies against
the recorded hashes, so a score is only ever reported on the exact words that were labelled.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

STANCES = {"TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE", "NEITHER"}
QUALIFIERS = {"exact", "approximately", "at_least", "at_most", "range"}
MODALITIES = {"report", "estimate", "projection"}
PERIODS = {None, "P1D", "P1W", "P1M", "P3M", "P1Y"}
SPLITS = ("dev", "test")
KINDS = {"person", "organization"}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_of(url: str) -> str:
    """dev or test, decided by the URL's hash alone -- fixed before anyone labels the text."""
    return SPLITS[int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 2]


def doc_id(url: str) -> str:
    return "rt-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


@dataclass
class Problem:
    doc: str
    what: str

    def __str__(self) -> str:
        return f"{self.doc}: {self.what}"


def _span_problems(doc: str, text: str, item: dict, field: str, label: str) -> list[Problem]:
    span = item.get("span")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        return [Problem(doc, f"{label} {item.get(field)!r} has no [start, end] span")]
    start, end = span
    if not 0 <= start < end <= len(text):
        return [Problem(doc, f"{label} span {span} lies outside the text ({len(text)} characters)")]
    if text[start:end] != item.get(field):
        return [Problem(doc, f"{label} span {span} reads {text[start:end]!r}, not {item.get(field)!r}")]
    return []


def document_problems(d: dict, text: str | None) -> list[Problem]:
    """Everything wrong with one gold document (its text, when given, is checked too)."""
    doc = d.get("doc", "?")
    out: list[Problem] = []
    for key in ("doc", "url", "sha256", "split", "article_stance", "actors", "optional_actors", "claims", "quantities"):
        if key not in d:
            out.append(Problem(doc, f"missing {key!r}"))
    if out:
        return out
    if d["doc"] != doc_id(d["url"]):
        out.append(Problem(doc, f"doc id should be {doc_id(d['url'])} (from the URL)"))
    if d["split"] != split_of(d["url"]):
        out.append(Problem(doc, f"split is {d['split']!r} but the URL's hash puts it in {split_of(d['url'])!r}"))
    if d["article_stance"] not in STANCES:
        out.append(Problem(doc, f"article_stance {d['article_stance']!r} not one of {sorted(STANCES)}"))
    names = set()
    for a in d["actors"]:
        if a.get("kind") not in KINDS:
            out.append(Problem(doc, f"actor {a.get('name')!r}: kind must be one of {sorted(KINDS)}"))
        names.add(a.get("name"))
    for c in d["claims"]:
        if c.get("stance") not in STANCES:
            out.append(Problem(doc, f"claim {c.get('evidence', '')[:40]!r}: stance {c.get('stance')!r}"))
        if not c.get("optional") and c.get("speaker") not in names:
            out.append(Problem(doc, f"claim speaker {c.get('speaker')!r} is not a gold actor (or mark it optional)"))
        if text is not None:
            out += _span_problems(doc, text, c, "evidence", "claim")
    for q in d["quantities"]:
        label = f"quantity {q.get('text')!r}"
        if q.get("qualifier") not in QUALIFIERS:
            out.append(Problem(doc, f"{label}: qualifier {q.get('qualifier')!r}"))
        if q.get("modality") not in MODALITIES:
            out.append(Problem(doc, f"{label}: modality {q.get('modality')!r}"))
        if q.get("period") not in PERIODS:
            out.append(Problem(doc, f"{label}: period {q.get('period')!r} not one of {sorted(p for p in PERIODS if p)}"))
        has_value = isinstance(q.get("value"), (int, float))
        has_range = isinstance(q.get("low"), (int, float)) and isinstance(q.get("high"), (int, float))
        if has_value == has_range:
            out.append(Problem(doc, f"{label}: give either value or low and high"))
        if (q.get("qualifier") == "range") != has_range:
            out.append(Problem(doc, f"{label}: qualifier range goes with low/high, and only with them"))
        if not q.get("unit"):
            out.append(Problem(doc, f"{label}: no unit"))
        if text is not None:
            out += _span_problems(doc, text, q, "text", "quantity")
    if text is not None:
        if sha256_text(text) != d["sha256"]:
            out.append(Problem(doc, "the text's sha256 differs from the gold's: not the text that was labelled"))
        stop = d.get("body_ends_before")
        if stop and stop not in text:
            out.append(Problem(doc, f"body_ends_before {stop!r} does not occur in the text"))
    return out


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    """python -m bench.quality.gold GOLD.json [TEXTS_DIR]: list every problem; exit 1 if any."""
    if not argv:
        print(main.__doc__, file=sys.stderr)
        return 2
    gold = load_gold(Path(argv[0]))
    texts = Path(argv[1]) if len(argv) > 1 else None
    problems: list[Problem] = []
    for d in gold["documents"]:
        path = texts / f"{d.get('doc')}.txt" if texts else None
        text = path.read_text(encoding="utf-8") if path and path.exists() else None
        if texts and text is None:
            problems.append(Problem(d.get("doc", "?"), f"no text at {path}"))
        problems += document_problems(d, text)
    for p in problems:
        print(p)
    print(f"{len(gold['documents'])} documents, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
