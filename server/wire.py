"""The framing between the server process and its query workers: one byte kind, four bytes length.

Kinds: REQUEST (server -> worker, a pickled dict), READY, HEAD (the media type, UTF-8), DATA
(a chunk of the serialised answer), END, ERROR (pickled (status, message)). A worker answers
one request at a time; the server reads frames straight off a Unix socket.
"""
from __future__ import annotations

import struct

HEADER = struct.Struct(">cI")
REQUEST, READY, HEAD, DATA, END, ERROR = b"Q", b"R", b"H", b"D", b"E", b"X"


def frame(kind: bytes, payload: bytes = b"") -> bytes:
    return HEADER.pack(kind, len(payload)) + payload
