"""One page of a SELECT's solutions, serialised like the whole answer would be.

Why here and not as LIMIT/OFFSET in the query: SPARQL cannot bind LIMIT or OFFSET as
parameters, and the project's queries are never edited as text. The page is cut from the
solution stream instead: the rows before it are skipped without serialising them, the rows
after it are never pulled (a query without ORDER BY or aggregates is then evaluated only as far
as the page), and the page goes through pyoxigraph's own serialisers, so every results format
reads exactly as for a whole answer.
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Callable, Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, QuerySolutions, parse_query_results

from common.iris import ONTOLOGY_GRAPH
from store import sparql

ONTOLOGY = NamedNode(ONTOLOGY_GRAPH)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(term) -> dict:
    """A pyoxigraph term as a SPARQL 1.1 JSON results term."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def page_json(variables: list[str], rows: Iterable) -> bytes:
    """SPARQL 1.1 JSON results for these solutions."""
    bindings = []
    for row in rows:
        bindings.append({name: _term(row[name]) for name in variables if row[name] is not None})
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def write_page(result: QuerySolutions, offset: int, limit: int, sink, fmt: QueryResultsFormat) -> None:
    """Rows offset .. offset+limit of `result` into `sink`, in `fmt`."""
    variables = [v.value for v in result.variables]
    write_rows(variables, itertools.islice(result, offset, offset + limit), sink, fmt)


def write_rows(variables: list[str], rows: Iterable, sink, fmt: QueryResultsFormat) -> None:
    """These solutions into `sink`, in `fmt` (SPARQL JSON, re-serialised by pyoxigraph otherwise)."""
    body = page_json(variables, rows)
    if fmt == QueryResultsFormat.JSON:
        sink.write(body)
        return
    parse_query_results(body, QueryResultsFormat.JSON).serialize(sink, fmt)


# Paged by document: for a query whose rows each come from one document graph (all its row
# patterns inside `GRAPH ?document { ... ?document dcterms:identifier ?doc }`) and whose ORDER BY
# starts with ?doc, the rows of the documents in ?doc order, taken a batch of documents at a time,
# ARE the whole answer's rows in its order: each batch is the same query with its named graphs
# restricted to those documents (plus the ontology graph, which queries read labels from), so it
# sorts a batch's rows, not the store's. The document order (store/sparql/documents_in_order.rq,
# read straight from the index when the identifiers are plain strings) is kept per store
# generation, so a first page costs a few small evaluations, not the whole answer.
FIRST_BATCH = 4            # documents in the first batch; each next batch is twice as large
LAST_BATCH = 256
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DOCUMENT = NamedNode("https://w3id.org/claimgraph/ontology#Document")
IDENTIFIER = NamedNode("http://purl.org/dc/terms/identifier")
_ORDER: dict[tuple[int, object], list[tuple[Literal, NamedNode]]] = {}   # (id(store), generation) -> order


def document_order(store, run: Callable[[str, dict], QuerySolutions], generation: object = None
                   ) -> list[tuple[Literal, NamedNode]]:
    """(identifier, document graph) for every document, in identifier order; kept for this store
    object at this generation (a write bumps the generation, a reopen makes a new store object).
    With `generation` None nothing is kept."""
    key = (id(store), generation)
    if generation is not None and key in _ORDER:
        return _ORDER[key]
    order = _order_from_index(store)
    if order is None:   # not plain string identifiers: let SPARQL's ORDER BY decide
        order = [(row["doc"], row["document"])
                 for row in run(sparql.load("documents_in_order"), {"use_default_graph_as_union": True})]
    if generation is not None:
        _ORDER.clear()
        _ORDER[key] = order
    return order


def _order_from_index(store) -> list[tuple[Literal, NamedNode]] | None:
    """The anchor query's answer from the type and identifier indexes (a scan of one row per
    document); None when an identifier is not an xsd:string literal (then codepoint order is not
    SPARQL's order)."""
    if not hasattr(store, "quads_for_pattern"):
        return None
    documents = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, DOCUMENT, None) if q.subject == q.graph_name}
    pairs = []
    for document in documents:
        for quad in store.quads_for_pattern(document, IDENTIFIER, None, document):
            term = quad.object
            if not isinstance(term, Literal) or term.language or term.datatype.value != XSD_STRING:
                return None
            pairs.append((term, document))
    pairs.sort(key=lambda pair: (pair[0].value, pair[1].value))
    return pairs


