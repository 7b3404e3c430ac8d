"""Property tests: no text makes the boilerplate or metadata rules raise, and every offset
they report lies inside the text, so spans can always be cut from Article.text."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.read.article import build_article
from ingest.read.boilerplate import find_boilerplate
from ingest.read.errors import ReadFailure

FRAGMENTS = ["Tags:", "Read also:", "Read : A headline", "• Home", "  • Latest News", "19:34",
             "7 January, 2025 Tuesday", "Join Our Mailing List", "More news", "By Jane Doe",
             "Site. Name", "A headline about talks and truce", "client/key.name_x", "", " ", "\t",
             "The minister said the truce would let the army regroup, according to analysts.",
             "x" * 300, "Share", "© 2024 Someone", "Related", "31 February 2025", "٣ يناير ٢٠٢٥"]
lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=120)), max_size=40)
breaks = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(lines, breaks)
def test_rules_never_raise_and_offsets_stay_inside(parts, brk):
    text = brk.join(parts)
    bp = find_boilerplate(text)
    end = len(text) if bp.body_end is None else bp.body_end
    assert 0 <= bp.body_start <= len(text) and 0 <= end <= len(text)
    previous = -1
    for span in bp.skipped:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start > previous
        previous = span.start
    try:
        article = build_article("d", text, source="d.txt", format="txt")
    except ReadFailure:
        assert not text.strip()
        return
    assert article.text == text
    assert all(0 <= s.start < s.end <= len(text) for s in article.skipped)
    if article.published is not None:
        assert len(article.published) == 10 and article.published[4] == "-"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode(text):
    bp = find_boilerplate(text)
    assert bp.body_end is None or 0 <= bp.body_end <= len(text)
