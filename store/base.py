"""The GraphStore interface every stage codes against: embedded or remote, the same calls.

Conventions shared by both implementations:
- a graph is named by its IRI as a plain string (no angle brackets);
- `replace_graph` is atomic: a reader sees the old graph or the new one, never half of it, and
  a crash (kill -9) in the middle leaves one or the other;
- `query` returns pyoxigraph results (QuerySolutions, QueryBoolean or QueryTriples) whichever
  store answered, so callers never branch on where the data lives;
- `default_union=True` (the default) makes the query's default graph the union of all graphs,
  which is how the project's queries are written.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import BinaryIO, Iterable, Sequence, Union

from store.errors import StoreError
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, Triple

Term = Union[NamedNode, BlankNode, Literal, Triple]
QueryResult = Union[QuerySolutions, QueryBoolean, QueryTriples]


class GraphStore(ABC):
    """Where RDF lives: one named graph per document plus the ontology and inferred graphs."""

    location: str
    is_remote: bool = False

    @abstractmethod
    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        """Make `graph` hold exactly these quads (their own graph names are ignored), atomically."""

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove `graph` and everything in it; dropping a missing graph is not an error."""

    @abstractmethod
    def query(self, sparql: str, *, bindings: dict[str, Term] | None = None, default_union: bool = True,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query; `bindings` fix variables to terms without pasting text."""

    @abstractmethod
    def update(self, sparql: str, *, rewrites: Sequence[str] = ()) -> None:
        """Run a SPARQL 1.1 update as one transaction; `rewrites` names the document graphs it
        rewrites or drops, for a store that keeps a summary of them (store.embedded)."""

    @abstractmethod
    def dump(self, out: BinaryIO, format: str, graph: str | None = None, *, inferred: bool = True) -> None:
        """Stream the store (or one graph) to `out`; `inferred=False` leaves out every inferred
        graph (what `claimgraph reason` and the ingest derive), keeping only asserted data.

        Quad formats (trig, nquads) write every graph with its name; triple formats (turtle,
        ntriples) write one graph when `graph` is given, else the default view: the union of
        all graphs as triples. Memory stays bounded because nothing is de-duplicated: a triple
        held by several graphs may be written more than once, which is harmless (an RDF graph
        is a set; every parser merges repeats).
        """

    @abstractmethod
    def load(self, path: str | Path, format: str | None = None, graph: str | None = None) -> None:
        """Bulk-load a file; triples go to `graph` (or the default graph), quads keep their graphs.

        Streamed and NOT atomic (it is meant for big files): a crash mid-load leaves part of the
        file loaded; load it again (re-adding the same triples changes nothing, blank nodes aside).
        """

    def backup(self, target: str | Path) -> None:
        """Copy the whole store, consistently, into the new folder `target`.

        Only an embedded store has files to copy; a remote server is backed up with its own
        tools, or streamed with `dump(..., "nquads")`.
        """
        raise StoreError(f"{self.location} is a remote store: back it up with `claimgraph export "
                         "--format nquads` or the server's own tools")

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (the folder lock, the HTTP connections)."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"
