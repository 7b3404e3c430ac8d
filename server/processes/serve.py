"""`claimgraph serve` on an embedded store: one writer process and several serving processes.

Why several processes: a small query costs far more in per-request Python (HTTP parsing, the
response, logging) than in Oxigraph, and one process's event loop tops out on one core. So
`settings.workers` serving processes (`server.processes.replica`) share one listening socket, which this
process binds before they start (connections wait in its backlog, never refused); each answers
reads in its own threads from a read-only open of the store.

Why one writer: RocksDB allows one read-write open. This process owns it and serves the same
application on a private Unix socket (`role="writer"`), to which serving processes forward
every write; it coordinates writes with reads through `server.processes.shared_state`.

It also supervises: a serving process that exits — retired after a runaway query, killed by
the OS — is replaced, its slot in the shared state cleared; serving processes end with this
one even when it is killed (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common.config import Settings
from common.paths import ROOT
from server.processes.shared_state import MAX_SLOTS, SharedState

log = logging.getLogger("claimgraph.server")

RESPAWN_PAUSE = 1.0        # seconds before replacing a serving process that died right after it started
QUICK_DEATH = 3.0          # ... "right after": within this many seconds of its start
STOP_TIMEOUT = 8.0         # seconds a serving process gets to finish its requests at shutdown


class Supervisor:
    """Starts the serving processes, replaces those that exit, stops them at shutdown."""

    def __init__(self, settings: Settings, listener: socket.socket, state: SharedState, writer_socket: Path) -> None:
        self.settings, self.listener, self.state, self.writer_socket = settings, listener, state, writer_socket
        self.processes: list[tuple[subprocess.Popen, float] | None] = [None] * settings.workers
        self._watcher: asyncio.Task | None = None
        self._stopping = False

    async def start(self, app) -> None:
        for slot in range(len(self.processes)):
            self._spawn(slot)
        self._watcher = asyncio.get_running_loop().create_task(self._watch())
        log.info("claimgraph serving %s at http://%s:%d/sparql with %d serving process(es) of %d thread(s)",
                 self.settings.store, *self.listener.getsockname()[:2], len(self.processes), self.settings.threads)

    def _spawn(self, slot: int) -> None:
        config = {"settings": dataclasses.asdict(self.settings), "slot": slot, "fd": self.listener.fileno(),
                  "state": str(self.state.path), "writer_socket": str(self.writer_socket)}
        proc = subprocess.Popen([sys.executable, "-m", "server.processes.replica", json.dumps(config)],
                                pass_fds=[self.listener.fileno()], cwd=ROOT)
        self.processes[slot] = (proc, time.monotonic())

    async def _watch(self) -> None:
        while not self._stopping:
            await asyncio.sleep(0.2)
            for slot, entry in enumerate(self.processes):
                if entry is None or entry[0].poll() is None:
                    continue
                proc, started = entry
                self.state.clear_slot(slot)
                if self._stopping:
                    return
                if proc.returncode != 0:
                    log.warning("serving process %d (pid %d) ended with %s; starting another",
                                slot, proc.pid, proc.returncode)
                if time.monotonic() - started < QUICK_DEATH:
                    await asyncio.sleep(RESPAWN_PAUSE)     # failing at start: do not spin
                if not self._stopping:
                    self._spawn(slot)

    async def stop(self) -> None:
        self._stopping = True
        if self._watcher is not None:
            self._watcher.cancel()
        running = [entry[0] for entry in self.processes if entry is not None and entry[0].poll() is None]
        for proc in running:
            proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in running:
            try:
                await asyncio.to_thread(proc.wait, max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait)


def _exit_on_sigterm(signum: int, frame) -> None:
    """SIGTERM after the graceful shutdown: leave through the `finally` that removes the work folder."""
    raise SystemExit(128 + signum)


def bind(host: str, port: int) -> socket.socket:
    """The public listening socket, bound here and shared with every serving process."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    listener = socket.create_server((host, port), family=family, backlog=2048,
                                    dualstack_ipv6=family == socket.AF_INET6 and socket.has_dualstack_ipv6())
    listener.set_inheritable(True)
    return listener


def serve(settings: Settings) -> None:
    import uvicorn

    from server.http.app import asgi_app, create_app
    if not 1 <= settings.workers <= MAX_SLOTS:
        log.error("--workers must be between 1 and %d, not %d", MAX_SLOTS, settings.workers)
        raise SystemExit(2)
    settings = dataclasses.replace(settings, store=str(Path(settings.store).resolve()))   # serving processes run in ROOT
    try:
        listener = bind(settings.host, settings.port)
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", settings.host, settings.port, exc.strerror or exc)
        raise SystemExit(2) from None
    workdir = Path(tempfile.mkdtemp(prefix="claimgraph-serve-"))
    try:
        state = SharedState.create(workdir / "state")
        writer_socket = workdir / "writer.sock"
        supervisor = Supervisor(settings, listener, state, writer_socket)
        app = create_app(settings, role="writer", shared=state, lifecycle=supervisor)
        config = uvicorn.Config(asgi_app(app), uds=str(writer_socket), log_level="warning", access_log=False,
                                loop="auto", http="auto", timeout_graceful_shutdown=5,
                                forwarded_allow_ips="*")   # only serving processes reach this socket
        # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler it
        # found installed; with the default one the process would die before the cleanup below
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        uvicorn.Server(config).run()
    finally:
        listener.close()
        shutil.rmtree(workdir, ignore_errors=True)
