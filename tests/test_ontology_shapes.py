"""SHACL shapes: what the ingest writes conforms; each kind of breakage is reported in words."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from pyoxigraph import RdfFormat, serialize
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from common import iris
from claimgraph.validate import validate_file, validate_graph
from ontology_samples import DOC, INSTITUTE, PERSON, TEXT, sample_graph, sample_quads

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
CG = Namespace(iris.CG)
OA = Namespace("http://www.w3.org/ns/oa#")
CLAIM = URIRef(DOC + "/claim/56-107")
QUANTITY = URIRef(DOC + "/quantity/153-185")
CLAIM_POSITION = URIRef(DOC + "/span/56-107/position")
CLAIM_QUOTE = URIRef(DOC + "/span/56-107/quote")
WHERE = f"in <{DOC}>"


def _set(graph: Graph, s, p, o) -> None:
    graph.set((s, p, o))


MUTATIONS: dict[str, tuple[Callable[[Graph], None], str]] = {
    "two speakers": (lambda g: g.add((CLAIM, CG.speaker, URIRef(INSTITUTE))),
                     f"claim <…/claim/56-107> {WHERE} has 2 speakers; exactly one is required"),
    "no speaker": (lambda g: g.remove((CLAIM, CG.speaker, None)),
                   f"claim <…/claim/56-107> {WHERE} has 0 speakers; exactly one is required"),
    "no evidence": (lambda g: g.remove((CLAIM, CG.evidence, None)),
                    "has 0 evidence spans (cg:evidence); exactly one is required"),
    "a country as speaker": (
        lambda g: (g.set((CLAIM, CG.speaker, URIRef(iris.place("Freedonia")))),
                   g.add((URIRef(iris.place("Freedonia")), RDF.type, CG.Country))),
        "has a speaker that is not an actor typed in this graph"),
    "bounds reversed": (lambda g: _set(g, QUANTITY, CG.lowerBound, Literal("50", datatype=XSD.decimal)),
                        f"quantity <…/quantity/153-185> {WHERE} has a lower bound above its upper bound"),
    "value and bounds": (lambda g: g.add((QUANTITY, CG.value, Literal("35", datatype=XSD.decimal))),
                         "needs either a value (cg:value) or both a lower and an upper bound"),
    "only one bound": (lambda g: g.remove((QUANTITY, CG.upperBound, None)),
                       "needs either a value (cg:value) or both a lower and an upper bound"),
    "unknown qualifier": (lambda g: _set(g, QUANTITY, CG.qualifier, URIRef(iris.QUALIFIER + "roughly")),
                          "has a qualifier that is not one of cgq:exact"),
    "no modality": (lambda g: g.remove((QUANTITY, CG.modality, None)),
                    "has 0 modalities (cg:modality); exactly one is required"),
    "period not a duration": (lambda g: _set(g, QUANTITY, CG.period, Literal("monthly")),
                              "has a period (cg:period) that is not one ISO 8601 xsd:duration"),
    "stance outside the scheme": (lambda g: _set(g, CLAIM, CG.supportsStance, URIRef(iris.STANCE + "UNKNOWN")),
                                  "supports a stance that is not a concept of the stance scheme"),
    "wrong digest": (lambda g: _set(g, URIRef(DOC), CG.sha256, Literal("0" * 64)),
                     f"document <{DOC}> has a cg:sha256 that is not the SHA-256 digest of its cg:text"),
    "two identifiers": (lambda g: g.add((URIRef(DOC), URIRef("http://purl.org/dc/terms/identifier"), Literal("x"))),
                        "has 2 identifiers (dcterms:identifier); exactly one is required"),
    "start after end": (lambda g: _set(g, CLAIM_POSITION, OA.start, Literal(200)),
                        "text position selector <…/span/56-107/position>"),
    "offsets past the text": (lambda g: _set(g, CLAIM_POSITION, OA.end, Literal(len(TEXT) + 5)),
                              f"document <{DOC}> has an evidence span with offsets beyond the end of its text (found <…/span/56-107>)"),
    "quote not at offsets": (lambda g: _set(g, CLAIM_QUOTE, OA.exact, Literal("words that are elsewhere")),
                             f"document <{DOC}> has an evidence span whose quoted words (oa:exact) are not its text between the span's offsets (found <…/span/56-107>)"),
    "two preferred labels": (lambda g: g.add((URIRef(PERSON), SKOS.prefLabel, Literal("M. Testova"))),
                             f"person <{PERSON}> {WHERE} has 2 preferred labels (skos:prefLabel) in this graph"),
}


def test_the_graph_the_mapper_writes_conforms_without_any_message():
    result = validate_graph(sample_graph(), DOC)
    assert result.messages == []
    assert result.conforms


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_broken_graph_is_reported_in_plain_words(name):
    mutate, expected = MUTATIONS[name]
    graph = sample_graph()
    mutate(graph)
    result = validate_graph(graph, DOC)
    assert not result.conforms
    assert any(expected in m for m in result.messages), "\n".join(result.messages)


def test_one_problem_gives_one_sentence_in_the_shape_s_own_words():
    graph = sample_graph()
    graph.set((QUANTITY, CG.qualifier, URIRef(iris.QUALIFIER + "roughly")))
    result = validate_graph(graph, DOC)
    assert result.messages == [
        f"quantity <…/quantity/153-185> {WHERE} has a qualifier that is not one of cgq:exact, "
        f"cgq:approximately, cgq:at_least, cgq:at_most, cgq:range (found <{iris.QUALIFIER}roughly>)"]


def test_start_after_end_names_the_reversed_offsets():
    graph = sample_graph()
    graph.set((CLAIM_POSITION, OA.start, Literal(200)))
    messages = "\n".join(validate_graph(graph, DOC).messages)
    assert "starts after it ends (oa:start > oa:end)" in messages


def test_a_graph_that_does_not_describe_its_own_document_is_reported():
    result = validate_graph(sample_graph(), "https://w3id.org/claimgraph/id/doc/other")
    assert not result.conforms
    assert result.messages[0].startswith("graph <https://w3id.org/claimgraph/id/doc/other> holds no cg:Document")


def test_a_claim_text_that_differs_from_its_span_is_only_a_warning():
    graph = sample_graph()
    graph.set((CLAIM, CG.claimText, Literal("a paraphrase of what was said")))
    result = validate_graph(graph, DOC)
    assert result.conforms
    assert [m for m in result.messages if m.startswith(f"warning: document <{DOC}> has a claim whose text") and m.endswith("(found <…/claim/56-107>)")]


def test_validate_file_accepts_a_good_trig_file_and_reports_a_broken_turtle_file(tmp_path: Path):
    good = tmp_path / "good.trig"
    good.write_bytes(serialize(sample_quads(), format=RdfFormat.TRIG))
    result = validate_file(good)
    assert result.conforms and result.messages == []

    graph = sample_graph()
    graph.add((CLAIM, CG.speaker, URIRef(INSTITUTE)))
    broken = tmp_path / "broken.ttl"
    broken.write_text(graph.serialize(format="turtle"))
    result = validate_file(broken)
    assert not result.conforms
    assert any("claim <https://w3id.org/claimgraph/id/doc/sample-doc-1/claim/56-107> has 2 speakers" in m
               for m in result.messages), result.messages


def test_validate_file_names_an_unreadable_file(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <")
    result = validate_file(bad)
    assert not result.conforms and result.messages[0].startswith(f"cannot read {bad}")
    empty = tmp_path / "empty.nt"
    empty.write_text("")
    assert validate_file(empty).messages == ["the graph holds no cg:Document; a document graph must describe its document"]
    unknown = tmp_path / "data.xyz"
    unknown.write_text("")
    assert "unknown RDF file type '.xyz'" in validate_file(unknown).messages[0]
