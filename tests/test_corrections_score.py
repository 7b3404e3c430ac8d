"""The scorer sees corrections (issue 17): ../shared/eval/score.py, run against the served seed
graph, scores higher once an analyst fixes what it counts as wrong.

The seeds are ingested with the default pipeline, which makes two claims the gold does not hold
(QUALITY.md) and reads two claims without their stance and one figure with the wrong modality.
Rejecting the false claims raises claims precision and F1; setting the stances and the modality
raises those attribute counts. A speaker is first corrected to a wrong actor (so the test
starts from a wrong attribution the scorer sees) and then re-attributed: the claim counts again.
"""
from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest

from common import queries
from conftest import GOLD, ROOT, SCORER, SEEDS, Server, run_cli

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py not found")
TOKEN = "scorer-analyst-token"
FALSE_HIT = re.compile(r"^(\S+): claim by '(.+)' not in the gold: '(.+)'$")
NO_STANCE = re.compile(r"^(\S+): claim '(.+)' stance None, gold (\w+)$")
MODALITY = re.compile(r"^(\S+): quantity '(.+)' modality: got '\w+', gold '(\w+)'$")


def score(server: Server) -> tuple[dict, list[str]]:
    import json
    args = [sys.executable, str(SCORER), "--endpoint", server.sparql, "--queries", str(ROOT / "queries"),
            "--gold", str(GOLD), "--corpus", str(SEEDS)]
    summary = subprocess.run([*args, "--json"], capture_output=True, text=True, timeout=300, check=True)
    errors = subprocess.run([*args, "--errors"], capture_output=True, text=True, timeout=300, check=True)
    lines = errors.stdout.splitlines()
    return json.loads(summary.stdout), lines


def rows(server: Server, name: str) -> list[dict]:
    response = httpx.post(server.sparql, data={"query": queries.load(name)},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def correct(server: Server, body: dict) -> None:
    response = httpx.post(f"{server.base}/api/corrections", json=body,
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert response.status_code == 201, response.text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("score")
    (base / "analysts.txt").write_text(f"{TOKEN} Quality Reviewer\n")
    store = str(base / "store")
    run_cli("--store", store, "ingest", str(SEEDS))
    served = Server(store, "--analysts", str(base / "analysts.txt"))
    yield served
    served.stop()


def test_rejecting_false_claims_and_fixing_attributes_raises_the_seed_scores(server):
    before, errors = score(server)
    false_hits = [FALSE_HIT.match(line).groups() for line in errors if FALSE_HIT.match(line)]
    assert false_hits, "the default pipeline's two false claims on the seeds (QUALITY.md) should be here"
    claims = rows(server, "claims")
    for doc, speaker, text in false_hits:
        [target] = [r["claim"] for r in claims if r["doc"] == doc and r["speaker"] == speaker and r["text"].startswith(text)]
        correct(server, {"kind": "reject", "target": target, "note": "not in the gold"})
    for doc, text, stance in (NO_STANCE.match(line).groups() for line in errors if NO_STANCE.match(line)):
        [target] = [r["claim"] for r in claims if r["doc"] == doc and text in r["text"]]   # the gold's words
        correct(server, {"kind": "set_stance", "target": target, "stance": stance})
    for doc, text, modality in (MODALITY.match(line).groups() for line in errors if MODALITY.match(line)):
        [target] = [r["quantity"] for r in rows(server, "quantities") if r["doc"] == doc and r["text"] == text]
        correct(server, {"kind": "set_quantity", "target": target, "modality": modality})

    after, errors = score(server)
    assert after["claims"]["fp"] == before["claims"]["fp"] - len(false_hits) == 0
    assert after["claims"]["f1"] > before["claims"]["f1"]
    assert after["claims"]["f1"] == 1.0 and after["claims"]["tp"] == before["claims"]["tp"]
    for attribute, counts in after["attributes"].items():
        assert counts["correct"] >= before["attributes"][attribute]["correct"], attribute
    assert after["attributes"]["modality"]["correct"] == after["attributes"]["modality"]["of"]
    assert after["attributes"]["claim_stance"]["correct"] > before["attributes"]["claim_stance"]["correct"]


def test_reattributing_a_speaker_raises_the_claims_score(server):
    baseline, _ = score(server)
    target = next(r["claim"] for r in rows(server, "claims") if "growing desperation" in r["text"])
    putin = next(r["actor"] for r in rows(server, "actors") if r["name"] == "Vladimir Putin")
    rutte = next(r["actor"] for r in rows(server, "actors") if r["name"] == "Mark Rutte")
    correct(server, {"kind": "set_speaker", "target": target, "speaker": putin})          # a wrong attribution
    wrong, errors = score(server)
    assert wrong["claims"]["f1"] < baseline["claims"]["f1"]
    assert any("growing desperation" in line and "'Vladimir Putin', gold 'Mark Rutte'" in line for line in errors)
    correct(server, {"kind": "set_speaker", "target": target, "speaker": rutte})          # the analyst's fix
    fixed, _ = score(server)
    assert fixed["claims"]["f1"] > wrong["claims"]["f1"]
    assert fixed["claims"]["f1"] == baseline["claims"]["f1"]
