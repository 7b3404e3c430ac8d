"""The W3C SPARQL 1.1 Protocol and Graph Store HTTP Protocol test suites, in our own words.

Each test names the W3C case it stands for (protocol manifest: query_*, update_*, bad_*;
Graph Store manifest: PUT/GET/HEAD/POST/DELETE cases). They run against a real
`claimgraph serve` with a write token over tests/data/server_fixture.trig; update and Graph
Store tests write to graphs of their own, so the order they run in does not matter.
"""
from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from pyoxigraph import RdfFormat, parse

from server_helpers import AUTH, EX, JSON, TOKEN, ask, fixture_store, select, start, values

NAMES = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?s ex:name ?name }}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(fixture_store(tmp_path_factory, "w3c"), "--token", TOKEN)
    yield server
    server.stop()


def post_form(server, data, headers=None, params=None):
    """POST an application/x-www-form-urlencoded body (fields may repeat)."""
    pairs = list(data.items()) if isinstance(data, dict) else data
    return httpx.post(server.sparql, content=urlencode(pairs).encode(), params=params, timeout=30,
                      headers={"Accept": JSON, "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def post_raw(server, body: bytes, content_type: str | None, headers=None, params=None):
    hdrs = {"Accept": JSON, **(headers or {})}
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    return httpx.post(server.sparql, content=body, params=params, headers=hdrs, timeout=30)


def graph_triples(server, graph: str) -> set[tuple[str, str, str]]:
    response = httpx.get(f"{server.base}/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return set()
    assert response.status_code == 200, response.text
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in parse(response.content, RdfFormat.N_TRIPLES)}


# -- query operation -------------------------------------------------------------------------

def test_query_get(server):
    rows = select(server, NAMES)
    assert values(rows, "name") == {"Alice", "Bob", "Carol"}   # union default graph


def test_query_post_form(server):
    response = post_form(server, {"query": NAMES})
    assert response.status_code == 200
    assert values(response.json()["results"]["bindings"], "name") == {"Alice", "Bob", "Carol"}


def test_query_post_direct(server):
    response = post_raw(server, NAMES.encode(), "application/sparql-query")
    assert response.status_code == 200
    assert values(response.json()["results"]["bindings"], "name") == {"Alice", "Bob", "Carol"}


def test_query_dataset_default_graph(server):
    assert values(select(server, NAMES, **{"default-graph-uri": EX + "g1"}), "name") == {"Alice"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_query_dataset_default_graphs(server, method):
    params = [("default-graph-uri", EX + "g1"), ("default-graph-uri", EX + "g2")]
    if method == "get":
        response = httpx.get(server.sparql, params=[("query", NAMES), *params], headers={"Accept": JSON})
    else:
        response = post_form(server, [("query", NAMES), *params])
    assert response.status_code == 200
    assert values(response.json()["results"]["bindings"], "name") == {"Alice", "Bob"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_query_dataset_named_graphs(server, method):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    params = [("named-graph-uri", EX + "g1"), ("named-graph-uri", EX + "g2")]
    if method == "get":
        response = httpx.get(server.sparql, params=[("query", query), *params], headers={"Accept": JSON})
    else:
        response = post_form(server, [("query", query), *params])
    assert response.status_code == 200
    assert values(response.json()["results"]["bindings"], "g") == {EX + "g1", EX + "g2"}


def test_query_dataset_full(server):
    query = (f"PREFIX ex: <{EX}> SELECT ?default ?g ?named WHERE {{ ?x ex:name ?default . "
             "GRAPH ?g { ?y ex:name ?named } }")
    params = [("query", query), ("default-graph-uri", EX + "g3"),
              ("named-graph-uri", EX + "g1"), ("named-graph-uri", EX + "g2")]
    response = httpx.get(server.sparql, params=params, headers={"Accept": JSON})
    rows = response.json()["results"]["bindings"]
    assert values(rows, "default") == {"Carol"}
    assert values(rows, "named") == {"Alice", "Bob"}


def test_query_multiple_dataset(server):
    """The protocol's dataset wins over the query's own FROM clause."""
    query = f"PREFIX ex: <{EX}> SELECT ?name FROM ex:g1 WHERE {{ ?s ex:name ?name }}"
    assert values(select(server, query, **{"default-graph-uri": EX + "g2"}), "name") == {"Bob"}


def test_query_from_clause_without_protocol_dataset(server):
    """Without protocol parameters the query's FROM defines the default graph (not the union)."""
    query = f"PREFIX ex: <{EX}> SELECT ?name FROM ex:g2 WHERE {{ ?s ex:name ?name }}"
    assert values(select(server, query), "name") == {"Bob"}


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_query_content_type_select(server, accept, media):
    response = httpx.get(server.sparql, params={"query": NAMES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert b"Alice" in response.content


def test_query_content_type_ask(server):
    response = httpx.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert b"<boolean>true</boolean>" in response.content


@pytest.mark.parametrize("form", ["DESCRIBE <http://example.org/alice>",
                                  "CONSTRUCT WHERE { <http://example.org/alice> ?p ?o }"])
@pytest.mark.parametrize("accept, fmt", [("text/turtle", RdfFormat.TURTLE),
                                         ("application/n-triples", RdfFormat.N_TRIPLES),
                                         ("application/rdf+xml", RdfFormat.RDF_XML),
                                         ("application/ld+json", RdfFormat.JSON_LD),
                                         ("application/trig", RdfFormat.TRIG),
                                         ("application/n-quads", RdfFormat.N_QUADS)])
def test_query_content_type_describe_construct(server, form, accept, fmt):
    response = httpx.get(server.sparql, params={"query": form}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    names = {str(q.object) for q in parse(response.content, fmt, base_iri=EX) if q.predicate.value == EX + "name"}
    assert names == {'"Alice"'}


# -- bad query requests ------------------------------------------------------------------------

def test_bad_query_method(server):
    response = httpx.put(server.sparql, params={"query": NAMES})
    assert 400 <= response.status_code < 500


def test_bad_multiple_queries(server):
    response = httpx.get(server.sparql, params=[("query", NAMES), ("query", "ASK {}")])
    assert response.status_code == 400
    assert "two queries" in response.text


def test_bad_query_and_update_together(server):
    response = post_form(server, {"query": NAMES, "update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 400
    assert ask(server, f"ASK {{ <{EX}alice> ?p ?o }}")


def test_bad_query_wrong_media_type(server):
    response = post_raw(server, NAMES.encode(), "text/plain")
    assert response.status_code == 415


def test_bad_query_missing_form_type(server):
    response = post_raw(server, b"query=" + NAMES.encode(), None)
    assert response.status_code == 400


def test_bad_query_missing_direct_type(server):
    response = post_raw(server, NAMES.encode(), None)
    assert response.status_code == 400


def test_bad_query_non_utf8(server):
    query = f'SELECT ?s WHERE {{ ?s ?p "caf\u00e9" }}'
    response = post_raw(server, query.encode("iso-8859-1"), "application/sparql-query; charset=ISO-8859-1")
    assert response.status_code == 400
    response = post_raw(server, query.encode("iso-8859-1"), "application/sparql-query")   # undeclared, not UTF-8
    assert response.status_code == 400


def test_bad_query_syntax(server):
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "1:" in response.text          # the parser's position
    assert "Traceback" not in response.text


def test_no_query_is_a_service_description(server):
    response = httpx.get(server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = {(str(q.predicate), str(q.object)) for q in parse(response.content, RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (f"<{sd}endpoint>", f"<{server.sparql}>") in graph
    assert (f"<{sd}supportedLanguage>", f"<{sd}SPARQL11Query>") in graph


def test_post_form_without_operation_is_refused(server):
    assert post_form(server, {"default-graph-uri": EX + "g1"}).status_code == 400


# -- update operation --------------------------------------------------------------------------

def test_update_post_form(server):
    graph = EX + "upd-form"
    response = post_form(server, {"update": f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}x> <{EX}p> 1 }} }}"},
                         headers=AUTH)
    assert response.status_code in (200, 204)
    assert ask(server, f"ASK {{ GRAPH <{graph}> {{ <{EX}x> <{EX}p> 1 }} }}")


def test_update_post_direct(server):
    graph = EX + "upd-direct"
    response = post_raw(server, f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}x> <{EX}p> 2 }} }}".encode(),
                        "application/sparql-update", headers=AUTH)
    assert response.status_code in (200, 204)
    assert ask(server, f"ASK {{ GRAPH <{graph}> {{ <{EX}x> <{EX}p> 2 }} }}")


def copy_names(server, target: str, params: list[tuple[str, str]]):
    update = f"PREFIX ex: <{EX}> INSERT {{ GRAPH <{target}> {{ ?s ex:copied ?name }} }} WHERE {{ ?s ex:name ?name }}"
    return post_form(server, [("update", update), *params], headers=AUTH)


def test_update_dataset_default_graph(server):
    target = EX + "copy-one"
    assert copy_names(server, target, [("using-graph-uri", EX + "g1")]).status_code in (200, 204)
    assert {o for _, _, o in graph_triples(server, target)} == {'"Alice"'}


def test_update_dataset_default_graphs(server):
    target = EX + "copy-two"
    params = [("using-graph-uri", EX + "g1"), ("using-graph-uri", EX + "g3")]
    assert copy_names(server, target, params).status_code in (200, 204)
    assert {o for _, _, o in graph_triples(server, target)} == {'"Alice"', '"Carol"'}


def test_update_dataset_named_graphs(server):
    target = EX + "copy-named"
    update = (f"PREFIX ex: <{EX}> INSERT {{ GRAPH <{target}> {{ ?s ex:from ?g }} }} "
              "WHERE { GRAPH ?g { ?s ex:name ?name } }")
    response = post_form(server, [("update", update), ("using-named-graph-uri", EX + "g2")], headers=AUTH)
    assert response.status_code in (200, 204)
    assert {o for _, _, o in graph_triples(server, target)} == {f"<{EX}g2>"}


def test_update_dataset_full(server):
    target = EX + "copy-full"
    update = (f"PREFIX ex: <{EX}> INSERT {{ GRAPH <{target}> {{ ?a ex:sameAgeGraph ?g }} }} "
              "WHERE { ?a ex:name ?n . GRAPH ?g { ?b ex:name ?m } }")
    params = [("update", update), ("using-graph-uri", EX + "g1"), ("using-named-graph-uri", EX + "g3")]
    assert post_form(server, params, headers=AUTH).status_code in (200, 204)
    assert graph_triples(server, target) == {(f"<{EX}alice>", f"<{EX}sameAgeGraph>", f"<{EX}g3>")}


def test_update_base_uri(server):
    graph = EX + "based"
    response = post_raw(server, f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> <relative> }} }}".encode(),
                        "application/sparql-update", headers=AUTH)
    assert response.status_code in (200, 204)
    (obj,) = {o for _, _, o in graph_triples(server, graph)}
    assert obj.startswith("<http") and obj.endswith("/relative>")   # resolved to an absolute IRI


