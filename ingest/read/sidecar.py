"""Sidecar metadata: NAME.meta.json beside NAME.txt / NAME.html supplies or overrides fields.

A sidecar is how a scraper that saved plain text keeps what it knew about the page (its URL,
headline, date, site). Its fields win over anything guessed from the text.
"""
from __future__ import annotations

import json
from pathlib import Path

from ingest.read.errors import ReadFailure

SIDECAR_SUFFIX = ".meta.json"
METADATA_FIELDS = ("title", "published", "publisher", "author", "url")


def sidecar_path(article_path: Path) -> Path:
    """`a/b.txt` -> `a/b.meta.json`."""
    return article_path.with_name(article_path.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def read_sidecar(article_path: Path) -> dict[str, object]:
    """The metadata fields of the article's sidecar ({} when there is none)."""
    path = sidecar_path(article_path)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ReadFailure(f"sidecar {path.name} is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise ReadFailure(f"sidecar {path.name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ReadFailure(f"sidecar {path.name} must hold a JSON object, not {type(data).__name__}")
    return metadata_fields(data, where=f"sidecar {path.name}")


def metadata_fields(record: dict, *, where: str) -> dict[str, object]:
    """The known metadata fields of a JSON object; a non-text value is an error naming the field."""
    fields: dict[str, object] = {}
    for name in METADATA_FIELDS:
        value = record.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise ReadFailure(f"{where}: field {name!r} must be a string, not {type(value).__name__}")
        fields[name] = value.strip()
    return fields
