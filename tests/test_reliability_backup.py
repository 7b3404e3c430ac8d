"""Back up and restore, as the README's "Operating claimgraph" section says: `claimgraph export
--format nquads` (store not in use) or GET /dump.nq (while `claimgraph serve` runs), then
`claimgraph load` into an empty folder gives back every document graph quad for quad, and the
restored store passes `claimgraph validate`."""
from __future__ import annotations

import httpx
import pytest

from conftest import SEEDS, Server, run_cli
from reliability_support import document_graphs, validate


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    path = str(tmp_path_factory.mktemp("backup") / "store")
    run_cli("--store", path, "ingest", str(SEEDS))
    return path


def _restore_and_compare(dump_file, original: str, tmp_path) -> None:
    restored = tmp_path / "restored"
    run_cli("--store", str(restored), "load", str(dump_file))
    before, after = document_graphs(original), document_graphs(restored)
    assert len(before) == 5 and after == before
    checked = validate(restored)
    assert checked.returncode == 0, checked.stderr.decode()[-3000:]


def test_export_and_load_restore_every_document_graph(store, tmp_path):
    dump_file = tmp_path / "backup.nq"
    run_cli("--store", store, "export", "--format", "nquads", "--output", str(dump_file))
    _restore_and_compare(dump_file, store, tmp_path)


def test_a_running_server_is_backed_up_through_dump_nq(store, tmp_path):
    server = Server(store)
    dump_file = tmp_path / "online.nq"
    try:
        with httpx.stream("GET", f"{server.base}/dump.nq", timeout=120) as response, dump_file.open("wb") as out:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                out.write(chunk)
    finally:
        server.stop()
    _restore_and_compare(dump_file, store, tmp_path)
