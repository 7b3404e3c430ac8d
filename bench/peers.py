"""The SPARQL endpoints compared, each started as a subprocess on a free loopback port.

(a) `claimgraph serve`, (b) `oxigraph serve` (the Rust server from the PyPI `oxigraph`
package: the reference), (c) rdflib-endpoint, all over the same data. The in-process
pyoxigraph floor lives in bench.query, since it has no server.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ASK = "ASK { }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str | None:
    """A console script from this venv first, then PATH."""
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


class PeerUnavailable(RuntimeError):
    """The peer cannot be run here (not installed, not implemented yet, failed to start)."""


@dataclass
class Endpoint:
    name: str
    base: str
    query_path: str
    proc: subprocess.Popen
    log: Path
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.base + self.query_path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _start(name: str, cmd: list[str], query_path: str, logdir: Path, port: int, *,
           timeout: float, health: str | None = None) -> Endpoint:
    logdir.mkdir(parents=True, exist_ok=True)
    log = logdir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    endpoint = Endpoint(name, f"http://127.0.0.1:{port}", query_path, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PeerUnavailable(f"{name} exited {proc.returncode}: {log.read_text(errors='replace')[-800:]}")
        try:
            if health:
                response = httpx.get(endpoint.base + health, timeout=5)
            else:
                response = httpx.post(endpoint.url, data={"query": ASK}, timeout=5,
                                      headers={"Accept": "application/sparql-results+json"})
            if response.status_code == 200:
                return endpoint
            if response.status_code in (404, 405):   # answering, but not there: waiting won't help
                endpoint.stop()
                raise PeerUnavailable(f"{name} answered {response.status_code} at {response.url}")
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    endpoint.stop()
    raise PeerUnavailable(f"{name} did not answer within {timeout:.0f}s: {log.read_text(errors='replace')[-800:]}")


def claimgraph_available() -> bool:
    return (ROOT / "server" / "http" / "app.py").exists()


def start_claimgraph(store: Path, logdir: Path, *, workers: int | None = None, timeout: float = 120) -> Endpoint:
    if not claimgraph_available():
        raise PeerUnavailable("server/http/app.py does not exist yet (claimgraph serve is not implemented)")
    port = free_port()
    cmd = [sys.executable, "-m", "claimgraph.cli", "--store", str(store), "serve",
           "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    return _start("claimgraph", cmd, "/sparql", logdir, port, timeout=timeout, health="/healthz")


def start_oxigraph(location: Path, logdir: Path, *, timeout: float = 60) -> Endpoint:
    binary = executable("oxigraph")
    if binary is None:
        raise PeerUnavailable("the `oxigraph` server binary is not installed (pip install oxigraph)")
    port = free_port()
    cmd = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    return _start("oxigraph", cmd, "/query", logdir, port, timeout=timeout)


def start_rdflib_endpoint(nquads: Path, logdir: Path, *, timeout: float = 600) -> Endpoint:
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        raise PeerUnavailable("rdflib-endpoint is not installed (pip install rdflib-endpoint)") from None
    port = free_port()
    cmd = [sys.executable, "-m", "rdflib_endpoint", "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
    return _start("rdflib-endpoint", cmd, "/", logdir, port, timeout=timeout)