def by_document(run: Callable[[str, dict], QuerySolutions], query: str, options: dict,
                offset: int, limit: int, order: list[tuple[Literal, NamedNode]]) -> tuple[list[str], list]:
    """(variables, rows offset .. offset+limit) of `query` paged by document (see above), the
    documents in `order` (`document_order`). `run(text, options)` evaluates a query."""
    wanted, rows, variables = offset + limit, [], None
    start, size = 0, FIRST_BATCH
    while start < len(order) and len(rows) < wanted:
        batch = order[start:start + size]
        start, size = start + size, min(size * 2, LAST_BATCH)
        keys = {doc for doc, _ in batch}
        graphs = list(dict.fromkeys(graph for _, graph in batch))
        result = run(query, dict(options, named_graphs=graphs + [ONTOLOGY]))
        variables = [v.value for v in result.variables]
        rows.extend(row for row in result if row["doc"] in keys)
    if variables is None:
        variables = [v.value for v in run(query, options).variables]
    return variables, rows[offset:wanted]


# Rows in the graph of a parameter: a query whose every row comes from `GRAPH ?document { ... }`
# where the document holds the parameter's value (an IRI as a subject there, a literal as its
# dcterms:identifier) says so (`#+ rows-in-graph-of: PARAM`). Its named graphs are then
# restricted to those documents' graphs (found in the index) and the ontology graph, which gives
# the same rows: pyoxigraph applies a substituted value after planning, so without this the
# query visits every document graph before the value narrows it (10,000 documents: 6 s for one
# document's claims, 5 ms with the graph known).


def graphs_holding(store, term) -> list[NamedNode]:
    """The document graphs that hold `term`: as a subject (an IRI) or as a document's
    dcterms:identifier (a literal); the ontology graph is added by the caller."""
    from common.iris import is_document_graph
    if isinstance(term, Literal):
        quads = store.quads_for_pattern(None, IDENTIFIER, term, None)
    else:
        quads = store.quads_for_pattern(term, None, None, None)
    graphs = dict.fromkeys(q.graph_name for q in quads
                           if isinstance(q.graph_name, NamedNode) and is_document_graph(q.graph_name.value))
    return list(graphs)


# Paged by keys (`#+ page-by: keys`): for a query whose rows each come from one document graph
# (`GRAPH ?document { ... ?document dcterms:identifier ?doc }`) and whose ORDER BY starts with
# plain variables up to and including ?doc, a companion query (queries/keys/NAME.rq, same
# parameters) lists the values those first ORDER BY variables take — the page keys, a superset
# is fine — from cheap index reads (tallies, one pattern per sub-select) instead of every row
# with all its details. The keys are sorted here, and the page is then evaluated a growing batch
# of keys at a time: the query with its named graphs restricted to the batch's documents (the
# union default graph, which queries read labels from, stays whole: pyoxigraph keeps it the
# union of every graph), its rows kept when their key is in the batch. Each key names one
# document (?doc is part of it), so a batch's rows are all the whole answer's rows with those
# keys, in the query's own order: the batches in key order ARE the whole answer.
# Sorting in Python must give SPARQL's order: only columns whose values are all unbound, strings
# (plain or language-tagged) or plain xsd:date are sorted here (codepoint order, as pyoxigraph
# compares them: `_column_order`); any other key value answers None and the caller evaluates
# the whole query.
FIRST_KEYS = 32            # keys in the first batch (the next ones: `by_keys`)
LAST_KEYS = 2048
KEYED_ROWS = 1000          # deeper pages are cut from the whole answer: batches cost more a row
                           # (10,000 documents, load ~9: rows 1,000-1,250 5-12 s by keys, the whole
                           # answer 10-28 s; stance_proponents' last page 310 s by keys, whole 60-80 s)
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KEYS: dict[tuple, list[tuple] | None] = {}   # (id(store), generation, key query, bindings) -> sorted keys


