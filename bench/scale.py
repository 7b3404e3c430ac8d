"""`python -m bench --only scale`: stores of 10,000 and 100,000 documents, as analysts grow them.

The corpus is the synthetic one (bench.corpus), reshaped the way real coverage is: a few actors
quoted in a large share of the documents (a head of state, a ministry, a think tank), and
figures that recur from document to document (the same monthly recruitment figure, the same
tank count). Each document becomes RDF by the project's own mapper (bench.rdfgen: what a perfect
extractor would return), and is written by the ingest's writer with its inferred graph, exactly
as `claimgraph ingest` writes it; extraction itself (spaCy) is left out, it is measured per
article in the ingest section. Measured, per size:
- write: documents mapped, reasoned and written (2 processes mapping + reasoning, one writer);
- reason: `claimgraph reason`, the rebuild of every inferred graph (subprocess: wall, peak RSS);
- one more document: map + reason + write one new document into the full store, in-process;
- every named query's first page and the explorer's queries, through `claimgraph serve`
  (/api/queries/NAME, default page), p50/p99 over a few calls, status, bytes; server memory.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import statistics
from collections import deque
import sys
import time
from pathlib import Path
from typing import Callable

import httpx

from bench.corpus import generate_article
from bench.peers import start_claimgraph
from bench.procmem import PeakSampler, tree_rss
from bench.rdfgen import to_extraction
from bench.timed import run_timed
from common import iris
from ingest.model import Actor, Article, Claim, Extraction

SCALE_SEED = 20260116
# (name, kind, share of documents that quote it): the very frequently quoted actors of real news
FREQUENT = [("President Arvid Kalmström", "person", 0.40), ("Ministry of Defence of Veltmark", "organization", 0.25),
            ("Northgate Institute for Security Studies", "organization", 0.15),
            ("General Ostap Brunenko", "person", 0.05)]
# figures that recur from document to document: (kind concept, value, period)
RECURRING = [("Personnel", 30000, "P1M"), ("Personnel", 20000, "P1M"), ("Tank", 1500, "P1Y"),
             ("Missile", 120, "P1M"), ("Drone", 3000, "P1M"), ("ArtilleryShell", 10000, "P1D")]
WRITE_CHUNK = 64
AHEAD = 8   # chunks mapped ahead of the writer (2 workers: 3-4 each in flight or waiting)


def scale_extraction(index: int) -> Extraction:
    """Document `index` of the scale corpus: the synthetic article, with frequent actors and
    recurring figures planted (deterministic per index)."""
    import random
    article = generate_article(index, SCALE_SEED)
    ex = to_extraction(article)
    rng = random.Random(f"scale:{index}")
    claims = list(ex.claims)
    for position, (name, kind, share) in enumerate(FREQUENT):
        if rng.random() < share and position < len(claims):
            key = iris.slug(name)
            ex.actors.append(Actor(key=key, name=name, kind=kind, aliases={name.split()[-1]}))
            claims[position] = dataclasses.replace(claims[position], speaker=key)
    ex.claims = claims
    quantities = list(ex.quantities)
    if quantities and rng.random() < 0.5:
        kind, value, period = rng.choice(RECURRING)
        quantities[0] = dataclasses.replace(quantities[0], kind=iris.KIND + kind, value=float(value), low=None,
                                            high=None, qualifier="exact", period=period)
    ex.quantities = quantities
    return ex


def _document_bytes(indices: list[int]) -> list[tuple[str, bytes]]:
    from pyoxigraph import RdfFormat, serialize
    from reasoning.reasoner import with_inferred
    from ingest.map import to_quads
    out = []
    for index in indices:
        ex = scale_extraction(index)
        quads = with_inferred(iris.document(ex.article.doc_id), to_quads(ex))
        out.append((ex.article.doc_id, serialize(quads, format=RdfFormat.N_QUADS)))
    return out


def build(store_path: Path, count: int, start: int = 0, workers: int = 2) -> None:
    """Write documents start .. start+count-1 into the store the way the ingest writes them."""
    from reasoning.reasoner import refresh_ontology
    from ingest.write import DocumentWriter
    from store import open_store
    failed: list[str] = []
    chunks = [list(range(i, min(i + WRITE_CHUNK, start + count))) for i in range(start, start + count, WRITE_CHUNK)]
    with open_store(store_path) as store:
        refresh_ontology(store)
        writer = DocumentWriter(store, lambda article, error: error and failed.append(error))
        ctx = multiprocessing.get_context("forkserver")
        started, done = time.perf_counter(), 0
        with ctx.Pool(workers) as pool:
            # at most AHEAD chunks mapped and not yet written: `pool.imap` maps every chunk as fast
            # as the workers go and keeps the answers, so when the writer is the slower side (a
            # loaded machine, a large store) they pile up (100,000 documents: +10 MB/s, 4.5 GB
            # after 7 minutes)
            pending: deque = deque()
            for chunk in chunks + [None] * AHEAD:
                if chunk is not None:
                    pending.append(pool.apply_async(_document_bytes, (chunk,)))
                if len(pending) < AHEAD and chunk is not None:
                    continue
                if not pending:
                    break
                batch = pending.popleft().get()
                for doc_id, data in batch:
                    writer.add(Article(doc_id=doc_id, text="", source=doc_id), data)
                done += len(batch)
                if done % PROGRESS_EVERY < len(batch):   # a long build says how far it is (rate, memory)
                    _progress(done, count, time.perf_counter() - started)
        writer.close()
        _progress(done, count, time.perf_counter() - started)
    if failed:
        raise RuntimeError(f"{len(failed)} document(s) failed: {failed[:3]}")


PROGRESS_EVERY = 5_000


def _progress(done: int, count: int, seconds: float) -> None:
    """One line on stderr: documents handed to the writer, rate, this process tree's memory, load."""
    import os
    rss = tree_rss(os.getpid()) / 2**20
    print(f"{time.strftime('%H:%M:%S')} {done:,}/{count:,} documents queued, {seconds:.0f} s, "
          f"{done / max(seconds, 1e-9):.1f} doc/s, tree RSS {rss:,.0f} MB, load {os.getloadavg()[0]:.1f}",
          file=sys.stderr, flush=True)


