"""Property tests: no text makes the extractor raise, and every span points into the text."""
from __future__ import annotations

from attribution_support import extractor
from hypothesis import HealthCheck, given, settings, strategies as st

from ingest.extract.pipeline import body_text
from ingest.model import Article, Span

WORDS = ["said", "according to", "believes", "that", "“", "”", '"', "-", "–", ",", ".", "\n", "\n\n", "The",
         "the analyst", "he", "she", "Dr.", "President", "Anna", "Berg", "of", "the", "Institute", "(AB)",
         "was described as", "by", "stating", "Russia", "Ukrainian", "regroup", "desperation", "NATO",
         "Lukashenko", "A.", "•", "'s", "’s", "officials", "argues", "suggests", "Kyiv", "200", "tanks"]

news_like = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
any_text = st.text(max_size=400)


def _check(text: str, **article) -> None:
    art = Article("p", text, "p.txt", **article)
    extractor()._run(body_text(art))  # the rules themselves, without extract()'s safety net
    ex = extractor().extract(art)
    keys = {a.key for a in ex.actors}
    stop = ex.article.body_stop
    for claim in ex.claims:
        assert 0 <= claim.span.start < claim.span.end <= stop
        assert text[claim.span.start:claim.span.end] == claim.text
        assert claim.speaker in keys
    for actor in ex.actors:
        for span in actor.mentions:
            assert 0 <= span.start < span.end <= stop


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like)
def test_news_like_word_salad_never_raises(text):
    _check(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_arbitrary_unicode_never_raises(text):
    _check(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=50))
def test_spans_stay_inside_the_body_when_boilerplate_is_cut(text, cut, skip):
    body_end = min(cut, len(text))
    _check(text, body_end=body_end, skipped=[Span(min(skip, body_end), body_end)])
