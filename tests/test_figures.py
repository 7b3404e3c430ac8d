"""Per-document figure facts (reasoning/figures.py): keyed and normalised right, one per key with
the least example, written in the document's inferred graph, replaced and removed with their
document, left out of a dump without inference; figures_side_by_side counts each document once."""
from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path

from pyoxigraph import NamedNode

from common import iris
from ingest.map import to_quads
from ingest.model import Claim, Quantity
from reasoning.figures import FIGURE_DOCUMENT, FIGURE_KIND, FIGURE_PREDICATES, FIGURE_ROW, figure_quads, months
from reasoning.reasoner import refresh_ontology
from server.routes import query_catalog
from store import open_store
from tests.ontology_samples import DOC, FIGURE_TEXT, TEXT, _span, sample_extraction, write_extraction

TANK, KALIBR = iris.KIND + "Tank", iris.KIND + "KalibrMissile"


def _quantity(fragment: str, occurrence: int = 0, **fields) -> Quantity:
    """A quantity read from the `occurrence`-th place `fragment` stands in the sample text."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(fragment, start + 1)
    span = dataclasses.replace(_span(fragment), start=start, end=start + len(fragment))
    return Quantity(text=fragment, span=span, **fields)


def _extraction(doc_id: str = "sample-doc-1", published: str = "2025-02-03", tanks: float = 36.0):
    """The sample document (the institute's 30-40 cruise missiles a month, an estimate) with a claim
    by the analyst and three tank figures stated in it: `tanks` a year twice ("the army", two
    places: one key), 300 a quarter, and one with no kind (no figure)."""
    ex = sample_extraction(doc_id)
    claim = Claim(speaker="mira-testova", cue="said", text="the army fires", span=_span("the army fires"))
    tank = dict(kind=TANK, value=tanks, qualifier="exact", period="P1Y", modality="report", claim=1)
    quantities = ex.quantities + [
        _quantity("the army", 0, **tank), _quantity("the army", 1, **tank),
        _quantity("cruise", 0, kind=TANK, value=300.0, period="P3M", claim=1),
        _quantity("fighting", 0, value=7.0)]
    article = dataclasses.replace(ex.article, published=published)
    return dataclasses.replace(ex, article=article, claims=ex.claims + [claim], quantities=quantities)


def _figures(quads) -> dict:
    """{(kind, low, high, qualifier, modality, period): (document, example, date)} from the figure
    nodes' rows (rate flag, low, high, qualifier, period, modality; date; example)."""
    nodes: dict = {}
    for q in quads:
        assert q.predicate in FIGURE_PREDICATES
        nodes.setdefault(q.subject, {}).setdefault(q.predicate, []).append(q.object)
    found = {}
    for facts in nodes.values():
        (row,) = facts[FIGURE_ROW]
        key, date, example = row.value.split("\n", 2)
        rate, low, high, qualifier, period, modality = key.split("\t")
        assert rate == ("1" if period else "0") and example.startswith("=")
        found[(facts[FIGURE_KIND][0].value, float(low), float(high), qualifier.lstrip("="), modality.lstrip("="),
               period or None)] = (facts[FIGURE_DOCUMENT][0].value, example[1:], date)
    return found


def test_months_reads_a_period_as_the_query_did():
    assert months("") == 1.0                       # a one-off figure is left as it is
    assert months("P1Y") == 12.0 and months("P3M") == 3.0 and months("P1Y6M") == 18.0
    assert months("P2W") == 14 / 30.4375 and months("P1D") == 1 / 30.4375
    assert months("PT5M") == 0.0                   # minutes are no months: left out (not > 0)
    assert months("-P1M") == 0.0                   # the patterns need a leading P


def test_figure_facts_key_normalise_and_keep_the_least_example():
    quads = figure_quads(DOC, to_quads(_extraction()))
    assert {q.graph_name.value for q in quads} == {iris.inferred_graph(DOC)}
    found = _figures(quads)
    quantity = lambda fragment, occurrence=0: iris.quantity(  # noqa: E731
        DOC, _quantity(fragment, occurrence).span.start, _quantity(fragment, occurrence).span.end)
    published = "2025-02-03"
    assert quantity("the army", 1) < quantity("the army", 0)
    assert found == {
        # the institute's range a month: attributed to it, so it is who gave it
        (KALIBR, 30.0, 40.0, "range", "estimate", "P1M"):
            (DOC, f"2025-02-03\tsample-doc-1\t\tExample Institute\t{quantity(FIGURE_TEXT)}\t{FIGURE_TEXT}", published),
        # 36 a year twice: one key, 3 a month; the example is the least string, so of the second
        # "the army" (its IRI ends in 138-146, before 91-99), given by the speaker of its claim
        (TANK, 3.0, 3.0, "exact", "report", "P1Y"):
            (DOC, f"2025-02-03\tsample-doc-1\t\tMira Testova\t{quantity('the army', 1)}\tthe army", published),
        (TANK, 100.0, 100.0, "exact", "report", "P3M"):   # 300 a quarter
            (DOC, f"2025-02-03\tsample-doc-1\t\tMira Testova\t{quantity('cruise')}\tcruise", published),
    }   # the quantity with no counted kind gives no figure
    # the same document gives the very same quads (stable IRIs): a rebuild finds nothing to rewrite
    assert figure_quads(DOC, to_quads(_extraction())) == quads


def _stored(store) -> list:
    return [q for q in store.store.quads_for_pattern(None, None, None, None) if q.predicate in FIGURE_PREDICATES]


def test_figure_facts_follow_their_document_and_stay_out_of_an_asserted_dump(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        write_extraction(store, _extraction())
        assert (TANK, 3.0, 3.0, "exact", "report", "P1Y") in _figures(_stored(store))
        write_extraction(store, _extraction(tanks=48.0))   # re-ingested with another figure: the old one gone
        keys = set(_figures(_stored(store)))
        assert (TANK, 4.0, 4.0, "exact", "report", "P1Y") in keys
        assert (TANK, 3.0, 3.0, "exact", "report", "P1Y") not in keys and len(keys) == 3
        out = BytesIO()
        store.dump(out, "nquads", inferred=False)
        assert b"figureKind" not in out.getvalue() and b"figureRow" not in out.getvalue()
        out = BytesIO()
        store.dump(out, "nquads")
        assert b"figureKind" in out.getvalue()
        store.drop_graph(DOC)                      # removed: its figures go with it
        assert _stored(store) == []


def test_figures_side_by_side_counts_each_document_once_and_shows_the_earliest(tmp_path: Path):
    query = query_catalog.get("figures_side_by_side")
    with open_store(tmp_path / "store") as store:
        refresh_ontology(store)   # the kind hierarchy the query walks
        write_extraction(store, _extraction("doc-late", published="2025-03-01"))
        write_extraction(store, _extraction("doc-early", published="2025-01-15"))
        write_extraction(store, _extraction("doc-other", published="2025-02-01", tanks=60.0))
        rows = [{k: row[k].value if row[k] is not None else None for k in ("low", "sources", "first", "last", "example")}
                for row in store.query(query.text, bindings=query.bindings({"kind": TANK, "rates": "true"}))]
    # most sources first: 100 a month in all three; 3 a month in two documents (each giving it
    # twice: counted once each), the earliest of them shown; 5 a month in one
    assert [(r["low"], r["sources"]) for r in rows] == [("100", "3"), ("3", "2"), ("5", "1")]
    assert (rows[0]["first"], rows[0]["last"]) == ("2025-01-15", "2025-03-01")
    assert (rows[1]["first"], rows[1]["last"]) == ("2025-01-15", "2025-03-01")
    assert rows[1]["example"].split("\t")[:2] == ["2025-01-15", "doc-early"]
    assert rows[2]["example"].split("\t")[:2] == ["2025-02-01", "doc-other"]


def test_a_figure_without_date_or_qualifier_keeps_them_empty_not_made_up():
    ex = _extraction()
    ex = dataclasses.replace(ex, article=dataclasses.replace(ex.article, published=None))
    qualifier = NamedNode(iris.CG + "qualifier")
    quads = [q for q in to_quads(ex) if q.predicate != qualifier]   # as a SPARQL update could leave it
    rows = [q.object.value for q in figure_quads(DOC, quads) if q.predicate == FIGURE_ROW]
    assert sorted(r.split("\n")[0] for r in rows) == [
        "1\t100\t100\t\tP3M\t=report", "1\t3\t3\t\tP1Y\t=report", "1\t30\t40\t\tP1M\t=estimate"]
    assert all(r.split("\n")[1] == "" and r.split("\n", 2)[2].startswith("=9999-99-99\tsample-doc-1\t")
               for r in rows)
