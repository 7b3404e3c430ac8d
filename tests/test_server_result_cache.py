"""Slow answers are kept per store generation: the same request on the same data is answered
from memory, and a write makes the next read evaluate again."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from common.config import Settings
from server.http.app import create_app
from server.query import engine as engine_module
from server.query.engine import iri_term
from server_helpers import EX, fixture_store

NAMES = f"SELECT ?person ?name WHERE {{ ?person <{EX}name> ?name }} ORDER BY ?name"
NAME_OF = f"SELECT ?name ?person WHERE {{ ?person <{EX}name> ?name }}"


@pytest.fixture()
def counted(tmp_path_factory, monkeypatch):
    """A standalone engine that keeps every answer (as if each were slow) and counts evaluations."""
    monkeypatch.setattr(engine_module, "RESULT_MIN_SECONDS", 0.0, raising=False)
    monkeypatch.setattr(engine_module, "INLINE_BUDGET", -1.0)
    app = create_app(Settings(store=fixture_store(tmp_path_factory, "cache"), workers=1, log_queries=False))
    with TestClient(app) as client:
        engine = app.state.engine
        calls = []
        answer = engine._answer
        monkeypatch.setattr(engine, "_answer", lambda request, sink: (calls.append(request["query"]),
                                                                     answer(request, sink))[1])
        yield client, engine, calls


def names(client, engine, query=NAMES, bindings=None):
    return [row["name"]["value"] for row in client.portal.call(engine.select, query, bindings)]


def test_the_same_request_on_the_same_data_is_answered_from_memory(counted):
    client, engine, calls = counted
    first = names(client, engine)
    assert names(client, engine) == first
    assert calls == [NAMES]


def test_other_bindings_are_another_request(counted):
    client, engine, calls = counted
    assert names(client, engine, NAME_OF, {"person": iri_term(EX + "carol")}) == ["Carol"]
    assert names(client, engine, NAME_OF, {"person": iri_term(EX + "alice")}) == ["Alice"]
    assert len(calls) == 2


def test_a_write_makes_the_next_read_evaluate_again(counted):
    client, engine, calls = counted
    before = names(client, engine)
    client.portal.call(engine.update, f'INSERT DATA {{ <{EX}zed> <{EX}name> "Zed" }}')
    after = names(client, engine)
    assert after == sorted(before + ["Zed"])
    assert len(calls) == 2
