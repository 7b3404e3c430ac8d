"""The extraction, end to end: seeds ingested by the CLI, served, scored by ../shared/eval.

Thresholds sit a little below what the pipeline reaches, so a regression fails CI.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import GOLD, ROOT, SCORER, SEEDS, Server, run_cli

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py not found")

# Reached on the seeds: 1.000 for all three, every attribute 33/33, recall 0.913 without the
# known-actor vocabulary; the issue asks for 0.90 / 0.85 / 0.95, 90 % and 0.80.
THRESHOLDS = {"actors": 0.95, "claims": 0.95, "quantities": 0.97}
ATTRIBUTE_SHARE = 0.95
NO_VOCABULARY_ACTOR_RECALL = 0.85


def score(endpoint: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCORER), "--endpoint", endpoint, "--queries",
                           str(ROOT / "queries"), "--gold", str(GOLD), "--corpus", str(SEEDS), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def summary(seed_server) -> dict:
    return score(seed_server.sparql)


@pytest.mark.parametrize("part", sorted(THRESHOLDS))
def test_f1_above_threshold(summary, part):
    assert summary[part]["f1"] >= THRESHOLDS[part], summary[part]


@pytest.mark.parametrize("attribute", ["unit", "qualifier", "period", "modality"])
def test_quantity_attributes_mostly_right(summary, attribute):
    counts = summary["attributes"][attribute]
    assert counts["of"] > 0
    assert counts["correct"] / counts["of"] >= ATTRIBUTE_SHARE, counts


def test_every_article_stance_right(summary):
    assert summary["article_stance"]["correct"] == summary["article_stance"]["of"] == 5


def test_no_actor_split_and_no_document_missing(summary):
    assert summary["cross_document_identity"]["split_into_several_iris"] == []
    assert summary["cross_document_identity"]["actors_in_several_documents"] >= 1
    assert summary["missing_documents"] == []


def test_speakers_found_without_known_actor_vocabulary(tmp_path):
    store = str(tmp_path / "store")
    run_cli("--store", store, "ingest", "--no-known-actors", str(SEEDS))
    server = Server(store)
    try:
        result = score(server.sparql)
    finally:
        server.stop()
    assert result["actors"]["recall"] >= NO_VOCABULARY_ACTOR_RECALL, result["actors"]