def _column_order(values: Iterable) -> Callable | None:
    """A sort key for one key column giving SPARQL's order as pyoxigraph applies it (unbound
    first), or None when the column holds a value this module does not order exactly so.
    Strings, plain or language-tagged: pyoxigraph compares two plain strings, or two of one tag,
    by codepoint, and any other two by lexical form, then datatype IRI, then tag (what a label
    column mixing actors' names and the ontology's tagged place names holds; checked against
    pyoxigraph in tests/test_paging_and_inference.py). Dates: plain YYYY-MM-DD only."""
    kinds = set()
    for term in values:
        if term is None:
            continue
        if not isinstance(term, Literal):
            return None
        if term.language or term.datatype.value == XSD_STRING:
            kinds.add("text")
        elif term.datatype.value == XSD_DATE and _PLAIN_DATE.match(term.value):
            kinds.add("date")
        else:
            return None
        if len(kinds) > 1:
            return None
    return lambda term: (0, "", "", "") if term is None else (1, term.value, term.datatype.value, term.language or "")


def sorted_keys(store, run: Callable[[str, dict], QuerySolutions], key_query: str, key_vars: list[str],
                options: dict, generation: object = None) -> list[tuple] | None:
    """The distinct page keys (values of `key_vars`) of `key_query` in SPARQL order, kept for this
    store at this generation and these bindings; None when they cannot be sorted here."""
    bindings = tuple(sorted((str(k), str(v)) for k, v in (options.get("substitutions") or {}).items()))
    cache = (id(store), generation, key_query, bindings)
    if generation is not None and cache in _KEYS:
        return _KEYS[cache]
    keys = list({tuple(row[v] for v in key_vars) for row in run(key_query, options)})
    orders = [_column_order(key[i] for key in keys) for i in range(len(key_vars))]
    if any(order is None for order in orders):
        keys = None
    else:
        keys.sort(key=lambda key: tuple(order(term) for order, term in zip(orders, key)))
    if generation is not None:
        if any(k[:2] != cache[:2] for k in _KEYS) or len(_KEYS) >= 32:
            _KEYS.clear()
        _KEYS[cache] = keys
    return keys


def by_keys(run: Callable[[str, dict], QuerySolutions], query: str, options: dict, offset: int, limit: int,
            keys: list[tuple], key_vars: list[str], graphs_of: Callable[[Literal], list[NamedNode]]
            ) -> tuple[list[str], list]:
    """(variables, rows offset .. offset+limit) of `query` paged by keys (see above): `keys` sorted
    (`sorted_keys`), `key_vars` their variables (?doc among them), `graphs_of(identifier)` the
    document graphs of an identifier. The first batch has FIRST_KEYS keys; the next ones as many
    as the rows still wanted need at the rate of rows a key gave so far (and a quarter more),
    so a page usually costs two evaluations."""
    at = key_vars.index("doc")
    wanted, rows, variables = offset + limit, [], None
    start, size = 0, FIRST_KEYS
    while start < len(keys) and len(rows) < wanted:
        batch = keys[start:start + size]
        start += len(batch)
        wanted_keys = set(batch)
        named = list(dict.fromkeys(g for doc in dict.fromkeys(key[at] for key in batch) for g in graphs_of(doc)))
        result = run(query, dict(options, named_graphs=named + [ONTOLOGY]))
        variables = [v.value for v in result.variables]
        rows.extend(row for row in result if tuple(row[v] for v in key_vars) in wanted_keys)
        rate = max(len(rows) / start, 0.1)
        size = min(max(int((wanted - len(rows)) / rate * 1.25) + 1, FIRST_KEYS), LAST_KEYS)
    if variables is None:   # no keys: the query over no document, for its variables
        variables = [v.value for v in run(query, dict(options, named_graphs=[ONTOLOGY])).variables]
    return variables, rows[offset:wanted]
