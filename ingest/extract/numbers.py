"""Reading one written number off a run of spaCy tokens: "180,000", "2.5 million", "one million",
"twenty-five", "1.5bn", "400–500" (a range inside one token).

Kept apart from the quantity rules because it knows nothing of what is counted: it only
turns the words of a number into a value and says which tokens it used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

# 180,000 | 2.5 | 1,500.75 | 12 — commas must group thousands, or it is no number.
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# 1.5bn, 10k: a scale glued to the digits (suffix looked up in the scale words).
_GLUED_SCALE = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$", re.IGNORECASE)
# 120–140 or 1,200-1,450 kept as one token by the tokenizer.
_GLUED_RANGE = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[-–—]((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
_MAX_PLAIN_DIGITS = 9  # longer bare digit strings are identifiers, not counts


@dataclass(frozen=True)
class Figure:
    """A number as written: tokens [start, end), its value (or both bounds of a glued range)."""

    start: int
    end: int
    value: float
    high: float | None = None      # set when one token held a range ("400–500")
    words: bool = False            # written in words ("three", "one million")
    scaled: bool = False           # carries a scale word ("million", "bn")
    digits: str = ""               # the digit token as written ("2,000"), for year/ID checks
    factor: float = 1.0            # the scale applied ("million" -> 1e6)


def _parse_digits(text: str) -> float | None:
    if not _DIGITS.match(text):
        return None
    bare = text.replace(",", "")
    integer = bare.split(".")[0]
    if len(integer) > 1 and integer.startswith("0"):
        return None  # 007, 05: codes and clock parts
    if "," not in text and len(integer) > _MAX_PLAIN_DIGITS:
        return None
    return float(bare)


MINUS_SIGNS = {"-", "−"}   # glued to the digits: '-0.5%' (a hyphen between numbers is a range)


def _signed(fig: Figure, start: int, sign: float) -> Figure | None:
    """The figure with its sign applied; a range or a number word takes no sign."""
    if fig.high is not None:
        return None
    return Figure(start, fig.end, fig.value * sign, words=fig.words, scaled=fig.scaled, digits=fig.digits,
                  factor=fig.factor)


class NumberReader:
    """Reads numbers from tokens using the number words of the vocabulary."""

    def __init__(self, cardinals: dict[str, float], scales: dict[str, float], signs: dict[str, float] | None = None):
        self.cardinals = cardinals
        self.scales = scales
        self.signs = signs or {}          # "minus" -> -1: a word that turns the number after it negative

    def read(self, doc: Doc, i: int, limit: int | None = None) -> Figure | None:
        """The number that starts at token i, or None; '-0.5', '−2' and 'minus 2' are negative."""
        limit = len(doc) if limit is None else limit
        if i >= limit:
            return None
        text = doc[i].text
        lower = text.lower()
        if lower in self.signs and i + 1 < limit:
            fig = self._read_unsigned(doc, i + 1, limit)
            return None if fig is None else _signed(fig, i, self.signs[lower])
        if text[:1] in MINUS_SIGNS and text[1:2].isdigit():
            fig = self._read_unsigned(doc, i, limit, text[1:])
            if i == 0 or "\n" in doc[i - 1].text:
                return fig  # a dash opening a line is a bullet: "-5 tanks" is no negative count
            return None if fig is None else _signed(fig, i, -1.0)
        return self._read_unsigned(doc, i, limit)

    def _read_unsigned(self, doc: Doc, i: int, limit: int, text: str | None = None) -> Figure | None:
        text = doc[i].text if text is None else text
        lower = text.lower()
        if not text[:1].isdigit() and lower not in self.cardinals and lower not in ("a", "an"):
            return None  # the common case, decided without a regex
        value = _parse_digits(text)
        if value is not None:
            end, factor = self._scales_after(doc, i + 1, limit)
            return Figure(i, end, value * factor, scaled=factor != 1, digits=text, factor=factor)
        glued = _GLUED_SCALE.match(text)
        if glued and glued.group(2).lower() in self.scales:
            factor = self.scales[glued.group(2).lower()]
            return Figure(i, i + 1, float(glued.group(1)) * factor, scaled=True, factor=factor)
        rng = _GLUED_RANGE.match(text)
        if rng:
            low, high = _parse_digits(rng.group(1)), _parse_digits(rng.group(2))
            if low is None or high is None:
                return None
            end, factor = self._scales_after(doc, i + 1, limit)
            return Figure(i, end, low * factor, high=high * factor, scaled=factor != 1, digits=rng.group(1), factor=factor)
        if lower in self.cardinals or (lower in ("a", "an") and i + 1 < limit and doc[i + 1].lower_ in self.scales):
            return self._read_words(doc, i, limit)
        return None

    def _scales_after(self, doc: Doc, j: int, limit: int) -> tuple[int, float]:
        """Scale words following digits: '2.5 million', '100 thousand'."""
        factor = 1.0
        while j < limit and doc[j].lower_ in self.scales:
            factor *= self.scales[doc[j].lower_]
            j += 1
        return j, factor

    def _read_words(self, doc: Doc, i: int, limit: int) -> Figure | None:
        """Number words: 'three', 'twenty-five', 'one hundred and fifty thousand', 'half a million'."""
        total, current, j, scaled, seen, last_scale = 0.0, 0.0, i, False, False, 1.0
        while j < limit:
            lower = doc[j].lower_
            if lower in self.cardinals:
                if seen and current and not self._joins(current, self.cardinals[lower]):
                    break
                current += self.cardinals[lower]
            elif lower in self.scales and (seen or lower in ("hundred",)):
                factor = self.scales[lower]
                if factor == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * factor
                    current, last_scale = 0.0, factor
                scaled = True
            elif lower in ("a", "an") and j + 1 < limit and doc[j + 1].lower_ in self.scales:
                current += 1 if not current else 0  # "a million", "half a million"
            elif lower in ("-", "and") and seen and j + 1 < limit and doc[j + 1].lower_ in self.cardinals \
                    and doc[j + 1].lower_ not in ("half",) and (lower == "and" and current >= 100 or lower == "-" and current >= 20):
                j += 1
                continue
            else:
                break
            seen = True
            j += 1
        value = total + current
        if not seen or j == i:
            return None
        if value < 1 and not scaled:
            return None  # "half" alone is no count
        return Figure(i, j, value, words=True, scaled=scaled, factor=last_scale)

    @staticmethod
    def _joins(current: float, nxt: float) -> bool:
        """May number word `nxt` follow `current` within one number ('twenty' 'five')?"""
        return (current % 100 >= 20 and current % 10 == 0 and nxt < 10) or (current % 100 == 0 and nxt < 100)
