"""Reading articles: files and folders in, `Article`s (or named `ReadError`s) out.

    for item in read_path("corpus/"):
        if isinstance(item, ReadError): print(item.source, item.reason)

Formats: plain text (.txt), HTML (.html/.htm, main text by trafilatura) and JSON Lines
(.jsonl, one article per line), each with an optional NAME.meta.json sidecar. Every Article
comes with its page boilerplate marked (body_start, body_end, skipped lines) and with the
title, date and publisher the page states when no metadata gives them.
"""
from __future__ import annotations

import logging
from os import PathLike
from pathlib import Path
from typing import Iterator

from ingest.model import Article, ReadError
from ingest.read.errors import ReadFailure
from ingest.read.files import InputFile, iter_input_files
from ingest.read.limits import max_article_bytes

__all__ = ["read_path", "read_file", "Article", "ReadError"]

log = logging.getLogger("claimgraph.ingest.read")


def read_path(path: str | PathLike, *, max_bytes: int | None = None) -> Iterator[Article | ReadError]:
    """Every article under `path` (a file or a folder, walked recursively in name order).

    `max_bytes` caps one article's size (default: CLAIMGRAPH_MAX_ARTICLE_BYTES or 20 MB); a bad
    setting raises ValueError at once, since it is the batch's configuration, not one file's fault.
    """
    cap = max_article_bytes() if max_bytes is None else max_bytes
    for item in iter_input_files(Path(path)):
        if isinstance(item, ReadError):
            yield item
        else:
            yield from read_file(item, cap)


def read_file(item: InputFile, cap: int) -> Iterator[Article | ReadError]:
    """The article(s) of one input file; any failure becomes a ReadError naming the file."""
    from ingest.read.html import read_html_file
    from ingest.read.jsonl import read_jsonl_file
    from ingest.read.text import read_text_file

    try:
        if item.format == "jsonl":
            yield from read_jsonl_file(item.path, item.source, cap)
        elif item.format == "html":
            yield read_html_file(item.path, item.source, cap)
        else:
            yield read_text_file(item.path, item.source, cap)
    except ReadFailure as exc:
        yield ReadError(str(item.path), str(exc))
    except OSError as exc:
        yield ReadError(str(item.path), f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a reader bug must not stop the batch; say what happened
        log.exception("unexpected error reading %s", item.path)
        yield ReadError(str(item.path), f"unexpected {type(exc).__name__}: {exc}")
