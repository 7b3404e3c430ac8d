"""The debate views in a real browser (Playwright, Debian chromium) over the seed graph.

The overview puts each actor on the side the hand-labelled gold gives their claims, and an
actor's quotes lead to the quote highlighted in its source; the timeline draws exactly the
counts of the named query stance_timeline; the figures chart shows both disagreeing monthly
recruitment figures of the seeds (gold); every view's URL restores its filters. Screenshots go
to tests/artifacts/.
"""
from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import quote

import httpx
import pytest

from conftest import GOLD
from test_browser import WAIT_MS, browser, page, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
STANCES = ("TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE")


def named(server, name: str, **params) -> list[dict]:
    response = httpx.get(f"{server.base}/api/queries/{name}", params={"limit": 10000, **params}, timeout=60)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def rendered(page) -> None:
    page.wait_for_function("() => document.body.dataset.rendered === 'true'", timeout=WAIT_MS)


def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def gold_sides() -> dict[str, str]:
    """Named speakers whose gold claims take exactly one stance: name -> stance."""
    stances = defaultdict(set)
    for doc in gold()["documents"]:
        for claim in doc["claims"]:
            if claim.get("stance") in STANCES:
                stances[claim["speaker"]].add(claim["stance"])
    return {name: next(iter(s)) for name, s in stances.items() if len(s) == 1}


def drawn_actors(page) -> dict[str, dict]:
    """The actor nodes the overview drew: label -> side and position."""
    return {a["label"]: a for a in page.evaluate("""() => window.claimgraphDebate.cy.nodes('.actor').map(n => ({
        id: n.id(), label: n.data('label'), side: n.data('side'), x: n.position('x'),
        regroup: n.data('truceAsRegrouping'), peace: n.data('russiaNeedsPeace')}))""")}


def test_overview_puts_actors_on_their_side_and_opens_their_quotes(page, seed_server):
    page.goto("/debate")
    rendered(page)
    shot(page, "debate-overview")
    drawn = drawn_actors(page)
    hubs = {s: page.evaluate(f"() => window.claimgraphDebate.cy.getElementById('hub:{s}').position('x')") for s in STANCES}
    # every drawn actor stands where the named query's counts put it
    rows = {row["speaker"]: row for row in named(seed_server, "overview_actors")}
    assert {a["id"] for a in drawn.values()} == set(rows)
    for actor in drawn.values():
        row = rows[actor["id"]]
        regroup, peace = int(row["truceAsRegrouping"]), int(row["russiaNeedsPeace"])
        side = "both" if regroup and peace else STANCES[0] if regroup else STANCES[1]
        assert actor["side"] == side, actor
        if side != "both":   # nearer its own hub than the other
            other = STANCES[1] if side == STANCES[0] else STANCES[0]
            assert abs(actor["x"] - hubs[side]) < abs(actor["x"] - hubs[other]), actor
    # and the gold agrees: named speakers the gold puts on one side are drawn on that side
    checked = defaultdict(list)
    for name, stance in gold_sides().items():
        if name in drawn:
            assert drawn[name]["side"] == stance, (name, drawn[name])
            checked[stance].append(name)
    assert len(checked[STANCES[0]]) >= 2 and len(checked[STANCES[1]]) >= 2, checked

    # one click on an actor: their quotes, each linking to the highlighted source text
    page.evaluate("() => window.claimgraphDebate.cy.getElementById('https://w3id.org/claimgraph/id/actor/mark-rutte').emit('tap')")
    link = page.locator("#details .quotes li[data-stance=RUSSIA_NEEDS_PEACE] a.source-link").first
    link.wait_for(timeout=WAIT_MS)
    quote_text = page.locator("#details .quotes li[data-stance=RUSSIA_NEEDS_PEACE] blockquote").first.inner_text()
    expected = [r["quote"] for r in named(seed_server, "actor_quotes", actor="https://w3id.org/claimgraph/id/actor/mark-rutte")]
    assert page.locator("#details .quotes blockquote").all_inner_texts() == expected
    shot(page, "debate-overview-actor")
    link.click()
    page.wait_for_selector("mark.evidence", timeout=WAIT_MS)
    assert page.locator("mark.evidence").first.inner_text().strip() == quote_text.strip()
    shot(page, "debate-overview-quote-source")


def test_overview_permalink_restores_its_filters(page, browser, seed_server):  # noqa: F811
    publisher = gold()["documents"][0]["publisher"]          # the one seed with a publisher
    page.goto(f"/debate?publisher={quote(publisher)}")
    rendered(page)
    assert page.locator("select[name=publisher]").input_value() == publisher
    expected = {row["speaker"] for row in named(seed_server, "overview_actors", publisher=publisher)}
    assert expected and {a["id"] for a in drawn_actors(page).values()} == expected
    assert len(expected) < len(named(seed_server, "overview_actors"))         # the filter did filter

    page.wait_for_selector("select[name=actorKind] option[value$='#Organization']", state="attached", timeout=WAIT_MS)
    page.select_option("select[name=actorKind]", "https://w3id.org/claimgraph/ontology#Organization")
    page.wait_for_function("() => window.location.search.includes('actorKind=')", timeout=WAIT_MS)
    rendered(page)
    link = page.locator("#permalink").get_attribute("href")
    assert "actorKind=" in link and "publisher=" in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=seed_server.base)
    other = fresh.new_page()
    other.goto(link)
    rendered(other)
    assert other.locator("select[name=actorKind]").input_value() == "https://w3id.org/claimgraph/ontology#Organization"
    expected = {row["speaker"] for row in named(seed_server, "overview_actors", publisher=publisher,
                                               actorKind="https://w3id.org/claimgraph/ontology#Organization")}
    assert {a["id"] for a in drawn_actors(other).values()} == expected
    shot(other, "debate-overview-permalink")
    fresh.close()


