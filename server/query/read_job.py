"""One read running in a pool thread, and the hand-over of its answer to the event loop.

The thread serialises into a `ReadJob` (it is the `server.query.evaluate.Sink`). A small answer —
up to INLINE_LIMIT — is handed over whole, as one `bytes`, in one loop wake-up: the common
case (lookups, stance lists, one document) costs no queue and no extra copies. A bigger answer
switches to streaming: chunks go through an asyncio queue, and the thread may run at most
WINDOW chunks ahead of the client (a semaphore it waits on), so memory stays flat however big
the answer and however slow the client. When the client goes away or the deadline passes, the
job is abandoned: the thread's next write raises and the thread returns to the pool.
"""
from __future__ import annotations

import asyncio
import threading
from typing import AsyncIterator

from server.query.evaluate import RowCounter

INLINE_LIMIT = 512 * 1024
CHUNK = 64 * 1024
WINDOW = 8
_END = object()


class Abandoned(Exception):
    """The answer is no longer wanted (client gone, deadline passed)."""


class ReadJob:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.first: asyncio.Future = loop.create_future()   # (media type, bytes | None=streaming) or an error
        self.media_type = "application/octet-stream"
        self.counter = RowCounter(None, 0)
        self.buffer = bytearray()
        self.streaming = False
        self.abandoned = False
        self.elapsed = float("inf")        # seconds the thread spent answering (set when it finished)
        self.generation = -1                # the store generation it read
        self._chunks: asyncio.Queue = asyncio.Queue()
        self._credits = threading.Semaphore(WINDOW)

    # -- the thread's side (the Sink protocol) ---------------------------------------------------

    def begin(self, media_type: str, row_marker: tuple[bytes, int] | None, max_rows: int) -> None:
        self.media_type = media_type
        self.counter = RowCounter(row_marker, max_rows)

    def write(self, data: bytes) -> int:
        if self.abandoned:
            raise Abandoned()
        self.counter.count(data)
        self.buffer += data
        if self.streaming:
            if len(self.buffer) >= CHUNK:
                self._push(bytes(self.buffer))
                self.buffer.clear()
        elif len(self.buffer) > INLINE_LIMIT:
            self.streaming = True
            self._resolve((self.media_type, None))
            self._push(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def restart(self) -> bool:
        """Forget a partial answer before a retry; False when bytes already left (no retry then)."""
        if self.streaming:
            return False
        self.buffer.clear()
        return True

    def finish(self) -> None:
        if self.streaming:
            if self.buffer:
                self._push(bytes(self.buffer))
            self._push(_END)
        else:
            self._resolve((self.media_type, bytes(self.buffer)))
        self.buffer = bytearray()

    def fail(self, exc: BaseException) -> None:
        if self.streaming:
            self._push(exc)
        else:
            self.loop.call_soon_threadsafe(self._set_exception, exc)

    def _resolve(self, value) -> None:
        self.loop.call_soon_threadsafe(self._set_result, value)

    def _set_result(self, value) -> None:
        if not self.first.done():
            self.first.set_result(value)

    def _set_exception(self, exc: BaseException) -> None:
        if not self.first.done():
            self.first.set_exception(exc)

    def _push(self, item) -> None:
        while not self._credits.acquire(timeout=0.5):
            if self.abandoned:
                raise Abandoned()
        if self.abandoned:
            raise Abandoned()
        self.loop.call_soon_threadsafe(self._chunks.put_nowait, item)

    # -- the event loop's side ---------------------------------------------------------------------

    def abandon(self) -> None:
        self.abandoned = True
        for _ in range(WINDOW):
            self._credits.release()          # wake a thread waiting to send
        if not self.first.done():
            self.first.cancel()

    async def chunks(self, deadline: float | None) -> AsyncIterator[bytes]:
        """The streamed part of the answer; raises TimeoutError at the deadline, or the thread's error."""
        while True:
            async with asyncio.timeout_at(deadline):
                item = await self._chunks.get()
            self._credits.release()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item


class BufferSink:
    """The whole answer in memory: for a read run on the event loop, already known to be small."""

    def __init__(self) -> None:
        self.media_type = "application/octet-stream"
        self.counter = RowCounter(None, 0)
        self.buffer = bytearray()

    def begin(self, media_type: str, row_marker: tuple[bytes, int] | None, max_rows: int) -> None:
        self.media_type = media_type
        self.counter = RowCounter(row_marker, max_rows)

    def write(self, data: bytes) -> int:
        self.counter.count(data)
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass
