"""What the writer and the serving processes share: a few counters in one memory-mapped file.

Layout (little-endian 64-bit words): [0] the write generation, [1] the "a write is committing"
gate, then per serving process (slot) [2 + 2*slot] its reads in flight and [3 + 2*slot] 1 while
it is up and serving.

Why it exists: `claimgraph serve` runs several serving processes, each answering reads in its
own threads from a read-only open of the store, and one writer process. Reading a RocksDB
folder from a read-only open while the writer commits is undefined behaviour, and a read-only
open sees the files of the moment it opened. So the writer closes the gate and waits for the
reads in flight to drain before it commits, then bumps the generation; a serving process
reopens its store when the generation moved, so a read that follows a write sees it.

The gate is the classic two-flag handshake (a reader raises its count, then looks at the gate;
the writer closes the gate, then looks at the counts). Both sides put a full memory fence
between their store and their load — a mutex round trip, whose locked instruction orders them —
so the two can never both miss each other.
"""
from __future__ import annotations

import mmap
import os
import struct
import threading
from pathlib import Path

MAX_SLOTS = 64
WORD = struct.Struct("<q")
GENERATION, GATE = 0, 1
_FENCE = threading.Lock()


def _fence() -> None:
    with _FENCE:        # a mutex acquire/release is a full barrier on every CPU we run on
        pass


class SharedState:
    """One mapped file; the writer creates it (`create`), serving processes `attach`."""

    def __init__(self, path: Path, mapping: mmap.mmap) -> None:
        self.path, self._map = path, mapping

    @classmethod
    def create(cls, path: Path) -> "SharedState":
        size = WORD.size * (2 + 2 * MAX_SLOTS)
        with open(path, "wb") as f:
            f.write(b"\0" * size)
        return cls.attach(path)

    @classmethod
    def attach(cls, path: Path) -> "SharedState":
        fd = os.open(path, os.O_RDWR)
        try:
            return cls(Path(path), mmap.mmap(fd, 0))
        finally:
            os.close(fd)

    def _get(self, index: int) -> int:
        return WORD.unpack_from(self._map, index * WORD.size)[0]

    def _set(self, index: int, value: int) -> None:
        WORD.pack_into(self._map, index * WORD.size, value)

    # -- the writer's side ---------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._get(GENERATION)

    def close_gate(self) -> None:
        self._set(GATE, 1)
        _fence()

    def open_gate(self, *, bump: bool) -> None:
        if bump:
            self._set(GENERATION, self.generation + 1)
        _fence()
        self._set(GATE, 0)

    def reads_in_flight(self) -> int:
        return sum(self._get(2 + 2 * slot) for slot in range(MAX_SLOTS))

    def serving(self) -> int:
        return sum(self._get(3 + 2 * slot) for slot in range(MAX_SLOTS))

    def clear_slot(self, slot: int) -> None:
        """A serving process ended (however): its reads and its "up" flag go with it."""
        self._set(2 + 2 * slot, 0)
        self._set(3 + 2 * slot, 0)

    # -- a serving process's side (one event loop per process: no two callers race here) ----

    def try_begin_read(self, slot: int) -> bool:
        """Count a read in, unless a write is committing (then count it back out: wait and retry)."""
        index = 2 + 2 * slot
        self._set(index, self._get(index) + 1)
        _fence()
        if self._get(GATE):
            self._set(index, self._get(index) - 1)
            return False
        return True

    def end_read(self, slot: int) -> None:
        index = 2 + 2 * slot
        self._set(index, max(0, self._get(index) - 1))

    def set_serving(self, slot: int, up: bool) -> None:
        self._set(3 + 2 * slot, int(up))

    def close(self) -> None:
        self._map.close()
