"""Correcting the graph in a real browser (issue 17): Playwright on Debian chromium.

An analyst signs in with their token on a document page, clicks marked claims and figures to
reject or change them, selects words to add what the extractor missed, sets the article's
stance, rejects and merges actors and splits the merge on the actor's page; in the explorer,
rejects a claim and adds one from the source text. Each correction is then checked where it
counts — in SPARQL — and on the page (marked as corrected, in the history with who and when).
Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import httpx
import pytest

from common import iris, queries
from conftest import ARTIFACTS, SEEDS, seed_server_with_analysts
from test_browser import browser, watched_page  # noqa: F401  (the shared headless Debian chromium)

pytestmark = pytest.mark.browser

WAIT = 30_000
TOKEN = "browser-analyst-token"
DOC4_PATH = "/id/doc/004_e5535fbe168a5709"
DOC4 = iris.document("004_e5535fbe168a5709")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("the seed corpus is missing")
    server = seed_server_with_analysts(tmp_path_factory, "browser-corrections", {TOKEN: "Alice Analyst"})
    yield server
    server.stop()


@pytest.fixture
def page(browser, served):
    yield from watched_page(browser, served.base)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"corrections-{name}.png"), full_page=False)


def rows(served, name: str) -> list[dict]:
    response = httpx.post(served.sparql, data={"query": queries.load(name)},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def claim_iri(served, words: str) -> str:
    return next(r["claim"] for r in rows(served, "claims") if words in r["text"])


def sign_in(page, path: str = DOC4_PATH) -> None:
    page.goto(path)
    if page.locator(".signed-in").count() == 0:
        page.fill("form.sign-in input[name=token]", TOKEN)
        page.click("form.sign-in button[type=submit]")
    page.wait_for_selector(".signed-in .analyst-name", timeout=WAIT)
    assert page.locator(".analyst-name").first.inner_text() == "Alice Analyst"


def submit(page, form_selector: str) -> None:
    """Submit a correction form; the page reloads when it is saved."""
    with page.expect_navigation(timeout=WAIT):
        page.click(f"{form_selector} button[type=submit]")


def select_words(page, container: str, words: str) -> None:
    """Select `words` inside `container` (within one text node) the way a mouse would, then release."""
    page.evaluate("""([container, words]) => {
        const root = document.querySelector(container);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf(words);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges(); selection.addRange(range);
                root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
        }
        throw new Error("words not found in one text node: " + words);
    }""", [container, words])


def test_a_wrong_token_does_not_sign_in(page):
    page.goto(DOC4_PATH)
    page.fill("form.sign-in input[name=token]", "not-a-token")
    page.click("form.sign-in button[type=submit]")
    page.wait_for_selector("form.sign-in .status.error", timeout=WAIT)
    assert page.locator(".signed-in").count() == 0


def test_reject_set_speaker_and_stance_by_clicking_marks(page, served):
    sign_in(page)
    shot(page, "signed-in")
    rejected = claim_iri(served, "Russia recruits about 30,000")
    page.click(f"a.mark[data-item='{rejected}']")
    page.wait_for_selector("#correction-panel form.reject", timeout=WAIT)
    page.fill("#correction-panel form.reject input[name=note]", "a figure, not a claim")
    shot(page, "reject-panel")
    submit(page, "#correction-panel form.reject")
    assert rejected not in {r["claim"] for r in rows(served, "claims")}
    assert page.locator(f"a.mark[data-item='{rejected}']").count() == 0
    history = page.locator("tr.correction[data-kind=reject]")
    assert "Alice Analyst" in history.inner_text() and "a figure, not a claim" in history.inner_text()

    target = claim_iri(served, "not able to conduct warfare")
    page.click(f"a.mark[data-item='{target}']")
    page.fill("#correction-panel form.set-speaker input[name=speaker_name]", "Jack Watling Jr")
    submit(page, "#correction-panel form.set-speaker")
    assert next(r for r in rows(served, "claims") if r["claim"] == target)["speaker"] == "Jack Watling Jr"
    assert "corrected" in page.locator(f"a.mark[data-item='{target}']").first.get_attribute("class")
    assert "corrected by Alice Analyst" in page.locator(f"a.mark[data-item='{target}']").first.get_attribute("title")

    page.click(f"a.mark[data-item='{target}']")
    page.select_option("#correction-panel form.set-stance select[name=stance]", "TRUCE_AS_REGROUPING")
    submit(page, "#correction-panel form.set-stance")
    assert next(r for r in rows(served, "claims") if r["claim"] == target)["stance"] == "TRUCE_AS_REGROUPING"
    shot(page, "corrected-marks")


def test_article_stance_and_figures(page, served):
    sign_in(page)
    page.select_option("#correction-tools form.set-article-stance select[name=stance]", "RUSSIA_NEEDS_PEACE")
    submit(page, "#correction-tools form.set-article-stance")
    assert {r["doc"]: r.get("stance") for r in rows(served, "documents")}["004_e5535fbe168a5709"] == "RUSSIA_NEEDS_PEACE"
    quantities = [r for r in rows(served, "quantities") if r["doc"] == "004_e5535fbe168a5709"]
    first, second = quantities[0]["quantity"], quantities[1]["quantity"]
    page.click(f"a.mark.quantity[data-item='{first}']")
    page.fill("#correction-panel form.set-quantity input[name=value]", "12345")
    page.select_option("#correction-panel form.set-quantity select[name=modality]", "projection")
    submit(page, "#correction-panel form.set-quantity")
    after = next(r for r in rows(served, "quantities") if r["quantity"] == first)
    assert (after["value"], after["modality"]) == ("12345", "projection")
    page.click(f"a.mark.quantity[data-item='{second}']")
    submit(page, "#correction-panel form.reject")
    assert second not in {r["quantity"] for r in rows(served, "quantities")}


def test_add_a_claim_and_a_figure_by_selecting_words(page, served):
    sign_in(page)
    words = "Currently, Russia does not have sufficient forces"
    select_words(page, "#document-text", words)
    page.wait_for_selector("#correction-panel form.add-claim", timeout=WAIT)
    page.fill("#correction-panel form.add-claim input[name=speaker_name]", "a high-ranking NATO official")
    page.select_option("#correction-panel form.add-claim select[name=speaker_kind]", "Group")
    page.fill("#correction-panel form.add-claim input[name=cue]", "explained")
    shot(page, "add-claim")
    submit(page, "#correction-panel form.add-claim")
    added = next(r for r in rows(served, "claims") if r["text"] == words)
    assert (added["speaker"], added["cue"]) == ("a high-ranking NATO official", "explained")
    assert page.locator(f"a.mark[data-item='{added['claim']}']").count() >= 1

    select_words(page, "#document-text", "Support from North Korean soldiers")
    page.wait_for_selector("#correction-panel form.add-quantity", timeout=WAIT)
    page.fill("#correction-panel form.add-quantity input[name=value]", "10000")
    page.fill("#correction-panel form.add-quantity input[name=unit]", "North Korean soldiers")
    submit(page, "#correction-panel form.add-quantity")
    assert any(r["text"] == "Support from North Korean soldiers" and r["value"] == "10000"
               for r in rows(served, "quantities"))


def test_reject_and_merge_actors_then_split_on_the_actor_page(page, served):
    sign_in(page)
    economist = next(r["actor"] for r in rows(served, "actors") if r["name"] == "The Economist")
    page.click(f"button.actor-tools[data-actor='{economist}']")
    submit(page, "#correction-panel form.reject")
    assert economist not in {r["actor"] for r in rows(served, "actors") if r["doc"] == "004_e5535fbe168a5709"}

    isw = next(r["actor"] for r in rows(served, "actors") if r["name"] == "Institute for the Study of War")
    rutte = iris.ID + "actor/mark-rutte"
    claims = [r["claim"] for r in rows(served, "claims") if r["speakerIri"] == isw]
    page.click(f"button.actor-tools[data-actor='{isw}']")
    page.select_option("#correction-panel form.merge select[name=into]", rutte)
    submit(page, "#correction-panel form.merge")
    speakers = {r["claim"]: r["speakerIri"] for r in rows(served, "claims")}
    assert claims and all(speakers[c] == rutte for c in claims)

    page.goto("/id/actor/mark-rutte")
    page.wait_for_selector("tr.correction[data-kind=merge] button.split", timeout=WAIT)
    shot(page, "actor-history")
    with page.expect_navigation(timeout=WAIT):
        page.click("tr.correction[data-kind=merge] button.split")
    speakers = {r["claim"]: r["speakerIri"] for r in rows(served, "claims")}
    assert all(speakers[c] == isw for c in claims)
    assert "undone" in page.locator("tr.correction[data-kind=merge]").inner_text()


def test_correct_in_the_explorer(page, served):
    target = claim_iri(served, "growing desperation")
    sign_in(page)                                   # the token is kept for the explorer too
    page.goto(f"/explore?node={target}")
    page.wait_for_selector("#details form.reject", timeout=WAIT)
    page.wait_for_selector("#evidence-mark", timeout=WAIT)
    select_words(page, "#details .context", "Producing considerably more weapons")
    page.wait_for_selector("#details .explorer-additions form.add-claim", timeout=WAIT)
    page.fill("#details form.add-claim input[name=speaker_name]", "Editorial")
    page.click("#details form.add-claim button[type=submit]")
    page.wait_for_timeout(3000)
    shot(page, "explorer-debug")
    print("STATUS", page.evaluate("() => [...document.querySelectorAll('#details .correction-status')].map(e => e.textContent)"))
    page.wait_for_function("() => /Saved|:/.test(document.querySelector('#details form.add-claim .correction-status').textContent)",
                           timeout=WAIT)
    assert "Saved" in page.locator("#details form.add-claim .correction-status").inner_text()
    assert any(r["text"] == "Producing considerably more weapons" and r["speaker"] == "Editorial"
               for r in rows(served, "claims"))
    page.click("#details form.reject button[type=submit]")
    page.wait_for_selector(".correction-done", timeout=WAIT)
    shot(page, "explorer-rejected")
    assert target not in {r["claim"] for r in rows(served, "claims")}
    assert page.evaluate(f"() => window.claimgraphExplorer.getElementById('{target}').length") == 0
