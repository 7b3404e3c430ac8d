"""Quotations that go on without a new attribution: the speaker carried across sentences.

News attributes a quotation once and lets it run: 'X said. “More words.”', a quotation over
several paragraphs (each opening with a quotation mark), 'X told Sky News: “...”' followed by
more quoted paragraphs. A sentence that is mostly one quotation, holds no cue of its own
outside it, and follows a claim within a paragraph or two with nothing attributed between,
continues that claim's speaker.
"""
from __future__ import annotations

from typing import Iterable, Sequence

QUOTE_SHARE = 0.6         # a quotation covering this much of a sentence makes it a quoted sentence
MIN_WORDS = 3
MAX_UNITS_BACK = 2        # sentences between the attributed claim and the quotation that continues it
TRIM = " \n\t,;:.–—-“”\"‘’«»„"


def _quotation(text: str, unit: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation that makes up most of the sentence, if there is one."""
    body = text[unit[0]:unit[1]].strip()
    inside = [q for q in quotes if unit[0] <= q[0] and q[1] <= unit[1] + 1]
    if not body or not inside:
        return None
    best = max(inside, key=lambda q: q[1] - q[0])
    if best[1] - best[0] < QUOTE_SHARE * len(body) or len(text[best[0]:best[1]].split()) < MIN_WORDS:
        return None
    start, end = best
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return (start, end) if end > start else None


def _outside_quotes(text: str, unit: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> list[str]:
    words, pos = [], unit[0]
    for q in sorted(q for q in quotes if unit[0] <= q[0] < unit[1]):
        words += text[pos:q[0]].lower().split()
        pos = max(pos, q[1])
    words += text[pos:unit[1]].lower().split()
    return [w.strip(TRIM) for w in words]


def continued_quotations(text: str, units: Sequence[tuple[int, int]], quotes: Sequence[tuple[int, int]],
                         claims: list, cue_words: Iterable[str], make) -> list:
    """New claims for quoted sentences that continue the claim before them. `claims` are the
    claims found so far (with .speaker, .start, .end, .cue_start, .cue_end); `make(previous,
    start, end)` builds a claim continuing `previous`."""
    cues = set(cue_words)
    ordered = sorted(claims, key=lambda c: c.start)
    out: list = []
    last_index, last_claim = None, None
    for index, unit in enumerate(units):
        holding = [c for c in ordered + out if unit[0] <= c.cue_start < unit[1] or unit[0] <= c.start < unit[1]]
        if holding:
            last_index, last_claim = index, max(holding, key=lambda c: c.end)
            continue
        if cues & set(_outside_quotes(text, unit, quotes)):
            last_claim = None   # an attribution the finders did not take breaks the thread
            continue
        if last_claim is None or last_claim.speaker is None or index - last_index > MAX_UNITS_BACK:
            continue
        span = _quotation(text, unit, quotes)
        if span is None:
            continue
        claim = make(last_claim, *span)
        out.append(claim)
        last_index, last_claim = index, claim
    return out
