"""kill -9 a process that keeps replacing graphs: the store must reopen with every graph whole.

The writer replaces three graphs over and over; version i of a graph has a size that depends
on i and every triple carries i, so a half-applied replace shows up as mixed versions or a
wrong count. It is killed with SIGKILL at random moments, 20 times, on the same store folder.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from pyoxigraph import NamedNode

from conftest import ROOT
from store import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

GRAPHS = [f"https://w3id.org/claimgraph/id/doc/crash-{n}" for n in range(3)]
KILLS = 20

WRITER = r"""
import sys
from pyoxigraph import Literal, NamedNode, Quad
from store import open_store

graphs = sys.argv[2:]
version_of = NamedNode("http://example.org/version")
store = open_store(sys.argv[1])
i = 0
while True:
    for graph in graphs:
        size = 200 + (i % 9) * 150
        quads = [Quad(NamedNode(f"{graph}/item/{k}"), version_of, Literal(str(i))) for k in range(size)]
        store.replace_graph(graph, quads)
    if i == 0:
        print("ready", flush=True)
    i += 1
"""

SNAPSHOT = "SELECT ?g ?v (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?v } } GROUP BY ?g ?v"


def expected_size(version: int) -> int:
    return 200 + (version % 9) * 150


def test_kill_9_leaves_each_graph_entirely_old_or_new(tmp_path):
    path = tmp_path / "store"
    rng = random.Random(20261123)
    versions_seen = set()
    for attempt in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), *GRAPHS], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=60)
        with open_store(path) as store:
            assert store.graphs() == sorted(GRAPHS)
            for graph in GRAPHS:
                view = {row["v"].value: int(row["n"].value)
                        for row in store.query(SNAPSHOT, bindings={"g": NamedNode(graph)})}
                assert len(view) == 1, f"attempt {attempt}: {graph} mixes versions {view}"
                (version, count), = view.items()
                assert count == expected_size(int(version)), f"attempt {attempt}: {graph} is half written"
                versions_seen.add(int(version))
    assert len(versions_seen) > 1     # the kills did land at different moments
