"""Helpers for the store tests: a real `oxigraph serve` on loopback, and a server that never answers."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from conftest import ARTIFACTS, free_port


def oxigraph_binary() -> str | None:
    """The `oxigraph` CLI from the PyPI package `oxigraph` (installed beside this Python)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT` as a subprocess."""

    def __init__(self, location: Path) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the `oxigraph` binary is missing: pip install 'oxigraph>=0.5,<0.6'")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.location = f"sparql+{self.base}/query"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log = ARTIFACTS / f"oxigraph-{self.port}.log"
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind",
                                      f"127.0.0.1:{self.port}"], stdout=self._log_file, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                httpx.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not come up")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


class SilentServer:
    """Accepts TCP connections and never answers: a remote store that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self._held.append(conn)
            except OSError:
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self.sock.close()
