"""Where RDF lives: `open_store(location)` gives a GraphStore, embedded or remote.

- a folder path (e.g. `data/store`) -> the embedded pyoxigraph store (`store.embedded`);
- `sparql+http://host:port/path` or `sparql+https://...` -> a remote SPARQL 1.1 store spoken
  to through the standard Query, Update and Graph Store protocols (`store.remote`).
"""
from __future__ import annotations

from pathlib import Path

from store.base import GraphStore, QueryResult, Term
from store.errors import BadQuery, QuerySyntaxError, StoreError, StoreLocked, StoreTimeout, StoreUnavailable

REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")

__all__ = ["GraphStore", "QueryResult", "Term", "StoreError", "StoreLocked", "QuerySyntaxError", "BadQuery",
           "StoreTimeout", "StoreUnavailable", "open_store", "open_read_only", "is_remote_location"]


def is_remote_location(location: str) -> bool:
    return str(location).lower().startswith(REMOTE_SCHEMES)


def open_store(location: str | Path) -> GraphStore:
    """Open the store at `location` read-write (a folder is created when missing)."""
    location = str(location)
    if not location.strip():
        raise StoreError("no store location given (use --store PATH or CLAIMGRAPH_STORE)")
    if is_remote_location(location):
        from store.remote import RemoteStore
        return RemoteStore(location)
    if "://" in location:
        raise StoreError(f"unsupported store location {location!r}: use a folder path, "
                         "sparql+http://host:port/path or sparql+https://host:port/path")
    from store.embedded import EmbeddedStore
    return EmbeddedStore(location)


def open_read_only(location: str | Path) -> GraphStore:
    """Open a store for reading only.

    Embedded: pyoxigraph `Store.read_only`, which takes no lock, so it works beside a writer —
    but reading while another process writes is undefined behaviour (pyoxigraph docs): reopen
    after each write. Remote: the same RemoteStore (reads never need a lock).
    """
    location = str(location)
    if is_remote_location(location):
        return open_store(location)
    from store.embedded import EmbeddedStore
    return EmbeddedStore(location, read_only=True)
