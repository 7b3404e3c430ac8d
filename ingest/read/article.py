"""Turning decoded text plus known metadata into an Article: boilerplate and text metadata.

Every format ends here, so the same page furniture is recognised whether the text came
from a .txt file, from trafilatura's HTML extraction or from a JSON Lines record, and the
same precedence holds everywhere: explicit metadata first, what the text shows second.
"""
from __future__ import annotations

import logging
from typing import Mapping

from ingest.model import Article
from ingest.read.boilerplate import find_boilerplate
from ingest.read.dates import to_iso_date
from ingest.read.errors import ReadFailure
from ingest.read.metadata import read_metadata

log = logging.getLogger("claimgraph.ingest.read")


def build_article(doc_id: str, text: str, *, source: str, format: str,
                  metadata: Mapping[str, object] | None = None) -> Article:
    """An Article with body bounds, skipped lines and metadata; ReadFailure if there is no text."""
    if not text.strip():
        raise ReadFailure("empty (no text)")
    if not doc_id:
        raise ReadFailure("no document id")
    metadata = dict(metadata or {})
    boilerplate = find_boilerplate(text)
    from_text = read_metadata(text, boilerplate)

    published = None
    if metadata.get("published"):
        published = to_iso_date(metadata["published"])
        if published is None:
            log.warning("%s: published %r is not a date; ignored", source, metadata["published"])
    article = Article(
        doc_id=doc_id, text=text, source=source, format=format,
        title=_text(metadata.get("title")) or from_text.title,
        published=published or from_text.published,
        publisher=_text(metadata.get("publisher")) or from_text.publisher,
        author=_text(metadata.get("author")) or from_text.author,
        url=_text(metadata.get("url")),
        body_start=boilerplate.body_start,
        body_end=boilerplate.body_end,
        skipped=sorted(set(boilerplate.skipped) | set(from_text.skipped), key=lambda s: (s.start, s.end)),
    )
    return article


def _text(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None
