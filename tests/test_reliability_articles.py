"""Bad articles: each gets a named, readable error or a clean result; none stops the batch; none
makes the graph invalid. Plus a property test of the whole Extractor on news-like sentences
built from a grammar: no input makes it raise, and its graph always conforms to the shapes.

tests/test_run_ingest.py checks the runner in-process (odd but readable inputs, a dying
worker); this module runs the real CLI over one folder holding every kind of bad input at once,
including a 50 MB text generated here.
"""
from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from reliability_support import DOC_PREFIX, document_graphs, validate

GOOD = ("Ceasefire talks stall\n\nA senior analyst at the Lindqvist Centre, Tomas Varga, said that a truce "
        "would only let the army regroup and rearm. According to the centre, about 1,500 tanks are in storage, "
        "and the army could produce up to 30 missiles per month.\n")

# file name -> (bytes, the words the failure message must contain; None = must be ingested cleanly)
def bad_inputs() -> dict[str, tuple[bytes, tuple[str, ...] | None]]:
    rng = random.Random(7)
    no_nul_noise = bytes(rng.choice(range(1, 256)) for _ in range(4000))
    return {
        "good.txt": (GOOD.encode(), None),
        "empty.txt": (b"", ("empty",)),
        "blank.txt": (b"  \n\n\t  \n", ("empty",)),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ("binary",)),
        "invalid-utf8.txt": (b"The minister said \xff\xfe\xc3\x28 that 1,200 troops \x80\x81 arrived.\n", ()),
        "noise.txt": (no_nul_noise, ()),                      # binary without NUL: refused or read, never a crash
        "scripts.html": (b"<html><head><script>document.write('The general said 900 tanks')</script><title>Talks"
                         b"</title></head><body><script>var s = 'Rutte said 5 missiles';</script><article><p>"
                         + GOOD.replace("\n", " ").encode() + b"</p></article><noscript>js</noscript>"
                         b"<style>p{color:red}</style></body></html>", None),
        "empty.html": (b"", ()),
        "no-sentences.txt": (b"--- *** ///\n\n____\n|||\n", ()),
        "numbers.txt": (("Officials said 1,200 or 1.200 or 1 200 or 1e6 or 2.5 million or one million tanks, "
                        "5-8 million shells, between 3,000 and 3,500, up to 350 per month, 40% more, three times "
                        "more, 10:45, 2024, 1st, 0.0001, -17, +3, 10^9, ½, ٣٤, 九千, 1,000,000,000,000,000,000,000 "
                        "and 99999999999999999999999999999999999999999 drones, 0x1F, 1_000, ₴5bn, $3.4tn, "
                        "€ 12,5 Mio., 7/8, 3¾, Ⅻ, 1.2.3.4, 08/09/2025.\n").encode(), None),
        "broken.jsonl": (b'{"id": "jsonl-ok", "text": "The analyst said 200 tanks were lost."}\n{not json\n'
                         b'{"id": "", "text": 5}\n', ("JSON",)),
        "odd.meta.json": (b"{broken", ()),                    # a sidecar without its text file
    }


