"""The summary's own SPARQL (kept as .rq files like every query of the project)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of reasoning/sparql/{name}.rq."""
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")
