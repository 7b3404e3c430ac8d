"""Named SPARQL queries: every query lives in queries/NAME.rq, never in Python strings."""
from __future__ import annotations

from functools import lru_cache

from common.paths import QUERIES_DIR

KEYS_DIR = QUERIES_DIR / "keys"   # page keys of named queries paged by keys (server/query/paging.py)


class UnknownQuery(KeyError):
    """No queries/NAME.rq exists."""


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of queries/{name}.rq; names are checked against the folder, never joined blindly."""
    if name not in names():
        raise UnknownQuery(name)
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
