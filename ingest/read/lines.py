"""Lines of a text with their exact code-point offsets.

Boilerplate and metadata rules think in lines, but everything they report must be an offset
into the text exactly as read, so line breaks (\\n, \\r\\n, \\r, U+2028, ...) are never
normalised: each Line knows where its content starts and ends in the original string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ingest.model import Span

_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Line:
    start: int          # offset of the first character of the line
    end: int            # offset just past its last character (the break is not included)
    text: str           # the line's content, as in the source

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def content_span(self) -> Span:
        """The line without its leading and trailing white space."""
        lead = len(self.text) - len(self.text.lstrip())
        trail = len(self.text) - len(self.text.rstrip())
        return Span(self.start + lead, self.end - trail)


def split_lines(text: str) -> list[Line]:
    """Every line of `text` (blank ones included), in order."""
    return list(iter_lines(text))


def iter_lines(text: str) -> Iterator[Line]:
    position = 0
    for brk in _BREAK.finditer(text):
        yield Line(position, brk.start(), text[position:brk.start()])
        position = brk.end()
    if position < len(text):
        yield Line(position, len(text), text[position:])
