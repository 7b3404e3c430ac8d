"""The pages in a real browser: Playwright driving Debian's chromium, headless, over the seed graph.

The query page runs a query and shows rows, opens an analyst query from the list, and restores
a query from its permalink; the explorer finds "Rutte", expands him and shows one of his claims
highlighted in its source text; stance filters hide what they should. Every step leaves a
screenshot in tests/artifacts/. Chromium comes from Debian (.ci/setup-web.sh), never from a
browser download.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from common import queries
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (bash .ci/setup-web.sh installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watched_page(browser, base: str):
    """A fresh browser context (no saved YASGUI tabs) on the server at `base`, whose page records
    script errors and off-site requests; after the test, there must be neither."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base)
    page = context.new_page()
    page.errors, page.offsite = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: None if request.url.startswith(base) else page.offsite.append(request.url))
    yield page
    context.close()
    assert not page.errors, page.errors
    assert not page.offsite, f"the page fetched from elsewhere: {page.offsite}"


@pytest.fixture
def page(browser, seed_server):
    yield from watched_page(browser, seed_server.base)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"))


def result_cells(page) -> list[str]:
    return page.locator(".tab-pane.active .yasr table.dataTable tbody td, .yasr table tbody td").all_inner_texts()


def test_query_page_runs_a_query_and_shows_rows(page):
    page.goto("/query")
    page.wait_for_selector(".yasr table tbody tr", timeout=WAIT_MS)   # the welcome query runs at once
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() >= 3
    assert any("Oleksandr Kovalenko" in cell for cell in result_cells(page))
    shot(page, "query-welcome")

    page.click("button.example[data-name=rates_by_period]")
    page.locator(".yasqe_queryButton:visible").first.click()
    page.wait_for_function("() => [...document.querySelectorAll('.yasr table tbody td')]"
                           ".some(td => td.innerText.includes('30,000 new soldiers monthly'))", timeout=WAIT_MS)
    assert page.locator(".tabsList .tab.active").inner_text().strip().startswith("rates_by_period")
    shot(page, "query-rates-by-period")


def test_query_permalink_restores_the_query(page, browser, seed_server):
    page.goto("/query")
    page.wait_for_selector(".yasr table tbody tr", timeout=WAIT_MS)
    page.click("button.example[data-name=quantities_by_kind]")
    link = page.evaluate("() => window.claimgraphYasgui.getTab().getShareableLink()")
    query = page.evaluate("() => window.claimgraphYasgui.getTab().getQuery()")
    assert "#" in link and "query=" in link

    fresh = browser.new_context(viewport={"width": 1400, "height": 900})   # nothing saved: only the link
    other = fresh.new_page()
    errors = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    other.goto(link)
    other.wait_for_function("() => window.claimgraphYasgui && window.claimgraphYasgui.getTab()", timeout=WAIT_MS)
    assert other.evaluate("() => window.claimgraphYasgui.getTab().getQuery()") == query
    other.wait_for_function("() => [...document.querySelectorAll('.yasr table tbody td')]"
                            ".some(td => td.innerText.includes('Kalibr'))", timeout=WAIT_MS)
    shot(other, "query-permalink")
    fresh.close()
    assert not errors, errors


def visible_nodes(page, selector: str) -> int:
    return page.evaluate(f"() => window.claimgraphExplorer.nodes(\"{selector}\").filter(n => n.visible()).length")


def wait_visible(page, selector: str, condition: str) -> int:
    """Wait until the number of visible nodes matching `selector` meets `condition` (e.g. '== 0'):
    Cytoscape applies style changes on its next frame, not at once."""
    page.wait_for_function(f"() => window.claimgraphExplorer.nodes(\"{selector}\")"
                           f".filter(n => n.visible()).length {condition}", timeout=WAIT_MS)
    return visible_nodes(page, selector)


