"""The body of `claimgraph query`: resolve the query, run it on the store, print the result.

The query argument is, in this order: a named query (queries/NAME.rq), a path to a file, or
SPARQL text. Output formats: a readable table (default), csv / tsv / json / xml (the W3C SPARQL
results formats, for SELECT and ASK), or an RDF format for CONSTRUCT / DESCRIBE.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions,
                        QueryTriples, serialize)
from rich.console import Console
from rich.table import Table
from rich.text import Text

from common import queries
from common.iris import PREFIXES
from store import GraphStore, QuerySyntaxError, StoreError
from store.formats import RDF_FORMATS, rdf_format

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
}
TABLE = "table"
LOOKS_LIKE_A_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class QueryArgumentError(ValueError):
    """The query argument names nothing runnable."""


def resolve_query(query_arg: str) -> str:
    """The SPARQL text meant by a named query, a file path or the text itself."""
    if query_arg in queries.names():
        return queries.load(query_arg)
    path = Path(query_arg)
    if len(query_arg) < 4096 and "\n" not in query_arg and path.is_file():
        return path.read_text(encoding="utf-8")
    if query_arg.endswith((".rq", ".sparql")) and LOOKS_LIKE_A_NAME.match(path.name):
        raise QueryArgumentError(f"no query file {query_arg!r}")
    if LOOKS_LIKE_A_NAME.match(query_arg):
        raise QueryArgumentError(f"unknown named query {query_arg!r}; named queries: {', '.join(queries.names())}")
    return query_arg


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def cell_text(term) -> str:
    """A term as an analyst reads it: literals by value, IRIs compacted with the project prefixes."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, NamedNode):
        return _compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def print_table(results: QuerySolutions, console: Console) -> int:
    names = [v.value for v in results.variables]
    table = Table(*names, show_lines=False, header_style="bold")
    count = 0
    for solution in results:
        table.add_row(*(Text(cell_text(solution[name])) for name in names))
        count += 1
    console.print(table)
    console.print(f"{count} row(s)", style="dim")
    return count


def write_result(result, fmt: str, out: BinaryIO, console: Console) -> None:
    """Print one query result in `fmt`; a format that does not fit the query form is refused."""
    fmt = fmt.strip().lower()
    if isinstance(result, QueryTriples):
        rdf = rdf_format("turtle" if fmt == TABLE else fmt) if fmt == TABLE or fmt in RDF_FORMATS else None
        if rdf is None:
            raise QueryArgumentError(f"a CONSTRUCT/DESCRIBE result is RDF: use --format turtle, ntriples, "
                                     f"rdfxml or jsonld, not {fmt!r}")
        serialize(result, out, rdf, prefixes=PREFIXES if rdf.name in {"Turtle", "N3"} else None)
        return
    if fmt == TABLE:
        if isinstance(result, QueryBoolean):
            console.print("true" if bool(result) else "false")
        else:
            print_table(result, console)
        return
    if fmt not in RESULT_FORMATS:
        raise QueryArgumentError(f"a SELECT/ASK result prints as table, csv, tsv, json or xml, not {fmt!r}")
    if isinstance(result, QueryBoolean) and fmt == "csv":
        out.write(b"true\n" if bool(result) else b"false\n")
        return
    result.serialize(out, RESULT_FORMATS[fmt])


def run_cli_query(store: GraphStore, query_arg: str, fmt: str = TABLE, *,
                  out: BinaryIO | None = None, console: Console | None = None) -> int:
    """Run the query and print it; returns the exit code (0 ok, 2 bad query / format / store)."""
    out = out or sys.stdout.buffer
    console = console or Console()
    err = Console(stderr=True)
    try:
        text = resolve_query(query_arg)
        result = store.query(text)
        write_result(result, fmt, out, console)
        out.flush()
    except QuerySyntaxError as exc:
        err.print(Text(f"SPARQL syntax error: {exc}"))
        return EXIT_USAGE
    except (QueryArgumentError, StoreError) as exc:
        err.print(Text(f"error: {exc}"))
        return EXIT_USAGE
    except OSError as exc:   # a failure while streaming the result
        err.print(Text(f"query failed: {exc}"))
        return EXIT_FAILED
    return EXIT_OK
