"""Dates as pages write them -> ISO 8601 calendar dates (YYYY-MM-DD).

Two jobs: normalise a date given as metadata (a sidecar, a JSON Lines field, an HTML meta
tag: "2025-01-07T10:00:00+02:00", "January 7, 2025"), and recognise a line near the top of a
page that states the publication date ("7 January, 2025 Tuesday", "30 October 2024 11:03",
"Published: Jan 7, 2025"). Finding a date line is done with explicit patterns, so the rule
stays conservative (a stray number is never a date); turning the match into a calendar date
is left to dateparser, which validates it ("31 February" is refused).
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:utc|gmt|[a-z]{1,4}t|[+-]\d{2}:?\d{2}))?"

# One calendar date as written; each alternative keeps day, month and year together.
DATE_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?\b",
    rf"\b(?P<dmy>{_DAY}\s+{_MONTH},?\s+{_YEAR})\b",
    rf"\b(?P<mdy>{_MONTH}\s+{_DAY},?\s+{_YEAR})\b",
    rf"\b(?P<slashes>{_YEAR}/[01]?\d/[0-3]?\d)\b",
    rf"\b(?P<dots>(?:[0-2]?\d|3[01])\.(?:0?[1-9]|1[0-2])\.{_YEAR})\b",
)]
# What may stand beside the date on a date line without making it a sentence.
_DATE_LINE_FILLER = re.compile(
    rf"(?:{_WEEKDAY}|{_TIME}|utc|gmt|published|posted|updated|last updated|modified|date|created|on|at|"
    r"\d{1,2}\s*(?:min(?:ute)?s?|hours?|h)\s*(?:read|ago)|[|,:;\-–—/•·()\[\]]|\s)+",
    re.IGNORECASE)
MAX_DATE_LINE = 100
_SEGMENT_BREAK = re.compile(r"\s[|•·]\s|\s{3,}")   # "7 May 2024 | Politics | By Jane Doe"
MAX_WORDS_BESIDE = 4                                # in the other segments of a date line


def to_iso_date(value: object) -> str | None:
    """Any metadata date (a string, date or datetime) as YYYY-MM-DD, or None if it is not one."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    found = find_date(value)
    if found:
        return found
    return _parse(value.strip())


def find_date(text: str) -> str | None:
    """The first explicit calendar date written in `text`, as YYYY-MM-DD."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            kind, written = next((k, v) for k, v in match.groupdict().items() if v)
            parsed = _parse(written, day_first=kind == "dots")
            if parsed:
                return parsed
    return None


def date_line(line: str) -> str | None:
    """The date a line states if the line is only a date (with weekday, time, 'Published:',
    and short segments such as '| Politics' or '| By Jane Doe' beside it)."""
    line = line.strip()
    if not line or len(line) > MAX_DATE_LINE:
        return None
    segments = _SEGMENT_BREAK.split(line)
    for index, segment in enumerate(segments):
        found = _date_only(segment)
        if found:
            others = segments[:index] + segments[index + 1:]
            if all(len(other.split()) <= MAX_WORDS_BESIDE for other in others):
                return found
            return None
    return None


def _date_only(segment: str) -> str | None:
    for pattern in DATE_PATTERNS:
        match = pattern.search(segment)
        if not match:
            continue
        rest = segment[:match.start()] + " " + segment[match.end():]
        if _DATE_LINE_FILLER.fullmatch(rest):
            return find_date(match.group(0))
    return None


@lru_cache(maxsize=1024)
def _parse(written: str, day_first: bool = False) -> str | None:
    import dateparser  # imported late: it is slow to import and only needed when a date is seen

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False,
                "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}  # never "yesterday"
    if day_first:
        settings["DATE_ORDER"] = "DMY"
    try:
        parsed = dateparser.parse(written.replace(",", " "), languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None
