"""JSON Lines (.jsonl): one article per line, {"id", "text", optional "url", "title",
"published", "publisher", "author"}.

The file is streamed line by line, so a large export never sits in memory, and each line
stands alone: a line that is not valid JSON, lacks an id or text, or is over the size cap
becomes a ReadError naming the file and line number while the other lines come through.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ingest.model import Article, ReadError
from ingest.read.article import build_article
from ingest.read.errors import ReadFailure
from ingest.read.limits import describe_size
from ingest.read.sidecar import metadata_fields


def read_jsonl_file(path: Path, source: str, cap: int) -> Iterator[Article | ReadError]:
    with path.open("rb") as handle:
        for number, raw in enumerate(_lines(handle, cap), start=1):
            if raw is None:
                yield ReadError(f"{path}:{number}", f"line over the size cap of {describe_size(cap)}")
                continue
            if not raw.strip():
                continue
            try:
                yield _article(raw, number, source)
            except ReadFailure as exc:
                yield ReadError(f"{path}:{number}", str(exc))


def _article(raw: bytes, number: int, source: str) -> Article:
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ReadFailure(f"not valid UTF-8 (byte {exc.start} of the line)") from None
    except json.JSONDecodeError as exc:
        raise ReadFailure(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ReadFailure(f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ReadFailure("missing or empty 'id' (a string)")
    text = record.get("text")
    if not isinstance(text, str):
        raise ReadFailure("missing 'text' (a string)" if text is None else
                          f"'text' must be a string, not {type(text).__name__}")
    if "\x00" in text:
        raise ReadFailure("binary content ('text' holds NUL characters)")
    return build_article(doc_id.strip(), text, source=source, format="jsonl",
                         metadata=metadata_fields(record, where="record"))


def _lines(handle, cap: int) -> Iterator[bytes | None]:
    """The file's lines; None for a line longer than `cap` (which is skipped, not loaded)."""
    while True:
        line = handle.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):   # drain the rest of the oversized line
                line = handle.readline(1 << 20)
            yield None
            continue
        yield line
