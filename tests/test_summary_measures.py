"""The summary's per-measure nodes (reasoning/measures.py): what disagreeing_figures and
projections_vs_reports group, counted per kind, period or modality and figure, with the first
quantity of each figure; kept equal to a rebuild through new documents, re-ingests, updates and
removals (also when the document holding a figure's first quantity goes), and read by both
queries to the same answers as grouping every quantity."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, serialize

from common import iris
from ingest.model import Quantity
from reasoning import measures, summary
from server.routes import query_catalog
from store import open_store
from store.terms import replace_graphs_update, substitutions
from tests.summary_support import SUMMARY, document_quads, ingest_extractions, rebuilt_summary, stored_summary
from tests.ontology_samples import _span, sample_extraction

PERSONNEL = NamedNode(iris.KIND + "Personnel")
MONTH = "P1M"
MONTH_TERM = Literal(MONTH, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#duration"))
# distinct spans of the sample text: each gives its quantity another IRI
SPANS = ("30 to 40 cruise missiles a month", "40 cruise missiles", "cruise missiles a month", "the army fires 30")


def _doc(doc_id: str, *figures: tuple):
    """The sample document under `doc_id` with these quantities instead of its own: (span index,
    value or (low, high), modality), all monthly personnel figures."""
    ex = sample_extraction(doc_id)
    quantities = []
    for span, figure, modality in figures:
        value, low, high = (None, *figure) if isinstance(figure, tuple) else (figure, None, None)
        quantities.append(Quantity(text=SPANS[span], span=_span(SPANS[span]), value=value, low=low, high=high,
                                   kind=PERSONNEL.value, period=MONTH, modality=modality))
    return dataclasses.replace(ex, quantities=quantities)


def _node(store, *key) -> dict:
    """A stored per-measure node: {local predicate name: value}."""
    node = measures.node(summary.SUMMARY_GRAPH, key)
    return {q.predicate.value.split("#")[1]: q.object.value
            for q in store.store.quads_for_pattern(node, None, None, SUMMARY)}


def _quantity(doc_id: str, span: int) -> str:
    start = _span(SPANS[span]).start
    return iris.quantity(iris.document(doc_id), start, start + len(SPANS[span]))


MA = ("ma", (0, 20000, "report"))
MB = ("mb", (1, 20000, "estimate"), (2, 30000, "projection"))
MC = ("mc", (0, (20000, 40000), "report"))
REPORT = NamedNode(iris.MODALITY + "report")


def test_measure_nodes_count_documents_and_hold_each_figures_first_quantity(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _doc(*MA), _doc(*MB), _doc(*MC))
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        month = MONTH_TERM
        assert _node(store, "measure", PERSONNEL, month)["summaryMeasureDocuments"] == "3"
        twenty = _node(store, "figure", PERSONNEL, month, "20000")
        assert (twenty["summaryFigureDocuments"], twenty["summaryFigureFirst"], twenty["summaryFigureMid"]) == \
            ("2", _quantity("ma", 0), "20000")
        # what the query shows of a figure is its first quantity's: document, words, modality
        assert (twenty["summaryFigureDoc"], twenty["summaryFigureWords"], twenty["summaryFigureModality"]) == \
            ("ma", SPANS[0], REPORT.value)
        # a range's mid is the mean of its bounds: the same as 30000, so no disagreement between them
        assert _node(store, "figure", PERSONNEL, month, "20000–40000")["summaryFigureMid"] == "30000"
        assert _node(store, "modality", PERSONNEL, REPORT)["summaryModalityQuantities"] == "2"
        listed = _node(store, "item", PERSONNEL, REPORT, "20000–40000")
        assert (listed["summaryItemDocuments"], listed["summaryItemFirst"]) == ("1", _quantity("mc", 0))


def test_a_figures_first_quantity_follows_removals_re_ingests_and_updates(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _doc(*MA), _doc(*MB), _doc(*MC))
        month = MONTH_TERM
        first = lambda: _node(store, "figure", PERSONNEL, month, "20000").get("summaryFigureFirst")  # noqa: E731
        store.drop_graph(iris.document("ma"))                    # the first's document goes: looked up again
        assert stored_summary(store) == rebuilt_summary(store) and first() == _quantity("mb", 1)
        ingest_extractions(store, _doc("ma", (0, 25000, "report")))         # back with another figure
        assert stored_summary(store) == rebuilt_summary(store) and first() == _quantity("mb", 1)
        ingest_extractions(store, _doc(*MA))                                # a re-ingest giving it again: first again
        assert stored_summary(store) == rebuilt_summary(store) and first() == _quantity("ma", 0)
        ingest_extractions(store, _doc("ma", (0, 20000, "projection")))     # the same first, now a projection: shown so
        assert stored_summary(store) == rebuilt_summary(store)
        assert _node(store, "figure", PERSONNEL, MONTH_TERM, "20000")["summaryFigureModality"] == iris.MODALITY + "projection"
        ingest_extractions(store, _doc(*MA))
        # an update naming the document it rewrites (as a correction does): ma's 20000 gone again
        doc = iris.document("ma")
        nodes = [NamedNode(doc), NamedNode(iris.inferred_graph(doc))]
        store.update(replace_graphs_update(nodes, document_quads(_doc("ma", (3, 20000, "report"), (0, 1, "report")))),
                     rewrites=[doc])
        assert store.summary_current() and stored_summary(store) == rebuilt_summary(store)
        assert first() == _quantity("ma", 3)                     # the same figure under another quantity
        store.replace_graph_nquads(doc, serialize(document_quads(_doc("ma")), format=RdfFormat.N_QUADS))
        assert stored_summary(store) == rebuilt_summary(store) and first() == _quantity("mb", 1)
        for doc_id in ("ma", "mb", "mc"):
            store.drop_graph(iris.document(doc_id))
            assert stored_summary(store) == rebuilt_summary(store)
        assert not any(q.predicate in (measures.M_DOCUMENTS, measures.F_DOCUMENTS, measures.O_QUANTITIES,
                                       measures.I_DOCUMENTS) for q in stored_summary(store))


def _answer(store, name: str, values: dict) -> list:
    """The whole answer, rows sorted and each list of figures split and sorted (GROUP_CONCAT's
    order is unspecified)."""
    query = query_catalog.get(name)
    result = store.store.query(query.text, substitutions=substitutions(query.bindings(values)),
                               use_default_graph_as_union=True)
    rows = []
    for row in result:
        cells = []
        for v in result.variables:
            text = None if row[v] is None else row[v].value
            cells.append(tuple(sorted(text.split(" | "))) if v.value.endswith("Figures") and text else text)
        rows.append(tuple(cells))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("name,values", [
    ("disagreeing_figures", {}), ("disagreeing_figures", {"share": "0"}), ("disagreeing_figures", {"share": "0.5"}),
    ("projections_vs_reports", {}), ("projections_vs_reports", {"share": "0"}),
    ("projections_vs_reports", {"share": "0.5"}), ("projections_vs_reports", {"share": "1"}),
])
def test_pair_queries_answer_the_same_from_the_summary_and_from_every_quantity(tmp_path: Path, name: str,
                                                                              values: dict):
    with open_store(tmp_path / "store") as store:
        # md gives 30000 too: at share 0.5 the two figures two of the four documents give are paired
        ingest_extractions(store, _doc(*MA), _doc(*MB), _doc(*MC), _doc("md", (2, 30000, "report")), sample_extraction("kalibr"))
        with_summary = _answer(store, name, values)
        assert with_summary
        store.mark_summary_stale()    # no current summary: every quantity grouped
        assert _answer(store, name, values) == with_summary


def test_disagreeing_figures_from_the_summary_pairs_figures_whose_mids_differ(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        ingest_extractions(store, _doc(*MA), _doc(*MB), _doc(*MC))
        query = query_catalog.get("disagreeing_figures")
        result = store.store.query(query.text, substitutions=substitutions(query.bindings({"share": "0"})),
                                   use_default_graph_as_union=True)
        pairs = {(row["figureA"].value, row["figureB"].value) for row in result}
        # 30000 and 20000–40000 (mid 30000) are the same figure to the query: not paired
        assert pairs == {("20000", "30000"), ("20000", "20000–40000")}
