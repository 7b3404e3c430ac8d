"""The engine API other routers use (`app.state.engine`): bindings are parsed terms, never pasted."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from common.config import Settings
from server.http.app import create_app
from server.query.engine import iri_term, literal_term
from server.http.errors import ProtocolError
from server_helpers import EX, fixture_store

NAME_OF = f"SELECT ?name ?person WHERE {{ ?person <{EX}name> ?name }}"   # bound variables must be projected
WHO = f"SELECT ?person ?name WHERE {{ ?person <{EX}name> ?name }}"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    app = create_app(Settings(store=fixture_store(tmp_path_factory, "engine"), workers=1, log_queries=False))
    with TestClient(app) as client:
        yield client, app.state.engine


def test_select_with_an_iri_binding(running):
    client, engine = running
    rows = client.portal.call(engine.select, NAME_OF, {"person": iri_term(EX + "carol")})
    assert [row["name"]["value"] for row in rows] == ["Carol"]


def test_literal_binding_cannot_inject(running):
    client, engine = running
    hostile = literal_term('Alice" } ?person ?p ?o . { ?person ?p "x')
    assert client.portal.call(engine.select, WHO, {"name": hostile}) == []
    rows = client.portal.call(engine.select, WHO, {"?name": literal_term("Alice")})
    assert [row["person"]["value"] for row in rows] == [EX + "alice"]


def test_binding_must_be_one_term(running):
    client, engine = running
    with pytest.raises(ProtocolError) as caught:
        client.portal.call(engine.select, WHO, {"name": '"Alice" . <a:b> <a:c> <a:d>'})
    assert caught.value.status == 400


def test_ask_construct_and_run(running):
    client, engine = running
    assert client.portal.call(engine.ask, f"ASK {{ <{EX}bob> ?p ?o }}") is True
    nt = client.portal.call(engine.construct, f"CONSTRUCT WHERE {{ <{EX}bob> <{EX}age> ?o }}")
    assert nt.strip().endswith(b'"42"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    response = client.get("/sparql", params={"query": NAME_OF, "format": "csv"})
    assert response.status_code == 200 and response.text.splitlines()[0] == "name,person"


def test_syntax_errors_surface_as_400(running):
    client, engine = running
    with pytest.raises(ProtocolError) as caught:
        client.portal.call(engine.select, "SELECT ?x WHERE {")
    assert caught.value.status == 400
