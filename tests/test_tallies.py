"""Per-document tallies (reasoning/tallies.py): counted right, written in the document's inferred
graph, replaced and removed with their document, left out of a dump without inference."""
from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path

from pyoxigraph import NamedNode

from common import iris
from ingest.map import to_quads
from ingest.model import Claim
from reasoning.tallies import (CLAIM_TALLY, QUANTITY_TALLY, SPEAKER_TALLY, TALLY_COUNT, TALLY_DOCUMENT,
                               TALLY_KIND, TALLY_SPEAKER, TALLY_STANCE, tally_quads)
from store import open_store
from tests.ontology_samples import DOC, INSTITUTE, PERSON, _span, sample_extraction, write_extraction

STANCE = "https://w3id.org/claimgraph/stance/"
TALLY_PREDICATES = {CLAIM_TALLY, SPEAKER_TALLY, QUANTITY_TALLY, TALLY_COUNT, TALLY_DOCUMENT, TALLY_KIND,
                    TALLY_SPEAKER, TALLY_STANCE}


def _extraction(more_claims: bool = True):
    """The sample document (one regroup claim by the analyst, one missile range), and with
    `more_claims` two more claims (the analyst without stance, the institute for peace) and a
    tank figure."""
    ex = sample_extraction()
    if not more_claims:
        return ex
    extra = [Claim(speaker="mira-testova", cue="said", text="The institute", span=_span("The institute")),
             Claim(speaker="example-institute", cue="estimated", text="the army fires",
                   span=_span("the army fires"), stance="RUSSIA_NEEDS_PEACE")]
    tank = dataclasses.replace(ex.quantities[0], text="army", span=_span("army"), kind=iris.KIND + "Tank",
                               low=None, high=None, value=5.0, qualifier="exact", period=None)
    return dataclasses.replace(ex, claims=ex.claims + extra, quantities=ex.quantities + [tank])


def _tallies(quads) -> dict:
    """{(speaker or kind, stance or None): count} and the document's own counts."""
    nodes: dict = {}
    own: dict = {}
    for q in quads:
        if q.subject == NamedNode(DOC):
            own[q.predicate] = int(q.object.value)
        else:
            nodes.setdefault(q.subject, {})[q.predicate] = q.object
    counts = {}
    for facts in nodes.values():
        assert facts[TALLY_DOCUMENT] == NamedNode(DOC)
        key = (facts.get(TALLY_SPEAKER, facts.get(TALLY_KIND)).value,
               facts[TALLY_STANCE].value if TALLY_STANCE in facts else None)
        counts[key] = int(facts[TALLY_COUNT].value)
    return {"counts": counts, "own": own}


def test_tallies_count_claims_per_speaker_and_stance_and_quantities_per_kind():
    quads = tally_quads(DOC, to_quads(_extraction()))
    assert {q.graph_name.value for q in quads} == {iris.inferred_graph(DOC)}
    found = _tallies(quads)
    assert found["counts"] == {(PERSON, STANCE + "TRUCE_AS_REGROUPING"): 1, (PERSON, None): 1,
                               (INSTITUTE, STANCE + "RUSSIA_NEEDS_PEACE"): 1,
                               (iris.KIND + "KalibrMissile", None): 1, (iris.KIND + "Tank", None): 1}
    assert found["own"] == {CLAIM_TALLY: 3, SPEAKER_TALLY: 2, QUANTITY_TALLY: 2}
    # the same document gives the very same quads (stable IRIs): a rebuild finds nothing to rewrite
    assert tally_quads(DOC, to_quads(_extraction())) == quads


def _stored_tallies(store) -> list:
    return [q for q in store.store.quads_for_pattern(None, None, None, None) if q.predicate in TALLY_PREDICATES]


def test_tallies_follow_their_document_and_stay_out_of_an_asserted_dump(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        write_extraction(store, _extraction())
        assert _tallies(_stored_tallies(store))["own"][CLAIM_TALLY] == 3
        write_extraction(store, _extraction(more_claims=False))   # re-ingested with fewer claims: old tallies gone
        found = _tallies(_stored_tallies(store))
        assert found["own"] == {CLAIM_TALLY: 1, SPEAKER_TALLY: 1, QUANTITY_TALLY: 1}
        assert found["counts"] == {(PERSON, STANCE + "TRUCE_AS_REGROUPING"): 1, (iris.KIND + "KalibrMissile", None): 1}
        out = BytesIO()
        store.dump(out, "nquads", inferred=False)
        assert b"tallyCount" not in out.getvalue() and b"claimTally" not in out.getvalue()
        out = BytesIO()
        store.dump(out, "nquads")
        assert b"tallyCount" in out.getvalue()
        store.drop_graph(DOC)                            # removed: its tallies go with it
        assert _stored_tallies(store) == []
