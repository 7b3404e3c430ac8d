"""Where `claimgraph serve` spends a request: py-spy over the whole server tree under wrk load.

    python -m bench profile --query point_lookup --seconds 15

Starts the server on a synthetic store, drives one bench query at it with wrk, records every
process of the server tree with py-spy (sampling, no code changes), and prints the functions
with the most samples — self time and inclusive — plus the raw collapsed stacks' path, which
speedscope or flamegraph.pl can draw. py-spy comes from PyPI (`pip install py-spy`).
"""
from __future__ import annotations

import collections
import shutil
import subprocess
import threading
from pathlib import Path

from bench import loadgen, peers, query


def py_spy() -> str | None:
    return peers.executable("py-spy")


def record(pid: int, seconds: float, out: Path, rate: int = 250) -> subprocess.Popen:
    return subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
                             "--duration", str(int(seconds)), "--rate", str(rate), "--format", "raw",
                             "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def summarise(collapsed: Path, top: int = 25) -> tuple[list, list, int]:
    """(self-time rows, inclusive rows, total samples) from py-spy's raw collapsed stacks."""
    own: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames[1:]):   # frame 0 is the process
            inclusive[frame] += n
    return own.most_common(top), inclusive.most_common(top), total


def run(workdir: Path, *, query_name: str, quads: int, seconds: float, concurrency: int, log=print) -> dict:
    if py_spy() is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    queries = {q.name: q for q in query.load_queries()}
    if query_name not in queries:
        raise SystemExit(f"unknown query {query_name!r}: one of {', '.join(queries)}")
    bench_query = queries[query_name]
    _, store, oxigraph_store, written = query.prepare_stores(workdir, quads)
    shutil.rmtree(oxigraph_store, ignore_errors=True)
    out = workdir / f"profile-{query_name}.txt"
    with peers.start_claimgraph(store, workdir / "logs") as endpoint:
        loadgen.run_load(endpoint.url, bench_query.text, bench_query.accept, seconds=1, concurrency=concurrency)
        spy = record(endpoint.pid, seconds, out)
        result: dict = {}
        load = threading.Thread(target=lambda: result.update(loadgen.run_load(
            endpoint.url, bench_query.text, bench_query.accept, seconds=seconds, concurrency=concurrency).as_dict()))
        load.start()
        load.join()
        _, err = spy.communicate(timeout=seconds + 60)
    if not out.exists():
        raise SystemExit(f"py-spy recorded nothing: {err.decode(errors='replace')[-800:]}")
    own, inclusive, total = summarise(out)
    log(f"{query_name} on {written} quads: {result.get('rps', 0):.0f} req/s under profiling; {total} samples")
    return {"query": query_name, "quads": written, "load": result, "samples": total, "collapsed": str(out),
            "self": own, "inclusive": inclusive}
