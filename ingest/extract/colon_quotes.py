"""Quotations introduced by a colon after an attribution.

News often reports a point and then quotes it: 'X cautioned that the talks were complex: “The
issue is extremely complex ...”'. The reported clause and the quotation are two claims by the
same speaker (the labelling rules count them so); read as one they hide the quotation. And when
the cue is followed by a colon and a quotation — 'Clarifying the aim of the talks, X wrote on
Telegram: “...”' — the quotation is what was said, not the participle clause before the speaker.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ingest.extract.attribution import MAX_WORDS_CUE_TO_COLON, FoundClaim
from ingest.extract.quotes import quotation_after_colon

COLON = ":"
COMPLEMENTISERS = {"that", "how", "whether", "why"}
MIN_WORDS = 3                 # a reported clause shorter than this before the colon is no claim of its own


def split_colon_quotations(text: str, found: list[FoundClaim], quotes: Sequence[tuple[int, int]]) -> list[FoundClaim]:
    """Each claim that runs on through a colon into a quotation becomes the clause and the quotation;
    a claim read before a cue that a colon and a quotation follow gives way to the quotation."""
    out: list[FoundClaim] = []
    for f in found:
        if f.speaker is None:
            out.append(f)
            continue
        colon = text.find(COLON, f.start, f.end)
        quote = quotation_after_colon(text, colon, quotes, f.end) if colon >= 0 else None
        if quote is not None and quote[0] > f.start:
            # 'cautioned that the talks were complex: “...”' is two claims; 'stated the goals of
            # the budget: “...”' names what the quotation is about: the quotation alone is claimed
            clause = COMPLEMENTISERS & set(text[f.cue_end:f.start].lower().split())
            if clause and len(text[f.start:colon].split()) >= MIN_WORDS:
                out.append(replace(f, end=colon, direct=False))
            out.append(replace(f, start=quote[0], end=quote[1], direct=True))
            continue
        if f.end <= f.cue_start:
            colon = text.find(COLON, f.cue_end, f.cue_end + 80)
            between = text[f.cue_end:colon] if colon >= 0 else ""
            quote = quotation_after_colon(text, colon, quotes, len(text)) if colon >= 0 else None
            if quote is not None and "\n" not in between and len(between.split()) <= MAX_WORDS_CUE_TO_COLON:
                out.append(replace(f, start=quote[0], end=quote[1], direct=True))
                continue
        out.append(f)
    return out
