"""The store-level summary (reasoning/summary.py): kept in step by every write of the embedded
store, equal to a rebuild from the tallies after each kind of write, left out of a dump without
inference, and read by the queries only while current (their answers are the same without it)."""
from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, serialize

from common import iris
from ingest.map import to_quads
from ingest.model import Claim
from reasoning import summary
from reasoning.reasoner import inferred_graph_quads, refresh_ontology
from server.routes import query_catalog
from store import open_store
from store.terms import replace_graphs_update, substitutions
from tests.summary_support import SUMMARY, document_quads, ingest_extractions, rebuilt_summary, stored_summary
from tests.ontology_samples import INSTITUTE, PERSON, _span, sample_extraction

STANCE = "https://w3id.org/claimgraph/stance/"


def _extraction(doc_id: str, published: str, publisher: str | None, more_claims: bool = True):
    """The sample document under another id, date and publisher; with `more_claims` two more
    claims (the analyst without a stance, the institute for peace)."""
    ex = sample_extraction(doc_id)
    ex = dataclasses.replace(ex, article=dataclasses.replace(ex.article, published=published, publisher=publisher))
    if not more_claims:
        return ex
    extra = [Claim(speaker="mira-testova", cue="said", text="The institute", span=_span("The institute")),
             Claim(speaker="example-institute", cue="estimated", text="the army fires",
                   span=_span("the army fires"), stance="RUSSIA_NEEDS_PEACE")]
    return dataclasses.replace(ex, claims=ex.claims + extra)


def _counts(store) -> dict:
    """{(kind, dimensions...): {count predicate: value}} of the stored summary."""
    nodes: dict = {}
    for q in stored_summary(store):
        nodes.setdefault(q.subject, {})[q.predicate.value.split("#")[1]] = q.object.value
    out = {}
    for node, facts in nodes.items():
        if node == SUMMARY:
            continue
        kind = node.value[len(summary.SUMMARY_GRAPH) + 1:].split("/")[0]
        dims = tuple(facts.get(k) for k in ("summarySpeaker", "summaryName", "summaryDocument", "summaryDate",
                                           "summaryPublisher", "summaryStance") if k in facts)
        out[(kind,) + dims] = {k: int(v) for k, v in facts.items() if k in ("summaryClaims", "summaryDocuments", "summaryQuotedIn",
                                                                        "summaryWrittenIn")}
    return out


A = ("sa", "2025-02-03", "Daily A")
B = ("sb", "2025-02-03", "Daily A")
C = ("sc", "2025-03-10", None)


def test_counts_are_the_tallies_summed_across_documents(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B), _extraction(*C, more_claims=False))
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        counts = _counts(store)
        regroup, peace = STANCE + "TRUCE_AS_REGROUPING", STANCE + "RUSSIA_NEEDS_PEACE"
        assert counts[("claims", PERSON, regroup)] == {"summaryClaims": 3}
        assert counts[("claims", INSTITUTE, peace)] == {"summaryClaims": 2}
        assert counts[("speaker", PERSON)] == {"summaryDocuments": 3}
        assert counts[("speaker", INSTITUTE)] == {"summaryDocuments": 2}
        assert counts[("claims", PERSON)] == {"summaryClaims": 2}         # A's and B's claim without a stance
        assert counts[("quoted", PERSON)] == {"summaryQuotedIn": 3}
        assert counts[("name", PERSON, "Mira Testova")] == {"summaryWrittenIn": 3}
        # the day of A and B: two documents, each with a claim for either side and one without
        assert counts[("day", "2025-02-03", "Daily A", regroup)] == {"summaryClaims": 2, "summaryDocuments": 2}
        assert counts[("day", "2025-02-03", "Daily A")] == {"summaryClaims": 2, "summaryDocuments": 2}
        assert counts[("day", "2025-03-10", regroup)] == {"summaryClaims": 1, "summaryDocuments": 1}
        assert counts[("document", iris.document("sa"), peace)] == {"summaryClaims": 1}
        assert ("document", iris.document("sc"), peace) not in counts


