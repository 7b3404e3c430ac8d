"""The ontology parses, declares every term the contract names, and documents every term."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from common import iris
from common.ontology import ontology_files, ontology_quads
from common.paths import ONTOLOGY_DIR, ROOT
from claimgraph.validate import validate_ontology

CG = Namespace(iris.CG)
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDFS.Class, RDF.Property}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def _declared(graph: Graph) -> set[URIRef]:
    return {s for s, _, o in graph.triples((None, RDF.type, None)) if o in DECLARATIONS}


def test_ontology_quads_are_all_in_the_ontology_graph_and_cover_every_file(ontology):
    quads = ontology_quads()
    assert {q.graph_name.value for q in quads} == {iris.ONTOLOGY_GRAPH}
    # blank nodes get fresh labels in each parse, so compare sizes: nothing lost, nothing doubled
    assert len(quads) == len(ontology)
    subjects = {q.subject.value for q in quads}
    assert iris.CG + "Claim" in subjects and iris.STANCE + "TRUCE_AS_REGROUPING" in subjects
    assert ontology_files()[0].name == "claimgraph.ttl"


def test_a_broken_vocabulary_file_is_named_in_the_error(tmp_path: Path):
    (tmp_path / "vocab").mkdir()
    (tmp_path / "claimgraph.ttl").write_text((ONTOLOGY_DIR / "claimgraph.ttl").read_text())
    (tmp_path / "vocab" / "broken.ttl").write_text("@prefix x: <urn:x#> . x:a x:b ")
    with pytest.raises(ValueError, match="broken.ttl"):
        ontology_quads(tmp_path)


def test_every_cg_term_named_in_the_model_contract_is_declared(ontology):
    model = (ROOT / "docs" / "MODEL.md").read_text()
    named = {CG[name] for name in re.findall(r"\bcg:([A-Za-z][A-Za-z0-9]*)", model)}
    individuals = {s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme)}
    missing = sorted(str(t) for t in named - _declared(ontology) - individuals)
    assert len(named) > 40
    assert not missing, f"terms in docs/MODEL.md without a declaration: {missing}"


def test_every_cg_term_the_vocabularies_use_is_declared(ontology):
    used = {p for p in ontology.predicates() if str(p).startswith(iris.CG)}
    used |= {o for o in ontology.objects(None, RDF.type) if str(o).startswith(iris.CG)}
    missing = sorted(str(t) for t in used - _declared(ontology))
    assert not missing, f"cg: terms used in ontology/vocab but never declared: {missing}"


def test_the_contract_subproperties_and_disjointness_are_declared(ontology):
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (CG.speaker, RDFS.subPropertyOf, prov.wasAttributedTo) in ontology
    assert (CG.attributedTo, RDFS.subPropertyOf, prov.wasAttributedTo) in ontology
    assert (CG.inDocument, RDFS.subPropertyOf, prov.wasDerivedFrom) in ontology
    disjoint_sets = [list(ontology.items(members)) for members in ontology.objects(None, OWL.members)]
    assert any(CG.Actor in members and CG.Place in members for members in disjoint_sets)
    assert (CG.Country, RDFS.subClassOf, CG.Place) in ontology


def test_stance_qualifier_and_modality_schemes_have_the_contract_notations(ontology):
    def notations(scheme: URIRef) -> set[str]:
        return {str(ontology.value(c, SKOS.notation)) for c in ontology.subjects(SKOS.inScheme, scheme)}

    assert notations(CG.StanceScheme) == {"TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE"}
    assert notations(CG.QualifierScheme) == {"exact", "approximately", "at_least", "at_most", "range"}
    assert notations(CG.ModalityScheme) == {"report", "estimate", "projection"}
    for notation in ("TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE"):
        concept = URIRef(iris.STANCE + notation)
        assert (concept, SKOS.notation, Literal(notation)) in ontology
        assert ontology.value(concept, SKOS.definition) is not None


def test_the_ontology_passes_its_own_meta_checks():
    result = validate_ontology()
    assert result.conforms, "\n".join(result.messages)
    assert result.messages == []


def test_the_meta_checks_catch_an_undocumented_term_and_an_undefined_stance(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(f"""
        @prefix cg: <{iris.CG}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        cg:Undocumented a owl:Class ; rdfs:label "undocumented"@en .
        <{iris.STANCE}NEW_POSITION> a skos:Concept ; skos:inScheme cg:StanceScheme ;
            skos:prefLabel "new position"@en .
    """)
    result = validate_ontology([broken])
    assert not result.conforms
    text = "\n".join(result.messages)
    assert f"<{iris.CG}Undocumented> has no English rdfs:comment" in text
    assert "NEW_POSITION> is in the stance, qualifier or modality scheme but lacks" in text
