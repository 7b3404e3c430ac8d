"""Store errors: one family, so callers catch `StoreError` and still tell the cases apart.

The server maps them to HTTP statuses (syntax -> 400, timeout -> 504, unavailable -> 502/503,
locked -> 503); the CLI prints the message and exits 2.
"""
from __future__ import annotations


class StoreError(Exception):
    """Something went wrong talking to the store; the message says what, in plain words."""


class StoreLocked(StoreError):
    """The embedded store folder is held by another process (RocksDB allows one writer)."""


class BadQuery(StoreError):
    """The query cannot be run as asked (e.g. a binding for a variable it does not select) -> 400."""


class QuerySyntaxError(BadQuery, SyntaxError):
    """The SPARQL query or update does not parse; the message is the parser's (or the remote's)."""


class StoreTimeout(StoreError):
    """The remote store did not connect or answer within the configured timeout."""


class StoreUnavailable(StoreError):
    """The remote store could not be reached or answered with a server error."""