def chart_counts(page) -> dict[tuple[str, str], int]:
    """(bin, stance) -> claims, as the timeline chart draws them (zero bars left out)."""
    drawn = page.evaluate("""() => { const d = window.claimgraphDebate.drawn;
        return {axis: d.axis, series: d.series.map(s => ({stance: s.stance, data: s.data}))}; }""")
    return {(drawn["axis"][i], s["stance"]): n for s in drawn["series"] for i, n in enumerate(s["data"]) if n}


def test_timeline_counts_equal_the_named_query(page, seed_server):
    page.goto("/debate/timeline")
    rendered(page)
    rows = named(seed_server, "stance_timeline")
    assert rows
    assert chart_counts(page) == {(r["period"], r.get("stance", "")): int(r["claims"]) for r in rows}
    shot(page, "debate-timeline")

    page.select_option("select[name=bin]", "week")
    page.wait_for_function("() => window.location.search.includes('bin=week')", timeout=WAIT_MS)
    rendered(page)
    weeks = named(seed_server, "stance_timeline", bin="week")
    assert chart_counts(page) == {(r["period"], r.get("stance", "")): int(r["claims"]) for r in weeks}

    # the documents behind a bin, one click away
    first = weeks[0]
    series = ["TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE", ""].index(first.get("stance", ""))
    at = page.evaluate(f"""() => {{ const c = window.claimgraphDebate.chart, box = c.getDom().getBoundingClientRect();
        const [x, y] = c.convertToPixel({{seriesIndex: {series}}}, ['{first["period"]}', 0.5]);
        return {{x: box.left + x, y: box.top + y}}; }}""")
    page.mouse.click(at["x"], at["y"] - 3)
    page.locator("#details .documents li").first.wait_for(timeout=WAIT_MS)
    expected = {r["doc"] for r in named(seed_server, "timeline_documents", **{"from": first["period"]},
                                        to=page.evaluate(f"() => {{ const d = new Date('{first['period']}T00:00:00Z'); "
                                                         "d.setUTCDate(d.getUTCDate() + 6); return d.toISOString().slice(0, 10); }"))}
    listed = set(page.locator("#details .documents li").evaluate_all("els => els.map(e => e.dataset.doc)"))
    assert listed == expected and int(first["documents"]) == len(listed)
    shot(page, "debate-timeline-bin")


def test_figures_chart_shows_both_disagreeing_monthly_recruitment_figures(page, seed_server):
    monthly = [(doc["doc"], q) for doc in gold()["documents"] for q in doc["quantities"]
               if q["period"] == "P1M" and q["unit"] in {"soldier", "personnel", "recruit"}]
    assert len({doc for doc, _ in monthly}) == 2 and len({q["value"] for _, q in monthly}) == 2   # they disagree
    page.goto("/debate/figures")
    rendered(page)
    drawn = page.evaluate("""() => window.claimgraphDebate.figures.map(f => ({doc: f.doc, low: f.low, high: f.high,
        modality: f.modality, published: f.published, label: f.label}))""")
    svg = page.locator("#view svg").inner_text() if page.locator("#view svg text").count() == 0 else \
        " ".join(page.locator("#view svg text").all_text_contents())
    for doc, q in monthly:
        bar = next((f for f in drawn if f["doc"] == doc and f["low"] == q["value"] == f["high"]), None)
        assert bar is not None, (doc, q, drawn)
        assert bar["modality"] == q["modality"]
        assert bar["label"] in svg, (bar["label"], svg)            # its value is written on the chart
    shot(page, "debate-figures")

    # hover: the source and its date
    dated = next(doc for doc in gold()["documents"] for d, q in monthly if d == doc["doc"] and doc["published"])
    index = next(i for i, f in enumerate(drawn) if f["doc"] == dated["doc"])
    series = page.evaluate(f"() => window.claimgraphDebate.chart.getOption().series.findIndex(s => s.modality === '{drawn[index]['modality']}')")
    page.evaluate(f"() => window.claimgraphDebate.chart.dispatchAction({{type: 'showTip', seriesIndex: {series}, dataIndex: {index}}})")
    tip = page.locator("#view div", has_text=dated["published"]).last
    tip.wait_for(timeout=WAIT_MS)
    assert "30,000" in tip.inner_text() or "20,000" in tip.inner_text()
    shot(page, "debate-figures-hover")

    # the permalink restores the kind and the one-off figures
    page.goto("/debate/figures?kind=https%3A%2F%2Fw3id.org%2Fclaimgraph%2Fkind%2FTank&rates=false")
    rendered(page)
    rows = named(seed_server, "figures_side_by_side", kind="https://w3id.org/claimgraph/kind/Tank", rates="false")
    assert page.evaluate("() => window.claimgraphDebate.figures.length") == len(rows) > 0
    assert page.locator("select[name=rates]").input_value() == "false"
    shot(page, "debate-figures-tanks")
