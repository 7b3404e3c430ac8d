"""The store-level summary: the documents' tallies summed across the store, kept current as each
document is written, replaced or removed.

Why: the per-document tallies (reasoning/tallies.py) took the overview and timeline from 5-30 s
to 1.5-3 s at 10,000 documents, but a query still summed ~100,000 tallies at each request, and
the first request after every write paid that again, whatever a serving process keeps. The sums
change only when a document does, so they are kept in one graph, `SUMMARY_GRAPH`, and a query
over the whole store reads one node per speaker, per speaker and stance, per publication day or
per document: its cost grows with its answer, not with the store.

What a document contributes (only a graph typed cg:Document, as in the queries; terms in
ontology/claimgraph.ttl), from its tallies and its date, publisher name and stance:
- claims node per speaker and stance (optional): cg:summaryClaims, their claims for that stance
  (or taking none);
- speaker node per speaker: cg:summaryDocuments, the documents where they argue a stance;
- quoted node per speaker: cg:summaryQuotedIn, the documents that quote them at all;
- name node per speaker and name (skos:prefLabel in a document that quotes them):
  cg:summaryName, cg:summaryWrittenIn (the documents that quote them under that name);
- day node per publication date, publisher name and stance (each optional: a document without
  a date, a claim without a stance): cg:summaryClaims and cg:summaryDocuments;
- document node per document and stance (optional): cg:summaryClaims;
- actor node per actor (cg:summaryActor): their claims for truce-as-regrouping, for
  Russia-needs-peace, for any stance and for none, the documents that quote them for a stance, at
  all, and that mention and name them (cg:summaryActor*): so each actor listing reads one scan per
  column instead of joining the speaker, claims and name nodes over ~100,000 statements. The
  node also holds facts that are no sums (names, kinds, roles, affiliations: reasoning/actor_facts.py),
  recomputed by index lookups for the actors a write touches;
- per-measure nodes (reasoning/measures.py), from the document graph's quantities rather than
  its tallies: per counted kind and period, and per figure of it, the documents giving it, with
  the figure's first quantity; per kind and modality the quantities, and per figure the
  documents and first quantity (what disagreeing_figures and projections_vs_reports group).
Every count is a sum over documents, so a write adds the new document's contributions and takes
away the old ones (`Delta`); a node whose count reaches 0 is removed (an actor node: when all
of its counts are 0).

How it stays correct (store.embedded.EmbeddedStore does it): a write of document or inferred
graphs reads their old contributions and the current counts they touch, and the changed nodes'
new statements are staged as quads (`Delta.patch_quads`) in a patch graph, `PATCH_GRAPH`
(`Store.extend`); the document's own update then ends with the fixed update
reasoning/sparql/summary_patch.rq, which replaces each staged node's statements in the summary
by the staged ones and drops the patch graph, so the document and its counts change in ONE
transaction and no SPARQL is assembled from the counts (pyoxigraph 0.5's Python API has no
transaction object: `add`/`remove` are a transaction each, and only `update` changes several
statements atomically, so the quads travel through a graph). A patch graph left by a crash
between the two is never applied: every write removes it before staging its own. A bulk load
(not one transaction anyway) and an update whose effect the store cannot see in advance take the
version marker out first and stage it back with the counts, so a crash in between leaves a
summary marked stale, never a wrong one marked current. Writes the store cannot follow (SPARQL
Update through the server, a Graph Store merge) take the marker out, and the queries sum the
tallies until `serve`, the ingest or `claimgraph reason` rebuild it (`summary_nodes`: seven grouped
queries over the tallies (the actor nodes' facts looked up per actor), streamed node by node and written in chunks, so Python holds no copy
of the summary; the queries' own hash joins still grow with the store); a file load rebuilds it
at once.

Queries use the summary only while it carries `VERSION` (`cg:summaryVersion` on the graph's own
IRI) and otherwise sum the tallies, so a store without one (a remote SPARQL store, a store
written before it existed, one whose bulk load was cut short) answers the same, only slower.
Being an inferred graph it is left out of a dump without inference.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad, Store

from common import iris
from reasoning import actor_facts, measures, sparql
from reasoning.tallies import TALLY_COUNT, TALLY_DOCUMENT, TALLY_SPEAKER, TALLY_STANCE

SUMMARY_GRAPH = iris.INFERRED_GRAPH + "/summary"
PATCH_GRAPH = SUMMARY_GRAPH + "/patch"   # staged changes, applied and dropped by summary_patch.rq
VERSION = "summary/5"   # bump when what is summarised changes (the queries that read it name it too)
CG = iris.CG
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DOCUMENT = NamedNode(CG + "Document")
ISSUED = NamedNode("http://purl.org/dc/terms/issued")
PUBLISHER = NamedNode("http://purl.org/dc/terms/publisher")
PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SUMMARY_VERSION = NamedNode(CG + "summaryVersion")
S_SPEAKER, S_STANCE = NamedNode(CG + "summarySpeaker"), NamedNode(CG + "summaryStance")
S_DATE, S_PUBLISHER = NamedNode(CG + "summaryDate"), NamedNode(CG + "summaryPublisher")
S_DOCUMENT = NamedNode(CG + "summaryDocument")
S_CLAIMS, S_DOCUMENTS = NamedNode(CG + "summaryClaims"), NamedNode(CG + "summaryDocuments")
S_QUOTED = NamedNode(CG + "summaryQuotedIn")
S_NAME, S_WRITTEN = NamedNode(CG + "summaryName"), NamedNode(CG + "summaryWrittenIn")
S_REPLACES = NamedNode(CG + "summaryReplaces")
# the actor node (one per actor): its own dimension predicate and one predicate per count, so a
# listing reads each column by one scan of ~22,000 statements at 10,000 documents
S_ACTOR = NamedNode(CG + "summaryActor")
STANCE = "https://w3id.org/claimgraph/stance/"
REGROUPING, PEACE = NamedNode(STANCE + "TRUCE_AS_REGROUPING"), NamedNode(STANCE + "RUSSIA_NEEDS_PEACE")
ACTOR_COUNTS = tuple(NamedNode(CG + "summaryActor" + name) for name in (
    "Regrouping", "Peace", "Stanced", "Unstanced", "ArguedIn", "QuotedIn", "MentionedIn"))
MENTIONS = actor_facts.MENTIONS
TALLY_PREDICATES = (TALLY_SPEAKER, TALLY_STANCE, TALLY_COUNT, TALLY_DOCUMENT)
_GRAPH = NamedNode(SUMMARY_GRAPH)
_PATCH = NamedNode(PATCH_GRAPH)

# a key: (kind, dimension...), None for an absent optional dimension
Key = tuple


def counted(graph: str) -> bool:
    """Whether `graph` is a document's inferred graph (whose tallies the summary sums)."""
    return iris.is_inferred_graph(graph) and graph not in (iris.INFERRED_GRAPH, SUMMARY_GRAPH, PATCH_GRAPH)


