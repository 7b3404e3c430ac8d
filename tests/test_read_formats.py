"""Reading each input format: plain text, HTML, JSON Lines, sidecars, folders, missing paths.

All texts here are invented for the tests.
"""
from __future__ import annotations

import json
from pathlib import Path


from ingest.model import Article, ReadError
from ingest.read import read_path

BODY = ("The defence minister said on Tuesday that the talks would resume next week, "
        "although negotiators on both sides remain far apart on the main questions.\n\n"
        "An analyst at a research institute argued that a pause would mostly help the side "
        "that needs time to rebuild its forces.\n")


def _one(path: Path) -> Article | ReadError:
    items = list(read_path(path))
    assert len(items) == 1, items
    return items[0]


def test_plain_text_keeps_the_text_exactly_as_decoded(tmp_path):
    text = "Headline of an invented story\r\n\r\n" + BODY.replace("\n", "\r\n") + "  trailing spaces  \n"
    path = tmp_path / "story-1.txt"
    path.write_bytes(text.encode("utf-8"))
    article = _one(path)
    assert isinstance(article, Article)
    assert article.doc_id == "story-1"
    assert article.format == "txt"
    assert article.source == "story-1.txt"
    assert article.text == text            # no newline normalisation, nothing stripped


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    article = _one(path)
    assert article.text == BODY


def test_sidecar_supplies_and_overrides_metadata(tmp_path):
    (tmp_path / "a.txt").write_text("Site Name\n\nA headline the text itself shows\n\n" + BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({
        "title": "The sidecar title", "published": "2024-03-05T08:00:00Z", "publisher": "Sidecar Press",
        "author": "Jane Roe", "url": "https://example.org/a"}), encoding="utf-8")
    article = _one(tmp_path / "a.txt")
    assert (article.title, article.published, article.publisher, article.author, article.url) == (
        "The sidecar title", "2024-03-05", "Sidecar Press", "Jane Roe", "https://example.org/a")


def test_sidecar_is_not_read_as_an_article_and_a_broken_one_is_named(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    items = list(read_path(tmp_path))
    assert [type(i).__name__ for i in items] == ["ReadError", "Article"]
    assert "a.meta.json" in items[0].reason and "JSON" in items[0].reason
    assert items[1].doc_id == "b"


def test_html_main_text_and_metadata_without_scripts(tmp_path):
    html = f"""<!doctype html><html><head>
      <title>Invented headline | Example Times</title>
      <meta property="og:title" content="Invented headline">
      <meta property="og:site_name" content="Example Times">
      <meta name="author" content="John Doe">
      <meta property="article:published_time" content="2025-02-03T09:30:00+01:00">
      <script>var tracking = "the script text must not appear";</script>
    </head><body>
      <nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <article><h1>Invented headline</h1>
        {''.join(f'<p>{p}</p>' for p in BODY.split(chr(10)*2))}
      </article>
      <footer>Copyright 2025 Example Times</footer>
    </body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = _one(path)
    assert isinstance(article, Article), article
    assert article.format == "html" and article.doc_id == "page"
    assert "talks would resume next week" in article.text
    assert "tracking" not in article.text
    assert article.title == "Invented headline"
    assert article.published == "2025-02-03"
    assert article.publisher == "Example Times"
    assert article.author == "John Doe"


def test_html_without_article_text_is_an_error(tmp_path):
    path = tmp_path / "shell.htm"
    path.write_text("<html><head><script>app()</script></head><body><div id='root'></div></body></html>")
    error = _one(path)
    assert isinstance(error, ReadError)
    assert "no article text" in error.reason


def test_jsonl_broken_line_is_named_and_the_others_come_through(tmp_path):
    lines = [
        json.dumps({"id": "first", "text": BODY, "title": "First title", "published": "March 4, 2024",
                    "publisher": "Wire", "url": "https://example.org/1"}),
        "{this is not json",
        "",
        json.dumps({"id": "no-text"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 42, "text": BODY}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(path))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [a.doc_id for a in articles] == ["first", "42"]
    first = articles[0]
    assert (first.title, first.published, first.publisher, first.url, first.format) == (
        "First title", "2024-03-04", "Wire", "https://example.org/1", "jsonl")
    assert first.text == BODY
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in errors[0].reason
    assert "text" in errors[1].reason
    assert "object" in errors[2].reason


def test_folder_is_walked_recursively_in_a_stable_order(tmp_path):
    for rel in ["b/z.txt", "a.txt", "b/a.html", "c/d/e.jsonl", "notes.md", ".hidden.txt", "a.meta.json"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "b/z.txt").write_text(BODY)
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b/a.html").write_text(f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>")
    (tmp_path / "c/d/e.jsonl").write_text(json.dumps({"id": "e1", "text": BODY}) + "\n")
    (tmp_path / "notes.md").write_text(BODY)
    (tmp_path / ".hidden.txt").write_text(BODY)
    (tmp_path / "a.meta.json").write_text("{}")
    items = list(read_path(tmp_path))
    assert all(isinstance(i, Article) for i in items), items
    assert [i.source for i in items] == ["a.txt", "b/a.html", "b/z.txt", "c/d/e.jsonl"]
    assert [i.doc_id for i in items] == ["a", "a", "z", "e1"]
    assert [i.doc_id for i in read_path(tmp_path)] == [i.doc_id for i in items]


def test_missing_path_and_unknown_extension_are_errors(tmp_path):
    missing = _one(tmp_path / "nope")
    assert isinstance(missing, ReadError) and "no such file" in missing.reason
    odd = tmp_path / "report.pdf"
    odd.write_bytes(b"%PDF-1.4")
    unsupported = _one(odd)
    assert isinstance(unsupported, ReadError) and ".pdf" in unsupported.reason


def test_a_whole_scraped_page(tmp_path):
    """Navigation, byline, date, inline link lines, caption and footer on one invented page."""
    page = (
        "Menu\nSearch\nHome » World » Europe\n"
        "Ceasefire would hand Moscow time to rearm, analysts warn\n"
        "By Olga Marchenko\n"
        "Published: 12 March 2024, 10:15\n"
        "Share\n\n"
        f"{BODY}\n"
        "Read also: Parliament approves a new defence budget\n\n"
        "A third paragraph says that the reserves could be rebuilt within a year if the fighting "
        "stopped now, according to a retired general.\n"
        "Photo: Example Agency\n\n"
        "Tags: Ukraine, Russia, ceasefire\n"
        "Related articles\nGeneral Smith visits the front\nBudget vote delayed again\n"
        "© 2024 Example News\n")
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    article = _one(path)
    assert article.title == "Ceasefire would hand Moscow time to rearm, analysts warn"
    assert article.author == "Olga Marchenko"
    assert article.published == "2024-03-12"
    assert article.body_start == page.index("Ceasefire")
    assert article.body_end == page.index("Tags:")
    skipped = [s.of(page) for s in article.skipped]
    assert skipped == ["Menu", "Search", "Home » World » Europe", "By Olga Marchenko",
                       "Published: 12 March 2024, 10:15", "Share",
                       "Read also: Parliament approves a new defence budget", "Photo: Example Agency"]
