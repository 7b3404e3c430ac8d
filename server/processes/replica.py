"""A serving process of `claimgraph serve` (see `server.processes.serve`): the whole application on the
shared listening socket, reads from a read-only open of the store, writes forwarded to the writer.

Started by `server.processes.serve` as `python -m server.processes.replica CONFIG_JSON`. It retires — stops taking
connections, finishes the requests it has, exits — after a query outlives the timeout, because
the thread running that query cannot be stopped; the writer process starts a replacement.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

RETIRE_GRACE = 1.0     # seconds between closing the listener and shutting down, when retiring


def _die_with_parent() -> None:
    """Linux: end this process when the writer process dies, even by kill -9, so a serving
    process (and any runaway query in it) never outlives the server that started it."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    _die_with_parent()
    import uvicorn

    from common.config import Settings
    from server.http.app import asgi_app, create_app
    from server.processes.shared_state import SharedState

    config = json.loads(argv[0])
    settings = Settings(**config["settings"])
    listener = socket.socket(fileno=int(config["fd"]))
    app = create_app(settings, role="replica", shared=SharedState.attach(Path(config["state"])),
                     slot=int(config["slot"]), writer_socket=config["writer_socket"])
    server = uvicorn.Server(uvicorn.Config(asgi_app(app), log_level="warning", access_log=False, loop="auto", http="auto",
                                          timeout_graceful_shutdown=5))

    def retire() -> None:
        """Stop accepting at once (the other serving processes take new connections), give
        connections accepted a moment ago time to send their request, then shut down: uvicorn
        finishes the requests in hand and closes idle connections."""
        import asyncio
        for listening in server.servers:
            listening.close()
        asyncio.get_running_loop().call_later(RETIRE_GRACE, lambda: setattr(server, "should_exit", True))
    app.state.engine.on_runaway = retire
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if server.started else 1)   # not a normal exit: a runaway query's thread may still run


if __name__ == "__main__":
    main(sys.argv[1:])
