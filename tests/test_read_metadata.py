"""Title, date and publisher read from the top of invented page texts."""
from __future__ import annotations

import pytest

from ingest.read.article import build_article
from ingest.read.dates import date_line, to_iso_date

LEAD = ("Diplomats said on Wednesday that a temporary truce was under discussion, although both "
        "governments denied that any agreement was close.")
MORE = ("One analyst said the pause would mainly serve to rebuild exhausted units, while another "
        "warned that pressure from allies was growing every week.")


def _article(text: str, **metadata):
    return build_article("doc", text, source="doc.txt", format="txt", metadata=metadata)


@pytest.mark.parametrize("date_text, iso", [
    ("7 March, 2025 Friday", "2025-03-07"),
    ("14 November 2023 09:41", "2023-11-14"),
    ("March 7, 2025", "2025-03-07"),
    ("2024-12-31", "2024-12-31"),
    ("Published: Feb 2, 2024 | 10:30 am", "2024-02-02"),
    ("Updated 3 hours ago | April 1st, 2022", "2022-04-01"),
    ("Thursday, 9 May 2024, 18:05", "2024-05-09"),
    ("09.05.2024", "2024-05-09"),
    ("Jan 7, 2025, 4:22 PM ET", "2025-01-07"),
    ("Politics | 7 January 2025 | By Jane Doe", "2025-01-07"),
    ("Last updated: 2025-01-07 14:22 UTC", "2025-01-07"),
    ("2025/01/07", "2025-01-07"),
])
def test_date_lines_near_the_top(date_text, iso):
    article = _article(f"Truce talks enter a difficult second week\n{date_text}\n\n{LEAD}\n\n{MORE}\n")
    assert article.published == iso
    assert date_text in [s.of(article.text) for s in article.skipped]   # the date line is furniture


def test_date_line_after_the_lead_paragraph_counts():
    article = _article(f"Army faces a shortage of recruits\n{LEAD}\n22 June 2023 14:10\n{MORE}\n")
    assert article.published == "2023-06-22"


@pytest.mark.parametrize("line", [
    "In 2022 the offensive began with 100,000 troops", "31 February 2025", "19:34", "15 May",
    "On March 7, 2025 the minister said the talks would continue for several days",
    "7 January 2025 | The minister said that the war would go on for years",
])
def test_things_that_are_not_date_lines(line):
    assert date_line(line) is None


def test_a_date_deep_in_the_article_is_not_the_publication_date():
    paragraphs = "\n\n".join([LEAD, MORE] * 6)
    article = _article(f"Allies weigh a new package of aid\n\n{paragraphs}\n\n3 January 2021\n")
    assert article.published is None


def test_site_name_headline_and_date():
    text = f"Daily. Observer\n\nWhy a pause in the fighting favours the aggressor\n\n3 April, 2024 Wednesday\n12:10\n\n{LEAD}\n"
    article = _article(text)
    assert article.publisher == "Daily Observer"
    assert article.title == "Why a pause in the fighting favours the aggressor"
    assert article.published == "2024-04-03"
    skipped = [s.of(text) for s in article.skipped]
    assert "Daily. Observer" in skipped and "12:10" in skipped


def test_headline_first_and_no_publisher():
    article = _article(f"Generals warn of a long war of attrition ahead\n{LEAD}\n{MORE}\n")
    assert article.title == "Generals warn of a long war of attrition ahead"
    assert article.publisher is None


def test_a_text_that_starts_with_a_paragraph_has_no_title():
    article = _article(f"{LEAD}\n{MORE}\n")
    assert article.title is None and article.publisher is None and article.published is None


def test_byline_gives_the_author_and_kickers_are_passed_over():
    text = f"Opinion | World\nAllies quietly prepare for a frozen conflict\nBy Anna Berg and Tom Lee | Staff writers\n\n{LEAD}\n"
    article = _article(text)
    assert article.title == "Allies quietly prepare for a frozen conflict"
    assert article.author == "Anna Berg and Tom Lee"
    assert "By Anna Berg and Tom Lee | Staff writers" in [s.of(text) for s in article.skipped]


@pytest.mark.parametrize("first_line, publisher", [
    ("frontline-daily.net", "frontline-daily.net"),      # a domain
    ("Frontline Daily", "Frontline Daily"),              # ... named again in the footer below
    ("Eastern Front", None),                             # a section label: no evidence it is a brand
])
def test_publisher_needs_evidence_that_the_first_line_is_a_brand(first_line, publisher):
    footer = "\n\nThis story first appeared in Frontline Daily.\n"
    text = f"{first_line}\n\nWinter offensive stalls near the river crossings\n\n{LEAD}\n\n{MORE}{footer}"
    article = _article(text)
    assert article.publisher == publisher
    assert article.title == "Winter offensive stalls near the river crossings"


def test_breadcrumb_title_is_taken():
    title = "Negotiators Trade Accusations as Talks Break Down"
    article = _article(f"• Home\n  • Politics\n  • {title}\n\n{title}\n\n{LEAD}\n")
    assert article.title == title
    assert article.publisher is None


def test_explicit_metadata_wins_over_the_text():
    text = f"Example Post\n\nA headline shown in the page text\n\n1 May 2020\n\n{LEAD}\n"
    article = _article(text, title="Given title", published="2021-02-03", publisher="Given Press")
    assert (article.title, article.published, article.publisher) == ("Given title", "2021-02-03", "Given Press")


def test_an_unusable_metadata_date_falls_back_to_the_text(caplog):
    article = _article(f"Some headline for the story\n5 May 2022\n\n{LEAD}\n", published="not a date")
    assert article.published == "2022-05-05"


@pytest.mark.parametrize("value, iso", [
    ("2025-01-07T22:30:00+02:00", "2025-01-07"), ("7 Jan 2025", "2025-01-07"),
    ("January 7, 2025", "2025-01-07"), ("yesterday", None), ("", None), (None, None),
])
def test_metadata_dates_are_normalised(value, iso):
    assert to_iso_date(value) == iso
