"""The SPARQL endpoint works for the AWS graph-explorer pointed at it as an RDF connection.

graph-explorer (a browser app on another origin) POSTs form-encoded queries to `<url>/sparql`
with `Accept: application/sparql-results+json`, discovers the schema from classes and
predicates, then searches and expands nodes. The queries it sends are replayed here from
tests/data/graph_explorer/*.rq, with the cross-origin headers a browser adds.
"""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from common.iris import CG, ID

REPLAYS = Path(__file__).parent / "data" / "graph_explorer"
ORIGIN = "http://localhost:5173"          # where a locally run graph-explorer serves its UI
RUTTE = ID + "actor/mark-rutte"


def explorer_post(server, name: str) -> httpx.Response:
    """One request exactly as graph-explorer's SPARQL connector sends it."""
    return httpx.post(server.sparql, data={"query": (REPLAYS / f"{name}.rq").read_text()},
                      headers={"Accept": "application/sparql-results+json", "Origin": ORIGIN}, timeout=60)


def bindings(response: httpx.Response) -> list[dict[str, dict]]:
    assert response.status_code == 200, response.text
    assert response.headers.get("access-control-allow-origin") in {"*", ORIGIN}
    return response.json()["results"]["bindings"]


def test_cors_preflight_for_a_form_post(seed_server):
    response = httpx.options(seed_server.sparql, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,accept"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in {"*", ORIGIN}
    assert "POST" in response.headers["access-control-allow-methods"]


def test_schema_discovery_by_classes(seed_server):
    classes = {b["class"]["value"]: int(b["instancesCount"]["value"])
               for b in bindings(explorer_post(seed_server, "classes_with_counts"))}
    assert classes[CG + "Document"] == 5
    assert classes[CG + "Person"] >= 10 and classes[CG + "Claim"] >= 15
    predicates = {b["pred"]["value"] for b in bindings(explorer_post(seed_server, "predicates_by_class"))}
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in predicates   # graph-explorer's display name


def test_schema_discovery_by_predicates(seed_server):
    edges = {b["predicate"]["value"]: int(b["count"]["value"])
             for b in bindings(explorer_post(seed_server, "predicates_with_counts"))}
    assert edges[CG + "speaker"] >= 15
    assert CG + "countedKind" in edges and "http://schema.org/mentions" in edges


def test_keyword_search_and_expand(seed_server):
    found = bindings(explorer_post(seed_server, "keyword_search"))
    assert {b["subject"]["value"] for b in found} == {RUTTE}
    assert any(b["object"]["value"] == "Mark Rutte" for b in found)
    neighbours = bindings(explorer_post(seed_server, "one_hop_neighbors"))
    speaker_edges = [b for b in neighbours if b["predicate"]["value"] == CG + "speaker"
                     and b["object"]["value"] == RUTTE]
    assert speaker_edges and all("/claim/" in b["subject"]["value"] for b in speaker_edges)


@pytest.mark.parametrize("name", sorted(p.stem for p in REPLAYS.glob("*.rq")))
def test_get_form_works_too(seed_server, name):
    """Older graph-explorer releases send the same queries as GET ?query=...&format=json."""
    response = httpx.get(seed_server.sparql, params={"query": (REPLAYS / f"{name}.rq").read_text(),
                                                     "format": "json"}, headers={"Origin": ORIGIN})
    assert bindings(response)
