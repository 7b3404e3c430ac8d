"""pyoxigraph doing the job by itself: the limit claimgraph's load and dump are measured against.

Run as a subprocess (`python -m bench.limits load|dump ...`) so its time and peak memory are
measured exactly like the claimgraph CLI's: one fresh process, same files.
"""
from __future__ import annotations

import sys

from pyoxigraph import RdfFormat, Store, serialize

from common.iris import PREFIXES

ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def load(store_path: str, nquads: str) -> None:
    store = Store(store_path)
    store.bulk_load(path=nquads, format=RdfFormat.N_QUADS)
    store.flush()


def dump(store_path: str, fmt: str, out_path: str) -> None:
    """N-Quads: Store.dump. Turtle: the union of the graphs as triples, serialized by pyoxigraph."""
    store = Store.read_only(store_path)
    with open(out_path, "wb") as out:
        if fmt == "nquads":
            store.dump(out, RdfFormat.N_QUADS)
        elif fmt == "turtle":
            serialize(store.query(ALL_TRIPLES, use_default_graph_as_union=True), out, RdfFormat.TURTLE,
                      prefixes=PREFIXES)   # the same prefixes claimgraph writes, so the same bytes
        else:
            raise SystemExit(f"unknown format {fmt!r}: nquads or turtle")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"load": load, "dump": dump}[command](*args)
