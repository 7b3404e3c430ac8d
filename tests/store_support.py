"""Helpers for the store tests: a real `oxigraph serve` on loopback, and a server that never answers."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from conftest import ServiceProcess, free_port


def oxigraph_binary() -> str | None:
    """The `oxigraph` CLI from the PyPI package `oxigraph` (installed beside this Python)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class OxigraphServer(ServiceProcess):
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT` as a subprocess."""

    name = "oxigraph serve"
    start_timeout = 60.0

    def __init__(self, location: Path) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the `oxigraph` binary is missing: pip install 'oxigraph>=0.5,<0.6'")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.location = f"sparql+{self.base}/query"
        self._launch([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
                     f"oxigraph-{self.port}.log")

    def _ready(self) -> bool:
        httpx.get(f"{self.base}/query", params={"query": "ASK {}"}, timeout=2)
        return True


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


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
ResultSetMaxRows = 1000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""

# The anonymous SPARQL user may write: acceptable only for a throw-away loopback test database.
VIRTUOSO_GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL"; '
                   'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
                   'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";')


class VirtuosoServer(ServiceProcess):
    """`virtuoso-t +foreground` with a fresh database in `folder`, SPARQL at /sparql on loopback."""

    name = "virtuoso-t"
    stop_timeout = 60.0

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=self.sql_port, http_port=self.http_port))
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.location = f"sparql+{self.base}/sparql?preset=virtuoso"
        self._launch(["virtuoso-t", "+foreground", "+configfile", str(ini)], f"virtuoso-{self.http_port}.log",
                     cwd=folder)
        subprocess.run(["isql-vt", str(self.sql_port), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                       check=True, capture_output=True, timeout=60)

    def _ready(self) -> bool:
        return httpx.get(f"{self.base}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200