def test_explorer_search_expand_and_read_a_quote(page):
    page.goto("/explore")
    page.wait_for_function("() => window.claimgraphExplorer && window.claimgraphExplorer.nodes().length >= 5",
                           timeout=WAIT_MS)                      # starts from the five documents
    shot(page, "explore-start")

    page.fill("#search", "Rutte")
    result = page.locator("#search-results li[data-iri$='/actor/mark-rutte']")
    result.wait_for(timeout=WAIT_MS)
    shot(page, "explore-search")
    result.click()
    page.wait_for_function("() => window.claimgraphExplorer.nodes(\"[kind = 'claim']\").length >= 1",
                           timeout=WAIT_MS)
    assert page.locator("#details h2").inner_text() == "Mark Rutte"
    shot(page, "explore-expanded")

    # click where the claim is drawn, once the view has stopped moving (the explorer zooms to Rutte)
    page.wait_for_function("() => !window.claimgraphExplorer.animated()", timeout=WAIT_MS)
    claim = page.evaluate("""() => {
        const cy = window.claimgraphExplorer;
        const node = cy.nodes("[kind = 'claim']").filter(n => n.data('stance') === 'RUSSIA_NEEDS_PEACE').first();
        const at = node.renderedPosition(), box = cy.container().getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y, label: node.data('label')};
    }""")
    page.mouse.click(claim["x"], claim["y"])
    mark = page.locator("#evidence-mark")
    mark.wait_for(timeout=WAIT_MS)
    assert mark.inner_text().strip() == claim["label"]
    assert "desperation" in claim["label"]
    context_text = page.locator("#details .context").inner_text()
    assert "Mark Rutte" in context_text and len(context_text) > 10 * len(claim["label"])
    assert page.locator("#details a", has_text="Kremlin faces internal pressure").count() == 1
    shot(page, "explore-claim-quote")


def test_explorer_stance_and_kind_filters(page):
    page.goto("/explore?node=https://w3id.org/claimgraph/id/actor/mark-rutte")
    page.wait_for_function("() => window.claimgraphExplorer.nodes(\"[kind = 'claim']\").length >= 2",
                           timeout=WAIT_MS)
    peace = "[kind = 'claim'][stance = 'RUSSIA_NEEDS_PEACE']"
    wait_visible(page, peace, ">= 1")
    page.uncheck(".stance-filter[value=RUSSIA_NEEDS_PEACE]")
    wait_visible(page, peace, "== 0")
    assert visible_nodes(page, "[kind = 'claim'][stance = '']") >= 1   # the other claims stay
    shot(page, "explore-filtered")
    page.check(".stance-filter[value=RUSSIA_NEEDS_PEACE]")
    wait_visible(page, peace, ">= 1")

    page.wait_for_function("() => document.querySelectorAll('#kind-filter option').length > 3", timeout=WAIT_MS)
    quantities = wait_visible(page, "[kind = 'quantity']", ">= 1")     # Rutte's casualty estimate
    page.select_option("#kind-filter", "https://w3id.org/claimgraph/kind/Missile")
    wait_visible(page, "[kind = 'quantity']", "== 0")
    page.select_option("#kind-filter", "https://w3id.org/claimgraph/kind/Personnel")
    assert wait_visible(page, "[kind = 'quantity']", f"== {quantities}") == quantities


def test_api_page_runs_a_query_and_opens_it_in_the_editor(page):
    page.goto("/api")
    form = page.locator("form.run[data-name=rates_by_period]")
    form.locator("input[name=period]").fill("P3M")
    form.locator("button[type=submit]").click()
    result = page.locator("#rates_by_period .result table")
    result.wait_for(timeout=WAIT_MS)
    assert "12,000 personnel every 3 months" in result.inner_text()
    assert form.locator("a.as[data-format=csv]").get_attribute("href").endswith("period=P3M&format=csv")
    shot(page, "api-page")
    form.locator("input[name=period]").fill("P1M")
    page.goto(form.locator("a.editor").get_attribute("href"))
    page.wait_for_function("() => [...document.querySelectorAll('.yasr table tbody td')]"
                           ".some(td => td.innerText.includes('30,000 new soldiers monthly'))", timeout=WAIT_MS)
    assert "12,000" not in page.locator(".yasr table tbody").inner_text()   # the P1M value was carried over
    shot(page, "api-to-editor")


def test_api_reference_renders_every_named_query(page):
    page.goto("/api/docs")
    page.wait_for_selector("[id$='-query_quantities_by_kind']", timeout=WAIT_MS)
    assert page.locator("[id^='operations-named_queries'][id*='-query_']").count() == len(queries.names())
    shot(page, "api-reference")


def test_linked_data_page_in_the_browser(page):
    page.goto("/id/actor/mark-rutte")
    assert page.locator("h1").inner_text() == "Mark Rutte"
    page.locator("a[href*='/claim/']").first.click()
    page.wait_for_selector("mark.evidence", timeout=WAIT_MS)
    shot(page, "linked-data-claim")
    page.goto("/ontology")
    assert page.locator("#Claim").count() == 1
    shot(page, "ontology")
