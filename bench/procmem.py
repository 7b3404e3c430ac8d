"""Peak memory and CPU time of a process tree, sampled from /proc (Linux), for the benchmark's
memory and cores-busy columns.

`resource.getrusage(RUSAGE_CHILDREN)` only reports the largest single child; ingest with
workers and a multi-process server need the SUM of the tree's resident sets at one moment,
so a background thread sums VmRSS over the process and all its descendants every few ms.
CPU time is summed the same way, from each process's last sample (a process's own time, its
threads' included; an ingest's worker processes are children of multiprocessing's fork server,
which nobody waits for, so the waited-for children's totals would miss them).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far, all its threads (0 once it is gone)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_rss(pid: int) -> int:
    return sum(rss_bytes(p) for p in tree(pid))


class PeakSampler:
    """`with PeakSampler(pid) as s: ...` then `s.peak` (bytes): the highest tree RSS seen, and
    `s.cpu` (seconds): the CPU time of every process of the tree, up to its last sample."""

    def __init__(self, pid: int | None = None, interval: float = 0.02) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak = 0
        self.baseline = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def available(self) -> bool:
        return PROC.is_dir()

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.pid)
            self.peak = max(self.peak, sum(rss_bytes(p) for p in pids))
            for p in pids:
                self._cpu[p] = max(self._cpu.get(p, 0.0), cpu_seconds(p))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        self.baseline = tree_rss(self.pid)
        self.peak = self.baseline
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
