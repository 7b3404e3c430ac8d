"""Properties of claimgraph_quantities that hold for any input text."""
from __future__ import annotations

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest.extract.quantities  # noqa: F401  (registers the factory)

_NLP = spacy.blank("en")
_NLP.add_pipe("sentencizer")
_NLP.add_pipe("claimgraph_quantities")

WORDS = ["up to", "between", "and", "to", "-", "–", "over", "about", "million", "one", "three", "times", "more",
         "tanks", "troops", "per month", "every", "months", "a year", "%", "percent", "could", "estimate",
         "January", "May", "2022", "19:34", "17th", "of", "the", "$", "bn", ",", ".", ":", "\n", "•", "strong",
         "year", "in storage", "units", "Kalibr", "missiles", "half", "a", "or more", "155mm", "wounded"]
NUMBERS = st.one_of(st.integers(0, 10_000_000).map(lambda n: f"{n:,}"), st.integers(0, 3000).map(str),
                    st.floats(0, 1000, allow_nan=False).map(lambda x: f"{x:.2f}"))
NEWSY = st.lists(st.one_of(st.sampled_from(WORDS), NUMBERS), max_size=40).map(" ".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    quantities = _NLP(text)._.quantities
    assert isinstance(quantities, list)
    for q in quantities:
        assert 0 <= q.span.start < q.span.end <= len(text)
        assert text[q.span.start:q.span.end] == q.text
        assert (q.value is None) != (q.low is None and q.high is None) or q.value is not None
        if q.low is not None or q.high is not None:
            assert q.low is not None and q.high is not None and q.low <= q.high
            assert q.qualifier == "range"
        assert q.qualifier in {"exact", "approximately", "at_least", "at_most", "range"}
        assert q.modality in {"report", "estimate", "projection"}
        assert q.attributed_to is None and q.claim is None
    spans = sorted((q.span.start, q.span.end) for q in quantities)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "quantities overlap"


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_never_raises_and_spans_are_exact(text):
    _check(text)


@SETTINGS
@given(NEWSY)
def test_news_like_word_salad_keeps_invariants(text):
    _check(text)