def marker() -> Quad:
    """The statement that says the summary is current, and of which content."""
    return Quad(_GRAPH, SUMMARY_VERSION, Literal(VERSION), _GRAPH)


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)


def _node(key: Key) -> NamedNode:
    """A summary node's IRI: stable for its key, so a count is found again by its key alone."""
    text = " ".join("" if part is None else str(part) for part in key[1:])
    return NamedNode(f"{SUMMARY_GRAPH}/{key[0]}/{hashlib.md5(text.encode()).hexdigest()}")


def _dimensions(key: Key) -> list[tuple[NamedNode, object]]:
    kind = key[0]
    if kind == "claims":
        pairs = [(S_SPEAKER, key[1]), (S_STANCE, key[2])]
    elif kind in ("speaker", "quoted"):
        pairs = [(S_SPEAKER, key[1])]
    elif kind == "name":
        pairs = [(S_SPEAKER, key[1]), (S_NAME, key[2])]
    elif kind == "day":
        pairs = [(S_DATE, key[1]), (S_PUBLISHER, key[2]), (S_STANCE, key[3])]
    elif kind == "actor":
        pairs = [(S_ACTOR, key[1])]
    else:
        pairs = [(S_DOCUMENT, key[1]), (S_STANCE, key[2])]
    return [(p, o) for p, o in pairs if o is not None]


