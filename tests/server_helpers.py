"""Shared helpers for the endpoint tests: a fixture store and small HTTP shortcuts."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from conftest import Server, run_cli

FIXTURE = Path(__file__).parent / "data" / "server_fixture.trig"
EX = "http://example.org/"
TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = "application/sparql-results+json"


def fixture_store(tmp_path_factory, name: str = "server") -> str:
    """A fresh store holding tests/data/server_fixture.trig, loaded with the real CLI."""
    store = str(tmp_path_factory.mktemp(name) / "store")
    run_cli("--store", store, "load", str(FIXTURE))
    return store


def start(store: str, *args: str, env: dict | None = None) -> Server:
    return Server(store, *args, env=env)


def select(server: Server, query: str, **params) -> list[dict]:
    response = httpx.get(server.sparql, params={"query": query, **params}, headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def values(rows: list[dict], var: str) -> set[str]:
    return {row[var]["value"] for row in rows if var in row}


def ask(server: Server, query: str) -> bool:
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def serving_pids(server: Server) -> set[int]:
    """The server's child processes: its serving processes."""
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def wait_for(predicate, seconds: float = 30.0) -> bool:
    """Poll until `predicate()` holds or time runs out; the last answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()
