"""HTML pages (.html, .htm): main text and metadata extracted offline with trafilatura.

The article text is what trafilatura extracts (offsets point into it); the page's own
metadata (title, date, author, site name, canonical URL) comes from its meta tags, and a
sidecar still overrides it. Nothing is fetched: the file's content is all that is read.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from ingest.model import Article
from ingest.read.article import build_article
from ingest.read.decode import decode_bytes
from ingest.read.errors import ReadFailure
from ingest.read.files import read_capped
from ingest.read.sidecar import read_sidecar

log = logging.getLogger("claimgraph.ingest.read")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_DATE_SEARCH = {"extensive_search": False, "original_date": True}  # a stated date, never a guess


def read_html_file(path: Path, source: str, cap: int) -> Article:
    raw = read_capped(path, cap)
    declared = _META_CHARSET.search(raw[:4096])
    decoded = decode_bytes(raw, declared=declared.group(1).decode("ascii", "replace") if declared else None)
    if decoded.detected:
        log.info("%s: decoded as %s (detected)", source, decoded.encoding)
    text, page = extract_html(decoded.text)
    if not text.strip():
        raise ReadFailure("no article text found in the HTML")
    metadata = {k: v for k, v in page.items() if v}
    metadata.update(read_sidecar(path))
    return build_article(path.stem, text, source=source, format="html", metadata=metadata)


def extract_html(html: str) -> tuple[str, dict[str, str | None]]:
    """(main text, page metadata) of an HTML document."""
    import trafilatura  # imported late: heavy, and only needed for HTML input

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, date_extraction_params=_DATE_SEARCH)
    if document is None:
        return "", {}
    return document.text or "", {
        "title": document.title, "published": document.date, "publisher": document.sitename,
        "author": document.author, "url": document.url,
    }
