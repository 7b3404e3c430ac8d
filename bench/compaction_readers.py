"""`python -m bench.compaction_readers STORE [SECONDS]`: do reads fail or slow down while a writer
compacts? (issue 18: the figures view's 503 right after a full re-derive.)

A read-write open of STORE (another process, as `claimgraph serve`'s writer) does whatever
compactions the store has pending for SECONDS, while this process opens STORE read-only (as the
serving processes do) and runs `figures_side_by_side` (Personnel, rates) back to back; then the
same for a few seconds after the writer closed. Each read's time and outcome print as they come;
the summary goes to bench/results/compaction-readers-STORE.json. Run it on a store `claimgraph
reason` has just rewritten, with the code before it settles the store (the store is not changed
otherwise: compactions keep its statements).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Variable

QUERY = Path(__file__).resolve().parents[1] / "queries" / "figures_side_by_side.rq"
SUBSTITUTIONS = {Variable("_kind_iri"): NamedNode("https://w3id.org/claimgraph/kind/Personnel"),
                 Variable("_rates_boolean"): Literal(True)}
WRITER = ("import sys, time\nfrom pyoxigraph import Store\ns = Store(sys.argv[1])\n"
          "time.sleep(float(sys.argv[2]))\ns.flush()\n")


def reads(path: str, text: str, seconds: float, label: str) -> list[tuple[float, str]]:
    """Read-only open + the query, again and again for `seconds`: (seconds taken, outcome) each."""
    out: list[tuple[float, str]] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            store = Store.read_only(path)
            outcome = f"{sum(1 for _ in store.query(text, substitutions=SUBSTITUTIONS, use_default_graph_as_union=True))} rows"
        except Exception as exc:   # noqa: BLE001 -- what the server's store_moved would catch
            outcome = f"{type(exc).__name__}: {str(exc)[:90]}"
        store = None
        out.append((round(time.perf_counter() - started, 2), outcome))
        print(label, *out[-1], flush=True)
    return out


def main(path: str, seconds: float = 60.0) -> None:
    text = QUERY.read_text(encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, path, str(seconds)])
    time.sleep(0.5)
    during = reads(path, text, seconds, "writer open:")
    writer.wait()
    after = reads(path, text, 8.0, "writer closed:")
    result = {"store": path, "writer_seconds": seconds,
              "during": {"reads": len(during), "failed": sum("rows" not in o for _, o in during), "seconds": [t for t, _ in during]},
              "after": {"reads": len(after), "failed": sum("rows" not in o for _, o in after), "seconds": [t for t, _ in after]}}
    print(json.dumps(result))
    (Path(__file__).with_name("results") / f"compaction-readers-{Path(path).name}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