# which counts each kind of node holds; a node goes when the first of them reaches 0
# statements whose subjects a rebuild removes when it did not make them: the counts, and the
# affiliations' names (on the affiliation's own IRI)
SWEPT_EXTRA = (actor_facts.AFFILIATION_NAME,)
COUNTS = {"claims": (S_CLAIMS,), "speaker": (S_DOCUMENTS,), "quoted": (S_QUOTED,), "name": (S_WRITTEN,),
          "day": (S_DOCUMENTS, S_CLAIMS), "document": (S_CLAIMS,), "actor": ACTOR_COUNTS, **measures.COUNTS}


@dataclass
class DocumentFacts:
    """What the summary needs of one document graph: whether it is a cg:Document, its date and
    its publisher's name (each at most one, as ingest.map writes them)."""
    document: NamedNode
    is_document: bool = False
    date: Literal | None = None
    publisher: Literal | None = None
    labels: dict = field(default_factory=dict)     # node -> its skos:prefLabels in the document graph
    mentions: set = field(default_factory=set)     # the nodes the document schema:mentions
    store: Store | None = None                     # or read from here when asked (`labels_of`)
    measures: dict = field(default_factory=dict)   # its per-measure contributions (reasoning/measures.py)

    def labels_of(self, node: NamedNode) -> set:
        """The node's names as the document graph writes them."""
        if self.store is not None:
            return {q.object for q in self.store.quads_for_pattern(node, PREF_LABEL, None, self.document)}
        return self.labels.get(node, set())

    @classmethod
    def of_quads(cls, document: str, quads: Iterable[Quad]) -> "DocumentFacts":
        doc = NamedNode(document)
        quads = list(quads)
        facts, publisher_node, labels = cls(doc, measures=measures.document_contributions(document, quads)), None, {}
        for q in quads:
            if q.subject == doc:
                if q.predicate == RDF_TYPE and q.object == DOCUMENT:
                    facts.is_document = True
                elif q.predicate == ISSUED:
                    facts.date = q.object
                elif q.predicate == PUBLISHER:
                    publisher_node = q.object
                elif q.predicate == MENTIONS:
                    facts.mentions.add(q.object)
            if q.predicate == PREF_LABEL:
                labels.setdefault(q.subject, set()).add(q.object)
        facts.labels = labels
        facts.publisher = min(labels[publisher_node], key=str) if publisher_node in labels else None
        return facts

    @classmethod
    def of_store(cls, store: Store, document: str, with_measures: bool = True) -> "DocumentFacts":
        """Read from the store's document graph: a handful of index lookups (`with_measures`: also
        its quantities' statements, for the per-measure nodes)."""
        doc, graph = NamedNode(document), NamedNode(document)
        facts = cls(doc, store=store)
        if not store.contains_named_graph(graph):
            return facts
        if with_measures:
            facts.measures = measures.document_contributions(document, measures.stored_quads(store, document))
        facts.is_document = any(True for _ in store.quads_for_pattern(doc, RDF_TYPE, DOCUMENT, graph))
        facts.date = next((q.object for q in store.quads_for_pattern(doc, ISSUED, None, graph)), None)
        facts.mentions = {q.object for q in store.quads_for_pattern(doc, MENTIONS, None, graph)}
        node = next((q.object for q in store.quads_for_pattern(doc, PUBLISHER, None, graph)), None)
        if node is not None and not isinstance(node, Literal):
            facts.publisher = next((q.object for q in store.quads_for_pattern(node, PREF_LABEL, None, graph)), None)
        return facts


def tally_quads_of_store(store: Store, inferred: str) -> Iterator[Quad]:
    """The tally statements of one inferred graph (four index ranges, not the whole graph)."""
    graph = NamedNode(inferred)
    for predicate in TALLY_PREDICATES:
        yield from store.quads_for_pattern(None, predicate, None, graph)