def _actor(store, who: str) -> dict:
    """The stored actor node of `who`: {local predicate name: value, or sorted values when several}."""
    node = summary._node(("actor", NamedNode(who)))
    facts: dict = {}
    for q in store.store.quads_for_pattern(node, None, None, SUMMARY):
        facts.setdefault(q.predicate.value.split("#")[1], []).append(q.object.value)
    return {k: v[0] if len(v) == 1 else sorted(v) for k, v in facts.items()}


def test_actor_nodes_hold_each_actors_counts_and_facts(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B), _extraction(*C, more_claims=False))
        assert stored_summary(store) == rebuilt_summary(store)
        person = _actor(store, PERSON)
        assert {k: v for k, v in person.items() if k != "summaryActor"} == {
            "summaryActorRegrouping": "3", "summaryActorPeace": "0", "summaryActorStanced": "3",
            "summaryActorUnstanced": "2",            # A's and B's claim without a stance
            "summaryActorArguedIn": "3", "summaryActorQuotedIn": "3", "summaryActorMentionedIn": "3",
            "summaryActorName": "Mira Testova", "summaryActorKind": "Person",
            "summaryActorFirstMention": iris.document("sa"),    # the first of A, B, C by IRI
            "summaryActorMentionName": "Mira Testova", "summaryActorMentionKind": "Person",
            "summaryActorOnlyRole": "analyst", "summaryActorOnlyAffiliation": "Example Institute"}
        institute = _actor(store, INSTITUTE)
        # quoted for peace in A and B only, mentioned in all three; no role, no affiliation
        assert (institute["summaryActorPeace"], institute["summaryActorArguedIn"], institute["summaryActorQuotedIn"],
                institute["summaryActorMentionedIn"], institute["summaryActorKind"]) == ("2", "2", "2", "3", "Organization")
        assert not {"summaryActorRole", "summaryActorOnlyRole", "summaryActorAffiliatedWith",
                    "summaryActorOnlyAffiliation"} & set(institute)
        # the institute is someone's affiliation: its name is in the summary, on its own IRI
        assert {q.object.value for q in store.store.quads_for_pattern(NamedNode(INSTITUTE), None, None, SUMMARY)} == {"Example Institute"}
        # the publisher is named and typed in each document but neither mentioned nor quoted: no node
        assert _actor(store, iris.ID + "actor/daily-a") == {}


def _renamed(doc_id: str, name: str | None = None, role: str | None = None, institute: str | None = None,
             only_institute: bool = False):
    """Document `doc_id` (as A's) with the analyst's name and role, or the institute's name, changed;
    `only_institute`: a document naming the institute alone (no analyst, no claim)."""
    ex = _extraction(doc_id, "2025-02-03", "Daily A")
    analyst, inst = ex.actors
    analyst = dataclasses.replace(analyst, name=name or analyst.name, role=role or analyst.role)
    inst = dataclasses.replace(inst, name=institute or inst.name)
    if only_institute:
        return dataclasses.replace(ex, actors=[inst], claims=[], stance=None, stance_scores={}, stance_cues={})
    return dataclasses.replace(ex, actors=[analyst, inst])


