"""grlc-style headers of the named queries: parameters, types, defaults, and values turned into terms."""
from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from common import queries
from common.iris import KIND, PREFIXES
from server.routes import query_catalog
from server.routes.query_catalog import ParameterError, parse

XSD = PREFIXES["xsd"]
SAMPLE = """#+ summary: A sample: with a colon in it
#+ description: Prose with a colon: grlc headers often have one.
#+ tags:
#+   - testing
#+ defaults:
#+   - limit: 5
#+ enumerate:
#+   - colour:
#+     - red
#+     - blue
#+ params:
#+   who: the person
SELECT ?_who_iri ?__limit_integer ?__since_xsd_date ?__label_en ?__colour ?_who_iri
WHERE { ?_who_iri ?p ?__label_en }
"""


def test_parameters_from_variable_names():
    query = parse("sample", SAMPLE)
    params = {p.name: p for p in query.params}
    assert list(params) == ["who", "limit", "since", "label", "colour"]
    assert params["who"].type == "iri" and params["who"].required and params["who"].description == "the person"
    assert params["limit"].type == XSD + "integer" and not params["limit"].required and params["limit"].default == "5"
    assert params["since"].type == XSD + "date"
    assert params["label"].type == "lang:en"
    assert params["colour"].type == "string" and params["colour"].enum == ("red", "blue")
    assert query.summary == "A sample: with a colon in it"
    assert query.description.startswith("Prose with a colon:")
    assert query.tags == ("testing",) and query.form == "SELECT"


def test_values_become_typed_terms():
    query = parse("sample", SAMPLE)
    terms = query.bindings({"who": "cgk:Tank", "since": "2024-10-30", "label": "Rutte", "colour": "red"})
    assert terms["_who_iri"] == NamedNode(KIND + "Tank")
    assert terms["__limit_integer"] == Literal("5", datatype=NamedNode(XSD + "integer"))   # the default
    assert terms["__since_xsd_date"] == Literal("2024-10-30", datatype=NamedNode(XSD + "date"))
    assert terms["__label_en"] == Literal("Rutte", language="en")
    assert terms["__colour"] == Literal("red")


@pytest.mark.parametrize("values, problem", [
    ({}, "'who': is required"),
    ({"who": "no scheme"}, "'who'"),
    ({"who": "http://x/a b"}, "'who'"),
    ({"who": "http://x/a>"}, "'who'"),
    ({"who": "http://x/", "limit": "five"}, "'limit'"),
    ({"who": "http://x/", "since": "30/10/2024"}, "'since'"),
    ({"who": "http://x/", "colour": "green"}, "'colour'"),
    ({"who": "http://x/", "shape": "round"}, "'shape'"),
    ({"who": "http://x/" + "a" * 3000}, "'who'"),
])
def test_bad_values_name_the_parameter(values, problem):
    with pytest.raises(ParameterError) as error:
        parse("sample", SAMPLE).bindings(values)
    assert problem in str(error.value)


def test_durations_are_checked():
    query = parse("rates", "SELECT ?_period_xsd_duration WHERE { ?q ?p ?_period_xsd_duration }")
    assert query.bindings({"period": "P3M"})["_period_xsd_duration"].value == "P3M"
    for bad in ("3 months", "P", "PT", "1M"):
        with pytest.raises(ParameterError):
            query.bindings({"period": bad})


def test_every_project_query_has_a_header_and_projects_its_parameters():
    for name, query in query_catalog.catalog().items():
        assert query.summary and query.description, name
        select = query.text.split("WHERE", 1)[0]
        for param in query.params:
            # pyoxigraph substitutes only variables the SELECT list names
            assert query.form != "SELECT" or f"?{param.variable}" in select, (name, param.name)
    assert set(query_catalog.catalog()) == set(queries.names())
