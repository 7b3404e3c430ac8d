"""`claimgraph reason` and `claimgraph validate` on a real embedded store."""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from common import iris
from reasoning.reasoner import materialise, rule_files
from claimgraph.validate import validate_store
from conftest import run_cli
from ontology_samples import DOC, INSTITUTE, PERSON, sample_extraction, sample_quads
from ingest.map import to_quads
from store import open_read_only, open_store

KINDS_GRAPH = "urn:test:kinds"
# An invented kind chain in its own graph, so the test does not hang on vocab/kinds.ttl.
KINDS = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cgk: <{iris.KIND}> .
    cgk:TestRocketX skos:broader cgk:TestRocketFamily . cgk:TestRocketFamily skos:broader cgk:Missile ."""
INFERRED_GRAPHS = f'FILTER (STRSTARTS(STR(?g), "{iris.INFERRED_GRAPH}"))'
ASK_INFERRED = "ASK { GRAPH ?g { ?s ?p ?o } " + INFERRED_GRAPHS + " }"


def _kinds_quads() -> list[Quad]:
    graph = NamedNode(KINDS_GRAPH)
    return [Quad(t.subject, t.predicate, t.object, graph) for t in parse(KINDS, format=RdfFormat.TURTLE)]


def _extraction_with_kind(doc_id: str, kind: str):
    extraction = sample_extraction(doc_id)
    extraction.quantities[0].kind = iris.KIND + kind
    return extraction


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "store") as opened:
        opened.replace_graph(KINDS_GRAPH, _kinds_quads())
        yield opened


def _holds(store, s: str, p: str, o: str) -> bool:
    """In any inferred graph: the ontology's or a document's."""
    query = f"ASK {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} {INFERRED_GRAPHS} }}"
    return bool(store.query(query))


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_every_rule_file_says_what_it_derives_and_why():
    assert len(rule_files()) >= 4
    for rule in rule_files():
        text = rule.read_text()
        assert text.startswith("# Derives:"), rule.name
        assert "# Why:" in text, rule.name
        assert "CONSTRUCT" in text, rule.name


def test_reason_derives_proponents_missile_quantities_and_provenance(store):
    store.replace_graph(DOC, to_quads(_extraction_with_kind("sample-doc-1", "TestRocketX")))
    report = materialise(store)
    assert report.rederived == 1 and report.triples > 0
    quantity = DOC + "/quantity/153-185"
    claim = DOC + "/claim/56-107"
    assert _holds(store, PERSON, iris.CG + "proponentOf", iris.STANCE + "TRUCE_AS_REGROUPING")
    assert not _holds(store, INSTITUTE, iris.CG + "proponentOf", iris.STANCE + "TRUCE_AS_REGROUPING")
    assert _holds(store, quantity, RDF_TYPE, iris.CG + "MissileQuantity")
    assert not _holds(store, quantity, RDF_TYPE, iris.CG + "PersonnelQuantity")
    assert _holds(store, claim, "http://www.w3.org/ns/prov#wasAttributedTo", PERSON)
    assert _holds(store, claim, "http://www.w3.org/ns/prov#wasDerivedFrom", DOC)
    assert _holds(store, PERSON, RDF_TYPE, iris.CG + "Actor")
    assert _holds(store, PERSON, RDF_TYPE, "http://www.w3.org/ns/prov#Agent")
    # the ontology graph was loaded, so SPARQL sees labels next to the data
    assert store.query(f"ASK {{ GRAPH <{iris.ONTOLOGY_GRAPH}> {{ <{iris.CG}Claim> ?p ?o }} }}")


def test_a_quantity_of_another_kind_is_no_missile_quantity(store):
    store.replace_graph(DOC, to_quads(_extraction_with_kind("sample-doc-1", "Personnel")))
    materialise(store)
    quantity = DOC + "/quantity/153-185"
    assert not _holds(store, quantity, RDF_TYPE, iris.CG + "MissileQuantity")
    assert _holds(store, quantity, RDF_TYPE, iris.CG + "PersonnelQuantity")


def test_reasoning_again_replaces_the_inferred_graph_and_is_stable(store):
    store.replace_graph(DOC, sample_quads())
    materialise(store)
    graph = iris.inferred_graph(DOC)
    first = set(store.store.quads_for_pattern(None, None, None, NamedNode(graph)))
    again = materialise(store)            # current: carries the rules version, not read again
    assert again.rederived == 0 and again.documents == 1
    everything = materialise(store, everything=True)
    assert everything.rederived == 1      # inferred triples are not fed back in
    assert set(store.store.quads_for_pattern(None, None, None, NamedNode(graph))) == first
    store.drop_graph(DOC)
    materialise(store)
    assert not _holds(store, PERSON, iris.CG + "proponentOf", iris.STANCE + "TRUCE_AS_REGROUPING")


def test_validate_store_checks_each_document_graph_and_names_the_broken_one(store):
    stray = validate_store(store)
    assert stray.messages == [f"graph <{KINDS_GRAPH}> holds no cg:Document named <{KINDS_GRAPH}>; "
                              "every document graph must describe its own document"]
    store.drop_graph(KINDS_GRAPH)
    good, broken = iris.document("good-doc"), iris.document("broken-doc")
    store.replace_graph(good, sample_quads("good-doc"))
    quads = sample_quads("broken-doc")
    claim = NamedNode(broken + "/claim/56-107")
    quads.append(Quad(claim, NamedNode(iris.CG + "speaker"), NamedNode(INSTITUTE), NamedNode(broken)))
    store.replace_graph(broken, quads)
    materialise(store)  # the ontology and inferred graphs are not document graphs
    result = validate_store(store)
    assert not result.conforms
    assert result.messages == [f"claim <…/claim/56-107> in <{broken}> has 2 speakers; exactly one is required"]
    store.drop_graph(broken)
    assert validate_store(store).conforms


def test_cli_validate_exit_codes_and_reason(tmp_path: Path):
    location = str(tmp_path / "cli-store")
    with open_store(location) as opened:
        opened.replace_graph(DOC, sample_quads())
    assert run_cli("--store", location, "validate").returncode == 0
    proc = run_cli("--store", location, "reason")
    assert "inferred triple(s) re-derived for 1 of 1 document(s)" in proc.stderr.decode()
    with open_store(location) as opened:
        assert opened.query(ASK_INFERRED)
        opened.update(f"INSERT DATA {{ GRAPH <{DOC}> {{ <{DOC}/claim/56-107> <{iris.CG}speaker> <{INSTITUTE}> }} }}")
    proc = run_cli("--store", location, "validate", check=False)
    assert proc.returncode == 1
    assert "has 2 speakers; exactly one is required" in proc.stderr.decode()


def test_the_python_closures_derive_exactly_what_the_rule_files_derive(seed_store):
    """reasoning.derive replaces running the CONSTRUCT files per document: on every seed document
    (and on the sample, whose kind is under cgk:Missile) both give the same inferred triples."""
    from pyoxigraph import Triple
    from reasoning.reasoner import ontology_reasoner
    reasoner = ontology_reasoner()
    documents = [(iris.document("sample"), to_quads(_extraction_with_kind("sample", "Kalibr")))]
    with open_read_only(seed_store) as seeds:
        raw = seeds.store
        for graph in (g for g in seeds.graphs() if iris.is_document_graph(g)):
            documents.append((graph, list(raw.quads_for_pattern(None, None, None, NamedNode(graph)))))
    assert len(documents) == 6
    derived_any = set()
    for graph, quads in documents:
        fast = {q.triple for q in reasoner.infer(graph, quads)}
        assert all(q.graph_name.value == iris.inferred_graph(graph) for q in reasoner.infer(graph, quads))
        assert fast == set(reasoner.infer_by_rules(q.triple for q in quads)), graph
        derived_any |= {t.predicate.value for t in fast}
    assert iris.CG + "proponentOf" in derived_any and RDF_TYPE in derived_any


def test_a_document_carrying_schema_goes_through_the_rule_files(store):
    """A document with its own skos:broader chain: the closures from the ontology would miss the
    Missile class of its quantity, so such a document is reasoned on by the rule files."""
    from pyoxigraph import Triple
    from reasoning.reasoner import ontology_reasoner
    graph = iris.document("carries-kinds")
    quads = to_quads(_extraction_with_kind("carries-kinds", "TestRocketX"))
    node = NamedNode(graph)
    quads += [Quad(q.subject, q.predicate, q.object, node) for q in _kinds_quads()]
    inferred = {q.triple for q in ontology_reasoner().infer(graph, quads)}
    missile = NamedNode(iris.CG + "MissileQuantity")
    assert any(t.predicate.value == RDF_TYPE and t.object == missile for t in inferred)


def test_reason_rederives_only_documents_without_the_current_rules_version(store):
    """What the ingest writes (with_inferred: the document, its inferred graph and the version
    marker) is current; a graph marked with another version (another ontology) is re-derived."""
    from pyoxigraph import Literal
    from reasoning.reasoner import RULES_VERSION, with_inferred
    old, new = iris.document("old-rules"), iris.document("current-rules")
    store.replace_graph(new, [q for q in with_inferred(new, sample_quads("current-rules"))
                              if q.graph_name.value == new])
    quads = with_inferred(old, sample_quads("old-rules"))
    for graph in {q.graph_name.value for q in quads}:
        store.replace_graph(graph, [q if q.predicate != RULES_VERSION else
                                    Quad(q.subject, q.predicate, Literal("another ontology"), q.graph_name)
                                    for q in quads if q.graph_name.value == graph])
    report = materialise(store)
    assert (report.documents, report.rederived) == (2, 2)   # the one without inference, the stale one
    assert materialise(store).rederived == 0
