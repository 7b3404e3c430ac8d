"""OWL reasoning with owlready2 + HermiT: the ontology with realistic data is consistent, a
graph that breaks it is not, and HermiT derives what `claimgraph reason` materialises.

HermiT runs on Java (.ci/setup-ontology.sh installs a JRE when `java` is missing). xsd:duration
(cg:period) is outside the OWL 2 datatype map, so HermiT is told to ignore unsupported
datatypes; the SHACL shapes check periods instead.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
from pyoxigraph import RdfFormat, Triple, parse, serialize

from common import iris
from common.ontology import ontology_quads
from ontology_samples import DOC, INSTITUTE, PERSON, sample_quads
from store import open_read_only

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]


def _reason(tmp_path: Path, extra_turtle: str = "", with_sample: bool = True) -> owlready2.World:
    """Load ontology + vocabularies (+ the sample document graph, + extra Turtle) into a fresh
    owlready2 World as N-Triples and run HermiT; raises OwlReadyInconsistentOntologyError."""
    if shutil.which(owlready2.JAVA_EXE) is None and shutil.which("java") is None:
        pytest.fail("java is not installed: run .ci/setup-ontology.sh")
    triples = [Triple(q.subject, q.predicate, q.object) for q in ontology_quads()]
    if with_sample:
        triples += [Triple(q.subject, q.predicate, q.object) for q in sample_quads()]
    if extra_turtle:
        triples += list(parse(extra_turtle, format=RdfFormat.TURTLE))
    path = tmp_path / "abox.nt"
    path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0,
                                       ignore_unsupported_datatypes=True)
    return world


PREFIXES = f"""@prefix cg: <{iris.CG}> . @prefix cgk: <{iris.KIND}> . @prefix cgst: <{iris.STANCE}> .
               @prefix skos: <http://www.w3.org/2004/02/skos/core#> . """


def test_ontology_vocabularies_and_a_realistic_document_graph_are_consistent(tmp_path):
    world = _reason(tmp_path)
    assert list(world.inconsistent_classes()) == []


def test_hermit_rejects_a_country_as_the_speaker_of_a_claim(tmp_path):
    broken = PREFIXES + f"""
        <{DOC}/claim/0-10> a cg:Claim ; cg:speaker <{iris.place("Freedonia")}> .
        <{iris.place("Freedonia")}> a cg:Country ."""
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, broken)


def test_hermit_rejects_an_actor_that_is_both_a_person_and_an_organization(tmp_path):
    broken = PREFIXES + f"<{PERSON}> a cg:Organization ."
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, broken)


def test_hermit_derives_proponents_and_missile_quantities_as_the_rules_do(tmp_path):
    # an invented kind chain, so the test does not depend on vocab/kinds.ttl's details
    extra = PREFIXES + """
        cgk:TestRocketX a skos:Concept ; skos:broader cgk:TestRocketFamily .
        cgk:TestRocketFamily a skos:Concept ; skos:broader cgk:Missile .
        cgk:Missile a skos:Concept .
        <urn:test:q1> a cg:Quantity ; cg:countedKind cgk:TestRocketX .
        <urn:test:q2> a cg:Quantity ; cg:countedKind cgk:Personnel ."""
    world = _reason(tmp_path, extra)
    missile_quantity = world[iris.CG + "MissileQuantity"]
    assert missile_quantity in world["urn:test:q1"].is_a
    assert missile_quantity not in world["urn:test:q2"].is_a
    proponent_of = world[iris.CG + "proponentOf"]
    stances = [s.iri for s in proponent_of[world[PERSON]]]
    assert stances == [iris.STANCE + "TRUCE_AS_REGROUPING"]
    assert list(proponent_of[world[INSTITUTE]]) == []


def test_the_ingested_seed_corpus_is_consistent_with_the_ontology(seed_store, tmp_path):
    """Realistic data: what `claimgraph ingest` makes of the seed articles, with the ontology
    graph it loads, is consistent (e.g. no country became a speaker, no actor two kinds)."""
    path = tmp_path / "seeds.nt"
    with open_read_only(seed_store) as store, path.open("wb") as out:
        store.dump(out, "ntriples")  # the union of every graph, as triples
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    assert world[iris.CG + "Claim"].instances()