@pytest.mark.slow
def test_every_bad_article_is_named_none_stops_the_batch_and_the_graph_stays_valid(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    inputs = bad_inputs()
    for name, (data, _) in inputs.items():
        (folder / name).write_bytes(data)
    line = b"The observer said the truce would let the army regroup, with 1,200 tanks and 3.5 million shells. "
    with (folder / "huge.txt").open("wb") as out:                # 50 MB of text, made here
        for _ in range(50_000_000 // len(line) + 1):
            out.write(line)

    store = tmp_path / "store"
    proc = run_cli("--store", str(store), "ingest", str(folder), check=False, timeout=900)
    stderr = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, stderr[-3000:]                    # some failed, and the exit code says so
    assert "Traceback" not in stderr and 'File "' not in stderr
    failures = _failure_lines(stderr)
    assert any("huge.txt" in f and "too large" in f and "CLAIMGRAPH_MAX_ARTICLE_BYTES" in f for f in failures), failures
    for name, (_, words) in inputs.items():
        named = [f for f in failures if name in f]
        if words is None:
            assert not named, f"{name} should have been ingested: {named}"
        elif words:
            assert named and all(w in named[0] for w in words), (name, failures)

    graphs = document_graphs(store)
    ids = {g.removeprefix(DOC_PREFIX) for g in graphs}
    assert {"good", "scripts", "numbers", "jsonl-ok"} <= ids        # the batch went on past every bad file
    summary = stderr.strip().splitlines()[-1]
    assert summary.startswith(f"ingested {len(ids)} document(s), ")
    text = run_cli("--store", str(store), "query", "--format", "json",
                   f"SELECT ?t WHERE {{ <{DOC_PREFIX}scripts> <https://w3id.org/claimgraph/ontology#text> ?t }}")
    body = json.loads(text.stdout)["results"]["bindings"][0]["t"]["value"]
    assert "document.write" not in body and "var s" not in body and "color:red" not in body
    checked = validate(store)
    assert checked.returncode == 0, checked.stderr.decode()[-3000:]


def _failure_lines(stderr: str) -> list[str]:
    """The CLI's 'failed SOURCE: REASON' entries, unwrapped (rich wraps long lines)."""
    entries, current = [], None
    for line in stderr.splitlines():
        if line.startswith(("failed ", "warning:", "ingested ")):
            if current is not None:
                entries.append(current)
            current = line if line.startswith("failed ") else None
        elif current is not None:
            current += " " + line.strip()
    if current is not None:
        entries.append(current)
    return entries


# ---- the whole Extractor on sentences from a news grammar --------------------------------------

NAMES = st.sampled_from(["Anna Berg", "Dr. Piet Olsen", "the analyst", "Minister Ilse Vanhala", "NATO",
                         "the Institute for Conflict Studies (ICS)", "he", "officials", "A. Marchetti", "Kyiv",
                         "a spokesman for the ministry", "O'Neill-Sørensen", "Ж. Петренко", "李明"])
CUES = st.sampled_from(["said", "told reporters", "believes", "warned", "argued", "noted", "claimed", "stated"])
NUMBERS = st.one_of(
    st.integers(min_value=-10**12, max_value=10**15).map(str),
    st.integers(min_value=1, max_value=10**9).map("{:,}".format),
    st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.sampled_from(["one million", "2.5 million", "three", "a dozen", "hundreds", "5-8 million", "½", "1e6",
                     "between 3,000 and 3,500", "800 to 1,000", "up to 40", "more than 2,000", "about 70%",
                     "three times", "10:45", "2024", "1st", "٣٤", "0.0001", "1 200"]))
THINGS = st.sampled_from(["tanks", "missiles", "Kh-101/555 missiles", "troops", "shells per month", "drones a year",
                          "armored personnel carriers", "people", "percent", "times more", "km", "", "dollars"])
CLAUSES = st.sampled_from(["a truce would let Russia regroup", "Russia needs peace", "the army could rebuild",
                           "talks will resume", "the front is stable", "sanctions are biting"])


@st.composite
def news_sentence(draw) -> str:
    name, cue, clause = draw(NAMES), draw(CUES), draw(CLAUSES)
    figure = f"{draw(NUMBERS)} {draw(THINGS)}".strip()
    form = draw(st.integers(min_value=0, max_value=5))
    return [f"{name} {cue} that {clause}, with {figure}.",
            f"“{clause.capitalize()},” {name} {cue}.",
            f"According to {name}, {figure} could be produced within a year.",
            f"{clause.capitalize()}, {cue} {name}, citing {figure}.",
            f"{name.capitalize()}, a senior analyst at the {draw(NAMES)}, {cue}: {figure}",
            f"{figure} {clause}"][form]


NEWS_TEXT = st.lists(st.one_of(news_sentence(), st.sampled_from(["\n", "\n\n", " ", "Tags: war, talks\n"])),
                     min_size=1, max_size=12).map(" ".join)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWS_TEXT)
def test_the_whole_extractor_never_raises_and_its_graph_conforms(text):
    from pyoxigraph import NamedNode, RdfFormat, Triple, serialize
    from rdflib import Graph

    from claimgraph.validate import validate_graph
    from ingest.map import to_quads
    from ingest.model import Article

    from attribution_support import extractor

    extraction = extractor().extract(Article("prop", text, "prop.txt"))
    for claim in extraction.claims:
        assert text[claim.span.start:claim.span.end] == claim.text
    for quantity in extraction.quantities:
        assert text[quantity.span.start:quantity.span.end] == quantity.text
    quads = to_quads(extraction)
    assert {q.graph_name for q in quads} == {NamedNode(f"{DOC_PREFIX}prop")}
    triples = serialize((Triple(q.subject, q.predicate, q.object) for q in quads), format=RdfFormat.N_TRIPLES)
    result = validate_graph(Graph().parse(data=triples.decode(), format="nt"), f"{DOC_PREFIX}prop")
    assert result.conforms, (text, result.messages)
