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
from typing import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, QuerySolutions, parse_query_results

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
    body = page_json(variables, itertools.islice(result, offset, offset + limit))
    if fmt == QueryResultsFormat.JSON:
        sink.write(body)
        return
    parse_query_results(body, QueryResultsFormat.JSON).serialize(sink, fmt)
