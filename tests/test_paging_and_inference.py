"""Paging of the named-query API, and inference kept per document at write time.

Paging: every SELECT named query takes `limit`/`offset` (a page of the ordered answer) and
`total=true` (the number of rows); bad values are a 400 naming the parameter. Inference: a
document's inferred graph is written with it, replaced with it on re-ingest, dropped with it on
removal, and a dump can leave the inferred graphs out.
"""
from __future__ import annotations

import io

import httpx
import pytest
from pyoxigraph import RdfFormat, parse

from common import iris
from reasoning.reasoner import materialise
from ingest.run import ingest_paths
from ontology_samples import DOC, PERSON, TEXT
from store import open_store
from test_named_queries import get, rows

PROPONENT = iris.CG + "proponentOf"
REGROUP = iris.STANCE + "TRUCE_AS_REGROUPING"


def test_pages_are_consecutive_slices_of_the_whole_answer(seed_server):
    whole = rows(seed_server, "claims", limit=10000)
    assert len(whole) > 6
    first, second = rows(seed_server, "claims", limit=3), rows(seed_server, "claims", limit=3, offset=3)
    assert first + second == whole[:6]
    assert rows(seed_server, "claims", offset=len(whole)) == []


PAGED_BY_DOCUMENT = ["actors", "claims", "claims_by_stance", "documents", "quantities", "stance_cues"]


@pytest.mark.parametrize("name", PAGED_BY_DOCUMENT)
def test_a_query_paged_by_document_gives_the_rows_of_the_whole_ordered_answer(seed_store, monkeypatch, name):
    """Taken one document at a time (the smallest batches), every page is the same slice of the
    whole answer as ORDER BY over the store gives: same rows, same order."""
    from pyoxigraph import Store
    from server.query import paging
    from server.routes import query_catalog
    from store.terms import substitutions
    query = query_catalog.get(name)
    assert query.page_by == "document"
    store = Store.read_only(seed_store)
    options = {"use_default_graph_as_union": True}
    if query.bindings({}):
        options["substitutions"] = substitutions(query.bindings({}))
    whole = list(store.query(query.text, **options))
    assert whole, name
    monkeypatch.setattr(paging, "FIRST_BATCH", 1)
    monkeypatch.setattr(paging, "LAST_BATCH", 2)
    run = lambda text, opts: store.query(text, **opts)
    for offset, limit in [(0, 3), (3, 4), (0, len(whole) + 5), (len(whole) - 2, 10), (len(whole), 5)]:
        variables, page = paging.by_document(run, query.text, options, offset, limit, paging.document_order(store, run))
        assert variables == [v.value for v in store.query(query.text, **options).variables]
        assert [tuple(r) for r in page] == [tuple(r) for r in whole[offset:offset + limit]], (name, offset)


PAGED_BY_KEYS = [("stance_proponents", {}), ("stance_proponents", {"stance": REGROUP}),
                 ("quantities_by_kind", {}), ("quantities_by_kind", {"kind": iris.KIND + "Tank"}),
                 ("quantities_by_kind", {"kind": iris.KIND + "Personnel"}),
                 ("rates_by_period", {}), ("rates_by_period", {"period": "P1Y"})]


@pytest.mark.parametrize("name,values", PAGED_BY_KEYS)
def test_a_query_paged_by_keys_gives_the_rows_of_the_whole_ordered_answer(seed_store, monkeypatch, name, values):
    """Taken one page key at a time (the smallest batches), every page is the same slice of the
    whole answer as ORDER BY over the store gives: same rows, same order."""
    from pyoxigraph import Store
    from server.query import paging
    from server.routes import query_catalog
    from store.terms import substitutions
    query = query_catalog.get(name)
    assert query.page_by == "keys" and query.key_vars[-1] == "doc" and query.page_keys
    store = Store.read_only(seed_store)
    options = {"use_default_graph_as_union": True, "substitutions": substitutions(query.bindings(values))}
    whole = list(store.query(query.text, **options))
    assert whole, name
    run = lambda text, opts: store.query(text, **opts)
    keys = paging.sorted_keys(store, run, query.page_keys, list(query.key_vars), options)
    assert keys is not None, "the seeds' keys are sortable here"
    graphs_of = lambda identifier: paging.graphs_holding(store, identifier)
    monkeypatch.setattr(paging, "FIRST_KEYS", 1)
    monkeypatch.setattr(paging, "LAST_KEYS", 2)
    for offset, limit in [(0, 3), (3, 4), (0, len(whole) + 5), (len(whole) - 2, 10), (len(whole), 5)]:
        variables, page = paging.by_keys(run, query.text, options, offset, limit, keys, list(query.key_vars), graphs_of)
        assert variables == [v.value for v in store.query(query.text, **options).variables]
        assert [tuple(r) for r in page] == [tuple(r) for r in whole[offset:offset + limit]], (name, offset)


