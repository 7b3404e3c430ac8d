"""Run one command as a subprocess and measure its wall time and the peak RSS of its process tree."""
from __future__ import annotations

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

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_timed(cmd: list[str], *, timeout: float, cwd: Path = ROOT, env: dict | None = None) -> Timed:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with PeakSampler(proc.pid) as sampler:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
            return Timed(time.perf_counter() - started, sampler.peak, -9, f"timed out after {timeout:.0f}s")
    return Timed(time.perf_counter() - started, sampler.peak, proc.returncode,
                 stderr.decode(errors="replace")[-1500:])
