"""Title, publication date and publisher read from the top of a page's text.

Scraped plain text keeps what the page showed above the article: sometimes the site's name,
the headline, a date line, a time stamp. These rules read them, conservatively (a missing
title is better than a wrong one): only the first few non-furniture lines are looked at,
and each field needs a line that looks like nothing else.

- title: the headline line, i.e. the first line after any site name that reads like a
  headline (a few words, no full stop); a line repeating the last breadcrumb item is taken
  first, since the breadcrumb names the page;
- published: a line that states only a date (plus weekday, time, "Published:"), as YYYY-MM-DD;
- publisher: a short brand-like first line directly above the headline ("Harbour. Daily",
  "example.com", or a name the page repeats further down, e.g. in its footer);
- author: a byline ("By Jane Doe", "By A. Smith and B. Jones | Reuters").

Metadata given explicitly (sidecar, JSON Lines, HTML meta tags) always wins over these.
"""
from __future__ import annotations

import re
from itertools import islice
from dataclasses import dataclass, field

from ingest.model import Span
from ingest.read.boilerplate import Boilerplate
from ingest.read.dates import date_line
from ingest.read.lines import Line, iter_lines

TOP_LINES = 8                    # how many non-furniture lines count as "the top" of the page
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 3, 30
HEADLINE_MAX_CHARS = 220
SITE_MAX_WORDS, SITE_MAX_CHARS = 3, 40

_BULLET = re.compile(r"^[•·◦▪►‣*›»>|–—-]\s*")
_INNER_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+[A-Z]")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]?$")
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|da|al|bin|ibn|la|le))+"
_BYLINE = re.compile(rf"(?i:by|written by|author\s*:)\s+(?P<names>{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)"
                     r"\s*(?:[|•·,–—-]\s*[\w .'’-]{0,60})?")
_BRAND_WORD = re.compile(r"^(?:[A-Z0-9][\w'’&-]*\.?|[a-z]{1,3}|[&|·•:-])$")


@dataclass
class TextMetadata:
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    skipped: list[Span] = field(default_factory=list)   # the site-name, byline and date lines


def read_metadata(text: str, boilerplate: Boilerplate) -> TextMetadata:
    """What the top of `text` says about the page, given its boilerplate."""
    skipped = set(boilerplate.skipped)
    top = list(islice((line for line in iter_lines(text)
                       if line.start >= boilerplate.body_start and not line.is_blank
                       and line.content_span not in skipped), TOP_LINES))
    meta = TextMetadata()

    dated = next(((line, iso) for line in top if (iso := date_line(line.text))), None)
    if dated:
        meta.published = dated[1]
        meta.skipped.append(dated[0].content_span)
        top.remove(dated[0])

    byline = next(((line, m) for line in top[:4] if (m := _BYLINE.fullmatch(line.stripped))), None)
    if byline:
        meta.author = " ".join(byline[1].group("names").split())
        meta.skipped.append(byline[0].content_span)
        top.remove(byline[0])

    if (len(top) >= 2 and _site_name_like(top[0].stripped) and headline_like(top[1].stripped)
            and _brand_evidence(top[0].stripped, text, after=top[1].end)):
        meta.publisher = normalise_site_name(top[0].stripped)
        meta.skipped.append(top[0].content_span)
        top = top[1:]

    meta.title = _breadcrumb_title(boilerplate.header, top) or _headline(top)
    return meta


def _headline(top: list[Line]) -> str | None:
    """The first headline-like line, looking past at most two short labels (a kicker, a
    section, an unrecognised site name) but never past a line of prose."""
    labels = 0
    for line in top:
        text = line.stripped
        if headline_like(text):
            return _clean_title(text)
        if labels < 2 and len(_WORD.findall(text)) < HEADLINE_MIN_WORDS and not _SENTENCE_END.search(text):
            labels += 1
            continue
        return None
    return None


def headline_like(text: str) -> bool:
    """A headline: a handful of words, no full stop at the end, one sentence at most."""
    words = _WORD.findall(text)
    return (HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS and len(text) <= HEADLINE_MAX_CHARS
            and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"'“‘«")
            and not text.rstrip("\"'”’»").endswith((".", ",", ";", ":"))
            and not _INNER_SENTENCE_END.search(text)
            and not date_line(text))


def normalise_site_name(text: str) -> str:
    """'Harbour. Daily' -> 'Harbour Daily': stylised dots and separators dropped, domains kept."""
    text = text.strip(" \t|·•:-–—")
    if _DOMAIN.match(text):
        return text
    return re.sub(r"\s+", " ", re.sub(r"\.(?=\s)", "", text)).strip()


def _site_name_like(text: str) -> bool:
    """A brand on a line of its own: one to three capitalised words, or a domain name."""
    if _DOMAIN.match(text):
        return True
    words = text.split()
    return (1 <= len(words) <= SITE_MAX_WORDS and len(text) <= SITE_MAX_CHARS
            and words[0][:1].isupper() and all(_BRAND_WORD.match(w) for w in words)
            and not text.endswith(("?", "!", ",", ";")) and not date_line(text))


def _brand_evidence(name: str, text: str, after: int) -> bool:
    """Whether a short first line is a brand, not a kicker: a domain name, a stylised dot
    between words ("Harbour. Daily"), or the name recurring further down the page."""
    if _DOMAIN.match(name) or re.search(r"\w\.\s+\w", name):
        return True
    return re.search(rf"(?<!\w){re.escape(normalise_site_name(name))}(?!\w)", text[after:]) is not None


def _breadcrumb_title(header: list[Line], top: list[Line]) -> str | None:
    """The line that repeats the breadcrumb's last item: the page's own name for itself."""
    if not header:
        return None
    crumb = _key(_BULLET.sub("", header[-1].stripped))
    for line in top[:3]:
        if _key(line.stripped) == crumb and len(crumb.split()) >= HEADLINE_MIN_WORDS:
            return _clean_title(line.stripped)
    return None


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _clean_title(text: str) -> str:
    return " ".join(text.split())