def test_actor_facts_that_are_no_sums_follow_re_ingests_and_removals(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _renamed("sb"))
        ingest_extractions(store, _renamed("sa"))       # an earlier document (by IRI) than the one the node holds
        assert _actor(store, PERSON)["summaryActorFirstMention"] == iris.document("sa")
        assert _actor(store, PERSON)["summaryActorMentionName"] == "Mira Testova"
        assert stored_summary(store) == rebuilt_summary(store)
        # the first document (in IRI order) names the analyst otherwise and gives another role
        ingest_extractions(store, _renamed("sa", name="Mira T. Testova", role="director"))
        person = _actor(store, PERSON)
        assert person["summaryActorMentionName"] == "Mira T. Testova"      # the first document's name
        assert person["summaryActorFirstMention"] == iris.document("sa")
        assert person["summaryActorName"] == "Mira T. Testova"             # the least name of those quoting her
        assert person["summaryActorRole"] == ["analyst", "director"]
        assert stored_summary(store) == rebuilt_summary(store)
        # a document that names only her affiliation, otherwise: her affiliations change with it
        ingest_extractions(store, _renamed("sc", institute="Example Institute of Tests", only_institute=True))
        affiliations = {row[0]: row[4] for row in _answer(store, "actors_roles_affiliations", {})}[PERSON]
        assert sorted(affiliations.split("; ")) == ["Example Institute", "Example Institute of Tests"]
        assert _actor(store, PERSON)["summaryActorAffiliatedWith"] == INSTITUTE
        assert "summaryActorOnlyAffiliation" not in _actor(store, PERSON)
        assert stored_summary(store) == rebuilt_summary(store)
        store.drop_graph(iris.document("sa"))                                # the first document gone
        person = _actor(store, PERSON)
        assert (person["summaryActorMentionName"], person["summaryActorOnlyRole"]) == ("Mira Testova", "analyst")
        assert "summaryActorRole" not in person                              # one role again: no list
        assert person["summaryActorFirstMention"] == iris.document("sb")     # looked up again: sa was the first
        assert person["summaryActorMentionedIn"] == "1"
        assert stored_summary(store) == rebuilt_summary(store)
        store.drop_graph(iris.document("sc"))
        assert _actor(store, PERSON)["summaryActorOnlyAffiliation"] == "Example Institute"
        assert stored_summary(store) == rebuilt_summary(store)
        store.drop_graph(iris.document("sb"))
        assert _actor(store, PERSON) == {} and stored_summary(store) == rebuilt_summary(store)
        assert {q for q in stored_summary(store) if q.predicate != summary.actor_facts.AFFILIATION_NAME} == {summary.marker()}


def test_every_kind_of_write_keeps_the_summary_equal_to_a_rebuild(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B))                     # new documents: one bulk load
        assert stored_summary(store) == rebuilt_summary(store)
        ingest_extractions(store, _extraction(*A, more_claims=False))                   # a re-ingest: one replace
        assert stored_summary(store) == rebuilt_summary(store)
        assert ("claims", INSTITUTE, STANCE + "RUSSIA_NEEDS_PEACE") in _counts(store)   # still B's
        moved = _extraction("sb", "2025-04-01", "Daily B")                    # another date and publisher
        store.replace_graph_nquads(iris.document("sb"), serialize(document_quads(moved), format=RdfFormat.N_QUADS))
        assert stored_summary(store) == rebuilt_summary(store)
        assert not any(k[0] == "day" and "2025-02-03" in k and STANCE + "RUSSIA_NEEDS_PEACE" in k for k in _counts(store))
        # an update naming the documents it rewrites (as a correction does): the institute's claim gone
        fewer = _extraction("sb", "2025-04-01", "Daily B", more_claims=False)
        doc = iris.document("sb")
        nodes = [NamedNode(doc), NamedNode(iris.inferred_graph(doc))]
        store.update(replace_graphs_update(nodes, document_quads(fewer)), rewrites=[doc])
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        assert ("speaker", INSTITUTE) not in _counts(store)                  # a count at 0: its node goes
        # an inferred graph alone rewritten (as `claimgraph reason` does), then a document removed
        inferred = iris.inferred_graph(doc)
        store.replace_graphs({inferred: inferred_graph_quads(doc, to_quads(_extraction("sb", "2025-04-01", "Daily B")))})
        assert stored_summary(store) == rebuilt_summary(store)
        store.drop_graph(iris.document("sa"))
        assert stored_summary(store) == rebuilt_summary(store)
        store.drop_graph(doc)
        # no document left: the marker, and the names of the vocabulary's affiliations (ontology graph)
        assert {q for q in stored_summary(store) if q.predicate != summary.actor_facts.AFFILIATION_NAME} == {summary.marker()}
        assert stored_summary(store) == rebuilt_summary(store)


def test_a_bulk_load_cut_short_leaves_no_summary_marked_current_and_a_rebuild_restores_it(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A))
        store.mark_summary_stale()   # as between a bulk load and the update that follows it
        ingest_extractions(store, _extraction(*B))               # a writer on a stale summary rebuilds it first
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        store.mark_summary_stale()
        store.drop_graph(iris.document("sa"))          # not followed: the summary is not current
        assert not store.summary_current()
        assert store.ensure_summary() and stored_summary(store) == rebuilt_summary(store)
        assert ("document", iris.document("sa")) not in {k[:2] for k in _counts(store)}


