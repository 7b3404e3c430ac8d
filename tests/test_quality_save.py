"""`python -m bench.quality save` stores re-retrieved excerpts and says which are not the labelled text."""
import json

from typer.testing import CliRunner

from bench.quality.__main__ import app, gold_documents
from bench.quality.gold import doc_id


def test_a_list_of_excerpts_is_saved_and_a_changed_one_is_named(tmp_path):
    labelled = gold_documents("dev")[0]
    records = [{"url": "https://example.org/invented-story", "excerpt": "An invented sentence.\n"},
               {"url": labelled["url"], "excerpt": "Not the text that was labelled."}]
    raw = tmp_path / "fetched.json"
    raw.write_text(json.dumps(records), encoding="utf-8")
    texts = tmp_path / "texts"

    result = CliRunner().invoke(app, ["save", str(raw), "--texts", str(texts)])

    assert result.exit_code == 1
    assert (texts / f"{doc_id(records[0]['url'])}.txt").read_text(encoding="utf-8") == "An invented sentence.\n"
    assert "not in the gold" in result.output
    assert f"{labelled['doc']}" in result.output and "DIFFERS" in result.output


def test_a_single_excerpt_not_in_the_gold_is_saved_without_complaint(tmp_path):
    raw = tmp_path / "one.json"
    raw.write_text(json.dumps({"url": "https://example.org/another", "excerpt": "Text."}), encoding="utf-8")
    result = CliRunner().invoke(app, ["save", str(raw), "--texts", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / f"{doc_id('https://example.org/another')}.txt").exists()
