"""Analysts' corrections (issue 17), through the real server and CLI on the seed articles.

Each kind is made through POST /api/corrections and then seen where analysts look: the contract
queries over SPARQL (so every page and named query), the correction's history with its analyst,
and the provenance on the corrected item. Corrections survive re-ingest, follow their words when
the text shifts, and are orphaned (kept, reported) when their words are gone. Without a valid
token or with a bad field nothing is written; concurrent corrections of one document are all kept.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading

import httpx
import pytest

from common import iris, queries
from conftest import SEEDS, Server, run_cli

DOC4 = iris.document("004_e5535fbe168a5709")
DOC0 = iris.document("000_f25e33771724bfdc")
RUTTE = iris.ID + "actor/mark-rutte"
ALICE, BOB = "alice-secret-token-1", "bob-secret-token-22"


def analysts_file(tmp_path) -> str:
    path = tmp_path / "analysts.txt"
    path.write_text(f"# who may correct\n{ALICE} Alice Analyst\n{BOB} Bob Reviewer\n")
    return str(path)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("seed corpus not found")
    base = tmp_path_factory.mktemp("corrections")
    store = str(base / "store")
    run_cli("--store", store, "ingest", str(SEEDS))
    server = Server(store, "--analysts", analysts_file(base))
    yield server
    server.stop()


def post(server, body, token=ALICE) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{server.base}/api/corrections", json=body, headers=headers, timeout=60)


def rows(server, name: str) -> list[dict]:
    response = httpx.post(server.sparql, data={"query": queries.load(name)},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def ask(server, query: str) -> bool:
    response = httpx.post(server.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return response.json()["boolean"]


def claim(server, doc_id: str, words: str) -> dict:
    return next(r for r in rows(server, "claims") if r["doc"] == doc_id and words in r["text"])


def history(server, item: str) -> list[dict]:
    response = httpx.get(f"{server.base}/api/corrections", params={"item": item}, timeout=30)
    assert response.status_code == 200
    return response.json()["corrections"]


def provenance(server, item: str, correction_iri: str) -> bool:
    return ask(server, f"ASK {{ GRAPH ?g {{ <{item}> <{iris.CG}correctedBy> <{correction_iri}> }} }}")


def dump_digest(server) -> str:
    return hashlib.sha256(httpx.get(f"{server.base}/dump.nq", timeout=60).content).hexdigest()


# ---- access and validation --------------------------------------------------------------------

def test_no_token_or_a_bad_token_changes_nothing(served):
    target = claim(served, "004_e5535fbe168a5709", "growing desperation")["claim"]
    before = dump_digest(served)
    body = {"kind": "reject", "target": target}
    assert post(served, body, token=None).status_code == 401
    assert post(served, body, token="not-an-analyst-token").status_code == 403
    assert dump_digest(served) == before
    assert history(served, target) == []


@pytest.mark.parametrize("body, field", [
    ({"kind": "demolish", "target": DOC4}, "kind"),
    ({"kind": "set_stance", "target": DOC4, "stance": "WAR_FOREVER"}, "stance"),
    ({"kind": "set_quantity", "target": DOC4 + "/quantity/1-2", "period": "monthly"}, "period"),
    ({"kind": "set_quantity", "target": DOC4 + "/quantity/1-2", "low": 5}, "high"),
    ({"kind": "reject", "target": DOC4 + "/claim/1-2"}, "target"),
    ({"kind": "reject", "target": RUTTE}, "document"),
    ({"kind": "add_claim", "document": "004_e5535fbe168a5709", "start": 10, "end": 5, "speaker": RUTTE}, "end"),
    ({"kind": "add_claim", "document": "004_e5535fbe168a5709", "start": 0, "end": 7, "exact": "nonsense",
      "speaker": RUTTE}, "exact"),
    ({"kind": "set_speaker", "target": DOC4 + "/claim/873-961"}, "speaker"),
    ({"kind": "merge", "target": RUTTE, "into": iris.ID + "actor/nobody-at-all"}, "into"),
])
def test_a_bad_field_gets_400_naming_it_and_nothing_is_written(served, body, field):
    before = dump_digest(served)
    response = post(served, body)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field, response.json()
    assert field in response.json()["detail"]
    assert dump_digest(served) == before


def test_the_api_is_documented_in_openapi(served):
    schema = httpx.get(f"{served.base}/openapi.json").json()
    post_op = schema["paths"]["/api/corrections"]["post"]
    assert {"201", "400", "401", "403"} <= set(post_op["responses"])
    assert "kind" in post_op["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "get" in schema["paths"]["/api/corrections"]


# ---- each kind ------------------------------------------------------------------------------------

def test_reject_a_claim(served):
    target = claim(served, "004_e5535fbe168a5709", "30,000 new soldiers")["claim"]
    response = post(served, {"kind": "reject", "target": target, "note": "a figure, not a claim"})
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["status"] == "applied" and made["creator"] == "Alice Analyst"
    assert made["selector"]["exact"].startswith("Russia recruits about 30,000")
    assert target not in {r["claim"] for r in rows(served, "claims")}
    [entry] = history(served, target)
    assert entry["kind"] == "reject" and entry["note"] == "a figure, not a claim" and entry["created"]
    assert ask(served, f"ASK {{ GRAPH <{DOC4}> {{ <{DOC4}> <{iris.CG}appliedCorrection> <{made['iri']}> }} }}")
    assert ask(served, f"""ASK {{ GRAPH <{iris.CURATION_GRAPH}> {{ <{made['iri']}> a <http://www.w3.org/ns/oa#Annotation> ;
        <http://www.w3.org/ns/oa#motivatedBy> <http://www.w3.org/ns/oa#assessing> }} }}""")


def test_set_a_speaker_to_an_existing_actor_and_to_a_new_one(served):
    target = claim(served, "004_e5535fbe168a5709", "not able to conduct warfare")["claim"]
    made = post(served, {"kind": "set_speaker", "target": target, "speaker": RUTTE}, token=BOB).json()
    assert claim(served, "004_e5535fbe168a5709", "not able to conduct warfare")["speaker"] == "Mark Rutte"
    assert provenance(served, target, made["iri"])
    made = post(served, {"kind": "set_speaker", "target": target, "speaker_name": "Jack Watling Jr"}).json()
    row = claim(served, "004_e5535fbe168a5709", "not able to conduct warfare")
    assert row["speaker"] == "Jack Watling Jr" and row["speakerIri"] == iris.actor("Jack Watling Jr")
    assert [h["creator"] for h in history(served, target)] == ["Bob Reviewer", "Alice Analyst"]


def test_set_a_claim_stance_and_the_article_stance(served):
    target = claim(served, "004_e5535fbe168a5709", "growing desperation")["claim"]
    assert post(served, {"kind": "set_stance", "target": target, "stance": None}).status_code == 201
    assert claim(served, "004_e5535fbe168a5709", "growing desperation").get("stance", "") == ""
    assert post(served, {"kind": "set_stance", "target": DOC4, "stance": "TRUCE_AS_REGROUPING"}).status_code == 201
    stance = {r["doc"]: r.get("stance") for r in rows(served, "documents")}
    assert stance["004_e5535fbe168a5709"] == "TRUCE_AS_REGROUPING"


def test_set_a_quantity(served):
    q = next(r for r in rows(served, "quantities") if r["doc"] == "000_f25e33771724bfdc" and r["text"].startswith("180,000"))
    response = post(served, {"kind": "set_quantity", "target": q["quantity"], "low": 170000, "high": 190000,
                             "qualifier": "range", "modality": "estimate", "period": "P1Y", "unit": "soldiers"})
    assert response.status_code == 201, response.text
    after = next(r for r in rows(served, "quantities") if r["quantity"] == q["quantity"])
    assert (after["low"], after["high"], after.get("value")) == ("170000", "190000", None)
    assert (after["qualifier"], after["modality"], after["period"], after["unit"]) == ("range", "estimate", "P1Y", "soldiers")
    post(served, {"kind": "set_quantity", "target": q["quantity"], "value": 180000, "period": None})
    after = next(r for r in rows(served, "quantities") if r["quantity"] == q["quantity"])
    assert after["value"] == "180000" and "low" not in after and "period" not in after


def test_reject_a_quantity_and_an_actor(served):
    q = next(r for r in rows(served, "quantities") if r["doc"] == "000_f25e33771724bfdc" and r["text"].startswith("over 2,400"))
    assert post(served, {"kind": "reject", "target": q["quantity"]}).status_code == 201
    assert q["quantity"] not in {r["quantity"] for r in rows(served, "quantities")}
    economist = next(r for r in rows(served, "actors") if r["doc"] == "004_e5535fbe168a5709" and r["name"] == "The Economist")
    assert post(served, {"kind": "reject", "target": economist["actor"], "document": DOC4}).status_code == 201
    assert economist["actor"] not in {r["actor"] for r in rows(served, "actors") if r["doc"] == "004_e5535fbe168a5709"}
    assert "The Economist" not in {r["speaker"] for r in rows(served, "claims") if r["doc"] == "004_e5535fbe168a5709"}


def test_merge_moves_every_claim_and_split_undoes_it(served):
    isw = next(r["actor"] for r in rows(served, "actors") if r["name"] == "Institute for the Study of War")
    before = [r["claim"] for r in rows(served, "claims") if r["speakerIri"] == isw]
    assert len(before) >= 2
    merge = post(served, {"kind": "merge", "target": isw, "into": RUTTE, "note": "test merge"})
    assert merge.status_code == 201, merge.text
    speakers = {r["claim"]: r["speakerIri"] for r in rows(served, "claims")}
    assert all(speakers[c] == RUTTE for c in before)
    assert isw not in set(speakers.values())
    assert ask(served, f"ASK {{ GRAPH <{DOC4}> {{ <{isw}> <http://www.w3.org/2002/07/owl#sameAs> <{RUTTE}> }} }}")
    assert ask(served, f"ASK {{ GRAPH <{DOC4}> {{ <{RUTTE}> <http://www.w3.org/2004/02/skos/core#altLabel> "
                       f"\"Institute for the Study of War\" }} }}")
    labels = [r for r in rows(served, "actors") if r["doc"] == "004_e5535fbe168a5709" and r["actor"] == RUTTE]
    assert [r["name"] for r in labels] == ["Mark Rutte"]          # still one preferred name per graph
    split = post(served, {"kind": "split", "target": isw, "into": RUTTE})
    assert split.status_code == 201, split.text
    speakers = {r["claim"]: r["speakerIri"] for r in rows(served, "claims")}
    assert all(speakers[c] == isw for c in before)
    statuses = {h["kind"]: h["status"] for h in history(served, isw)}
    assert statuses == {"merge": "undone", "split": "applied"}


def test_add_a_missed_claim_and_quantity_by_selecting_words(served):
    text = httpx.post(served.sparql, data={"query": f"SELECT ?t {{ GRAPH <{DOC4}> {{ <{DOC4}> <{iris.CG}text> ?t }} }}"},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["t"]["value"]
    words = "Currently, Russia does not have sufficient forces"
    start = text.index(words)
    made = post(served, {"kind": "add_claim", "document": "004_e5535fbe168a5709", "start": start,
                         "end": start + len(words), "exact": words, "speaker_name": "a high-ranking NATO official",
                         "speaker_kind": "Group", "cue": "explained", "stance": "RUSSIA_NEEDS_PEACE"})
    assert made.status_code == 201, made.text
    row = claim(served, "004_e5535fbe168a5709", words)
    assert (row["speaker"], row["cue"], row["stance"], int(row["start"])) == \
        ("a high-ranking NATO official", "explained", "RUSSIA_NEEDS_PEACE", start)
    figure = "600,000 Russian soldiers"
    start = text.index(figure)
    made = post(served, {"kind": "add_quantity", "document": DOC4, "start": start, "end": start + len(figure),
                         "value": 600000, "unit": "Russian soldiers", "qualifier": "approximately", "modality": "estimate"})
    assert made.status_code == 201, made.text
    assert any(r["text"] == figure and r["value"] == "600000" and r["qualifier"] == "approximately"
               for r in rows(served, "quantities"))


def test_the_corrected_graph_still_conforms(served, tmp_path):
    path = tmp_path / "dump.nq"
    path.write_bytes(httpx.get(f"{served.base}/dump.nq", timeout=60).content)
    result = run_cli("validate", "--file", str(path), check=False)
    assert result.returncode == 0, result.stderr.decode()[-3000:]


def test_concurrent_corrections_of_one_document_lose_neither(served):
    targets = [r["claim"] for r in rows(served, "claims") if r["doc"] == "001_1910fad2aa13764a"][:4]
    assert len(targets) == 4
    results: list[int] = []

    def correct(target: str, token: str) -> None:
        results.append(post(served, {"kind": "set_stance", "target": target, "stance": "RUSSIA_NEEDS_PEACE"},
                            token=token).status_code)
    threads = [threading.Thread(target=correct, args=(t, ALICE if i % 2 else BOB)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 4
    stances = {r["claim"]: r.get("stance") for r in rows(served, "claims")}
    assert all(stances[t] == "RUSSIA_NEEDS_PEACE" for t in targets)
    assert all(len(history(served, t)) == 1 for t in targets)


# ---- re-ingest, orphans, CLI --------------------------------------------------------------------

def cli_json(store: str, *args: str) -> list[dict]:
    out = run_cli("--store", store, *args).stdout.decode()
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_corrections_survive_reingest_follow_shifted_words_and_orphan_when_words_go(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "004_e5535fbe168a5709.txt", corpus)
    store = str(tmp_path / "store")
    run_cli("--store", store, "ingest", str(corpus))
    claims = {r["text"]: r["claim"] for r in _claims(store)}
    desperation = next(c for t, c in claims.items() if "growing desperation" in t)
    fears = next(c for t, c in claims.items() if "Putin fears" in t)
    cli_json(store, "correct", "set_stance", "--target", desperation, "--stance", "TRUCE_AS_REGROUPING", "--by", "Carol")
    cli_json(store, "correct", "reject", "--target", fears, "--by", "Carol", "--note", "an assessment, not a quote")

    run_cli("--store", store, "ingest", str(corpus))                     # the same text again
    after = {r["claim"]: r for r in _claims(store)}
    assert after[desperation]["stance"] == "TRUCE_AS_REGROUPING" and fears not in after

    path = corpus / "004_e5535fbe168a5709.txt"                           # a newer version of the article
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if "Putin fears" in l)
    path.write_text("Updated: 31 October 2024\n" + text.replace(line, ""), encoding="utf-8")
    report = run_cli("--store", store, "ingest", str(corpus)).stderr.decode()
    assert "orphaned" in report
    moved = next(r for r in _claims(store) if "growing desperation" in r["text"])
    assert moved["claim"] != desperation and moved["stance"] == "TRUCE_AS_REGROUPING"   # followed its words
    orphans = cli_json(store, "corrections", "--orphaned")
    assert [(o["kind"], o["target"], o["note"]) for o in orphans] == [("reject", fears, "an assessment, not a quote")]
    assert len(cli_json(store, "corrections")) == 2                       # kept, never dropped


def _claims(store: str) -> list[dict]:
    out = run_cli("--store", store, "query", "claims", "--format", "json").stdout
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(out)["results"]["bindings"]]


def test_export_and_import_json_lines_and_export_as_gold(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "004_e5535fbe168a5709.txt", corpus)
    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    for store in (first, second):
        run_cli("--store", store, "ingest", str(corpus))
    target = next(r["claim"] for r in _claims(first) if "growing desperation" in r["text"])
    cli_json(first, "correct", "set_speaker", "--target", target, "--speaker-name", "Dana Scully", "--by", "Carol")
    exported = tmp_path / "corrections.jsonl"
    run_cli("--store", first, "corrections", "export", str(exported))
    run_cli("--store", second, "corrections", "import", str(exported))
    run_cli("--store", second, "corrections", "import", str(exported))   # again: nothing doubled
    [imported] = cli_json(second, "corrections")
    assert imported["creator"] == "Carol" and imported["status"] == "applied"
    assert next(r for r in _claims(second) if r["claim"] == target)["speaker"] == "Dana Scully"
    gold_path = tmp_path / "gold.json"
    run_cli("--store", second, "corrections", "export", "--as-gold", str(gold_path))
    gold = json.loads(gold_path.read_text())
    [doc] = gold["documents"]
    assert doc["doc"] == "004_e5535fbe168a5709"
    assert any(c["speaker"] == "Dana Scully" and "growing desperation" in c["evidence"] for c in doc["claims"])
    assert {"doc", "article_stance", "actors", "claims", "quantities"} <= set(doc)


def _count(server, graph: str, about: str | None = None) -> int:
    pattern = f"<{about}> ?p ?o" if about else "?s ?p ?o"
    rows_ = httpx.post(server.sparql, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=60).json()["results"]["bindings"]
    return int(rows_[0]["n"]["value"])


def test_a_correction_keeps_the_documents_inferred_graph_in_step(served):
    """The ingest writes each document's inferred graph beside it (issue 16); a correction
    re-derives it from the corrected graph, and never copies inferred triples into the document."""
    inferred = iris.inferred_graph(DOC0)
    target = rows(served, "claims")
    target = next(r["claim"] for r in target if r["doc"] == "000_f25e33771724bfdc")
    document_before, inferred_before = _count(served, DOC0), _count(served, inferred)
    assert inferred_before > 0 and _count(served, inferred, target) > 0
    response = post(served, {"kind": "reject", "target": target})
    assert response.status_code == 201, response.text
    assert _count(served, DOC0, target) == 0 and _count(served, inferred, target) == 0
    assert _count(served, DOC0) < document_before + 5   # provenance only, no inferred triples moved in
    assert 0 < _count(served, inferred) < inferred_before
