"""Small invented document graphs for the ontology, validate and reason tests.

The text and names are made up for the tests (no sentence from the seed corpus); the graph
is written by the real mapper (ingest.map.to_quads), so the tests check what the ingest writes.
"""
from __future__ import annotations

import pytest
from pyoxigraph import Quad, RdfFormat, serialize

from common import iris
from ingest.map import to_quads
from ingest.model import Actor, Article, Claim, Extraction, Quantity, Span
from ingest.write import DocumentWriter
from reasoning.reasoner import with_inferred

TEXT = ("Analyst Mira Testova of the Example Institute said that a pause in fighting would only "
        "let the army regroup. The institute estimated that the army fires 30 to 40 cruise "
        "missiles a month.")
DOC_ID = "sample-doc-1"
DOC = iris.document(DOC_ID)
PERSON = iris.actor("Mira Testova")
INSTITUTE = iris.actor("Example Institute")
CLAIM_TEXT = "a pause in fighting would only let the army regroup"
FIGURE_TEXT = "30 to 40 cruise missiles a month"


def _span(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment))


def sample_extraction(doc_id: str = DOC_ID) -> Extraction:
    article = Article(doc_id=doc_id, text=TEXT, source=f"{doc_id}.txt", title="An invented article",
                      published="2025-02-03")
    actors = [
        Actor(key="mira-testova", name="Mira Testova", kind="person", aliases={"Testova"},
              role="analyst", affiliation="example-institute"),
        Actor(key="example-institute", name="Example Institute", kind="organization"),
    ]
    claim = Claim(speaker="mira-testova", cue="said", text=CLAIM_TEXT, span=_span(CLAIM_TEXT),
                  stance="TRUCE_AS_REGROUPING", stance_cues=[iris.CUE + "stance-regroup"])
    figure = Quantity(text=FIGURE_TEXT, span=_span(FIGURE_TEXT), low=30, high=40, unit="cruise missiles",
                      kind=iris.KIND + "KalibrMissile", qualifier="range", period="P1M", modality="estimate",
                      attributed_to="example-institute", claim=None)
    return Extraction(article=article, actors=actors, claims=[claim], quantities=[figure],
                      stance="TRUCE_AS_REGROUPING", stance_scores={"TRUCE_AS_REGROUPING": 2.0},
                      stance_cues={"TRUCE_AS_REGROUPING": [iris.CUE + "stance-regroup"]})


def sample_quads(doc_id: str = DOC_ID) -> list[Quad]:
    return to_quads(sample_extraction(doc_id))


def sample_graph(doc_id: str = DOC_ID):
    """The sample document graph as an rdflib Graph (what validate_graph checks)."""
    from pyoxigraph import RdfFormat, Triple, serialize
    from rdflib import Graph

    triples = [Triple(q.subject, q.predicate, q.object) for q in sample_quads(doc_id)]
    return Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def write_extraction(store, ex: Extraction) -> None:
    """Write an extraction's graph and its inferred graph through the ingest's writer, as the ingest does."""
    writer = DocumentWriter(store, lambda article, error: error and pytest.fail(error))
    quads = with_inferred(iris.document(ex.article.doc_id), to_quads(ex))
    writer.add(Article(doc_id=ex.article.doc_id, text="", source="x"), serialize(quads, format=RdfFormat.N_QUADS))
    writer.close()