def _one_more(store_path: Path, index: int) -> dict:
    """Seconds to map, reason and write one new document into the store, and whether its
    inferred graph is there afterwards."""
    from reasoning.reasoner import ontology_reasoner
    from ingest.write import DocumentWriter
    from store import open_store
    ontology_reasoner()   # built once per process, as in an ingest
    with open_store(store_path) as store:
        started = time.perf_counter()
        [(doc_id, data)] = _document_bytes([index])
        writer = DocumentWriter(store, lambda article, error: None)
        writer.add(Article(doc_id=doc_id, text="", source=doc_id), data)
        writer.close()
        seconds = time.perf_counter() - started
        current = iris.inferred_graph(iris.document(doc_id)) in store.graphs()
    return {"seconds": round(seconds, 4), "inferred_current": current}


def _query_cases(doc_id: str) -> dict[str, dict]:
    """Parameters for the named queries that need some, on the scale corpus."""
    head = iris.actor(FREQUENT[0][0])
    doc = iris.document(doc_id)
    return {"actor_timeline": {"actor": head}, "document_claims": {"doc": doc_id},
            "document_spans": {"document": doc}, "evidence_context": {"item": doc + "/claim/0-0"},
            "explore_neighbours": {"node": head}, "explore_search": {"text": "Kalmström"},
            "resource_describe": {"resource": head}, "resource_exists": {"resource": head},
            "resource_links": {"resource": head}}


EXPLORER = {"explore_search": {"text": "Kalmström"}, "explore_neighbours_actor": None,
            "explore_neighbours_document": None, "evidence_context": None}


