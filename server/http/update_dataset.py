"""The protocol's `using-graph-uri` / `using-named-graph-uri` parameters for SPARQL updates.

pyoxigraph's `Store.update` takes no dataset, so the parameters are applied the way the
SPARQL 1.1 Protocol defines them: as `USING <g>` / `USING NAMED <g>` clauses of every
DELETE/INSERT ... WHERE operation. A small lexer (it skips IRIs, strings and comments and
tracks braces, so nothing inside a pattern or a literal is touched) finds the top-level
`WHERE` of each such operation; the graph IRIs are validated by pyoxigraph and written in
N-Triples form, so they cannot change the update's meaning. An update that already has
USING, USING NAMED or WITH conflicts with the parameters -> 400 (Protocol §2.2.3).
"""
from __future__ import annotations

import re

from pyoxigraph import NamedNode

from server.http.errors import ProtocolError

_TOKEN = re.compile(r"""
    (?P<skip> \#[^\n]*  | <[^<>"{}|^`\\\s]*>
            | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
            | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*" | \s+ | [?$]\w+ )
  | (?P<open>\{) | (?P<close>\}) | (?P<word>[A-Za-z_][\w\-.]*(?::[\w\-.:%]*)?|:[\w\-.:%]*) | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _top_level_words(update: str):
    """(position, upper-cased word) for every keyword-like word outside braces, IRIs, strings, comments."""
    depth = 0
    for match in _TOKEN.finditer(update):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0:
            yield match.start(), match.group().upper()


def names_dataset(query: str) -> bool:
    """True when a query has its own FROM / FROM NAMED clause (then the union default must not override it)."""
    if "from" not in query.lower():
        return False
    return any(word == "FROM" for _, word in _top_level_words(query))


def apply_update_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's dataset parameters turned into USING clauses."""
    if not using and not using_named:
        return update
    words = list(_top_level_words(update))
    if any(word in {"USING", "WITH"} for _, word in words):
        raise ProtocolError(400, "the update names its own dataset (USING or WITH) and the request also "
                                 "sends using-graph-uri / using-named-graph-uri; send one or the other")
    clause = "".join(f" USING {_iri(g)}" for g in using) + "".join(f" USING NAMED {_iri(g)}" for g in using_named)
    pieces, last = [], 0
    for index, (position, word) in enumerate(words):
        if word == "WHERE" and not (index and words[index - 1][1] == "DELETE"):   # not DELETE WHERE {..}
            pieces.append(update[last:position])
            pieces.append(clause + " ")
            last = position
    pieces.append(update[last:])
    return "".join(pieces)


def _iri(value: str) -> str:
    try:
        return str(NamedNode(value))
    except ValueError as exc:
        raise ProtocolError(400, f"invalid graph IRI {value!r}: {exc}") from None
