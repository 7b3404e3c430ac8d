"""The embedded store: pyoxigraph (Oxigraph on RocksDB) in a folder on disk.

Atomicity: `replace_graph` is ONE SPARQL update (`DROP SILENT GRAPH g ; INSERT DATA {...}`),
which Oxigraph applies as one RocksDB transaction — readers keep their snapshot ("repeatable
read") and a kill -9 leaves the old graph or the new one. It was measured against staging the
quads in a scratch graph and `MOVE`-ing it (two transactions, and the scratch graph would be
visible to union-default-graph readers meanwhile): the single update is both atomic and about
3x faster (≈0.1 s vs ≈0.4 s for a 5,000-quad graph).

Locking: RocksDB lets one process open a folder read-write. A second opener gets
`StoreLocked` with what to do instead.

Read-only opens (`open_read_only`) never take the lock; pyoxigraph documents that reading
while another process writes is undefined behaviour, so a read-only opener must reopen after
every write it knows of (the server's serving processes do exactly that) and must never be used
for long-lived reads beside a writer.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from common.iris import PREFIXES, inferred_graph, is_document_graph, is_inferred_graph
from reasoning import summary
from store.base import GraphStore, QueryResult, Term
from store.errors import BadQuery, QuerySyntaxError, StoreError, StoreLocked
from store.formats import format_for_path, rdf_format
from store.terms import family, graph_node, ntriples_lines, replace_graphs_update, replace_update, substitutions

LOCKED_HINT = ("store {path} is in use by another process (a running `claimgraph serve` or ingest); "
               "stop it, or ingest through the server with --store sparql+http://HOST:PORT/sparql "
               "and CLAIMGRAPH_REMOTE_TOKEN set to the server's --token (see README, 'Scaling out')")


def _is_lock_error(exc: OSError) -> bool:
    text = str(exc)
    return "/LOCK" in text or "lock hold" in text or "No locks available" in text


def _as_triples(quads: Iterator[Quad]) -> Iterator[Triple]:
    """Quads without their graph names: the union view, streamed graph by graph.

    Not de-duplicated on purpose: a triple held by several graphs (an actor's label in every
    document that mentions it) is written once per graph, which any RDF parser merges, while
    de-duplication (a union-default-graph CONSTRUCT) would hold every triple in memory.
    """
    for quad in quads:
        yield Triple(quad.subject, quad.predicate, quad.object)


def asserted_quads(store: Store) -> Iterator[Quad]:
    """Every quad except those of inferred graphs, streamed graph by graph."""
    yield from store.quads_for_pattern(None, None, None, DefaultGraph())
    for node in store.named_graphs():
        if not is_inferred_graph(node.value):
            yield from store.quads_for_pattern(None, None, None, node)


def _in_graph(quads: list, graph: NamedNode) -> list[Quad]:
    """The quads, all in `graph`: the mapper already puts them there, so they are only
    rebuilt when some are not (rebuilding every quad cost ~2 ms per document)."""
    for quad in quads:
        if not isinstance(quad, Quad):
            raise StoreError(f"expected a pyoxigraph Quad, got {type(quad).__name__}")
    if all(quad.graph_name == graph for quad in quads):
        return quads
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _check_only_in(graph: str, data: bytes) -> None:
    """Refuse N-Quads with a statement outside `graph` (and its family). Exact for a canonical
    serialisation (one statement per line, as Oxigraph writes): a line ends with ` <graph> .`
    only when that is its graph, since a literal cannot hold a raw newline. A byte count, not a
    parse: ~50 us a document."""
    inside = sum(data.count(b" <%s> .\n" % name.encode("utf-8")) for name in family(graph))
    if data.count(b"\n") != inside:
        raise StoreError(f"the data for graph {graph} holds statements of other graphs (or is not N-Quads)")


SUMMARY_CHUNK_NODES = 5_000   # summary nodes compared and written per transaction in a rebuild


FLUSH_EVERY_QUADS = 35_000  # bounds the memory a long ingest holds in RocksDB memtables
COMPACTION_THREAD = "rocksdb:low"   # RocksDB's low-priority pool: compactions (flushes run in "rocksdb:high")
LOWEST_PRIORITY = 19


def _threads_named(name: str) -> list[int]:
    """Ids of this process's threads called `name` (Linux /proc; elsewhere none)."""
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return []
    found = []
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/comm") as comm:
                if comm.read().strip() == name:
                    found.append(int(tid))
        except OSError:
            continue
    return found