def _timed_get(client: httpx.Client, url: str, params: dict, calls: int) -> dict:
    times, status, size = [], None, 0
    for _ in range(calls):
        started = time.perf_counter()
        response = client.get(url, params=params)
        times.append((time.perf_counter() - started) * 1000)
        status, size = response.status_code, len(response.content)
        if status != 200:
            break
    times.sort()
    return {"status": status, "calls": len(times), "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 1), "bytes": size}


def _settle(client: httpx.Client, budget: float = 120.0) -> None:
    """After a timeout the server replaces the serving process that ran the query; wait until a
    cheap query answers again, so the next query is not measured against that replacement."""
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline:
        try:
            if client.get("/api/queries/ontology_terms", params={"limit": 1}).status_code == 200:
                time.sleep(2.0)
                return
        except httpx.HTTPError:
            pass
        time.sleep(1.0)


def _queries(store_path: Path, logdir: Path, doc_id: str, claim: str, calls: int, log,
             only: set[str] | None = None) -> dict:
    """Every named query's first page and the explorer's queries; `only`: just these named queries
    (and the explorer steps that use them), for re-measuring a few queries without the rest."""
    from common import queries
    started = time.perf_counter()
    endpoint = start_claimgraph(store_path, logdir, timeout=600)
    out: dict = {"named": {}, "explorer": {}, "serve_start_seconds": round(time.perf_counter() - started, 1)}
    try:
        cases = _query_cases(doc_id)
        cases["evidence_context"] = {"item": claim}
        head = iris.actor(FREQUENT[0][0])
        with httpx.Client(base_url=endpoint.base, timeout=60) as client:
            for name in queries.names():
                if only is not None and name not in only:
                    continue
                out["named"][name] = _timed_get(client, f"/api/queries/{name}", cases.get(name, {}), calls)
                log(f"  {name}: {out['named'][name]}")
                if out["named"][name]["status"] != 200:
                    _settle(client)
            explorer = {"search": ("explore_search", {"text": "Kalmström"}),
                        "expand frequent actor": ("explore_neighbours", {"node": head}),
                        "expand document": ("explore_neighbours", {"node": iris.document(doc_id)}),
                        "read a claim": ("evidence_context", {"item": claim})}
            for label, (name, params) in explorer.items():
                if only is not None and name not in only:
                    continue
                out["explorer"][label] = _timed_get(client, f"/api/queries/{name}", params, calls)
        out["server_rss_mb"] = round(tree_rss(endpoint.pid) / 2**20, 1)
    finally:
        endpoint.stop()
    return out


def run(workdir: Path, *, sizes: list[int], calls: int, log: Callable[[str], None]) -> dict:
    """The scale section: one entry per size."""
    results: dict = {"sizes": {}}
    for size in sizes:
        store_path = workdir / f"store-{size}"
        log(f"scale: writing {size:,} documents")
        write = run_timed([sys.executable, "-m", "bench.scale", str(store_path), str(size)], timeout=6 * 3600)
        if not write.ok:
            results["sizes"][size] = {"status": "error", "reason": write.stderr_tail}
            continue
        entry: dict = {"write": {"seconds": round(write.seconds, 1), "ms_per_doc": round(write.seconds / size * 1000, 2),
                                 "peak_rss_mb": round(write.peak_bytes / 2**20, 1)}}
        log(f"scale: reason over {size:,} documents")
        reason = run_timed([sys.executable, "-m", "claimgraph.cli", "--store", str(store_path), "reason"],
                           timeout=6 * 3600)
        entry["reason"] = {"seconds": round(reason.seconds, 1), "ms_per_doc": round(reason.seconds / size * 1000, 2),
                           "peak_rss_mb": round(reason.peak_bytes / 2**20, 1), "ok": reason.ok,
                           "said": reason.stderr_tail[-200:]}
        if size <= 10_000:   # every document re-derived (as after an ontology change): ~10 ms a document
            log(f"scale: reason --all over {size:,} documents")
            full = run_timed([sys.executable, "-m", "claimgraph.cli", "--store", str(store_path), "reason", "--all"],
                             timeout=6 * 3600)
            entry["reason_all"] = {"seconds": round(full.seconds, 1), "ms_per_doc": round(full.seconds / size * 1000, 2),
                                   "peak_rss_mb": round(full.peak_bytes / 2**20, 1), "ok": full.ok}
        entry["one_more_document"] = _one_more(store_path, size + 1)
        doc_id = scale_extraction(7).article.doc_id
        ex = scale_extraction(7)
        claim = iris.claim(iris.document(doc_id), ex.claims[0].span.start, ex.claims[0].span.end)
        log(f"scale: named queries over {size:,} documents")
        entry["queries"] = _queries(store_path, workdir / f"logs-{size}", doc_id, claim, calls, log)
        results["sizes"][size] = entry
    return results


def queries_only(store_path: Path, out: Path, calls: int, only: set[str] | None = None) -> None:
    """The query part of the section on a store already written (e.g. kept with --workdir), into
    `out` as JSON: for re-measuring the queries without writing 10,000 documents again."""
    import json
    ex = scale_extraction(7)
    claim = iris.claim(iris.document(ex.article.doc_id), ex.claims[0].span.start, ex.claims[0].span.end)
    result = {"store": str(store_path), "loadavg_start": list(__import__("os").getloadavg())}
    import tempfile
    logs = Path(tempfile.mkdtemp(prefix="claimgraph-scale-logs-"))   # the server's log, not a result
    result["queries"] = _queries(store_path, logs, ex.article.doc_id, claim, calls, print, only)
    result["loadavg_end"] = list(__import__("os").getloadavg())
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "queries":   # python -m bench.scale queries STORE OUT.json [CALLS [NAME,NAME...]]
        queries_only(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 5,
                     set(sys.argv[5].split(",")) if len(sys.argv) > 5 else None)
    else:                          # python -m bench.scale STORE COUNT: the write step, as a subprocess
        build(Path(sys.argv[1]), int(sys.argv[2]))