def contributions(facts: DocumentFacts, tallies: Iterable[Quad]) -> dict[Key, list[int]]:
    """What one document adds to each summary node: key -> [claims, documents], or for an actor
    node its counts in `ACTOR_COUNTS` order."""
    out: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    if not facts.is_document:   # the per-measure nodes count any document graph, as their queries do
        return dict(facts.measures)
    speaker, stance, count = {}, {}, {}
    for q in tallies:
        if q.predicate == TALLY_SPEAKER:
            speaker[q.subject] = q.object
        elif q.predicate == TALLY_STANCE:
            stance[q.subject] = q.object
        elif q.predicate == TALLY_COUNT:
            count[q.subject] = int(q.object.value)
    arguing, quoted, stances = set(), set(), set()
    for tally, who in speaker.items():
        n, side = count.get(tally, 0), stance.get(tally)
        out[("claims", who, side)][0] += n
        quoted.add(who)
        if side is not None:
            arguing.add(who)
        out[("day", facts.date, facts.publisher, side)][0] += n
        out[("document", facts.document, side)][0] += n
        stances.add(side)
        actor = out.setdefault(("actor", who), [0] * len(ACTOR_COUNTS))
        actor[0] += n if side == REGROUPING else 0
        actor[1] += n if side == PEACE else 0
        actor[2 if side is not None else 3] += n
    for who in arguing:
        out[("speaker", who)][1] += 1
        out[("actor", who)][4] += 1
    for who in quoted:
        out[("quoted", who)][1] += 1
        out[("actor", who)][5] += 1
        for name in facts.labels_of(who):
            out[("name", who, name)][1] += 1
    for who in facts.mentions:
        if facts.labels_of(who):   # mentioned and named in the document (as actors_roles_affiliations counts)
            out.setdefault(("actor", who), [0] * len(ACTOR_COUNTS))[6] += 1
    for side in stances:
        out[("day", facts.date, facts.publisher, side)][1] += 1
    return {**out, **facts.measures}


