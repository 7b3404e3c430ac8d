"""Where quotations are: the inner spans of quoted words, read mark by mark.

Real text mixes its quotation marks: a straight opening quote closed by a curly one, guillemets,
low-9 openers, single quotes in British style. A mark opens a quotation when it stands at the
start of a word and closes one when it ends a word; pairs never cross a line break (a paragraph),
but a quotation opened and not closed in a paragraph is quoted to the paragraph's end (the
convention for a quotation that runs over several paragraphs, each opening with a mark).
Single quotes count only on lines without double marks, and only around three words or more, so
apostrophes ("don't", "Russians' support") are never taken for quotations.
"""
from __future__ import annotations

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = "\""
SINGLE_OPENING = "‘'"
SINGLE_CLOSING = "’'"
BEFORE_OPENING = "([—–-:/"   # what may stand right before an opening straight mark, besides a space
MIN_CHARS = 2
MIN_SINGLE_WORDS = 3
AFTER_COLON = " \n\t“”\"«»„‘'"   # what may stand between a colon and the quotation it introduces
LIST_MARKS = "-–—•*·"              # a list item's mark, when the quotations after a colon are listed
QUOTATION_END_TRIM = " .,;:"      # a quotation's closing full stop is the sentence's, not the claim's


def _opens(line: str, i: int) -> bool:
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return not after.isspace() and (before.isspace() or before in BEFORE_OPENING or before in OPENING)


def _closes(line: str, i: int) -> bool:
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return not before.isspace() and not after.isalnum()


def _pairs(line: str, openers: str, closers: str, straight: str, strict: bool) -> list[tuple[int, int]]:
    """(start, end) of the words between each opening mark and the closing mark after it. With
    `strict`, even a typographic mark must sit at the edge of a word (’ is also an apostrophe)."""
    spans, opened = [], None
    for i, ch in enumerate(line):
        if ch not in openers and ch not in closers and ch not in straight:
            continue
        can_open = (ch in openers or ch in straight) and (not strict and ch in openers or _opens(line, i))
        can_close = (ch in closers or ch in straight) and (not strict and ch in closers or _closes(line, i))
        if opened is not None and can_close:
            if i - opened - 1 >= MIN_CHARS:
                spans.append((opened + 1, i))
            opened = None
        elif can_open:
            opened = i
    if opened is not None and len(line) - opened - 1 >= MIN_CHARS:
        spans.append((opened + 1, len(line)))   # a quotation running on into the next paragraph
    return spans


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inner spans of the quotations between `start` and `end`, in order."""
    spans: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        double = _pairs(line, OPENING, CLOSING, STRAIGHT, strict=False)
        if not any(ch in line for ch in OPENING + CLOSING + STRAIGHT):
            double = [(s, e) for s, e in _pairs(line, SINGLE_OPENING[0], SINGLE_CLOSING[0], "'", strict=True)
                      if len(line[s:e].split()) >= MIN_SINGLE_WORDS]
        spans += [(pos + s, pos + e) for s, e in double]
        pos += len(line) + 1
    return spans


def quotation_after_colon(text: str, colon: int, quotes, limit: int) -> tuple[int, int] | None:
    """The quotation (from `quote_spans`) that opens right after the colon at `colon` and ends by
    `limit`, without its closing full stop: 'X wrote on Telegram: “...”', or on the next line, as
    the first of listed quotations ('The ministry said:\n- “...”')."""
    pos = colon + 1
    line_start = False
    while pos < len(text) and (text[pos] in AFTER_COLON or line_start and text[pos] in LIST_MARKS):
        line_start = text[pos] == "\n" or line_start and text[pos] in " \t"
        pos += 1
    quote = next((q for q in quotes if q[0] == pos and q[1] <= limit + 2), None)
    if quote is None:
        return None
    end = quote[1]
    while end > quote[0] and text[end - 1] in QUOTATION_END_TRIM:
        end -= 1
    return (quote[0], end) if end > quote[0] else None

