"""In a serving process: hand every write to the writer process, as the same HTTP request.

Only the writer process may open the store read-write (RocksDB allows one writer), so a serving
process passes writes on — SPARQL updates, Graph Store PUT/POST/DELETE — over the writer's
private Unix socket, request and answer streamed through unchanged (analysts' corrections,
POST /api/corrections, too: the writer serialises them with every other write). The writer runs the very
same application, so authentication, limits and error messages are the writer's own and the
client cannot tell which process answered. The scheme and client address the serving process
settled on (after its own proxy-header rules) travel as X-Forwarded-Proto/-For, which the writer
trusts from its private socket only, so URLs the writer mints (POST /store's Location) keep the
client's scheme. The layer sits inside `server.http.fast_path`, which has
already answered queries; what reaches it on `POST /sparql` is an update or an unusual request.
"""
from __future__ import annotations

import httpx

from server.http.errors import ProtocolError

HOP_BY_HOP = frozenset({b"connection", b"keep-alive", b"transfer-encoding", b"te", b"trailer", b"upgrade",
                        b"proxy-authorization", b"proxy-authenticate"})
FORWARDED = frozenset({b"x-forwarded-proto", b"x-forwarded-for"})
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})


def is_write(scope: dict) -> bool:
    path = scope["path"]
    if scope["method"] not in WRITE_METHODS:
        return False
    return path == "/sparql" or path == "/store" or path.startswith("/store/") or path == "/api/corrections"


class WriteForwarder:
    def __init__(self, app, writer_socket: str) -> None:
        self.app = app
        self.client = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(uds=writer_socket), timeout=None)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not is_write(scope):
            return await self.app(scope, receive, send)
        headers = [(name, value) for name, value in scope["headers"]
                   if name not in HOP_BY_HOP and name not in FORWARDED]
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode("latin-1")))
        if scope.get("client"):   # what the serving process decided (it alone judges the client's proxy)
            headers.append((b"x-forwarded-for", scope["client"][0].encode("latin-1")))
        url = httpx.URL(scheme="http", host="writer", path=scope["path"],
                        query=scope["query_string"])
        request = self.client.build_request(scope["method"], url, headers=headers, content=_body(receive))
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            error = ProtocolError(503, f"the writer process is not reachable ({type(exc).__name__}); try again")
            return await _plain(send, error.status, error.message)
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(name, value) for name, value in response.headers.raw
                                    if name.lower() not in HOP_BY_HOP]})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()


async def _body(receive):
    """The request body as it arrives (a client that leaves mid-body ends the forwarded one too)."""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ConnectionError("the client went away before sending the body")
        if message.get("body"):
            yield message["body"]
        if not message.get("more_body", False):
            return


async def _plain(send, status: int, message: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": (message + "\n").encode()})