def test_page_keys_are_sorted_as_sparql_orders_them_or_left_to_the_whole_query():
    """Keys are sorted here only where SPARQL's order is codepoint order (unbound first, then
    strings, plain or tagged, as pyoxigraph orders them, or plain dates); a column with a number,
    an IRI, or strings and dates answers None, and the whole query answers the page."""
    from pyoxigraph import Literal, Store
    from server.query import paging
    key_query = "SELECT ?x ?doc WHERE { VALUES (?x ?doc) { %s } }"
    run = lambda text, opts: Store().query(text)
    d = [Literal(f"d{i}") for i in range(4)]
    assert paging.sorted_keys(None, run, key_query % '("b" "d1") (UNDEF "d2") ("a" "d3") ("a" "d0")',
                              ["x", "doc"], {}) == [(None, d[2]), (Literal("a"), d[0]), (Literal("a"), d[3]),
                                                    (Literal("b"), d[1])]
    day = "^^<http://www.w3.org/2001/XMLSchema#date>"
    assert [k[1] for k in paging.sorted_keys(None, run, key_query % f'("2024-10-02"{day} "d1") ("2024-09-30"{day} "d2")',
                                             ["x", "doc"], {})] == [d[2], d[1]]
    assert [k[1] for k in paging.sorted_keys(None, run, key_query % '("tank"@en "d1") ("missile"@en "d2")',
                                             ["x", "doc"], {})] == [d[2], d[1]]
    mixed = ('("b"@en "d1") ("a" "d2") ("c"@de "d3") ("B" "d0") ("a"@en "d4") ("a"@de "d5") ("b" "d6") '
             '(UNDEF "d7") ("Kremlin" "d8") ("Kremlin"@en "d9")')
    by_sparql = [r["doc"] for r in Store().query(key_query % mixed + " ORDER BY ?x")]
    assert [k[1] for k in paging.sorted_keys(None, run, key_query % mixed, ["x", "doc"], {})] == by_sparql
    assert by_sparql[:3] == [Literal("d7"), Literal("d0"), Literal("d9")], "pyoxigraph's order of mixed strings"
    for values in ['(2 "d1") (10 "d2")', '(<urn:a> "d1")',
                   '("a" "d1") ("2024-10-02"^^<http://www.w3.org/2001/XMLSchema#date> "d2")']:
        assert paging.sorted_keys(None, run, key_query % values, ["x", "doc"], {}) is None, values


def test_the_document_order_from_the_index_is_the_anchor_query_order(seed_store):
    from pyoxigraph import Store
    from server.query import paging
    from store import sparql
    store = Store.read_only(seed_store)
    by_sparql = [(r["doc"], r["document"]) for r in store.query(sparql.load("documents_in_order"),
                                                                use_default_graph_as_union=True)]
    assert len(by_sparql) == 5
    assert paging._order_from_index(store) == by_sparql
    run = lambda text, opts: store.query(text, **opts)
    assert paging.document_order(store, run, generation=1) is paging.document_order(store, run, generation=1)


class _Collect:
    def __init__(self):
        self.body = b""

    def begin(self, media_type, row_marker, max_rows):
        pass

    def write(self, data):
        self.body += data
        return len(data)

    def flush(self):
        pass


def _answer(store, name: str, values: dict, **request) -> dict:
    import json
    from server.query.evaluate import answer
    from server.routes import query_catalog
    query = query_catalog.get(name)
    bindings = {var: str(term) for var, term in query.bindings(values).items()}
    sink = _Collect()
    answer(store, {"op": "query", "query": query.text, "bindings": bindings, "accept": None, "format": "json",
                   "union": True, **request}, sink, max_rows=100_000, service_allow=frozenset())
    return json.loads(sink.body)


