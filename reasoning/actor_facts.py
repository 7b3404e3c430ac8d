"""The facts of a summary actor node that are not sums over documents: the actor's names, kinds,
roles and affiliations (reasoning/summary.py keeps the node; its counts are summed there).

Why: the actor listings (overview_actors, actor_stance_summary, actors_roles_affiliations) read
one node per actor instead of joining ~100,000 statements per column at each first call. A name
chosen from the first document, a kind sampled from type statements or a list of roles is no
sum: a write cannot add or take away a document's share of it. So these facts are recomputed,
for the actors a write touches only, by index lookups on the store as it will be after the write
(`View`: the store with the written graphs replaced by their new quads), and a rebuild computes
them the same way for every actor, so a written summary and a rebuilt one are the same.

The facts, chosen where the queries sampled one (`SAMPLE` is any value; these are the least, or
the first document's):
- name: the least skos:prefLabel the actor has in a cg:Document whose tallies quote them;
- kind: the least local name of a class the actor is stated to be (any graph) that is
  rdfs:subClassOf+ cg:Actor;
- mention name: the label the first document (in IRI order) that mentions and names the actor
  (schema:mentions and skos:prefLabel in its own graph, a cg:Document) gives them — the least if
  several;
- mention kind: the least local name of a cg: class (cg:Actor or below it) that document states
  the actor to be;
- roles: one statement per distinct cg:role, joined by the query (GROUP_CONCAT reads them in the
  store's index order of the strings, the order it read the documents' own statements in);
- affiliations: one statement per affiliation (its IRI), and on the affiliation's own IRI one per
  distinct label it has (`affiliation_quads`): the query names them as it joined the documents'
  labels, in the same order.
An actor with only one role or one affiliation name has it under a property of its own
(cg:summaryActorOnlyRole ...): a column read without a group, whose strings are only read for
the rows of the page (~45 % of the actors at 10,000 documents have one role; joining the others'
reads every string).
Cost per actor: one index range per fact (the head of state at 10,000 documents: ~4,000 statements
per range, a few ms), plus one lookup per candidate document checked to be a cg:Document.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from common import iris
from reasoning import sparql
from reasoning.derive import RDF_TYPE, SUBCLASS
from reasoning.tallies import TALLY_SPEAKER

CG = iris.CG
PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
MENTIONS = NamedNode("http://schema.org/mentions")
ROLE, AFFILIATION = NamedNode(CG + "role"), NamedNode(CG + "affiliation")
DOCUMENT, ACTOR = NamedNode(CG + "Document"), NamedNode(CG + "Actor")
A_NAME, A_KIND = NamedNode(CG + "summaryActorName"), NamedNode(CG + "summaryActorKind")
A_MENTION_NAME, A_MENTION_KIND = NamedNode(CG + "summaryActorMentionName"), NamedNode(CG + "summaryActorMentionKind")
A_ROLE = NamedNode(CG + "summaryActorRole")
A_ONLY_ROLE, A_ONLY_AFFILIATION = NamedNode(CG + "summaryActorOnlyRole"), NamedNode(CG + "summaryActorOnlyAffiliation")
A_FIRST_MENTION = NamedNode(CG + "summaryActorFirstMention")   # the document the mention name is from
A_AFFILIATED = NamedNode(CG + "summaryActorAffiliatedWith")      # each affiliation, when they have several names
AFFILIATION_NAME = NamedNode(CG + "summaryAffiliationName")      # on an affiliation's own IRI
FACT_PREDICATES = (A_NAME, A_KIND, A_FIRST_MENTION, A_MENTION_NAME, A_MENTION_KIND, A_ROLE, A_AFFILIATED,
                   A_ONLY_ROLE, A_ONLY_AFFILIATION)


class View:
    """The store as it is after `written` (graph IRI -> its new quads; [] or None: dropped)
    replaces those graphs: index lookups across every graph. With nothing written, the store."""

    def __init__(self, store: Store, written: dict[str, list[Quad] | None] | None = None) -> None:
        self.store = store
        self.graphs = {NamedNode(g) for g in (written or {})}
        self.by_subject: dict = defaultdict(list)      # (subject, predicate) -> written quads
        self.by_object: dict = defaultdict(list)       # (predicate, object) -> written quads
        self.written: dict[NamedNode, list[Quad]] = {}
        for graph, quads in (written or {}).items():
            node = NamedNode(graph)
            kept = [Quad(q.subject, q.predicate, q.object, node) for q in quads or []]
            self.written[node] = kept
            for q in kept:
                self.by_subject[(q.subject, q.predicate)].append(q)
                self.by_object[(q.predicate, q.object)].append(q)
        self._labels: dict = {}
        self._documents: dict = {}

    def quads(self, subject, predicate: NamedNode, obj) -> Iterator[Quad]:
        """The statements matching (subject or None, predicate, object or None) in any graph."""
        for q in self.store.quads_for_pattern(subject, predicate, obj, None):
            if q.graph_name not in self.graphs:
                yield q
        if subject is not None:
            yield from (q for q in self.by_subject.get((subject, predicate), ()) if obj is None or q.object == obj)
        elif obj is not None:
            yield from self.by_object.get((predicate, obj), ())
        else:
            yield from (q for quads in self.written.values() for q in quads if q.predicate == predicate)

    def quads_in(self, subject, predicate: NamedNode, obj, graph: NamedNode) -> Iterable[Quad]:
        """The statements matching the pattern in one graph."""
        if graph in self.graphs:
            return [q for q in self.written[graph] if q.predicate == predicate
                    and (subject is None or q.subject == subject) and (obj is None or q.object == obj)]
        return self.store.quads_for_pattern(subject, predicate, obj, graph)

    def quotes(self, document: NamedNode, actor) -> bool:
        """Whether the document's inferred graph holds a tally of the actor's claims."""
        inferred = NamedNode(iris.inferred_graph(document.value))
        return next(iter(self.quads_in(None, TALLY_SPEAKER, actor, inferred)), None) is not None

    def graph_quads(self, graph: NamedNode) -> Iterable[Quad]:
        """One graph's statements."""
        if graph in self.graphs:
            return self.written[graph]
        return self.store.quads_for_pattern(None, None, None, graph)

    def is_document(self, graph: NamedNode) -> bool:
        """Whether the graph is a document graph typed cg:Document (as the summary counts them)."""
        if graph not in self._documents:
            self._documents[graph] = any(q.graph_name == graph for q in self.quads(graph, RDF_TYPE, DOCUMENT))
        return self._documents[graph]

    def label_names(self, node) -> tuple[str, ...]:
        """A node's distinct labels (any graph), sorted."""
        if node not in self._labels:
            self._labels[node] = tuple(sorted({q.object.value for q in self.quads(node, PREF_LABEL, None)}))
        return self._labels[node]


