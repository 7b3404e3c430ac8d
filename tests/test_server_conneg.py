"""Content negotiation and the update-dataset rewrite, as plain functions (no server needed)."""
from __future__ import annotations

import pytest

from server.http.conneg import choose
from server.http.errors import ProtocolError
from server.http.update_dataset import apply_update_dataset, names_dataset


@pytest.mark.parametrize("form, accept, expected", [
    ("solutions", None, "json"),
    ("solutions", "*/*", "json"),
    ("solutions", "text/csv", "csv"),
    ("solutions", "application/sparql-results+xml;q=0.5, text/tab-separated-values", "tsv"),
    ("solutions", "application/sparql-results+xml;q=0.9, text/*;q=0.8", "xml"),
    ("solutions", "text/*, application/sparql-results+json;q=0.1", "csv"),
    ("solutions", "application/json", "json"),
    ("boolean", "application/xml", "xml"),
    ("graph", None, "turtle"),
    ("graph", "application/ld+json", "jsonld"),
    ("graph", "application/n-quads;q=1, text/turtle;q=0.2", "nquads"),
    ("graph", "text/turtle;q=0, */*;q=0.1", "ntriples"),
    ("graph", "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", "rdfxml"),
])
def test_accept_header_chooses(form, accept, expected):
    assert choose(form, accept).name == expected


def test_format_parameter_overrides_accept():
    assert choose("solutions", "text/csv", "json").name == "json"
    assert choose("graph", "text/turtle", "nt").name == "ntriples"
    assert choose("graph", None, "xml").name == "rdfxml"


@pytest.mark.parametrize("form, accept, format", [
    ("solutions", "image/png", None), ("graph", "text/csv", None), ("graph", None, "csv"),
    ("solutions", "text/csv;q=0", None)])
def test_nothing_acceptable_is_406(form, accept, format):
    with pytest.raises(ProtocolError) as caught:
        choose(form, accept, format)
    assert caught.value.status == 406


def test_using_clauses_go_before_each_modify_where():
    update = ('PREFIX where: <http://x/> INSERT { GRAPH <http://g> { ?s ?p "WHERE { }" } } # WHERE\n'
              "WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c }")
    rewritten = apply_update_dataset(update, ["http://d"], ["http://n"])
    assert rewritten.count("USING <http://d> USING NAMED <http://n>") == 1
    assert rewritten.index("USING <http://d>") < rewritten.index("WHERE { ?s")
    assert '"WHERE { }"' in rewritten and "DELETE WHERE { ?a" in rewritten


def test_using_clause_iris_are_validated():
    with pytest.raises(ProtocolError):
        apply_update_dataset("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x> } ; DROP ALL ; #"], [])


def test_dataset_conflict():
    with pytest.raises(ProtocolError) as caught:
        apply_update_dataset("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://d"], [])
    assert caught.value.status == 400


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", True),
    ("select * from named <http://g> where { graph ?g { ?s ?p ?o } }", True),
    ('SELECT * WHERE { ?s ?p "FROM <x>" } # FROM', False),
    ("PREFIX from: <http://x/> SELECT * WHERE { ?s from:p ?o }", False),
])
def test_query_names_its_own_dataset(query, expected):
    assert names_dataset(query) is expected
