"""Encodings and inputs that are not articles: each is decoded right or refused by name."""
from __future__ import annotations

import codecs
import logging
import os

import pytest

from ingest.model import Article, ReadError
from ingest.read import read_path
from ingest.read.decode import decode_bytes
from ingest.read.errors import ReadFailure
from ingest.read.limits import MAX_ARTICLE_BYTES_VAR

WESTERN = ("Le ministre a déclaré que la trêve serait « fragile » – São Paulo, Zürich, façade. "
           "The analyst’s view was that the ceasefire would not hold.\n") * 3
CYRILLIC = ("Міністр оборони заявив, що перемир'я дасть противнику час перегрупуватися. "
            "Аналітики вважають, що переговори не принесуть результату найближчим часом.\n") * 3


def _single(path):
    items = list(read_path(path))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("encoding, text", [
    ("latin-1", WESTERN.replace("’", "'").replace("–", "-")),
    ("cp1252", WESTERN),
    ("cp1251", CYRILLIC),
    ("koi8-u", CYRILLIC),
])
def test_legacy_encodings_are_detected(tmp_path, encoding, text, caplog):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.INFO, logger="claimgraph.ingest.read"):
        article = _single(path)
    assert isinstance(article, Article), article
    assert article.text == text
    assert any("decoded as" in r.getMessage() for r in caplog.records)   # the guess is reported


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path, codec):
    text = "Headline\n\n" + CYRILLIC
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / "wide.txt"
    path.write_bytes(data)
    article = _single(path)
    assert isinstance(article, Article), article
    assert article.text == text


def test_utf8_is_taken_without_guessing():
    decoded = decode_bytes(CYRILLIC.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.detected) == (CYRILLIC, "utf-8", False)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"  \n\t\r\n   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (bytes(range(1, 32)) * 50, "binary"),
])
def test_empty_and_binary_files_are_refused_by_name(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    error = _single(path)
    assert isinstance(error, ReadError)
    assert error.source == str(path)
    assert reason in error.reason


def test_random_bytes_are_not_text():
    data = os.urandom(4096).replace(b"\x00", b"\x01")
    with pytest.raises(ReadFailure) as exc:
        decode_bytes(data)
    assert "binary" in str(exc.value) or "not valid text" in str(exc.value)


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:          # a sparse file: huge on paper, cheap to make
        handle.truncate(25_000_000)
    error = _single(path)
    assert isinstance(error, ReadError)
    assert "25.0 MB" in error.reason and "20.0 MB" in error.reason

    monkeypatch.setenv(MAX_ARTICLE_BYTES_VAR, "100")
    small = tmp_path / "small.txt"
    small.write_text("x" * 50 + " words here.\n")
    over = tmp_path / "over.txt"
    over.write_text("y" * 200)
    results = {type(i).__name__: i for i in read_path(tmp_path) if getattr(i, "source", "").endswith(("small.txt", "over.txt"))}
    assert isinstance(results["Article"], Article) and results["Article"].doc_id == "small"
    assert "200 bytes" in results["ReadError"].reason and "100 bytes" in results["ReadError"].reason


def test_a_jsonl_line_over_the_cap_is_named_and_the_next_line_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_ARTICLE_BYTES_VAR, "200")
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": "big", "text": "' + "z" * 500 + '"}\n{"id": "ok", "text": "A short sentence."}\n')
    items = list(read_path(path))
    assert isinstance(items[0], ReadError) and items[0].source == f"{path}:1"
    assert isinstance(items[1], Article) and items[1].doc_id == "ok"


def test_invalid_utf8_in_a_jsonl_line_is_named(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n{"id": "b", "text": "Fine text here."}\n')
    items = list(read_path(path))
    assert isinstance(items[0], ReadError) and "UTF-8" in items[0].reason
    assert isinstance(items[1], Article)


def test_a_bad_size_setting_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_ARTICLE_BYTES_VAR, "lots")
    (tmp_path / "a.txt").write_text("Some text.")
    with pytest.raises(ValueError, match=MAX_ARTICLE_BYTES_VAR):
        list(read_path(tmp_path))