def actor_classes(store: Store) -> frozenset:
    """The classes rdfs:subClassOf+ cg:Actor, as the store's ontology states them."""
    return frozenset(row["class"] for row in store.query(sparql.load("summary_actor_classes"), use_default_graph_as_union=True))


READ = {SUBCLASS, RDF_TYPE, PREF_LABEL, MENTIONS, ROLE, AFFILIATION}   # the predicates actor facts read


def changes_classes(store: Store, written: dict[str, list[Quad] | None]) -> bool:
    """Whether a write of the ontology graph changes what actor facts read there (its classes make
    the actors' kinds, its vocabulary names affiliations): the summary is then rebuilt rather
    than followed. The ingest writes the same ontology each time, which changes nothing."""
    if iris.ONTOLOGY_GRAPH not in written:
        return False
    graph = NamedNode(iris.ONTOLOGY_GRAPH)

    def named(quads: Iterable[Quad]) -> set:   # what actor facts read (blank nodes: new at each parse)
        return {(q.subject, q.predicate, q.object) for q in quads if q.predicate in READ
                and not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}
    return named(store.quads_for_pattern(None, None, None, graph)) != named(written[iris.ONTOLOGY_GRAPH] or [])


def _local(node: NamedNode) -> str:
    return node.value.split("#", 1)[1] if "#" in node.value else ""


UNKNOWN = object()   # a fact the caller does not know: looked up


def qualifies(view: View, graph: NamedNode, actor) -> bool:
    """Whether the document graph mentions and names the actor and is a cg:Document."""
    return (any(True for _ in view.quads_in(graph, MENTIONS, actor, graph))
            and any(True for _ in view.quads_in(actor, PREF_LABEL, None, graph)) and view.is_document(graph))


def first_mention(view: View, actor):
    """The first document (in IRI order) that mentions and names the actor, or None: one read of
    every mention of theirs (~4,000 for the head of state at 10,000 documents)."""
    mentioned = sorted((q.graph_name for q in view.quads(None, MENTIONS, actor) if q.subject == q.graph_name),
                       key=lambda g: g.value)
    return next((g for g in mentioned if qualifies(view, g, actor)), None)