def test_the_summary_is_inferred_data_left_out_of_an_asserted_dump(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A))
        in_summary = f"<{summary.SUMMARY_GRAPH}> .\n".encode()   # a statement of the summary graph
        out = BytesIO()
        store.dump(out, "nquads", inferred=False)
        assert in_summary not in out.getvalue()
        out = BytesIO()
        store.dump(out, "nquads")
        assert in_summary in out.getvalue()


def _answer(store, name: str, values: dict) -> list:
    query = query_catalog.get(name)
    result = store.store.query(query.text, substitutions=substitutions(query.bindings(values)),
                               use_default_graph_as_union=True)
    return [tuple(None if row[v] is None else row[v].value for v in result.variables) for row in result]


@pytest.mark.parametrize("name,values", [
    ("overview_actors", {}), ("overview_stances", {}), ("stance_timeline", {}), ("stance_timeline", {"bin": "week"}),
    ("stance_timeline", {"publisher": "Daily A"}), ("stance_timeline", {"from": "2025-03-01"}),
    ("timeline_documents", {}), ("timeline_documents", {"publisher": "Daily A", "from": "2025-02-01"}),
    ("claims_per_source", {}), ("actor_stance_summary", {}), ("actors_roles_affiliations", {}),
    ("overview_actors", {"actorKind": "https://w3id.org/claimgraph/ontology#Person"}),
])
def test_queries_answer_the_same_from_the_summary_and_from_the_tallies(tmp_path: Path, name: str, values: dict):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B), _extraction(*C, more_claims=False))
        with_summary = _answer(store, name, values)
        assert with_summary
        store.mark_summary_stale()    # no current summary: the tallies are summed
        assert _answer(store, name, values) == with_summary


def test_serve_rebuilds_a_stale_summary_and_a_sparql_update_marks_it_stale(tmp_path: Path):
    from fastapi.testclient import TestClient

    from common.config import Settings
    from server.http.app import create_app

    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B))
        expected = _answer(store, "overview_actors", {})
        store.mark_summary_stale()          # as a store written before the summary
    app = create_app(Settings(store=str(tmp_path / "store"), workers=1, log_queries=False, update_token="t"))
    with TestClient(app) as client:
        engine = app.state.engine
        assert engine.store.summary_current()              # rebuilt when the server started
        assert stored_summary(engine.store) == rebuilt_summary(engine.store)
        # an update that fails writes nothing: the marker, taken out before it, is put back
        doc = iris.document("sb")
        with pytest.raises(Exception):
            client.portal.call(engine.update, f"MOVE <{doc}/nothing-here> TO <{doc}>")
        assert engine.store.summary_current()
        # an update the summary cannot follow (it drops a document's inferred graph): marked stale,
        # and the queries sum the tallies instead, so they see the change at once
        client.portal.call(engine.update, f"DROP GRAPH <{iris.inferred_graph(iris.document('sb'))}>")
        assert not engine.store.summary_current()
        regroup = {row[0]: row[3] for row in _answer(engine.store, "overview_actors", {})}
        assert {row[0]: row[3] for row in expected}[PERSON] == "2" and regroup[PERSON] == "1"


PATCH = NamedNode(summary.PATCH_GRAPH)


def test_the_patch_update_names_the_summary_and_patch_graphs_and_leaves_no_patch_behind(tmp_path: Path):
    text = summary.patch_update()
    assert f"<{summary.SUMMARY_GRAPH}>" in text and f"<{summary.PATCH_GRAPH}>" in text
    assert f"<{summary.S_REPLACES.value}>" in text and "PREFIX" not in text.split("No PREFIX")[-1]
    assert not summary.counted(summary.PATCH_GRAPH)   # never taken for a document's inferred graph
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B))
        ingest_extractions(store, _extraction(*A, more_claims=False))                  # a replace: counts patched
        store.drop_graph(iris.document("sb"))
        assert not store.store.contains_named_graph(PATCH)
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)


