"""Who is correcting: per-person bearer tokens from the file given to `claimgraph serve --analysts`.

The file holds one analyst per line, `TOKEN NAME` (the token has no spaces; the rest of the line
is the name corrections record); blank lines and lines starting with # are skipped. It is read
again when it changes, so adding an analyst needs no restart. Tokens are compared in constant time.
"""
from __future__ import annotations

import hmac
import os
from pathlib import Path

from server.http.errors import ProtocolError

_cache: dict[str, tuple[float, dict[str, str]]] = {}


def load(path: str | os.PathLike) -> dict[str, str]:
    """token -> name; ValueError names the line that is not `TOKEN NAME`."""
    analysts: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        token, _, name = line.partition(" ")
        if not name.strip() or len(token) < 8:
            raise ValueError(f"{path}, line {number}: expected 'TOKEN NAME' with a token of at least 8 characters")
        analysts[token] = name.strip()
    return analysts


def _analysts(path: str) -> dict[str, str]:
    mtime = os.stat(path).st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        _cache[path] = (mtime, load(path))
    return _cache[path][1]


def analyst(settings, authorization: str | None) -> str:
    """The name of the analyst the bearer token belongs to: 401 without one, 403 when unknown
    or when the server was started without an analysts file."""
    if not settings.analysts_file:
        raise ProtocolError(403, "corrections are disabled on this server; start it with --analysts FILE "
                                 "(one 'TOKEN NAME' line per analyst)")
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ProtocolError(401, "corrections need 'Authorization: Bearer <your analyst token>'",
                            {"WWW-Authenticate": 'Bearer realm="claimgraph corrections"'})
    given = authorization[7:].strip().encode()
    try:
        known = _analysts(settings.analysts_file)
    except (OSError, ValueError) as exc:
        raise ProtocolError(500, f"the analysts file cannot be read: {exc}") from None
    for token, name in known.items():
        if hmac.compare_digest(given, token.encode()):
            return name
    raise ProtocolError(403, "the token is not an analyst's token on this server")