def _node_number(node) -> int:
    """A summary node as one machine-word number (its IRI's hash; the IRI names its kind): what a
    rebuild keeps per node to find the stored nodes it did not rebuild. Built-in str hashing is salted per
    process but stable within one, which is all this needs; a collision would only keep one stale
    node until the next rebuild."""
    return hash(node.value)


class EmbeddedStore(GraphStore):
    """A pyoxigraph Store in `path` (created when missing)."""

    is_remote = False

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(path)
        self.read_only = read_only
        self._written_since_flush = 0
        self._store: Store | None = self._open()

    def _open(self) -> Store:
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.location} is a file, not a folder")
        try:
            if self.read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"no store at {self.location} (nothing has been ingested there yet)")
                return Store.read_only(str(self.path))
            self.path.mkdir(parents=True, exist_ok=True)
            return Store(str(self.path))
        except OSError as exc:
            if _is_lock_error(exc):
                raise StoreLocked(LOCKED_HINT.format(path=self.location)) from None
            raise StoreError(f"cannot open store {self.location}: {exc}") from None
        except RuntimeError as exc:  # RocksDB reports damaged files as RuntimeError("Corruption: ...")
            raise StoreError(f"store {self.location} is damaged and cannot be opened ({exc}); "
                             "restore it from a backup or re-ingest into a new folder") from None

    @property
    def store(self) -> Store:
        """The underlying pyoxigraph Store (for code that needs a pyoxigraph-only feature)."""
        if self._store is None:
            raise StoreError(f"store {self.location} is closed")
        return self._store

    def _writable(self) -> Store:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        return self.store

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        """Atomic either way: a graph the store does not hold yet (a first ingest) is added by one
        `Store.extend` transaction, about a third cheaper than parsing an `INSERT DATA`; an
        existing graph is swapped by one `DROP GRAPH ; INSERT DATA` update. One writer holds
        the folder's lock, so nothing can create the graph between the check and the write."""
        node = graph_node(graph)
        quads = list(quads)
        store = self._writable()
        if store.contains_named_graph(node) or self._summarised([graph]):
            self._update_with_summary(replace_update(node, quads), {graph: quads})
        else:
            try:
                store.extend(_in_graph(quads, node))
            except OSError as exc:
                raise StoreError(f"cannot write graph {graph} in {self.location}: {exc}") from None
        self._wrote(len(quads))

    def replace_graph_nquads(self, graph: str, data: bytes) -> None:
        """`replace_graph` for one graph's quads already serialised as N-Quads: the batch ingest's
        workers send each document this way, because pickling ~700 Quad objects per document and
        unpickling them here cost the one writer ~5 ms per document, and Oxigraph parses the
        bytes in Rust. Same atomicity: a new graph is one `Store.load` transaction (the bytes are
        parsed inside it, so a syntax error writes nothing), an existing one is swapped by the
        one-update `replace_graph` path. Quads outside `graph` are refused."""
        node = graph_node(graph)
        _check_only_in(graph, data)
        store = self._writable()
        nodes = [graph_node(name) for name in family(graph)]
        if any(store.contains_named_graph(n) for n in nodes) or self._summarised(family(graph)):
            try:
                quads = list(parse(data, format=RdfFormat.N_QUADS))
            except SyntaxError as exc:
                raise StoreError(f"the data for graph {graph} is not valid N-Quads: {exc}") from None
            written = {n.value: [q for q in quads if q.graph_name == n] for n in nodes}
            self._update_with_summary(replace_graphs_update(nodes, quads), written)
            self._wrote(len(quads))
            return
        try:
            store.load(data, format=RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise StoreError(f"the data for graph {node.value} is not valid N-Quads: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot write graph {graph} in {self.location}: {exc}") from None
        self._wrote(data.count(b"\n"))   # one quad per line: N-Quads escapes newlines in literals

    def replace_graphs(self, graphs: dict[str, list[Quad]]) -> None:
        """Several graphs replaced (or emptied) in ONE update, so one transaction: the reasoner's
        rebuild writes the inferred graphs that changed this way, ~200 per update instead of one
        update each. Each quad must be in its own graph (as `replace_graph` wants)."""
        nodes = [graph_node(g) for g in graphs]
        quads = [quad for graph, node in zip(graphs, nodes) for quad in _in_graph(list(graphs[graph]), node)]
        written = {node.value: [q for q in quads if q.graph_name == node] for node in nodes}
        self._update_with_summary(replace_graphs_update(nodes, quads), written)
        self._wrote(len(quads))

    def holds_graph(self, graph: str) -> bool:
        """Whether the store has a named graph `graph` (one key lookup)."""
        return self.store.contains_named_graph(graph_node(graph))

    def holds_only(self, graphs: set[str]) -> bool:
        """Whether every named graph of the store is one of `graphs` (stops at the first other)."""
        return all(node.value in graphs for node in self.store.named_graphs())

    def add_new_graphs(self, graphs: Sequence[tuple[str, bytes]]) -> None:
        """Add graphs the store does not hold yet, each given as N-Quads, in ONE bulk load.

        Why: Oxigraph's bulk loader writes sorted files straight to disk instead of one
        transaction per graph through the in-memory tables; for the batch ingest that halves
        the store's CPU, compactions included (10,000 synthetic documents: ~80 s against ~150 s),
        and the store's CPU is what two extraction workers compete with.
        Not one transaction (Oxigraph's bulk load is not atomic), so: a graph the store already
        holds, or one named twice, is refused before anything is written; on a failure while
        loading, every graph of the batch is removed again before StoreError is raised, so each
        graph is either all there or absent, and the caller can write them one by one to find
        the one at fault.
        The bytes are taken as Oxigraph serialised them: IRIs are not validated a second time
        (`lenient`, ~10% of the bulk load's CPU)."""
        names = [graph for graph, _ in graphs]
        if len(set(names)) != len(names):
            raise StoreError("a bulk write names the same graph twice")
        store = self._writable()
        nodes = [graph_node(member) for graph in names for member in family(graph)]
        held = [node.value for node in nodes if store.contains_named_graph(node)]
        if held:
            raise StoreError(f"a bulk write only adds new graphs; already in the store: {', '.join(held[:3])}")
        for graph, data in graphs:
            _check_only_in(graph, data)
        # the bulk load is not one transaction: the summary is marked stale while it runs, and
        # marked current again in the update that adds the batch's tallies (reasoning/summary.py)
        summarised = self._summarised([node.value for node in nodes])
        if summarised:
            self.mark_summary_stale()
        try:
            store.bulk_load(b"".join(data for _, data in graphs), format=RdfFormat.N_QUADS, lenient=True)
        except (SyntaxError, OSError) as exc:
            self._remove_graphs(nodes)
            if summarised:   # the batch is gone again and the summary never counted it
                self._add_marker()
            raise StoreError(f"the bulk write of {len(graphs)} graph(s) failed and was undone: {exc}") from None
        if summarised:   # the batch's graphs are new: their stored contributions are all they add
            delta = summary.Delta()
            for document in summary.affected_documents(names):
                delta.add(summary.stored_contributions(store, document), 1)
            loaded = [node.value for node in nodes]   # the actors they touch: without them, then with them
            delta.follow_actors(summary.actor_facts.View(store, {g: None for g in loaded}), summary.actor_facts.View(store), loaded)
            self._apply_patch(delta.patch_quads(store) + [summary.staged_marker()])

    def _remove_graphs(self, nodes: list[NamedNode]) -> None:
        store = self.store
        for node in nodes:
            if store.contains_named_graph(node):
                store.remove_graph(node)

    def _wrote(self, statements: int) -> None:
        self._written_since_flush += statements
        if self._written_since_flush >= FLUSH_EVERY_QUADS:
            self._flush()

    @contextmanager
    def compaction_yields(self):
        """For a batch ingest: RocksDB's compaction threads run at the lowest CPU priority.

        Compactions then use only CPU time the extraction workers leave idle instead of taking
        a core from them, and a compaction that waits merges several flushed files at once,
        which is less work in all (measured on 1,000 synthetic documents with two workers:
        0.5-2 s of compaction during the ingest, mostly on otherwise idle CPU, and ~1 s left for
        whoever opens the store next, against ~5 s before).
        A nice value, not SCHED_IDLE: under a foreign CPU load the compactions still progress
        (SCHED_IDLE measured no faster on a quiet machine: 15.4 s against 15.5 s),
        and RocksDB's own write slowdown keeps the number of waiting files bounded.
        Linux only (per-thread nice via /proc); elsewhere a no-op. The priority is put back on
        exit when the system allows it (raising it again needs CAP_SYS_NICE)."""
        self.store  # noqa: B018 -- open, so RocksDB's threads exist
        lowered: list[tuple[int, int]] = []
        for tid in _threads_named(COMPACTION_THREAD):
            try:
                lowered.append((tid, os.getpriority(os.PRIO_PROCESS, tid)))
                os.setpriority(os.PRIO_PROCESS, tid, LOWEST_PRIORITY)
            except OSError:
                continue
        try:
            yield
        finally:
            for tid, previous in lowered:
                try:
                    os.setpriority(os.PRIO_PROCESS, tid, previous)
                except OSError:
                    pass

    def _flush(self) -> None:
        """Write RocksDB's in-memory tables out. Without it a long ingest keeps every write of
        the session in memory and in the write-ahead log (peak memory grew with the corpus:
        +270 MB for 400 documents; +55 MB with a flush every ~35,000 quads)."""
        self._written_since_flush = 0
        try:
            self.store.flush()
        except OSError as exc:
            raise StoreError(f"cannot flush {self.location}: {exc}") from None

    def settle(self) -> None:
        """Do RocksDB's pending compactions now, before the store is handed on: after a bulk rewrite
        (`claimgraph reason` re-deriving thousands of inferred graphs, ~1.9 M statements at 10,000
        documents) the levels hold old and new versions and tombstones until compactions merge
        them, and a process that exits leaves that work to the next opener — `claimgraph serve`'s
        writer, compacting on the shared cores while its serving processes answer the first views
        (measured: 17 s of compactions left after such a `reason`, 0.0 s after this; it costs ~20 s).
        Why it was looked at: the first figures view after a full re-derive once ran past the 30 s
        timeout; whether these compactions caused it is not established (BENCHMARKS.md, "Debate
        views at 10,000 documents": a probe of read-only readers beside a compacting writer saw no
        failed or slow read). pyoxigraph's `Store.optimize` compacts every column family, in this
        thread, and returns when done."""
        self._flush()
        try:
            self._writable().optimize()
        except OSError as exc:
            raise StoreError(f"cannot compact {self.location}: {exc}") from None

    def drop_graph(self, graph: str) -> None:
        """Remove the graph; a document's inferred graph goes with it, in the same transaction."""
        nodes = [graph_node(member) for member in family(graph)]
        if len(nodes) > 1 or self._summarised([graph]):
            self._update_with_summary(replace_graphs_update(nodes, []), {n.value: None for n in nodes})
            return
        try:
            self._writable().remove_graph(nodes[0])
        except OSError as exc:
            raise StoreError(f"cannot drop graph {graph} in {self.location}: {exc}") from None

    def query(self, sparql_text: str, *, bindings: dict[str, Term] | None = None, default_union: bool = True,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
        options: dict = {}
        if default_graphs is not None:
            options["default_graph"] = [graph_node(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = default_union
        if named_graphs is not None:
            options["named_graphs"] = [graph_node(g) for g in named_graphs]
        try:
            return self._run_query(sparql_text, bindings, options)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except (RuntimeError, ValueError, TypeError) as exc:
            raise BadQuery(f"cannot run the query: {exc}") from None
        except OSError as exc:
            raise StoreError(f"query failed on {self.location}: {exc}") from None

    def _run_query(self, sparql_text: str, bindings: dict[str, Term] | None, options: dict) -> QueryResult:
        """Bindings are pyoxigraph substitutions (SEP-0007): applied before evaluation, pushed into
        the plan, and echoed in the results — so a SELECT must project every bound variable."""
        if not bindings:
            return self.store.query(sparql_text, **options)
        return self.store.query(sparql_text, substitutions=substitutions(bindings), **options)

    def update(self, sparql_text: str, *, rewrites: Sequence[str] = ()) -> None:
        """Run a SPARQL update; `rewrites`: the document graphs it rewrites or drops (with their
        inferred graphs), whose tallies the store-level summary follows (reasoning/summary.py).
        Their new content is only known once the update ran, so it is three transactions: the
        summary's version marker taken out, the update, then the changed counts with the marker
        put back (a crash between leaves the summary marked stale, not wrong). An update
        that writes other documents' inferred graphs without naming them leaves the summary
        behind: call `rebuild_summary` after it."""
        documents = summary.affected_documents(rewrites)
        if not documents or not self._summarised(documents):
            self._update(sparql_text)
            return
        store = self.store
        old = {document: summary.stored_contributions(store, document) for document in documents}
        # the graphs as they were, to see which actors the update touches (reasoning/actor_facts.py)
        graphs = [g for document in documents for g in (document, inferred_graph(document))]
        before = {g: list(store.quads_for_pattern(None, None, None, graph_node(g))) for g in graphs}
        self.mark_summary_stale()
        try:
            self._update(sparql_text)
        except Exception:   # nothing was written (one transaction): the summary still holds
            self._add_marker()
            raise
        delta = summary.Delta()
        for document in documents:
            delta.add(old[document], -1)
            delta.add(summary.stored_contributions(store, document), 1)
        delta.follow_actors(summary.actor_facts.View(store, before), summary.actor_facts.View(store), graphs)
        self._apply_patch(delta.patch_quads(store) + [summary.staged_marker()])

    # -- the store-level summary (reasoning/summary.py) -------------------------------------------

    def summary_current(self) -> bool:
        """Whether the summary carries the current version (queries read it only then)."""
        m = summary.marker()
        return any(True for _ in self.store.quads_for_pattern(m.subject, m.predicate, m.object, m.graph_name))

    def mark_summary_stale(self) -> None:
        """Take the version marker out (one quad, its own transaction): queries sum the tallies
        and the next `serve`, ingest or `reason` rebuilds the summary. For writes it cannot follow."""
        try:
            self._writable().remove(summary.marker())
        except OSError as exc:
            raise StoreError(f"cannot mark the summary stale in {self.location}: {exc}") from None

    def _add_marker(self) -> None:
        try:
            self._writable().add(summary.marker())
        except OSError as exc:
            raise StoreError(f"cannot mark the summary current in {self.location}: {exc}") from None

    def _summarised(self, graphs: Iterable[str]) -> bool:
        """Whether a write of `graphs` must carry the summary along: it is current and counts one of them."""
        return bool(summary.affected_documents(graphs)) and self.summary_current()

    def _stage(self, patch: list[Quad]) -> bool:
        """Put `patch` in the summary's patch graph (one `extend`), after removing any patch a
        crash left behind (never applied: its counts were read before that crash). False when
        there is nothing to apply."""
        store, node = self._writable(), graph_node(summary.PATCH_GRAPH)
        try:
            if store.contains_named_graph(node):
                store.remove_graph(node)
            if not patch:
                return False
            store.extend(patch)
        except OSError as exc:
            raise StoreError(f"cannot stage the summary's changes in {self.location}: {exc}") from None
        return True

    def _unstage(self) -> None:
        """After a failed update: the staged patch must not outlive it."""
        try:
            self._writable().remove_graph(graph_node(summary.PATCH_GRAPH))
        except OSError:
            pass

    def _apply_patch(self, patch: list[Quad], update: str = "") -> None:
        """Stage `patch` and apply it (reasoning/sparql/summary_patch.rq) at the end of `update`,
        in the same update (alone when `update` is empty); with nothing to stage, `update` alone."""
        if not self._stage(patch):
            if update:
                self._update(update)
            return
        try:
            self._update(f"{update} ;\n{summary.patch_update()}" if update else summary.patch_update())
        except Exception:
            self._unstage()
            raise

    def _update_with_summary(self, update: str, written: dict[str, list[Quad] | None]) -> None:
        """Run `update` (which replaces the graphs of `written` by their quads, or drops them: None)
        and, when the summary is current, its changed counts in the SAME update: they are staged
        as quads first, and the fixed patch update (a file, no values in its text) ends `update`."""
        if summary.actor_facts.changes_classes(self.store, written) and self.summary_current():
            self.mark_summary_stale()   # the actors' kinds follow the ontology's classes: rebuilt next
        if not self._summarised(written):
            self._update(update)
            return
        self._apply_patch(summary.write_delta(self.store, written).patch_quads(self.store), update)

    def rebuild_summary(self) -> None:
        """The summary recomputed from every document's tallies and marked current: after writes
        the store could not follow, or for a store written before it.

        Streamed (reasoning/summary.py `summary_nodes`): the marker goes first, then the nodes
        come from the store's grouped queries one at a time and are compared with what the
        summary holds for each (one index range per node), and the differences are written a
        chunk of nodes per transaction; stored nodes no rebuilt one matches are removed the same
        way, and the marker comes back last. Python holds one chunk and one 8-byte number per
        node, not the summary (which grows with the store: ~3 M statements at 100,000 documents).
        A crash before the end leaves the summary marked stale, never wrong and marked current."""
        store, graph = self._writable(), graph_node(summary.SUMMARY_GRAPH)
        try:   # the marker out, of whichever version (an older summary's goes with its nodes)
            for quad in list(store.quads_for_pattern(graph, summary.SUMMARY_VERSION, None, graph)):
                store.remove(quad)
        except OSError as exc:
            raise StoreError(f"cannot mark the summary stale in {self.location}: {exc}") from None
        self._stage([])                        # a patch a crash left is never applied
        empty = not store.contains_named_graph(graph) or next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None
        seen: set[int] = set()
        added: list[Quad] = []
        patch: list[Quad] = []
        nodes = 0

        def flush() -> None:
            try:
                if added:
                    store.extend(added)
            except OSError as exc:
                raise StoreError(f"cannot write the summary in {self.location}: {exc}") from None
            self._apply_patch(list(patch))
            self._wrote(len(added) + len(patch))   # RocksDB's in-memory tables flushed as the chunks go
            added.clear()
            patch.clear()

        for node, quads in summary.summary_nodes(store):
            seen.add(_node_number(node))
            if empty:
                added.extend(quads)
            else:
                patch.extend(summary.node_patch(node, quads, list(store.quads_for_pattern(node, None, None, graph))))
            nodes += 1
            if nodes % SUMMARY_CHUNK_NODES == 0:
                flush()
        flush()
        if not empty:   # stored nodes that no document contributes to any more
            for predicate in {p for counts in summary.COUNTS.values() for p in counts} | set(summary.SWEPT_EXTRA):
                for quad in store.quads_for_pattern(None, predicate, None, graph):
                    if _node_number(quad.subject) not in seen:
                        patch.extend(summary.node_patch(quad.subject, [], list(store.quads_for_pattern(quad.subject, None, None, graph))))
                        seen.add(_node_number(quad.subject))   # a node with two counts is removed once
                        if len(patch) >= SUMMARY_CHUNK_NODES:
                            flush()
            flush()
        self._add_marker()

    def ensure_summary(self) -> bool:
        """Rebuild the summary unless it is current; True when it had to be rebuilt."""
        if self.summary_current():
            return False
        self.rebuild_summary()
        return True

    def _update(self, sparql_text: str) -> None:
        store = self._writable()
        try:
            store.update(sparql_text)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed on {self.location}: {exc}") from None

    def dump(self, out: BinaryIO, format: str, graph: str | None = None, *, inferred: bool = True) -> None:
        fmt = rdf_format(format)
        store = self.store
        prefixes = PREFIXES if fmt.name in {"Turtle", "TriG", "N3"} else None
        try:
            if graph is not None:
                node = graph_node(graph)
                if not store.contains_named_graph(node):
                    raise StoreError(f"no graph {graph} in {self.location}")
                if fmt.supports_datasets:   # keep the graph name in TriG / N-Quads
                    serialize(store.quads_for_pattern(None, None, None, node), out, fmt, prefixes=prefixes)
                else:
                    store.dump(out, fmt, from_graph=node, prefixes=prefixes)
            elif not inferred:              # graph by graph, the inferred ones skipped
                quads = asserted_quads(store)
                serialize(quads if fmt.supports_datasets else _as_triples(quads), out, fmt, prefixes=prefixes)
            elif fmt.supports_datasets:
                store.dump(out, fmt, prefixes=prefixes)
            else:                           # the default view: every graph's triples, streamed
                serialize(_as_triples(store.quads_for_pattern(None, None, None, None)), out, fmt, prefixes=prefixes)
        except OSError as exc:
            raise StoreError(f"export of {self.location} failed: {exc}") from None

    def load(self, path: str | Path, format: str | None = None, graph: str | None = None) -> None:
        fmt = format_for_path(path, format)
        options = {"to_graph": graph_node(graph)} if graph is not None else {}
        try:
            self._writable().bulk_load(path=str(path), format=fmt, **options)
        except SyntaxError as exc:
            raise StoreError(f"{path} is not valid {fmt.name}: {exc}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot load {path} into {self.location}: {exc}") from None
        if self.summary_current():   # the file may hold tallies (or a summary) the summary did not follow
            self.rebuild_summary()

    def backup(self, target: str | Path) -> None:
        """RocksDB checkpoint via pyoxigraph: consistent even while this store is open, cheap
        (hard links where the file system allows), and the copy opens as an ordinary store."""
        target = Path(target)
        if target.exists() and any(target.iterdir()):
            raise StoreError(f"backup target {target} is not empty: give a new folder")
        try:
            self.store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot back up {self.location} to {target}: {exc}") from None

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, NamedNode))

    def close(self) -> None:
        if self._store is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
        self._store = None   # the RocksDB lock is released when the Store is freed
