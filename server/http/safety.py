"""Refuse SERVICE (federated queries) unless the allow-list names the endpoint.

pyoxigraph's `Store.query` fetches every SERVICE IRI it meets, which would let any client make
the server send requests to any address (server-side request forgery). The decision is taken on
the *parsed* query (rdflib's SPARQL parser and algebra), so case, comments, prefixed names,
`\\u` escapes, nesting inside OPTIONAL/UNION/subqueries and variables (`SERVICE ?x`, always
refused) cannot hide an endpoint.

Parsing costs milliseconds, so a sound shortcut comes first: the keyword SERVICE can only exist
in a query whose text, after SPARQL's codepoint escapes are expanded, contains the letters
"service" in some case. Text without them has no SERVICE clause and needs no parse. A query
that does contain them but that rdflib cannot parse is refused rather than guessed at.
The same holds for updates (`INSERT ... WHERE { SERVICE ... }`) and for `LOAD <url>`, which
would also make the server fetch a URL.

Both checks first refuse text longer than MAX_OPERATION_CHARS and brackets nested deeper than
MAX_NESTING: Oxigraph's parser and evaluator recurse once per level of nesting, and once per
operator of a chain (`1+1+…`, `{…} UNION {…} UNION …`, `MINUS {…} MINUS …`), and running out of
stack aborts the whole process instead of raising an error. Reads run on threads with large
stacks (`server.query.engine.READ_STACK_BYTES`); within this length no chain measured (UNION,
OPTIONAL, MINUS, FILTER, BIND, paths, arithmetic, boolean) exhausts them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from server.http.errors import ProtocolError

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """SPARQL 1.1 §19.2: \\uXXXX and \\UXXXXXXXX are replaced before parsing, anywhere in the text."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


MAX_NESTING = 256   # no real query comes near; the parser's stack gives out in the low thousands

# what can hold a bracket without nesting anything: string literals, IRIs and comments
_NOT_STRUCTURE = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                            r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*''')
_NON_BRACKETS = re.compile(r"[^{}()\[\]]+")
_STEP = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Raise ProtocolError(400) when brackets nest deeper than `limit` (counted in C-speed passes)."""
    text = _unescape(text)
    if text.count("{") + text.count("(") + text.count("[") <= limit:
        return                                  # the common case: too few brackets to nest that deep
    brackets = _NON_BRACKETS.sub("", _NOT_STRUCTURE.sub(" ", text))
    deepest = max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
    if deepest > limit:
        raise ProtocolError(400, f"the request nests brackets {deepest} levels deep; the limit is {limit} "
                                 "(deeper nesting would exhaust the SPARQL parser's stack)")


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NON_JSON_BRACKETS = re.compile(rb"[^{}\[\]]+")
_JSON_STEP = {ord("{"): 1, ord("["): 1, ord("}"): -1, ord("]"): -1}


def check_json_nesting(body: bytes, limit: int = MAX_NESTING) -> None:
    """The same guard for JSON-LD bodies: Oxigraph's JSON-LD parser recurses once per nested object."""
    if body.count(b"{") + body.count(b"[") <= limit:
        return
    brackets = _NON_JSON_BRACKETS.sub(b"", _JSON_STRING.sub(b" ", body))
    deepest = max(accumulate(map(_JSON_STEP.__getitem__, brackets)), default=0)
    if deepest > limit:
        raise ProtocolError(400, f"the JSON-LD body nests objects or arrays {deepest} levels deep; "
                                 f"the limit is {limit}")


def _may_contain(text: str, keyword: str) -> bool:
    return keyword in _unescape(text).lower()


MAX_OPERATION_CHARS = 1_000_000   # a query or update this long is refused: real ones are far shorter


def check_length(text: str, what: str, limit: int = MAX_OPERATION_CHARS) -> None:
    if len(text) > limit:
        raise ProtocolError(400, f"the {what} is {len(text):,} characters long; the limit is {limit:,} "
                                 "(longer operator chains would exhaust the SPARQL engine's stack)")


def check_query(query: str, allow: frozenset[str]) -> None:
    """Raise ProtocolError(400) when the query is too long, nests too deep or calls a SERVICE the
    allow-list does not name."""
    check_length(query, "query")
    check_nesting(query)
    if not _may_contain(query, "service"):
        return
    refused = _refused_services(query, False, allow)
    if refused:
        raise ProtocolError(400, refused)


def check_update(update: str, allow: frozenset[str]) -> None:
    """Like check_query, for updates; `LOAD <iri>` counts as a fetch of that IRI."""
    check_length(update, "update")
    check_nesting(update)
    if not (_may_contain(update, "service") or _may_contain(update, "load")):
        return
    refused = _refused_services(update, True, allow)
    if refused:
        raise ProtocolError(400, refused)


@lru_cache(maxsize=256)
def _refused_services(text: str, is_update: bool, allow: frozenset[str]) -> str | None:
    """Why the request is refused, or None: every SERVICE / LOAD target found in the parse tree."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    try:
        tree = translateUpdate(parseUpdate(text)) if is_update else translateQuery(parseQuery(text))
    except Exception as exc:   # rdflib raises pyparsing and assorted errors on what it cannot read
        return ("the request mentions SERVICE or LOAD but could not be checked "
                f"(the safety parser reports: {str(exc)[:200]}); federated queries are refused "
                "unless their endpoint is on the allow-list")
    for kind, target in _fetch_targets(tree):
        if target is None or not isinstance(target, str) or type(target).__name__ == "Variable":
            return f"{kind} with a variable endpoint is refused (the server never fetches URLs chosen at run time)"
        if str(target) not in allow:
            return (f"{kind} <{target}> is refused: this server does not fetch other endpoints "
                    "unless CLAIMGRAPH_SERVICE_ALLOW names them")
    return None


def _fetch_targets(node, seen=None):
    """Yield ('SERVICE', term) / ('LOAD', iri) for every place in the algebra that would fetch a URL."""
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return
    seen.add(id(node))
    name = getattr(node, "name", None)
    if name == "ServiceGraphPattern":
        yield "SERVICE", node.get("term")
    elif name == "Load":
        yield "LOAD", node.get("iri")
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple, set)):
        children = node
    elif hasattr(node, "algebra"):       # rdflib Query / Update wrappers
        children = [node.algebra]
    else:
        return
    for child in children:
        if isinstance(child, (dict, list, tuple, set)) or hasattr(child, "algebra"):
            yield from _fetch_targets(child, seen)