def facts(view: View, actor, classes: frozenset, quoted: bool = True, names=UNKNOWN,
          first=UNKNOWN) -> list[tuple[NamedNode, Literal]]:
    """The actor's non-summed facts (see the module docstring), each absent when it has none;
    `quoted`: whether any document quotes them (else they have no name of that kind to look for).
    A write knows some of them cheaply: `names`, the labels documents that quote them give them
    (the summary's name nodes), and `first`, the first document that mentions them (None: none)
    when no written graph was it. Each fact is found with as few statements read as possible:
    reading one costs ~10-20 us (its graph's IRI is looked up), and the head of state has ~4,000
    labels and mentions and ~20,000 type statements at 10,000 documents."""
    out: list[tuple[NamedNode, Literal]] = []
    if quoted:   # name: the least label a document that quotes them (a tally of theirs) gives them
        if names is UNKNOWN:
            by_label: dict = defaultdict(list)
            for q in view.quads(actor, PREF_LABEL, None):
                by_label[q.object.value].append(q.graph_name)
            names = [n for n in sorted(by_label) if any(view.quotes(g, actor) and view.is_document(g) for g in by_label[n])][:1]
        if names:
            out.append((A_NAME, Literal(min(names))))
    # kind: the least class name below cg:Actor the actor is stated to be (one lookup per class)
    kind = next((c for c in sorted(classes, key=_local) if next(view.quads(actor, RDF_TYPE, c), None) is not None), None)
    if kind is not None:
        out.append((A_KIND, Literal(_local(kind))))
    # mention name and kind: as the first document that mentions and names them states them
    if first is UNKNOWN:
        first = first_mention(view, actor)
    if first is not None:
        out.append((A_FIRST_MENTION, first))
        out.append((A_MENTION_NAME, Literal(min(q.object.value for q in view.quads_in(actor, PREF_LABEL, None, first)))))
        cg_classes = {c for c in classes if c.value.startswith(CG)} | {ACTOR}
        kinds = sorted(_local(q.object) for q in view.quads_in(actor, RDF_TYPE, None, first) if q.object in cg_classes)
        if kinds:
            out.append((A_MENTION_KIND, Literal(kinds[0])))
    out += _listed(A_ONLY_ROLE, A_ROLE, {q.object.value for q in view.quads(actor, ROLE, None)})
    names: set = set()
    affiliations = {q.object for q in view.quads(actor, AFFILIATION, None)}
    for affiliation in affiliations:
        names.update(view.label_names(affiliation) or (affiliation.value,))
    if len(names) == 1:
        out.append((A_ONLY_AFFILIATION, Literal(next(iter(names)))))
    else:   # the query names them (affiliation_quads), in the order of the affiliations' IRIs as before
        out += [(A_AFFILIATED, affiliation) for affiliation in affiliations]
    return out


def affiliation_quads(view: View, node, graph: NamedNode) -> list[Quad]:
    """An affiliation's names in the summary (`node cg:summaryAffiliationName label`, one per
    distinct label), while anyone has it as an affiliation: what the query lists for an actor with
    several, joined like the documents' own labels were."""
    if not isinstance(node, NamedNode) or next(view.quads(None, AFFILIATION, node), None) is None:
        return []
    return [Quad(node, AFFILIATION_NAME, Literal(name), graph) for name in view.label_names(node)]


def _listed(only: NamedNode, each: NamedNode, values: set) -> list[tuple[NamedNode, Literal]]:
    if len(values) == 1:
        return [(only, Literal(next(iter(values))))]
    return [(each, Literal(value)) for value in sorted(values)]


def touched(before: View, after: View, graphs: Iterable[str], classes: frozenset) -> tuple[set, set]:
    """The actors whose facts a write of `graphs` may change: those its old or new statements
    mention, quote, type, label or give a role or affiliation, and the actors affiliated with a
    node whose set of labels the write changes; and the affiliations whose names in the summary
    it may change (named as one in those statements, or labelled otherwise)."""
    actor_types = set(classes) | {ACTOR}
    out: set = set()
    affiliations: set = set()
    named_as: tuple = (set(), set())   # (graph, node) where the old / new statements name an affiliation
    labels: dict = defaultdict(lambda: (set(), set()))   # node -> its (old, new) labels in the written graphs
    for graph in graphs:
        node = NamedNode(graph)
        for side, view in enumerate((before, after)):
            for q in view.graph_quads(node):
                p = q.predicate
                if p in (MENTIONS, TALLY_SPEAKER):
                    out.add(q.object)
                elif p == RDF_TYPE and q.object in actor_types:
                    out.add(q.subject)
                elif p in (ROLE, AFFILIATION):
                    out.add(q.subject)
                    if p == AFFILIATION:
                        named_as[side].add((graph, q.object))
                elif p == PREF_LABEL:
                    out.add(q.subject)
                    labels[q.subject][side].add((graph, q.object))
    # an affiliation's names are held while anyone has it: looked at when a written graph names it
    # as one and did not, or the reverse (a popular one's ~4,000 labels are not read at each write)
    affiliations.update(node for _, node in named_as[0] ^ named_as[1])
    # a node's labels across the store change only if the written graphs label it otherwise, and
    # matter only to the actors affiliated with it (one lookup each; a label is read by thousands)
    for node, (old, new) in labels.items():
        if old == new or not any(True for view in (before, after) for _ in view.quads(None, AFFILIATION, node)):
            continue
        if before.label_names(node) != after.label_names(node):
            affiliations.add(node)
            for view in (before, after):
                out.update(q.subject for q in view.quads(None, AFFILIATION, node))
    return {a for a in out if isinstance(a, NamedNode)}, {a for a in affiliations if isinstance(a, NamedNode)}
