"""Page boilerplate: where the article ends, which lines inside it are furniture, and
whether a navigation header precedes it.

The knowledge is data: `cg:BoilerplateMarker`s in ontology/vocab/boilerplate.ttl, each a
line-start pattern with an effect ("ends-body" or "skip-line"). This module applies them with
a few structural rules that hold on any news site:

- a breadcrumb header ("• Home / • Latest News / • <title>") at the top is skipped and the
  body starts after it;
- an "ends-body" marker only counts once the article has had some prose (a "Latest news"
  label in the page header is navigation, not the end), and not when article paragraphs
  follow it at once (an inline "Read also:" box in the middle of a story);
- without any marker, a trailing run of many short lines that look like a headline list
  (time stamps, short headlines) ends the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, RDF

from common.iris import CG as CG_IRI
from common.paths import VOCAB_DIR
from ingest.model import Span
from ingest.read.lines import Line, split_lines

CG = Namespace(CG_IRI)
BOILERPLATE_FILE = VOCAB_DIR / "boilerplate.ttl"
ENDS_BODY, SKIP_LINE = "ends-body", "skip-line"

PROSE_MIN_CHARS = 80           # a line this long with a sentence in it is article prose
PARAGRAPH_MIN_CHARS = 120      # ... and this long, a full paragraph
LOOKAHEAD_LINES = 4            # non-blank lines inspected after an "ends-body" marker
PARAGRAPHS_TO_CONTINUE = 2     # paragraphs among them that show the article goes on
HEADER_MAX_LINES = 8           # a breadcrumb header is never longer than this
HEADER_LINE_MAX_CHARS = 160
LIST_LINE_MAX_CHARS = 150      # a line of a headline list
LIST_MIN_LINES = 8             # a trailing list shorter than this may be the article's own
LIST_MIN_STAMPS = 3            # ... unless it carries this many time stamps / dates
LIST_MIN_LINES_WITHOUT_STAMPS = 12

_BULLET = re.compile(r"^[•·◦▪►‣*›»>|–—-]\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]?(?:\s|$)")
_STAMP = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s+[a-z]{3,9}\.?|[a-z]{3,9}\.?\s+\d{1,2}|"
    r"(?:19|20)\d\d,?\s+[a-z]{3,9}|[a-z]{3,9},?\s+(?:19|20)\d\d|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|"
    r"\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+ago|yesterday|today)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Marker:
    iri: str
    pattern: re.Pattern
    effect: str

    def matches(self, line: str) -> re.Match | None:
        return self.pattern.match(line)


@dataclass
class Boilerplate:
    """What the rules found in one text (offsets into it)."""

    body_start: int = 0
    body_end: int | None = None
    skipped: list[Span] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)   # the breadcrumb lines, when any
    ended_by: str | None = None                          # the marker IRI, or "headline-list"


@lru_cache(maxsize=4)
def load_markers(path: Path = BOILERPLATE_FILE) -> tuple[Marker, ...]:
    """The markers of a boilerplate vocabulary file, in IRI order (so results are stable)."""
    graph = Graph()
    graph.parse(path, format="turtle")
    markers = []
    for subject in sorted(graph.subjects(RDF.type, CG.BoilerplateMarker)):
        effect = str(graph.value(subject, CG.effect) or "")
        if effect not in (ENDS_BODY, SKIP_LINE):
            raise ValueError(f"{path}: {subject} has cg:effect {effect!r}; expected {ENDS_BODY!r} or {SKIP_LINE!r}")
        for pattern in sorted(str(p) for p in graph.objects(subject, CG.pattern)):
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path}: {subject} has an invalid cg:pattern {pattern!r}: {exc}") from None
            markers.append(Marker(str(subject), compiled, effect))
    return tuple(markers)


def match_marker(line: str, markers: tuple[Marker, ...], combined: re.Pattern | None = None) -> Marker | None:
    """The marker matching the line, with or without a leading bullet (ends-body markers
    win over skip-line ones, then the first in IRI order). `combined` is combine(markers),
    passed in by callers that match many lines."""
    combined = combine(markers) if combined is None else combined
    stripped = line.strip()
    unbulleted = _BULLET.sub("", stripped)
    found = [markers[int(m.lastgroup[1:])] for text in {stripped, unbulleted} if text
             if (m := combined.match(text))]
    if not found:
        return None
    return next((m for m in found if m.effect == ENDS_BODY), found[0])


def combine(markers: tuple[Marker, ...]) -> re.Pattern:
    """All markers as one alternation, ends-body ones first: one regex call per line instead
    of one per marker (the difference shows on long scraped pages)."""
    ordered = sorted(range(len(markers)), key=lambda i: markers[i].effect != ENDS_BODY)
    return re.compile("|".join(f"(?P<m{i}>{markers[i].pattern.pattern})" for i in ordered), re.IGNORECASE)


def find_boilerplate(text: str, markers: tuple[Marker, ...] | None = None) -> Boilerplate:
    """Apply the markers and the structural rules to a text."""
    markers = load_markers() if markers is None else markers
    lines = [line for line in split_lines(text) if not line.is_blank]
    combined = combine(markers)
    found = [match_marker(line.text, markers, combined) for line in lines]
    result = Boilerplate()

    header_end = _header_end(lines, found)
    if header_end:
        result.header = lines[:header_end]
        result.body_start = lines[header_end].start if header_end < len(lines) else len(text)

    seen_prose = False
    stop = len(lines)
    index = header_end
    while index < len(lines):
        line, marker = lines[index], found[index]
        if marker is None:
            seen_prose = seen_prose or is_prose(line.text)
        elif marker.effect == ENDS_BODY and seen_prose:
            continuing = _article_continues(lines, found, index)
            if continuing is None:
                stop, result.body_end, result.ended_by = index, line.start, marker.iri
                break
            result.skipped.extend(l.content_span for l in lines[index:continuing])
            index = continuing
            continue
        else:  # a skip-line, or an end marker before any prose: navigation, not the end
            result.skipped.append(line.content_span)
        index += 1

    list_start = _trailing_headline_list(lines[header_end:stop])
    if list_start is not None:
        cut = lines[header_end + list_start].start
        result.body_end, result.ended_by = cut, "headline-list"
        stop = header_end + list_start

    result.skipped = sorted({s for s in result.skipped if s.start < (result.body_end or len(text))}
                            | {l.content_span for l in result.header}, key=_span_key)
    return result


def _span_key(span: Span) -> tuple[int, int]:
    return span.start, span.end   # a plain tuple sorts in C; Span's generated __lt__ does not


def is_prose(line: str, min_chars: int = PROSE_MIN_CHARS) -> bool:
    """A line of running text: long enough and holding a sentence end."""
    line = line.strip()
    return len(line) >= min_chars and bool(_SENTENCE_END.search(line))


def _header_end(lines: list[Line], found: list[Marker | None]) -> int:
    """How many leading lines form a navigation header (0 if the page starts with its title).

    A header starts with a marker line (a breadcrumb, a section label, "Latest News") and
    continues over further markers and short bulleted trail items ("• World", "• <title>").
    """
    count = 0
    started = False
    for line, marker in zip(lines[:HEADER_MAX_LINES], found):
        text = line.stripped
        if marker is not None:          # before any prose even an "ends-body" label is navigation
            started = True
        elif not (started and _BULLET.match(text) and len(text) <= HEADER_LINE_MAX_CHARS):
            break
        count += 1
    return count if started else 0


def _article_continues(lines: list[Line], found: list[Marker | None], index: int) -> int | None:
    """If article paragraphs follow the marker at `index` at once, the index of the first one.

    The marker line and a short link line after it are then furniture inside the article
    (an inline "Read also: <headline>" box), not its end.
    """
    ahead = [i for i in range(index + 1, min(len(lines), index + 1 + LOOKAHEAD_LINES)) if found[i] is None]
    paragraphs = [i for i in ahead if is_prose(lines[i].text, PARAGRAPH_MIN_CHARS)]
    if len(paragraphs) < PARAGRAPHS_TO_CONTINUE or paragraphs[0] > index + 2:
        return None
    return paragraphs[0]


def _trailing_headline_list(lines: list[Line]) -> int | None:
    """Where a trailing headline list starts (an index into `lines`), if the text ends in one."""
    run = 0
    for line in reversed(lines):
        text = line.stripped
        if len(text) > LIST_LINE_MAX_CHARS or is_prose(text) and text.endswith("."):
            break
        run += 1
    if run < LIST_MIN_LINES or run == len(lines):
        return None
    tail = [l.stripped for l in lines[len(lines) - run:]]
    stamps = sum(1 for t in tail if _STAMP.match(t))
    headline_like = sum(1 for t in tail if _looks_like_headline(t))
    if stamps >= LIST_MIN_STAMPS or (run >= LIST_MIN_LINES_WITHOUT_STAMPS and headline_like >= 0.8 * run):
        return len(lines) - run
    return None


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 25 and text[:1].isupper() and not text.endswith(".")
