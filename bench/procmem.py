"""Peak memory of a process tree, sampled from /proc (Linux), for the benchmark's memory columns.

`resource.getrusage(RUSAGE_CHILDREN)` only reports the largest single child; ingest with
workers and a multi-process server need the SUM of the tree's resident sets at one moment,
so a background thread sums VmRSS over the process and all its descendants every few ms.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in (PROC / str(pid) / "task").iterdir():
            text = (task / "children").read_text()
            kids.extend(int(k) for k in text.split())
    except OSError:
        pass
    return kids


def tree(pid: int) -> list[int]:
    """`pid` and every descendant still alive."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def rss_bytes(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    return sum(rss_bytes(p) for p in tree(pid))


class PeakSampler:
    """`with PeakSampler(pid) as s: ...` then `s.peak` (bytes): the highest tree RSS seen."""

    def __init__(self, pid: int | None = None, interval: float = 0.02) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak = 0
        self.baseline = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def available(self) -> bool:
        return PROC.is_dir()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        self.baseline = tree_rss(self.pid)
        self.peak = self.baseline
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