@pytest.mark.parametrize("name, param", [("document_claims", "doc"), ("evidence_context", "item")])
def test_rows_in_the_graph_of_a_parameter_are_the_whole_answer(seed_store, name, param):
    """Restricting the named graphs to the document holding the parameter's value (as the
    query's header allows) gives the same answer, for a value that is there and one that is not."""
    from pyoxigraph import Store
    from server.routes import query_catalog
    query = query_catalog.get(name)
    assert query.graph_of == param
    store = Store.read_only(seed_store)
    values = [r["doc"] for r in store.query(
        "SELECT ?doc WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/identifier> ?doc } }")]
    if param == "item":
        values = [r["c"].value for r in store.query(
            "SELECT ?c WHERE { ?c a <https://w3id.org/claimgraph/ontology#Claim> }",
            use_default_graph_as_union=True)][:5]
        values.append("https://w3id.org/claimgraph/id/nothing-here")
    else:
        values = [v.value for v in values] + ["no-such-document"]
    variable = next(p.variable for p in query.params if p.name == param)
    for value in values:
        whole = _answer(store, name, {param: value})
        narrowed = _answer(store, name, {param: value}, graph_of=variable)
        assert narrowed == whole, value
    assert any(_answer(store, name, {param: v})["results"]["bindings"] for v in values)


def test_page_by_document_is_refused_on_a_query_not_ordered_by_doc():
    from server.routes import query_catalog
    text = "#+ page-by: document\nSELECT ?doc ?x WHERE { ?x ?p ?doc } ORDER BY ?x"
    with pytest.raises(ValueError, match="page-by"):
        query_catalog.parse("bad", text)


def test_page_keys_are_kept_per_store_generation_and_bindings():
    from pyoxigraph import Literal, Store, Variable
    from server.query import paging
    store = Store()
    calls = []
    def run(text, opts):
        calls.append(opts.get("substitutions"))
        return store.query("SELECT ?doc WHERE { VALUES ?doc { \"b\" \"a\" } }")
    first = paging.sorted_keys(store, run, "KEYS", ["doc"], {}, generation=1)
    assert first == [(Literal("a"),), (Literal("b"),)]
    assert paging.sorted_keys(store, run, "KEYS", ["doc"], {}, generation=1) is first and len(calls) == 1
    paging.sorted_keys(store, run, "KEYS", ["doc"], {"substitutions": {Variable("x"): Literal("1")}}, generation=1)
    paging.sorted_keys(store, run, "KEYS", ["doc"], {}, generation=2)          # a write: read again
    paging.sorted_keys(store, run, "KEYS", ["doc"], {}, generation=None)       # generation unknown: never kept
    paging.sorted_keys(store, run, "KEYS", ["doc"], {}, generation=None)
    assert len(calls) == 5


def test_page_by_keys_needs_a_key_query_whose_keys_reach_doc(tmp_path, monkeypatch):
    from common import queries
    from server.routes import query_catalog
    monkeypatch.setattr(queries, "KEYS_DIR", tmp_path)
    text = "#+ page-by: keys\nSELECT ?x ?doc ?y WHERE { ?x ?p ?doc } ORDER BY ?x ?doc ?y"
    with pytest.raises(ValueError, match="queries/keys/bad.rq"):
        query_catalog.parse("bad", text)
    (tmp_path / "bad.rq").write_text("SELECT ?x WHERE { ?x ?p ?doc }")       # keys stop before ?doc
    with pytest.raises(ValueError, match="page-by"):
        query_catalog.parse("bad", text)
    (tmp_path / "bad.rq").write_text("# keys\nSELECT ?x ?doc ?y\nWHERE { ?x ?p ?doc }")
    assert query_catalog.parse("bad", text).key_vars == ("x", "doc")        # up to ?doc: one document a key


def test_a_page_by_keys_through_the_api_is_the_slice_of_the_whole_answer(seed_server, seed_store):
    from pyoxigraph import Store
    from server.routes import query_catalog
    from store.terms import substitutions
    query = query_catalog.get("stance_proponents")
    whole = list(Store.read_only(seed_store).query(query.text, use_default_graph_as_union=True,
                                                   substitutions=substitutions(query.bindings({}))))
    assert len(whole) >= 5
    variables = [v.value for v in Store.read_only(seed_store).query(query.text, use_default_graph_as_union=True).variables]
    expected = [{v: r[v].value for v in variables if r[v] is not None} for r in whole[1:4]]
    assert rows(seed_server, "stance_proponents", limit=3, offset=1) == expected


def test_total_counts_the_whole_answer(seed_server):
    whole = rows(seed_server, "claims", limit=10000)
    answer = get(seed_server, "claims", total="true")
    assert answer.status_code == 200 and answer.json() == {"total": len(whole)}


