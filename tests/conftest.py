"""Shared fixtures: the seed corpus, a store built from it by the real CLI, and a live server.

Tests that need a served graph use `seed_server`; it is started once per session as a real
`claimgraph serve` subprocess on a free loopback port, exactly as a user would run it.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
SCORER = SHARED / "eval" / "score.py"
ARTIFACTS = ROOT / "tests" / "artifacts"
CLI = [sys.executable, "-m", "claimgraph.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, env: dict | None = None, check: bool = True, timeout: float = 900,
            input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run `claimgraph ARGS` as a subprocess, as a user would."""
    proc = subprocess.run([*CLI, *args], capture_output=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, **(env or {})}, input=input)
    if check and proc.returncode != 0:
        raise AssertionError(f"claimgraph {' '.join(args)} exited {proc.returncode}:\n"
                             f"{proc.stderr.decode(errors='replace')[-4000:]}")
    return proc


class Server:
    """A running `claimgraph serve` subprocess."""

    def __init__(self, store: str, *extra: str, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.sparql = f"{self.base}/sparql"
        self.log = ARTIFACTS / f"server-{self.port}.log"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(
            [*CLI, "--store", store, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self._log_file, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}: {self.log.read_text()[-4000:]}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not come up: {self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> str:
    """A store holding the five seed articles, built with `claimgraph ingest`."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    store = str(tmp_path_factory.mktemp("seed") / "store")
    run_cli("--store", store, "ingest", str(SEEDS))
    return store


@pytest.fixture(scope="session")
def seed_server(seed_store) -> Server:
    """`claimgraph serve` over the seed store, for the whole session (read-only use only)."""
    server = Server(seed_store)
    yield server
    server.stop()
