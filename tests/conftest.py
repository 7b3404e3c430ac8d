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


class ServiceProcess:
    """A server a test starts as a subprocess: logged to tests/artifacts, waited for until it
    answers, stopped cleanly (terminate, then kill). Subclasses say how to tell it is ready."""

    name = "service"
    start_timeout = 120.0
    stop_timeout = 20.0

    def _launch(self, cmd: list[str], log_name: str, **popen) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log = ARTIFACTS / log_name
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log_file, stderr=subprocess.STDOUT, **popen)
        self._wait()

    def _ready(self) -> bool:
        raise NotImplementedError

    def _wait(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}: {self.log.read_text()[-4000:]}")
            try:
                if self._ready():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not come up: {self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


class Server(ServiceProcess):
    """A running `claimgraph serve` subprocess."""

    name = "claimgraph serve"

    def __init__(self, store: str, *extra: str, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.sparql = f"{self.base}/sparql"
        self._launch([*CLI, "--store", store, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
                     f"server-{self.port}.log", cwd=ROOT, env={**os.environ, **(env or {})})

    def _ready(self) -> bool:
        return httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200


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


@pytest.fixture(scope="session")
def quantities_nlp():
    """A blank pipeline with sentences and the quantities component alone: what the quantity
    tests read figures with."""
    import spacy
    import ingest.extract.quantities  # noqa: F401  (registers the factory)
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("claimgraph_quantities")
    return pipeline


def seed_server_with_analysts(tmp_path_factory, name: str, analysts: dict[str, str]) -> Server:
    """The seeds ingested into a fresh store, served with an analysts' token file (token -> name)."""
    base = tmp_path_factory.mktemp(name)
    (base / "analysts.txt").write_text("".join(f"{token} {who}\n" for token, who in analysts.items()))
    store = str(base / "store")
    run_cli("--store", store, "ingest", str(SEEDS))
    return Server(store, "--analysts", str(base / "analysts.txt"))
