"""RDF in the docs/MODEL.md shape, straight from the synthetic corpus, without running the extractor.

The query, dump and load benchmarks need stores of a known size (up to millions of triples)
quickly and identically for every peer. Each synthetic article's planted actors, claims and
quantities become an `ingest.model.Extraction`, and the project's own mapper
(`ingest.map.to_quads`) writes the quads — so the shape is exactly what an ingest writes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from pyoxigraph import Quad, RdfFormat, serialize

from bench.corpus import SEED, SyntheticArticle, generate_article
from common import iris
from ingest.map import to_quads
from ingest.model import Actor, Article, Claim, Extraction, Quantity, Span

KIND_CONCEPTS = {"tanks": "Tank", "missiles": "Missile", "drones": "Drone", "artillery shells": "ArtilleryShell",
                 "troops": "Personnel", "armoured vehicles": "ArmouredVehicle"}
STANCE_CUE = {"TRUCE_AS_REGROUPING": iris.CUE + "stance-regroup", "RUSSIA_NEEDS_PEACE": iris.CUE + "stance-needs-peace"}


def to_extraction(article: SyntheticArticle) -> Extraction:
    """What a perfect extractor would return for this synthetic article."""
    source = Article(doc_id=article.doc_id, text=article.text, source=f"{article.doc_id}.txt", format="txt",
                     title=article.title, published=article.published, publisher=article.publisher)
    actors = [Actor(key=iris.slug(a.name), name=a.name, kind=a.kind, aliases={a.name.split()[-1]},
                    role=a.role, affiliation=iris.slug(a.affiliation) if a.affiliation else None)
              for a in article.actors]
    claims = [Claim(speaker=iris.slug(c.speaker), cue=c.cue, text=article.text[c.start:c.end],
                    span=Span(c.start, c.end), direct_quote=c.direct_quote, stance=c.stance,
                    stance_cues=[STANCE_CUE[c.stance]] if c.stance else [])
              for c in article.claims]
    quantities = [Quantity(text=article.text[q.start:q.end], span=Span(q.start, q.end), value=q.value,
                           low=q.lower, high=q.upper, unit=q.kind, kind=iris.KIND + KIND_CONCEPTS[q.kind],
                           qualifier=q.qualifier, period=q.period, modality="estimate",
                           subject=iris.place("Russia"),
                           attributed_to=iris.slug(q.attributed_to) if q.attributed_to else None)
                  for q in article.quantities]
    scores = {article.stance: float(sum(1 for c in article.claims if c.stance == article.stance))} \
        if article.stance else {}
    cues = {article.stance: [STANCE_CUE[article.stance]]} if article.stance else {}
    return Extraction(article=source, actors=actors, claims=claims, quantities=quantities,
                      stance=article.stance, stance_scores=scores, stance_cues=cues)


def document_quads(index: int, seed: int = SEED) -> list[Quad]:
    return to_quads(to_extraction(generate_article(index, seed)))


def quads_until(target: int, seed: int = SEED) -> Iterator[Quad]:
    """Whole document graphs, in index order, until at least `target` quads have been yielded."""
    count = index = 0
    while count < target:
        quads = document_quads(index, seed)
        count += len(quads)
        index += 1
        yield from quads


def write_nquads(path: Path, target: int, seed: int = SEED) -> int:
    """Write at least `target` quads (whole documents) as N-Quads; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0

    def counted() -> Iterator[Quad]:
        nonlocal written
        for quad in quads_until(target, seed):
            written += 1
            yield quad

    with path.open("wb") as out:
        serialize(counted(), out, RdfFormat.N_QUADS)
    return written
