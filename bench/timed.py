"""Run one command as a subprocess and measure its wall time, and the peak RSS and CPU time of its process tree."""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.procmem import PeakSampler
from bench.peers import ROOT


@dataclass
class Timed:
    seconds: float
    peak_bytes: int
    returncode: int
    stderr_tail: str
    cpu_seconds: float = 0.0   # the whole tree's user + system time (sampled; see bench.procmem)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_timed(cmd: list[str], *, timeout: float, cwd: Path = ROOT, env: dict | None = None,
              cpus: set[int] | None = None) -> Timed:
    """`cpus`: run the command (and everything it starts) on these CPUs only (Linux)."""
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            preexec_fn=pin)
    with PeakSampler(proc.pid) as sampler:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
            return Timed(time.perf_counter() - started, sampler.peak, -9, f"timed out after {timeout:.0f}s",
                         sampler.cpu)
    return Timed(time.perf_counter() - started, sampler.peak, proc.returncode,
                 stderr.decode(errors="replace")[-1500:], sampler.cpu)
