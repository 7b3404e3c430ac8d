"""Reading a SPARQL 1.1 Protocol request: which operation, its text, and its dataset parameters.

Rules (W3C SPARQL 1.1 Protocol §2.1, §2.2): a query comes by GET `?query=`, by POST form
(`application/x-www-form-urlencoded`, field `query`) or by POST `application/sparql-query`;
an update only by POST form (`update`) or POST `application/sparql-update`. Exactly one
operation per request. Bodies must be UTF-8. Dataset parameters come from the URL, and for
form posts from the body too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.requests import Request

from server.http.errors import ProtocolError

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass
class Operation:
    kind: str | None                       # "query", "update", or None (no operation: service description)
    text: str = ""
    params: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str] | None:
        return self.params.get(name) or None

    def one(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[-1] if values else None


def _multi(pairs) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


MEMO_TEXT_LIMIT = 8192     # characters: longer forms are decoded every time, never remembered


def decode_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """The name/value pairs of a URL-encoded form or query string (blank values kept, bad
    UTF-8 in escapes an error). Percent-decoding a query is pure-Python work that costs as
    much as a small query's evaluation, and clients send the same text again and again (a
    dashboard, the named-query pages), so short texts are decoded once and remembered."""
    if len(text) > MEMO_TEXT_LIMIT:
        return tuple(parse_qsl(text, keep_blank_values=True, errors="strict"))
    return _decode_remembered(text)


@lru_cache(maxsize=1024)
def _decode_remembered(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(text, keep_blank_values=True, errors="strict"))


def split_content_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    media, *rest = header.split(";")
    params = {}
    for piece in rest:
        key, _, value = piece.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return media.strip().lower(), params


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body of {declared} bytes is over the {limit}-byte limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body is over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(body: bytes, charset: str | None, what: str) -> str:
    if charset and charset.lower().replace("-", "") not in {"utf8", "usascii", "ascii"}:
        raise ProtocolError(400, f"{what} must be UTF-8 encoded, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte {exc.start})") from None


def _single(params: dict[str, list[str]]) -> Operation:
    queries, updates = params.get("query", []), params.get("update", [])
    if len(queries) + len(updates) > 1:
        what = "two queries" if len(queries) > 1 else "two updates" if len(updates) > 1 else "a query and an update"
        raise ProtocolError(400, f"the request carries {what}; send exactly one operation per request")
    if queries:
        return Operation("query", queries[0], params)
    if updates:
        return Operation("update", updates[0], params)
    return Operation(None, "", params)


def from_get(request: Request) -> Operation:
    operation = _single(_multi(request.query_params.multi_items()))
    if operation.kind == "update":
        raise ProtocolError(400, "SPARQL updates must be sent with POST (form field 'update' or "
                                 "Content-Type: application/sparql-update), never with GET")
    return operation


async def from_post(request: Request, limit: int) -> Operation:
    media, params = split_content_type(request.headers.get("content-type"))
    check_post_type(media)
    body = await read_body(request, limit)
    return from_body(media, params, body, _multi(request.query_params.multi_items()))


def check_post_type(media: str) -> None:
    if not media:
        raise ProtocolError(400, f"a POST to /sparql needs a Content-Type: {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")
    if media not in (FORM, QUERY_TYPE, UPDATE_TYPE):
        raise ProtocolError(415, f"unsupported Content-Type {media}; use {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")


def from_body(media: str, params: dict[str, str], body: bytes, url_params: dict[str, list[str]]) -> Operation:
    """The operation of a POST whose Content-Type (`media`, `params`) was accepted by check_post_type."""
    if media == FORM:
        text = _utf8(body, params.get("charset"), "the form body")
        try:
            form = _multi(decode_pairs(text))
        except UnicodeDecodeError:
            raise ProtocolError(400, "the form has percent-escapes that are not UTF-8") from None
        for key, values in url_params.items():
            form.setdefault(key, []).extend(values)
        operation = _single(form)
        if operation.kind is None:
            raise ProtocolError(400, "the form has no 'query' or 'update' field")
        return operation
    if "query" in url_params or "update" in url_params:
        raise ProtocolError(400, "the body is the operation; do not also send query= or update= in the URL")
    kind = "query" if media == QUERY_TYPE else "update"
    return Operation(kind, _utf8(body, params.get("charset"), f"the {kind}"), url_params)