def test_a_patch_left_by_a_crash_is_never_applied(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A))
        node = next(q.subject for q in stored_summary(store) if q.predicate == summary.S_CLAIMS)
        # as if a writer died between staging its changes and its update: a wrong count staged
        store.store.extend([summary.Quad(node, summary.S_REPLACES, SUMMARY, PATCH),
                            summary.Quad(node, summary.S_CLAIMS, summary._int(999), PATCH)])
        ingest_extractions(store, _extraction(*B))                                      # the next write
        assert not store.store.contains_named_graph(PATCH)
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        assert 999 not in {v for c in _counts(store).values() for v in c.values()}


def test_a_failed_update_leaves_the_summary_as_it_was_and_current(tmp_path: Path):
    from store.errors import StoreError
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B))
        before = stored_summary(store)
        doc = iris.document("sb")
        with pytest.raises((StoreError, RuntimeError)):   # its syntax is fine, the graph it moves is not there
            store.update(f"MOVE <{doc}/nothing-here> TO <{doc}>", rewrites=[doc])
        assert store.summary_current() and stored_summary(store) == before
        # a replace whose update fails after its counts were staged: neither is written
        real = store._update

        def failing(text: str) -> None:
            if "summaryReplaces" in text and "DROP SILENT GRAPH" in text.split(";")[0]:
                raise StoreError("disk full")
            real(text)

        store._update = failing
        with pytest.raises(StoreError):
            store.replace_graph_nquads(doc, serialize(document_quads(_extraction("sb", "2025-05-05", "Daily C")),
                                                      format=RdfFormat.N_QUADS))
        store._update = real
        assert not store.store.contains_named_graph(PATCH)
        assert store.summary_current() and stored_summary(store) == before


@pytest.mark.parametrize("chunk", [1, 3, 10_000])
def test_a_rebuild_repairs_wrong_missing_and_stale_nodes_chunk_by_chunk(tmp_path: Path, monkeypatch, chunk: int):
    from store import embedded
    monkeypatch.setattr(embedded, "SUMMARY_CHUNK_NODES", chunk)
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A), _extraction(*B), _extraction(*C, more_claims=False))
        right = stored_summary(store)
        counts = sorted((q for q in right if q.predicate == summary.S_CLAIMS), key=str)
        wrong, missing = counts[0], counts[1]
        gone = NamedNode(summary.SUMMARY_GRAPH + "/claims/0000")                 # a node no document makes
        store.mark_summary_stale()
        store.store.remove(wrong)
        store.store.add(summary.Quad(wrong.subject, wrong.predicate, summary._int(41), SUMMARY))
        for q in [q for q in right if q.subject == missing.subject]:
            store.store.remove(q)
        older = summary.Quad(SUMMARY, summary.SUMMARY_VERSION, summary.Literal("summary/0"), SUMMARY)
        store.store.extend([older, summary.Quad(gone, summary.S_SPEAKER, NamedNode(PERSON), SUMMARY),
                            summary.Quad(gone, summary.S_CLAIMS, summary._int(7), SUMMARY),
                            summary.Quad(gone, summary.S_DOCUMENTS, summary._int(7), SUMMARY)])
        assert store.ensure_summary()
        assert store.summary_current() and stored_summary(store) == right == rebuilt_summary(store)
        assert not store.store.contains_named_graph(PATCH)
        store.store.remove_graph(SUMMARY)                                        # none at all: written afresh
        assert store.ensure_summary() and stored_summary(store) == right


def test_an_ontology_write_that_changes_the_ontology_marks_the_summary_stale(tmp_path: Path):
    from reasoning.reasoner import ontology_quads
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _extraction(*A))
        refresh_ontology(store)                       # the same ontology again: still current
        assert store.summary_current()
        fewer = [q for q in ontology_quads() if not (q.predicate.value.endswith("#subClassOf")
                                                   and q.subject.value.endswith("#Person"))]
        store.replace_graph(iris.ONTOLOGY_GRAPH, fewer)   # cg:Person no longer below cg:Actor
        assert not store.summary_current()
        assert store.ensure_summary() and "summaryActorKind" not in _actor(store, PERSON)