# -- bad update requests -----------------------------------------------------------------------

def test_bad_update_get(server):
    response = httpx.get(server.sparql, params={"update": f"CLEAR GRAPH <{EX}g1>"}, headers=AUTH)
    assert response.status_code == 400
    assert ask(server, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")


def test_bad_multiple_updates(server):
    response = post_form(server, [("update", f"CLEAR GRAPH <{EX}g1>"), ("update", f"CLEAR GRAPH <{EX}g2>")],
                         headers=AUTH)
    assert response.status_code == 400
    assert ask(server, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")


def test_bad_update_wrong_media_type(server):
    response = post_raw(server, f"CLEAR GRAPH <{EX}g1>".encode(), "text/plain", headers=AUTH)
    assert response.status_code == 415


def test_bad_update_missing_form_type(server):
    response = post_raw(server, f"update=CLEAR GRAPH <{EX}g1>".encode(), None, headers=AUTH)
    assert response.status_code == 400
    assert ask(server, f"ASK {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")


def test_bad_update_non_utf8(server):
    update = f'INSERT DATA {{ GRAPH <{EX}latin> {{ <{EX}s> <{EX}p> "caf\u00e9" }} }}'
    response = post_raw(server, update.encode("iso-8859-1"), "application/sparql-update; charset=ISO-8859-1",
                        headers=AUTH)
    assert response.status_code == 400
    assert not ask(server, f"ASK {{ GRAPH <{EX}latin> {{ ?s ?p ?o }} }}")


def test_bad_update_syntax(server):
    response = post_raw(server, b"INSERT DATA { <a:s> <a:p> }", "application/sparql-update", headers=AUTH)
    assert response.status_code == 400
    assert "syntax" in response.text.lower()


def test_bad_update_dataset_conflict(server):
    target = EX + "conflict"
    update = (f"PREFIX ex: <{EX}> WITH ex:g1 INSERT {{ GRAPH <{target}> {{ ?s ex:copied ?n }} }} "
              "WHERE { ?s ex:name ?n }")
    response = post_form(server, [("update", update), ("using-graph-uri", EX + "g2")], headers=AUTH)
    assert response.status_code == 400
    assert graph_triples(server, target) == set()


# -- Graph Store Protocol ------------------------------------------------------------------------

PERSON = f"<{EX}person/1> <{EX}name> \"Jane\" .\n".encode()
PERSON_MORE = f"<{EX}person/1> <{EX}age> \"40\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n".encode()
NT = {"Content-Type": "application/n-triples"}


def gsp(server, method: str, graph: str | None, body: bytes | None = None, headers=None):
    params = {"graph": graph} if graph else {"default": ""}
    return httpx.request(method, f"{server.base}/store", params=params, content=body,
                         headers={**AUTH, **NT, **(headers or {})}, timeout=30)


def test_gsp_put_initial_state_then_get(server):
    graph = EX + "gsp/person"
    assert gsp(server, "PUT", graph, PERSON).status_code == 201
    response = httpx.get(f"{server.base}/store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(list(parse(response.content, RdfFormat.TURTLE))) == 1


def test_gsp_put_existing_graph_replaces_it(server):
    graph = EX + "gsp/replaced"
    assert gsp(server, "PUT", graph, PERSON).status_code == 201
    assert gsp(server, "PUT", graph, PERSON_MORE).status_code in (200, 204)
    assert graph_triples(server, graph) == {(f"<{EX}person/1>", f"<{EX}age>",
                                             '"40"^^<http://www.w3.org/2001/XMLSchema#integer>')}


def test_gsp_put_default_graph(server):
    assert gsp(server, "PUT", None, PERSON).status_code in (200, 201, 204)
    response = httpx.get(f"{server.base}/store?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.content.strip() == PERSON.strip()


def test_gsp_put_mismatched_payload(server):
    graph = EX + "gsp/mismatch"
    response = gsp(server, "PUT", graph, b"this is { not turtle", headers={"Content-Type": "text/turtle"})
    assert response.status_code == 400
    assert httpx.get(f"{server.base}/store", params={"graph": graph}).status_code == 404


def test_gsp_put_empty_graph(server):
    graph = EX + "gsp/empty"
    assert gsp(server, "PUT", graph, b"").status_code == 201
    response = httpx.get(f"{server.base}/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_gsp_delete_existing_then_missing(server):
    graph = EX + "gsp/deleted"
    assert gsp(server, "PUT", graph, PERSON).status_code == 201
    assert gsp(server, "DELETE", graph).status_code in (200, 204)
    assert httpx.get(f"{server.base}/store", params={"graph": graph}).status_code == 404
    assert gsp(server, "DELETE", graph).status_code == 404


def test_gsp_post_existing_graph_merges(server):
    graph = EX + "gsp/merged"
    assert gsp(server, "PUT", graph, PERSON).status_code == 201
    assert gsp(server, "POST", graph, PERSON_MORE).status_code in (200, 204)
    assert len(graph_triples(server, graph)) == 2


def test_gsp_post_multipart(server):
    graph = EX + "gsp/multipart"
    files = [("file", ("a.nt", PERSON, "application/n-triples")),
             ("file", ("b.ttl", f"@prefix ex: <{EX}> . ex:person\\/2 ex:name \"Joe\" .".encode(), "text/turtle"))]
    response = httpx.post(f"{server.base}/store", params={"graph": graph}, files=files, headers=AUTH)
    assert response.status_code in (200, 201, 204), response.text
    assert {s for s, _, _ in graph_triples(server, graph)} == {f"<{EX}person/1>", f"<{EX}person/2>"}


def test_gsp_post_to_store_creates_graph(server):
    response = httpx.post(f"{server.base}/store", content=PERSON, headers={**AUTH, **NT})
    assert response.status_code == 201
    location = response.headers["location"]
    fetched = httpx.get(location, headers={"Accept": "application/n-triples"})
    assert fetched.status_code == 200
    assert fetched.content.strip() == PERSON.strip()
    assert ask(server, f"ASK {{ GRAPH <{location}> {{ ?s ?p ?o }} }}")


def test_gsp_post_empty_to_existing_graph(server):
    graph = EX + "gsp/noop"
    assert gsp(server, "PUT", graph, PERSON).status_code == 201
    assert gsp(server, "POST", graph, b"").status_code in (200, 204)
    assert len(graph_triples(server, graph)) == 1


def test_gsp_head(server):
    existing = httpx.head(f"{server.base}/store", params={"graph": EX + "g1"})
    assert existing.status_code == 200
    assert existing.headers["content-type"].startswith("text/turtle")
    assert existing.content == b""
    assert httpx.head(f"{server.base}/store", params={"graph": EX + "nothing-here"}).status_code == 404


def test_gsp_get_missing_graph(server):
    assert httpx.get(f"{server.base}/store", params={"graph": EX + "nothing-here"}).status_code == 404


def test_gsp_unknown_media_type(server):
    assert gsp(server, "PUT", EX + "gsp/bad-type", PERSON, headers={"Content-Type": "text/x-unknown"}).status_code == 415


def test_gsp_needs_exactly_one_target(server):
    response = httpx.get(f"{server.base}/store", params=[("graph", EX + "g1"), ("default", "")])
    assert response.status_code == 400


# -- dumps -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, fmt", [("/dump.nq", RdfFormat.N_QUADS), ("/dump.trig", RdfFormat.TRIG),
                                       ("/dump.ttl", RdfFormat.TURTLE)])
def test_dumps_hold_the_fixture(server, path, fmt):
    response = httpx.get(server.base + path, timeout=60)
    assert response.status_code == 200
    quads = list(parse(response.content, fmt))
    names = {q.object.value for q in quads if q.predicate.value == EX + "name"}
    assert {"Alice", "Bob", "Carol"} <= names
    if fmt.supports_datasets:
        people = {EX + "alice", EX + "bob"}
        ages = {q.graph_name.value for q in quads if q.subject.value in people and q.predicate.value == EX + "age"}
        assert ages == {EX + "g1", EX + "g2"}
