"""What a figure counts (its unit), on invented sentences: words written with hyphens, money
carried to bare figures, words that are never units, measures, stand-in nouns."""
from __future__ import annotations

import pytest
import spacy

import ingest.extract.quantities  # noqa: F401  (registers the factory)
from ingest.model import Quantity

KIND = "https://w3id.org/claimgraph/kind/"


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("claimgraph_quantities")
    return pipeline


def read(nlp, text: str) -> list[Quantity]:
    quantities = nlp(text)._.quantities
    for q in quantities:
        assert text[q.span.start:q.span.end] == q.text
    return quantities


def by_value(nlp, text: str) -> dict[float, Quantity]:
    return {q.value if q.value is not None else (q.low, q.high): q for q in read(nlp, text)}


# ------------------------------------------------------------------ words written with hyphens

@pytest.mark.parametrize("sentence, unit", [
    ("Port records list 140 laden non-EU-flagged barges off the coast.", "laden non-EU-flagged barges"),
    ("The yard delivered 35 brand-new patrol barges.", "brand-new patrol barges"),
    ("Officials saw 300 well-armed guards near the gate.", "well-armed guards"),
    ("The plant built 60 newly-made modern tanks.", "newly-made modern tanks"),
])
def test_a_modifier_written_with_hyphens_stays_in_the_counted_noun(nlp, sentence, unit):
    (q,) = read(nlp, sentence)
    assert q.unit == unit


def test_a_bare_figure_after_a_hyphenated_noun_counts_the_whole_noun(nlp):
    found = by_value(nlp, "Port records list 140 laden non-EU-flagged barges, with 12 moored in the bay.")
    assert found[12].unit == "laden non-EU-flagged barges"
