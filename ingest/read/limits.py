"""Limits on what the reader accepts, from CLAIMGRAPH_* environment variables."""
from __future__ import annotations

import os

DEFAULT_MAX_ARTICLE_BYTES = 20_000_000
MAX_ARTICLE_BYTES_VAR = "CLAIMGRAPH_MAX_ARTICLE_BYTES"


def max_article_bytes() -> int:
    """The size cap on one article's file (or one JSON Lines record), in bytes.

    A cap keeps one scraped monster (a log dump, a database export) from exhausting memory
    in the extractor; such inputs are reported, not silently truncated.
    """
    raw = os.environ.get(MAX_ARTICLE_BYTES_VAR)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_ARTICLE_BYTES
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ValueError(f"{MAX_ARTICLE_BYTES_VAR}={raw!r} is not a whole number of bytes") from None
    if value <= 0:
        raise ValueError(f"{MAX_ARTICLE_BYTES_VAR}={raw!r} must be positive")
    return value


def describe_size(n: int) -> str:
    """A size for people: '20.0 MB (20000000 bytes)'."""
    return f"{n / 1_000_000:.1f} MB ({n} bytes)"
