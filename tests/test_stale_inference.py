"""A store whose inferred graphs another claimgraph derived (issue 18): the debate views say so
and what to run instead of drawing an empty chart, and `claimgraph reason` makes them whole.

The "older" store is the seeds ingested, then made to look like one written before the figure
rows: every figure fact taken out of the inferred graphs and their rules-version markers set to
another version (what an older ingest left behind). After rewriting many inferred graphs,
`claimgraph reason` compacts the store before it returns (a server opened next reads a settled store)."""
from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, Quad, Store

from common.iris import ONTOLOGY_GRAPH
from conftest import SEEDS, Server, run_cli
from reasoning.figures import FIGURE_PREDICATES
from reasoning import reasoner
from reasoning.reasoner import RULES_VERSION, materialise
from reasoning.status import inference_status
from store import open_store
from test_browser import WAIT_MS, browser, page, shot  # noqa: F401  (fixtures)
from tests.ontology_samples import sample_extraction, write_extraction

OLD_VERSION = Literal("written-by-an-older-claimgraph")


def _age(store: Store, documents: int | None = None) -> int:
    """Make (the first `documents` of) the store's inferred graphs look derived by an older
    claimgraph: no figure facts, another rules version. The number of graphs aged."""
    markers = sorted(store.quads_for_pattern(None, RULES_VERSION, None, None), key=lambda q: q.graph_name.value)
    aged = markers[:documents] if documents is not None else markers
    for marker in aged:
        graph = marker.graph_name
        for quad in list(store.quads_for_pattern(None, None, None, graph)):
            if quad.predicate in FIGURE_PREDICATES:
                store.remove(quad)
        store.remove(marker)
        store.add(Quad(marker.subject, marker.predicate, OLD_VERSION, graph))
    return len(aged)


def test_status_counts_documents_derived_with_other_rules_until_reason(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        for doc_id in ("doc-a", "doc-b", "doc-c"):
            write_extraction(store, sample_extraction(doc_id))
        status = inference_status(store.store)
        assert (status.documents, status.current, status.stale) == (3, 3, 0)

        assert _age(store.store, 2) == 2
        status = inference_status(store.store)
        assert (status.documents, status.current, status.stale) == (3, 1, 2)

        report = materialise(store)
        assert report.rederived == 2
        assert inference_status(store.store).stale == 0


def test_reason_compacts_the_store_after_a_bulk_rewrite_and_only_then(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(reasoner, "SETTLE_AFTER", 1)    # 3 documents stand for the thousands
    with open_store(tmp_path / "store") as store:
        for doc_id in ("doc-a", "doc-b", "doc-c"):
            write_extraction(store, sample_extraction(doc_id))
        settled = []
        settle = store.settle
        monkeypatch.setattr(store, "settle", lambda: (settled.append(True), settle()))
        assert materialise(store).settle_seconds is None and not settled     # all current: nothing rewritten
        _age(store.store, 1)
        assert materialise(store).settle_seconds is None and not settled     # one graph: left to RocksDB
        def statements() -> list[str]:   # the ontology graph is rewritten by every reason (new blank nodes)
            return sorted(str(q) for q in store.store if q.graph_name.value != ONTOLOGY_GRAPH)
        before = statements()
        _age(store.store)
        report = materialise(store)
        assert report.rederived == 3 and settled == [True] and report.settle_seconds is not None
        assert statements() == before                                        # compacted, the same statements
        assert inference_status(store.store).stale == 0


def test_a_document_without_an_inferred_graph_is_not_current(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        write_extraction(store, sample_extraction("doc-a"))
        write_extraction(store, sample_extraction("doc-b"))
        (marker,) = [q for q in store.store.quads_for_pattern(None, RULES_VERSION, None, None)
                     if q.graph_name.value.endswith("doc-b")]
        store.store.remove_graph(marker.graph_name)
        assert inference_status(store.store).as_dict() == {"documents": 2, "current": 1, "stale": 1}


@pytest.fixture(scope="module")
def older_store(tmp_path_factory) -> str:
    """The seeds, ingested, then aged as if an older claimgraph had written them."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    location = str(tmp_path_factory.mktemp("older") / "store")
    run_cli("--store", location, "ingest", str(SEEDS))
    raw = Store(location)
    assert _age(raw) == 5
    raw.flush()
    del raw
    return location


def _figures_drawn(page) -> int:
    page.wait_for_function("() => document.body.dataset.rendered === 'true'", timeout=WAIT_MS)
    return page.evaluate("() => window.claimgraphDebate.figures.length")


@pytest.mark.browser
def test_views_over_an_older_store_say_to_run_reason_and_draw_after_it(older_store, browser):  # noqa: F811
    server = Server(older_store)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server.base)
        page = context.new_page()
        page.goto("/debate/figures")
        assert _figures_drawn(page) == 0
        notice = page.locator("#stale-inference")
        assert notice.get_attribute("data-stale") == "5" and notice.get_attribute("data-documents") == "5"
        assert "claimgraph --store STORE reason" in notice.inner_text()
        assert "their figures" in notice.inner_text()
        assert "claimgraph reason" in page.locator("#summary").inner_text()   # the empty chart says why
        assert "claimgraph reason" in page.evaluate("() => window.claimgraphDebate.chart.getOption().title[0].text")
        shot(page, "debate-figures-older-store")
        page.goto("/debate")                      # the other views carry the notice too
        page.wait_for_function("() => document.body.dataset.rendered === 'true'", timeout=WAIT_MS)
        assert page.locator("#stale-inference").get_attribute("data-stale") == "5"
        context.close()
    finally:
        server.stop()

    run_cli("--store", older_store, "reason")
    server = Server(older_store)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server.base)
        page = context.new_page()
        page.goto("/debate/figures")
        assert _figures_drawn(page) > 0
        assert page.locator("#stale-inference").count() == 0
        assert not page.evaluate("() => (window.claimgraphDebate.chart.getOption().title || []).length")
        context.close()
    finally:
        server.stop()


def test_serve_logs_what_to_run_on_an_older_store(tmp_path: Path):
    location = str(tmp_path / "store")
    with open_store(location) as store:
        write_extraction(store, sample_extraction("doc-a"))
        _age(store.store)
    server = Server(location)
    try:
        assert httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200
        deadline = time.monotonic() + 30   # the writer reads the status after it opened the store
        while "claimgraph reason" not in server.log.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.2)
        logged = server.log.read_text(errors="replace")
        assert "1 of 1 document(s)" in logged and "claimgraph reason" in logged
    finally:
        server.stop()