@dataclass
class Delta:
    """Changes to the summary's counts, added up over documents (new contributions minus old)."""
    counts: dict[Key, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    # the actors whose non-summed facts the write may change (reasoning/actor_facts.py), and the
    # store as it is once the patch is applied, to read them from (None: the store itself)
    actors: set = field(default_factory=set)
    view: actor_facts.View | None = None
    written: set = field(default_factory=set)     # the graphs written (NamedNode)
    affiliations: set = field(default_factory=set)   # affiliations whose names the write may change
    # per figure or item node (reasoning/measures.py): the (first quantity, mid) the new
    # contributions give, and the first quantities of the old ones (their documents are rewritten)
    firsts: dict = field(default_factory=lambda: defaultdict(list))
    lost: dict = field(default_factory=lambda: defaultdict(set))

    def add(self, contributed: dict[Key, list[int]], sign: int) -> None:
        for key, values in contributed.items():
            if key[0] in measures.FIRST_KINDS:   # [documents, first quantity, mid, its document]
                self.counts.setdefault(key, [0])[0] += sign * values[0]
                if sign > 0:
                    self.firsts[key].append(tuple(values[1:]))
                else:
                    self.lost[key].add(values[1])
                continue
            entry = self.counts.setdefault(key, [0] * len(values))
            for i, value in enumerate(values):
                entry[i] += sign * value

    def follow_actors(self, before: actor_facts.View, after: actor_facts.View, graphs: Iterable[str]) -> None:
        """Recompute the facts of the actors a write of `graphs` touches, as `after` holds them."""
        graphs = list(graphs)
        actors, affiliations = actor_facts.touched(before, after, graphs, actor_facts.actor_classes(after.store))
        self.actors |= actors
        self.affiliations |= affiliations
        self.view = after
        self.written |= {NamedNode(g) for g in graphs}

    def patch_quads(self, store: Store) -> list[Quad]:
        """The changed nodes' new statements, staged in the patch graph (see `node_patch`), for
        summary_patch.rq to apply. The counts they start from are read from `store` now: the
        caller is the store's one writer and applies the patch before any other write."""
        out: list[Quad] = []
        actors = set(self.actors)
        for key, change in self.counts.items():
            if key[0] == "actor":
                if any(change):
                    actors.add(key[1])
                continue
            if key[0] in measures.COUNTS:
                out += self._measure_patch(store, key, change[0])
                continue
            if change == [0, 0]:
                continue
            node = _node(key)
            held_quads = list(store.quads_for_pattern(node, None, None, _GRAPH))
            held = {p: _count_in(held_quads, p) for p in COUNTS[key[0]]}
            new = {p: held[p] + (change[0] if p == S_CLAIMS else change[1]) for p in held}   # else: documents
            wanted = node_quads(key, new) if new[COUNTS[key[0]][0]] > 0 else []
            out += node_patch(node, wanted, held_quads)
        if actors:
            view = self.view or actor_facts.View(store)
            classes = actor_facts.actor_classes(store)
            names: dict = defaultdict(dict)   # speaker -> label -> change in the documents quoting them under it
            for key, change in self.counts.items():
                if key[0] == "name":
                    names[key[1]][key[2]] = change[1]
            for who in actors:
                key = ("actor", who)
                node = _node(key)
                held_quads = list(store.quads_for_pattern(node, None, None, _GRAPH))
                change = self.counts.get(key) or [0] * len(ACTOR_COUNTS)
                new = {p: _count_in(held_quads, p) + change[i] for i, p in enumerate(ACTOR_COUNTS)}
                wanted = []
                if any(new.values()):
                    wanted = actor_node_quads(key, new, view, classes, names=_names_after(store, who, names.get(who, {})),
                                              first=_first_after(view, who, held_quads, self.written))
                out += node_patch(node, wanted, held_quads)
        if self.affiliations:
            view = self.view or actor_facts.View(store)
            for affiliation in self.affiliations:
                held_quads = list(store.quads_for_pattern(affiliation, actor_facts.AFFILIATION_NAME, None, _GRAPH))
                out += node_patch(affiliation, actor_facts.affiliation_quads(view, affiliation, _GRAPH), held_quads)
        return out

    def _measure_patch(self, store: Store, key: Key, change: int) -> list[Quad]:
        """A per-measure node's new statements (reasoning/measures.py): its count changed by
        `change`, and for a figure or item node the least first quantity of the held one and the
        new contributions', looked up in the store only when the held one's document was
        rewritten without a lesser one (a first quantity belongs to one document)."""
        node = measures.node(SUMMARY_GRAPH, key)
        held_quads = list(store.quads_for_pattern(node, None, None, _GRAPH))
        count, first, mid, details = measures.held(held_quads, key)
        lost = self.lost.get(key, set())
        if not change and key[0] not in measures.FIRST_KINDS:
            return []
        if not change and first is not None and first not in lost and not self.firsts.get(key):
            return []
        wanted: list[Quad] = []
        if count + change > 0:
            best, shown = None, []
            if key[0] in measures.FIRST_KINDS:
                kept = [(first, mid, None)] if first is not None and first not in lost else []   # None: held
                best = measures.least(self.firsts.get(key, []) + kept)
                if first in lost and (best is None or best[0].value > first.value):
                    best = measures.least(([best] if best else []) + [
                        c for c in [measures.first_in_store(store, key, self.written)] if c is not None])
                if key[0] == "figure" and best is not None:   # what is shown: kept, or read as after the write
                    shown = details if best[2] is None else measures.figure_details(
                        measures.store_lookup(self.view or actor_facts.View(store), best[2]), best[0], best[2])
            wanted = _measure_quads(key, count + change, best, shown)
        return node_patch(node, wanted, held_quads)


def _measure_quads(key: Key, count: int, best: tuple | None, shown: list[tuple]) -> list[Quad]:
    """A per-measure node's statements in the summary graph, as a write and a rebuild make them:
    its count, its first quantity and mid (`best`, for figure and item nodes) and what is shown."""
    triples = measures.node_triples(SUMMARY_GRAPH, key, count, *(best[:2] if best else (None, None)), details=shown)
    return [Quad(s, p, o, _GRAPH) for s, p, o in triples if o is not None]


def _count_in(quads: list[Quad], predicate: NamedNode) -> int:
    """A node's stored count under `predicate` (0 when it has none)."""
    return next((int(q.object.value) for q in quads if q.predicate == predicate), 0)


def node_quads(key: Key, counts: dict[NamedNode, int]) -> list[Quad]:
    """A summary node's statements: its dimensions and its counts."""
    node = _node(key)
    return ([Quad(node, p, o, _GRAPH) for p, o in _dimensions(key)]
            + [Quad(node, p, _int(v), _GRAPH) for p, v in counts.items()])


def actor_node_quads(key: Key, counts: dict[NamedNode, int], view: actor_facts.View, classes: frozenset,
                     **known) -> list[Quad]:
    """An actor node's statements: its dimension, counts and non-summed facts (`known`: those a
    write knows without reading the store, see actor_facts.facts)."""
    node = _node(key)
    quoted = counts[ACTOR_COUNTS[5]] > 0
    return node_quads(key, counts) + [Quad(node, p, o, _GRAPH) for p, o in actor_facts.facts(view, key[1], classes, quoted, **known)]


def _names_after(store: Store, who, changes: dict) -> list[str]:
    """The labels documents that quote `who` give them once `changes` (label -> change in the
    documents that write it) are applied: from the summary's name nodes (a handful per speaker)."""
    counts = dict(changes)
    for q in store.quads_for_pattern(None, S_SPEAKER, who, _GRAPH):
        label = next((x.object for x in store.quads_for_pattern(q.subject, S_NAME, None, _GRAPH)), None)
        written = next((x.object for x in store.quads_for_pattern(q.subject, S_WRITTEN, None, _GRAPH)), None)
        if label is not None and written is not None:
            counts[label] = counts.get(label, 0) + int(written.value)
    return [label.value for label, n in counts.items() if n > 0]


def _first_after(view: actor_facts.View, who, held: list[Quad], written: set):
    """The first document mentioning `who` after the write, without reading their mentions when
    the one the node holds was not written: the least of it and the written documents that qualify."""
    first = next((q.object for q in held if q.predicate == actor_facts.A_FIRST_MENTION), None)
    if first is not None and first in written:
        return actor_facts.UNKNOWN
    candidates = [g for g in written if actor_facts.qualifies(view, g, who)] + ([first] if first is not None else [])
    return min(candidates, key=lambda g: g.value) if candidates else None


def node_patch(node: NamedNode, wanted: list[Quad], held: list[Quad]) -> list[Quad]:
    """What the patch graph must hold so that `node` ends with exactly `wanted` (none: the node
    goes): nothing when it already does, else `node cg:summaryReplaces <summary>` and the wanted
    statements, in the patch graph."""
    if set(wanted) == set(held):
        return []
    return [Quad(node, S_REPLACES, _GRAPH, _PATCH)] + [Quad(q.subject, q.predicate, q.object, _PATCH) for q in wanted]


def staged_marker() -> Quad:
    """The version marker as a patch statement: applied with the counts it vouches for."""
    m = marker()
    return Quad(m.subject, m.predicate, m.object, _PATCH)


def patch_update() -> str:
    """The fixed update that applies the staged patch and drops its graph (reasoning/sparql)."""
    return sparql.load("summary_patch")


REBUILD_QUERIES = (   # (query, key of a row, counts of a row: predicate -> column)
    ("summary_claims", lambda r: ("claims", r["speaker"], r["stance"]), {S_CLAIMS: "claims"}),
    ("summary_speakers", lambda r: ("speaker", r["speaker"]), {S_DOCUMENTS: "documents"}),
    ("summary_quoted", lambda r: ("quoted", r["speaker"]), {S_QUOTED: "documents"}),
    ("summary_names", lambda r: ("name", r["speaker"], r["label"]), {S_WRITTEN: "documents"}),
    ("summary_days", lambda r: ("day", r["date"], r["publisher"], r["stance"]), {S_DOCUMENTS: "documents", S_CLAIMS: "claims"}),
    ("summary_documents", lambda r: ("document", r["document"], r["stance"]), {S_CLAIMS: "claims"}),
    ("summary_actors", lambda r: ("actor", r["actor"]),
     dict(zip(ACTOR_COUNTS, ("regrouping", "peace", "stanced", "unstanced", "argued", "quoted", "mentioned")))),
)


def summary_nodes(store: Store) -> Iterator[tuple[NamedNode, list[Quad]]]:
    """Every summary node computed from the documents' tallies, one at a time, with its
    statements: for a rebuild. Summed by the store (reasoning/sparql/summary_*.rq, grouped by the
    node's key, hash joins of index scans), so Python sees one row per node and holds none of
    them after it is yielded: the whole summary as a list of quads (plus two sets to compare it
    with the stored one) was ~1 GB at 10,000 documents."""
    view, classes = actor_facts.View(store), actor_facts.actor_classes(store)
    for name, key_of, columns in REBUILD_QUERIES:
        for row in store.query(sparql.load(name), use_default_graph_as_union=True):
            key = key_of(row)
            counts = {p: int(row[c].value) for p, c in columns.items()}
            if key[0] == "actor":   # with its names, kinds, roles and affiliations, read per actor
                yield _node(key), actor_node_quads(key, counts, view, classes)
            else:
                yield _node(key), node_quads(key, counts)
    for row in store.query(sparql.load("summary_affiliations"), use_default_graph_as_union=True):
        quads = actor_facts.affiliation_quads(view, row["affiliation"], _GRAPH)
        if quads:
            yield row["affiliation"], quads
    yield from measure_nodes(store)


def measure_nodes(store: Store) -> Iterator[tuple[NamedNode, list[Quad]]]:
    """The per-measure nodes (reasoning/measures.py) summed over every document's
    contributions, made by the function a write uses; Python holds one entry per node (~30,000
    at 10,000 documents)."""
    totals: dict[Key, list] = {}
    for contributed in measures.rebuild_contributions(store):
        for key, values in contributed.items():
            entry = totals.setdefault(key, [0, None])
            entry[0] += values[0]
            if key[0] in measures.FIRST_KINDS:
                entry[1] = measures.least([c for c in (entry[1], tuple(values[1:])) if c is not None])
    for key in sorted(totals, key=str):
        count, best = totals.pop(key)
        shown = [] if key[0] != "figure" else measures.figure_details(measures.store_lookup(store, best[2]), best[0], best[2])
        yield measures.node(SUMMARY_GRAPH, key), _measure_quads(key, count, best, shown)


def summary_quads(store: Store) -> list[Quad]:
    """The whole summary with its version marker, as one list (for tests and small stores; a
    rebuild streams `summary_nodes`)."""
    return [marker()] + [q for _, quads in summary_nodes(store) for q in quads]


def document_of(inferred: str) -> str:
    """The document graph whose inferred graph is `inferred` (the inverse of iris.inferred_graph)."""
    return iris.ID + inferred[len(iris.INFERRED_GRAPH) + 1:]


def affected_documents(graphs: Iterable[str]) -> list[str]:
    """The documents whose contributions a write of `graphs` may change."""
    out = []
    for graph in graphs:
        if iris.is_document_graph(graph):
            out.append(graph)
        elif counted(graph):
            out.append(document_of(graph))
    return list(dict.fromkeys(out))


def stored_contributions(store: Store, document: str) -> dict[Key, list[int]]:
    """A document's contributions as the store holds it now."""
    return contributions(DocumentFacts.of_store(store, document),
                         list(tally_quads_of_store(store, iris.inferred_graph(document))))


def write_delta(store: Store, written: dict[str, list[Quad] | None]) -> Delta:
    """The change to the summary when `written` (graph -> its new quads, None: dropped) replaces
    those graphs in `store`: each affected document's new contributions less its stored ones."""
    delta = Delta()
    for document in affected_documents(written):
        inferred = iris.inferred_graph(document)
        # the per-measure nodes read the document graph only: unchanged when it is not written
        old_facts = DocumentFacts.of_store(store, document, with_measures=document in written)
        old_tallies = list(tally_quads_of_store(store, inferred))
        if document in written:
            new_facts = DocumentFacts.of_quads(document, written[document] or [])
        else:
            new_facts = old_facts
        if inferred in written:
            new_tallies = [q for q in written[inferred] or [] if q.predicate in TALLY_PREDICATES]
        else:
            new_tallies = old_tallies
        delta.add(contributions(old_facts, old_tallies), -1)
        delta.add(contributions(new_facts, new_tallies), 1)
    delta.follow_actors(actor_facts.View(store), actor_facts.View(store, written), written)
    return delta
