"""Quotation marks as real text mixes them (ingest/extract/quotes.py). Invented sentences only."""
from __future__ import annotations

from hypothesis import given, strategies as st

from ingest.extract.quotes import quote_spans


def quoted(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text, 0, len(text))]


def test_a_straight_opening_mark_closed_by_a_curly_one():
    text = '"Demand will slow down,” Governor Ada Quill said. "It is a stagflation scenario,” she warned.'
    assert quoted(text) == ["Demand will slow down,", "It is a stagflation scenario,"]


def test_an_apostrophe_inside_a_quotation_does_not_close_it():
    assert quoted("‘We don’t know what they want,’ he said.") == ["We don’t know what they want,"]
    assert quoted("“We don’t know,” he said.") == ["We don’t know,"]


def test_possessive_apostrophes_are_no_quotations():
    assert quoted("It is the Russians' war and the Kremlin's choice, he said.") == []


def test_no_quotation_runs_over_a_line_break_but_an_open_paragraph_is_quoted_to_its_end():
    assert quoted("“The first paragraph\nand the second”") == ["The first paragraph"]
    assert quoted("He said the first paragraph\nand the second”") == []


def test_a_quotation_over_several_paragraphs():
    text = "Ada Quill told the radio: “The generals are at the front.\n\n“If they are, something is wrong.”"
    assert quoted(text) == ["The generals are at the front.", "If they are, something is wrong."]


def test_a_closing_mark_glued_to_the_next_word():
    text = "“The bus was not running”Ada Quill wrote. “Nobody came to work.”"
    assert quoted(text) == ["The bus was not running", "Nobody came to work."]


@given(st.text(alphabet=st.sampled_from(list("ab “”\"'’‘\n,.")), max_size=60))
def test_spans_are_ordered_inside_the_text_and_never_overlap(text):
    spans = quote_spans(text, 0, len(text))
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all("\n" not in text[s:e] for s, e in spans)
