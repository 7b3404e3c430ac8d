"""Page boilerplate: what ends an article, which lines inside it are blanked, and navigation
headers. Every page below is invented; the rules must hold for any news site."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.read.article import build_article
from ingest.read.boilerplate import ENDS_BODY, SKIP_LINE, find_boilerplate, load_markers

P1 = ("Officials in the capital said on Monday that the negotiations had stalled again, "
      "and that no date had been set for a new round of talks between the delegations.")
P2 = ("A senior researcher at a policy institute argued that a ceasefire now would give the "
      "army time to rebuild its depleted units and stockpile ammunition for a new offensive.")
P3 = ("The ministry did not comment on the reports, which could not be independently verified, "
      "but a spokesman promised a statement later in the week after consultations with allies.")


def _body(text: str) -> str:
    return text[:find_boilerplate(text).body_end or len(text)]


def _skipped(text: str) -> list[str]:
    return [s.of(text) for s in find_boilerplate(text).skipped]


@pytest.mark.parametrize("footer", [
    "Tags: Diplomacy, Ceasefire, Europe\nRead also:\n• Minister resigns after scandal\n12:04\nMarkets fall sharply",
    "Related articles\nGeneral Smith visits the front line\nParliament votes on new budget",
    "Join Our Mailing List\n\nRecent Posts\n\nEnjoying our site? Sign up to never miss a story!",
    "Subscribe to our newsletter\nGet the best stories in your inbox every morning.",
    "More news\nFirst other headline about something\nSecond other headline",
    "You may also like\nAnother story about a different politician",
    "© 2025 Example Media Group. All rights reserved.",
    "Leave a Reply\nYour email address will not be published.",
    "Reporting by Ivan Novak in Kyiv; Editing by Sara Lind",
    "Follow Example News’ coverage of the war at https://example.org/hub/war",
])
def test_footer_markers_end_the_body(footer):
    text = f"{P1}\n\n{P2}\n\n{footer}\n"
    bp = find_boilerplate(text)
    assert bp.body_end == text.index(footer.split("\n")[0])
    assert P2 in _body(text)


def test_read_link_lines_are_blanked_and_the_article_goes_on():
    text = f"{P1}\nRead : Scientists find a new species of frog in the jungle\n{P2}\nRead more: Stocks rally as inflation cools\n{P3}\n"
    bp = find_boilerplate(text)
    assert bp.body_end is None
    assert _skipped(text) == ["Read : Scientists find a new species of frog in the jungle",
                              "Read more: Stocks rally as inflation cools"]


def test_an_inline_read_also_box_does_not_end_the_article():
    text = f"{P1}\n\nRead also:\nPresident meets farmers in the north\n\n{P2}\n\n{P3}\n"
    bp = find_boilerplate(text)
    assert bp.body_end is None
    assert _skipped(text) == ["Read also:", "President meets farmers in the north"]


def test_a_sentence_that_merely_starts_like_a_marker_is_kept():
    sentences = ["Reporting by the BBC suggested that the brigade had withdrawn from the town overnight.",
                 "Related talks in Geneva ended without any agreement on prisoner exchanges or grain.",
                 "Tags on the crates showed that the shells had been produced only a month earlier."]
    text = f"{P1}\n" + "\n".join(sentences) + f"\n{P2}\n"
    bp = find_boilerplate(text)
    assert bp.body_end is None and bp.skipped == []


def test_an_end_marker_before_any_prose_does_not_end_the_article():
    text = f"Latest News\nA headline for the story\n\n{P1}\n\nMore news\n{P2}\n\n{P3}\n"
    bp = find_boilerplate(text)
    assert bp.body_end is None
    assert bp.body_start == text.index("A headline")
    assert _skipped(text) == ["Latest News", "More news"]   # the second one is followed by paragraphs


def test_share_cookie_caption_and_clock_lines_are_blanked():
    lines = ["Share on Facebook", "We use cookies to improve your experience.",
             "Photo: Jane Doe / Example Agency", "08:15", "Follow us on Telegram", "Advertisement",
             "Ivan Petrov/Reuters", "Image caption, General Markov inspects the troops",
             "If you see a mistake, select it and press Ctrl+Enter",
             "https://example.org/news/2024/05/17/12345", "#Diplomacy #Ceasefire",
             "Select Language", "Down Icon", "Select Country"]
    text = f"{P1}\n" + "\n".join(lines) + f"\n{P2}\n"
    assert _skipped(text) == lines
    assert find_boilerplate(text).body_end is None


def test_breadcrumb_header_is_skipped_and_the_body_starts_after_it():
    title = "Talks stall as both sides dig in"
    text = f"• Home\n  • World\n  • {title}\n\n{title}\n\n{P1}\n\n{P2}\n"
    bp = find_boilerplate(text)
    assert bp.body_start == text.index(f"\n{title}\n\n") + 1
    assert _skipped(text) == ["• Home", "• World", f"• {title}"]


def test_trailing_headline_list_without_marker_ends_the_body():
    headlines = []
    for hour in range(10, 20):
        headlines += [f"{hour}:15", f"Something happened in city number {hour} today"]
    text = f"{P1}\n\n{P2}\n\n{P3}\n" + "\n".join(headlines) + "\n"
    bp = find_boilerplate(text)
    assert bp.body_end == text.index("10:15")
    assert bp.ended_by == "headline-list"


def test_an_article_ending_with_a_short_list_keeps_it():
    items = ["• 300 to 400 drones", "• 20 to 30 helicopters", "• 50 tanks"]
    text = f"{P1}\n\n{P2}\nThe estimate covers:\n" + "\n".join(items) + "\n"
    assert find_boilerplate(text).body_end is None


def test_offsets_survive_crlf_line_breaks():
    text = f"{P1}\r\nRead : Some unrelated headline here\r\n{P2}\r\n\r\nTags: one, two\r\n"
    bp = find_boilerplate(text)
    assert text[bp.body_end:].startswith("Tags:")
    assert [s.of(text) for s in bp.skipped] == ["Read : Some unrelated headline here"]


def test_boilerplate_never_reaches_the_extractor_text():
    """What spaCy sees (text up to body_end, skipped lines blanked) holds no furniture."""
    from ingest.extract.pipeline import body_text

    footer = "Tags: War\nRead also:\n17:20\nGeneral Petrov says victory is near"
    text = f"Headline of the invented story\n\n{P1}\nRead : Mayor Ivanova opens a new bridge\n{P2}\n{footer}\n"
    article = build_article("x", text, source="x.txt", format="txt")
    seen = body_text(article)
    assert len(seen) == article.body_stop
    assert "Ivanova" not in seen and "Petrov" not in seen
    assert P1 in seen and P2 in seen


def test_markers_are_data_with_valid_effects():
    markers = load_markers()
    assert {m.effect for m in markers} == {ENDS_BODY, SKIP_LINE}
    assert all(m.iri.startswith("https://w3id.org/claimgraph/cue/") for m in markers)


def test_a_bad_marker_file_is_reported_with_its_name(tmp_path):
    bad = tmp_path / "boilerplate.ttl"
    bad.write_text('@prefix cg: <https://w3id.org/claimgraph/ontology#> .\n'
                   '<urn:x> a cg:BoilerplateMarker ; cg:pattern "(unclosed" ; cg:effect "ends-body" .\n')
    with pytest.raises(ValueError, match="invalid cg:pattern"):
        load_markers(Path(bad))