def test_a_page_in_csv_has_the_header_and_the_page_rows(seed_server):
    answer = get(seed_server, "documents", limit=2, format="csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.strip().splitlines()
    assert lines[0].startswith("doc,stance") and len(lines) == 3


def test_the_default_page_is_bounded(seed_server):
    meta = next(q for q in httpx.get(f"{seed_server.base}/openapi.json").json()["paths"]["/api/queries/claims"]
                ["get"]["parameters"] if q["name"] == "limit")
    assert meta["schema"]["default"] == 100


@pytest.mark.parametrize("params, named", [({"limit": "0"}, "limit"), ({"limit": "ten"}, "limit"),
                                           ({"limit": "100001"}, "limit"), ({"offset": "-1"}, "offset"),
                                           ({"total": "maybe"}, "total")])
def test_bad_paging_values_are_a_400_naming_the_parameter(seed_server, params, named):
    answer = get(seed_server, "claims", **params)
    assert answer.status_code == 400
    assert f"'{named}'" in answer.text


def _inferred(store, graph: str) -> set:
    out = io.BytesIO()
    if graph not in store.graphs():
        return set()
    store.dump(out, "ntriples", graph=graph)
    return {(t.subject.value, t.predicate.value, t.object.value) for t in parse(out.getvalue(), RdfFormat.N_TRIPLES)}


def _article(folder, doc_id: str, text: str):
    folder.mkdir(exist_ok=True)
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def test_ingest_writes_the_inferred_graph_and_keeps_it_current(tmp_path):
    said = "Analyst Mira Testova said that a truce would only let Russia regroup and rearm.\n"
    neutral = "Analyst Mira Testova said that the talks resume on Monday.\n"
    with open_store(tmp_path / "store") as store:
        ingest_paths(store, [_article(tmp_path / "a", "doc-x", said)])
        graph = iris.inferred_graph(iris.document("doc-x"))
        first = _inferred(store, graph)
        assert (iris.actor("Mira Testova"), PROPONENT, REGROUP) in first
        ingest_paths(store, [_article(tmp_path / "b", "doc-x", neutral)])   # re-ingest: new text
        assert (iris.actor("Mira Testova"), PROPONENT, REGROUP) not in _inferred(store, graph)
        assert _inferred(store, graph)        # still the claim's provenance and the actor's classes
        store.drop_graph(iris.document("doc-x"))                           # removal
        assert graph not in store.graphs()


def test_the_rebuild_gives_what_the_ingest_wrote_and_drops_orphans(tmp_path):
    said = "Analyst Mira Testova said that a truce would only let Russia regroup and rearm.\n"
    with open_store(tmp_path / "store") as store:
        ingest_paths(store, [_article(tmp_path / "a", "doc-y", said)])
        graph = iris.inferred_graph(iris.document("doc-y"))
        written = _inferred(store, graph)
        orphan = iris.inferred_graph(iris.document("gone"))
        store.replace_graph(orphan, [])
        store.update(f"INSERT DATA {{ GRAPH <{orphan}> {{ <urn:a> <urn:b> <urn:c> }} }}")
        materialise(store)
        assert _inferred(store, graph) == written
        assert orphan not in store.graphs()


def test_a_dump_without_inferred_graphs_keeps_every_asserted_quad(tmp_path):
    said = "Analyst Mira Testova said that a truce would only let Russia regroup and rearm.\n"
    with open_store(tmp_path / "store") as store:
        ingest_paths(store, [_article(tmp_path / "a", "doc-z", said)])
        both, asserted = io.BytesIO(), io.BytesIO()
        store.dump(both, "nquads")
        store.dump(asserted, "nquads", inferred=False)
    graphs_all = {q.graph_name.value for q in parse(both.getvalue(), RdfFormat.N_QUADS)}
    graphs_asserted = {q.graph_name.value for q in parse(asserted.getvalue(), RdfFormat.N_QUADS)}
    assert any(iris.is_inferred_graph(g) for g in graphs_all)
    assert graphs_asserted == {g for g in graphs_all if not iris.is_inferred_graph(g)}


def test_the_dump_route_leaves_inferred_graphs_out_on_request(seed_server):
    def graphs(**params) -> set[str]:
        body = httpx.get(f"{seed_server.base}/dump.nq", params=params, timeout=60).content
        return {q.graph_name.value for q in parse(body, RdfFormat.N_QUADS)}
    full, asserted = graphs(), graphs(inferred="false")
    assert asserted == {g for g in full if not iris.is_inferred_graph(g)} and asserted != full
    assert httpx.get(f"{seed_server.base}/dump.nq", params={"inferred": "perhaps"}).status_code == 400
