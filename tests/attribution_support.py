"""Shared helpers for the actor/attribution/stance tests: one Extractor per setting per run."""
from __future__ import annotations

from functools import lru_cache

from ingest.model import Article, Extraction


@lru_cache(maxsize=2)
def extractor(known_actors: bool = True):
    from ingest.extract.pipeline import Extractor
    return Extractor(known_actors=known_actors)


def extract(text: str, known_actors: bool = True, **article) -> Extraction:
    return extractor(known_actors).extract(Article(article.pop("doc_id", "t"), text, "t.txt", **article))


def speakers(ex: Extraction) -> dict[str, str]:
    """claim text -> speaker name"""
    names = {a.key: a.name for a in ex.actors}
    return {c.text: names.get(c.speaker, c.speaker) for c in ex.claims}


def actor_names(ex: Extraction) -> set[str]:
    return {a.name for a in ex.actors}


def claim_by(ex: Extraction, fragment: str):
    hits = [c for c in ex.claims if fragment in c.text]
    assert hits, f"no claim containing {fragment!r}; claims: {[c.text for c in ex.claims]}"
    return hits[0]


def name_of(ex: Extraction, key: str) -> str:
    return next(a.name for a in ex.actors if a.key == key)
