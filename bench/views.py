"""`python -m bench.views STORE`: first render of each debate view, and the latency of the named
queries behind it, over a served store (issue 18: the overview, the timeline, the figures).

Build the 10,000-document store first with the scale corpus (`python -m bench.scale STORE 10000`).
Each view is opened in a fresh headless Debian chromium context (Playwright) and timed from
navigation start to the moment the page says it has drawn (`claimgraphDebate.firstRenderMs`,
set once the view's named queries have answered and the graph or chart is drawn); the first
load is the cold one (nothing cached by the server), the next ones show the server's result
cache. Each named query the views call is then timed alone over HTTP, its first call and the
median of the rest. Results print as JSON and go to bench/results/views-N.json.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Optional

import httpx
import typer

from bench.peers import start_claimgraph

CHROMIUM = "/usr/bin/chromium"
VIEWS = {"overview": "/debate", "timeline": "/debate/timeline", "figures": "/debate/figures"}
# what each view asks for (limits as the pages send them); the filter lists (publishers,
# actor_kinds, quantity_kinds) fill in while the view is drawn, the first render waits only for the others
QUERIES = {
    "overview": [("overview_actors", {"limit": 40}), ("overview_stances", {}), ("publishers", {}), ("actor_kinds", {})],
    "timeline": [("stance_timeline", {"limit": 10000}), ("publishers", {}), ("actor_kinds", {})],
    "figures": [("figures_side_by_side", {"limit": 61}), ("quantity_kinds", {})],
}
RENDER_TIMEOUT_MS = 180_000


def render_times(base: str, loads: int) -> dict:
    from playwright.sync_api import sync_playwright
    out: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for view, path in VIEWS.items():
                times = []
                for _ in range(loads):
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = context.new_page()
                    page.goto(base + path)
                    page.wait_for_function("() => document.body.dataset.rendered === 'true'", timeout=RENDER_TIMEOUT_MS)
                    error = page.locator("#details p.status.error").all_inner_texts()
                    times.append(round(page.evaluate("() => window.claimgraphDebate.firstRenderMs")))
                    context.close()
                    if error:
                        out[view] = {"error": error[0][:300], "first_render_ms": times}
                        break
                else:
                    out[view] = {"first_render_ms": times, "cold_ms": times[0],
                                 "warm_median_ms": statistics.median(times[1:]) if len(times) > 1 else None}
        finally:
            browser.close()
    return out


def query_times(base: str, calls: int) -> dict:
    out: dict = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for view, queries in QUERIES.items():
            for name, params in queries:
                key = name
                if key in out:
                    continue
                times, status = [], None
                for _ in range(calls):
                    started = time.perf_counter()
                    response = client.get(f"/api/queries/{name}", params=params)
                    times.append(round((time.perf_counter() - started) * 1000, 1))
                    status = response.status_code
                out[key] = {"status": status, "first_ms": times[0],
                            "median_rest_ms": statistics.median(times[1:]) if calls > 1 else None}
    return out


def run(store: Path, loads: int = 3, calls: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="claimgraph-views-") as logdir:
        endpoint = start_claimgraph(store, Path(logdir), timeout=600)
        try:
            # render first: the browser's first loads are the cold ones
            result = {"store": str(store), "views": render_times(endpoint.base, loads)}
            result["queries"] = query_times(endpoint.base, calls)
        finally:
            endpoint.stop()
    return result


def main(store: Path = typer.Argument(..., exists=True, file_okay=False, help="a served store (bench.scale builds one)"),
         name: Optional[str] = typer.Argument(None, help="results file name (default: views-STORE)"),
         loads: int = typer.Option(3, min=1, help="page loads per view"),
         calls: int = typer.Option(3, min=1, help="calls per named query")) -> None:
    """First render of each debate view on STORE, and the named queries behind them."""
    result = run(store, loads, calls)
    text = json.dumps(result, indent=2)
    print(text)
    (Path(__file__).with_name("results") / f"{name or f'views-{store.name}'}.json").write_text(text + "\n")


if __name__ == "__main__":
    typer.run(main)
