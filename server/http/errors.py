"""The one exception the server raises for a request it cannot answer: a status and a plain message.

`server.http.app` turns it into a `text/plain` response, so every router (SPARQL, Graph Store, named
queries, pages) reports problems the same way and no stack trace ever reaches a client.
"""
from __future__ import annotations


class ProtocolError(Exception):
    """A request failed with HTTP `status`; `message` tells the client what was wrong."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
