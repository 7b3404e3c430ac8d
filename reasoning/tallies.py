"""Per-document summary facts ("tallies"), written in the document's inferred graph.

Why: the whole-store aggregates (who argues which stance, claims per source, quantities per
kind) joined every claim or quantity of the store at each request: 5-30 s at 10,000 documents,
because pyoxigraph pays an index lookup per claim and pattern. A document's counts never change
unless the document does, so they are counted here once, when the document's inferred graph is
derived (ingest, correction, `claimgraph reason`), and the queries sum a few rows per document
instead. Being in the inferred graph, tallies are removed and rewritten with their document,
are left out of a dump without inference, and are re-derived when DERIVATION/TALLIES changes.

What is counted (terms declared in ontology/claimgraph.ttl):
- on the document: cg:claimTally (claims typed cg:Claim with cg:inDocument the document and a
  speaker), cg:speakerTally (their distinct speakers), cg:quantityTally (quantities typed
  cg:Quantity with cg:inDocument the document);
- one claim tally per speaker and stance (no cg:tallyStance: claims that take none):
  cg:tallyDocument, cg:tallySpeaker, cg:tallyStance, cg:tallyCount (claims typed cg:Claim in
  the document with that cg:speaker and cg:supportsStance);
- one quantity tally per counted kind: cg:tallyDocument, cg:tallyKind, cg:tallyCount
  (quantities typed cg:Quantity with that cg:countedKind).
Sums of these equal the queries' COUNT(DISTINCT ...) because a claim has one speaker and at most
one stance, and a quantity one counted kind (ingest.map writes them so); only IRIs are counted.
"""
from __future__ import annotations

import hashlib
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad, Triple

from common import iris
from reasoning.derive import CLAIM, COUNTED_KIND, QUANTITY, RDF_TYPE, SPEAKER, SUPPORTS

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
CG = iris.CG
IN_DOCUMENT = NamedNode(CG + "inDocument")
CLAIM_TALLY, SPEAKER_TALLY = NamedNode(CG + "claimTally"), NamedNode(CG + "speakerTally")
QUANTITY_TALLY = NamedNode(CG + "quantityTally")
TALLY_DOCUMENT, TALLY_SPEAKER = NamedNode(CG + "tallyDocument"), NamedNode(CG + "tallySpeaker")
TALLY_STANCE, TALLY_KIND = NamedNode(CG + "tallyStance"), NamedNode(CG + "tallyKind")
TALLY_COUNT = NamedNode(CG + "tallyCount")
TALLIES = "tallies/1"   # part of the rules version: bump when what is written here changes


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)


def _node(graph: str, *key: NamedNode | None) -> NamedNode:
    """A tally's IRI inside the inferred graph, stable for the same key (so a re-derivation of an
    unchanged document writes the very same quads)."""
    digest = hashlib.sha256(" ".join("" if k is None else k.value for k in key).encode()).hexdigest()[:16]
    return NamedNode(f"{graph}/tally/{digest}")


def tally_quads(document_graph: str, quads: Iterable[Quad]) -> list[Quad]:
    """The tallies of one document (its own graph's quads), as quads of its inferred graph, in a
    stable order."""
    doc = NamedNode(document_graph)
    graph = NamedNode(iris.inferred_graph(document_graph))
    types: dict = {}
    in_doc: set = set()
    speakers: dict = {}
    stances: dict = {}
    kinds: dict = {}
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        if not isinstance(s, NamedNode):
            continue
        if p == RDF_TYPE:
            types.setdefault(s, set()).add(o)
        elif p == IN_DOCUMENT and o == doc:
            in_doc.add(s)
        elif p == SPEAKER and isinstance(o, NamedNode):
            speakers.setdefault(s, set()).add(o)
        elif p == SUPPORTS and isinstance(o, NamedNode):
            stances.setdefault(s, set()).add(o)
        elif p == COUNTED_KIND and isinstance(o, NamedNode):
            kinds.setdefault(s, set()).add(o)
    claims: dict[tuple, int] = {}
    documented, documented_speakers = 0, set()
    for claim, said_by in speakers.items():
        if CLAIM not in types.get(claim, ()):
            continue
        if claim in in_doc:
            documented += 1
            documented_speakers |= said_by
        for speaker in said_by:
            for stance in stances.get(claim) or (None,):
                claims[(speaker, stance)] = claims.get((speaker, stance), 0) + 1
    counted: dict[NamedNode, int] = {}
    quantities = 0
    for quantity, of_type in types.items():
        if QUANTITY in of_type:
            quantities += quantity in in_doc
            for kind in kinds.get(quantity, ()):
                counted[kind] = counted.get(kind, 0) + 1
    out = [Triple(doc, CLAIM_TALLY, _count(documented)), Triple(doc, SPEAKER_TALLY, _count(len(documented_speakers))),
           Triple(doc, QUANTITY_TALLY, _count(quantities))]
    for (speaker, stance), n in claims.items():
        node = _node(graph.value, SPEAKER, speaker, stance)
        out += [Triple(node, TALLY_DOCUMENT, doc), Triple(node, TALLY_SPEAKER, speaker), Triple(node, TALLY_COUNT, _count(n))]
        if stance is not None:
            out.append(Triple(node, TALLY_STANCE, stance))
    for kind, n in counted.items():
        node = _node(graph.value, COUNTED_KIND, kind)
        out += [Triple(node, TALLY_DOCUMENT, doc), Triple(node, TALLY_KIND, kind), Triple(node, TALLY_COUNT, _count(n))]
    return [Quad(t.subject, t.predicate, t.object, graph) for t in sorted(out, key=str)]
