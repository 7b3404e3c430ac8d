"""The ontology's rules (ontology/rules/*.rq) applied to one document in plain Python.

Why not run the rule files per document: a CONSTRUCT over a small store costs ~10 ms a
document (4 ms with the schema alone), which made `claimgraph reason` 62 s at 1,000 documents
and the ingest pay it per article. Every rule joins the document with closures that only the
ontology decides (rdfs:subClassOf+, rdfs:subPropertyOf+, which concept each derived quantity
class is `cg:forKind`, skos:broader*). Those closures are computed ONCE from the background
(the ontology graph) — by SPARQL property paths in `Closures.from_quads`, so the rule files'
paths stay the definition — and the per-document part is then a dictionary lookup per triple:
~0.1 ms a document, linear in the store for a rebuild.

Same answers as the rule files (tests/test_ontology_reason.py runs both on the seeds):
- subproperties: (s sub o), s an IRI → (s super o) for each super-property, unless asserted;
- subclass-types: (x a C), x an IRI → (x a S) for each named super-class S, unless asserted;
- derived-quantity-classes: q an IRI typed cg:Quantity with cg:countedKind k → (q a Class)
  for each Class whose cg:forKind is k or broader than k;
- proponents: a cg:Claim with cg:speaker a and cg:supportsStance s (both IRIs) →
  (a cg:proponentOf s);
- skos-broader-transitive and anything else a document could only reach by carrying schema
  itself (subClassOf, subPropertyOf, forKind, broader triples — the mapper never writes them):
  such a document is handed to the rule files (`needs_rules`), so nothing is silently missed.
What follows from the background alone (`known`) is left out: it lives in `cgg:inferred`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from pyoxigraph import NamedNode, Quad, Store, Triple

from common import iris

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
SUBPROPERTY = NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
BROADER = NamedNode("http://www.w3.org/2004/02/skos/core#broader")
FOR_KIND = NamedNode(iris.CG + "forKind")
QUANTITY = NamedNode(iris.CG + "Quantity")
COUNTED_KIND = NamedNode(iris.CG + "countedKind")
CLAIM = NamedNode(iris.CG + "Claim")
SPEAKER = NamedNode(iris.CG + "speaker")
SUPPORTS = NamedNode(iris.CG + "supportsStance")
PROPONENT = NamedNode(iris.CG + "proponentOf")
# a document holding one of these carries schema of its own: the closures would not cover it
SCHEMA_PREDICATES = frozenset({SUBCLASS, SUBPROPERTY, BROADER, FOR_KIND,
                               NamedNode("http://www.w3.org/2004/02/skos/core#broaderTransitive")})

_CLOSURES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
SELECT ?rel ?a ?b WHERE {
  { ?a rdfs:subClassOf+ ?b . BIND("class" AS ?rel) }
  UNION { ?a rdfs:subPropertyOf+ ?b . BIND("property" AS ?rel) }
  UNION { ?b cg:forKind ?kind . ?a skos:broader* ?kind . BIND("kind" AS ?rel) }
  FILTER (isIRI(?a) && isIRI(?b))
}
"""


@dataclass
class Closures:
    """What the ontology decides once: super-classes and super-properties of each term, and the
    derived quantity classes of each counted kind."""
    super_classes: dict[NamedNode, tuple[NamedNode, ...]] = field(default_factory=dict)
    super_properties: dict[NamedNode, tuple[NamedNode, ...]] = field(default_factory=dict)
    kind_classes: dict[NamedNode, tuple[NamedNode, ...]] = field(default_factory=dict)
    background: frozenset[Triple] = frozenset()
    known: frozenset[Triple] = frozenset()

    @classmethod
    def from_quads(cls, background: Iterable[Quad], known: Iterable[Triple]) -> "Closures":
        """From the background's quads (all in the default graph of a scratch store) and what the
        background alone derives (the rules' answers on it: left out of every document's graph)."""
        store = Store()
        triples = [Triple(q.subject, q.predicate, q.object) for q in background]
        store.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
        found: dict[str, dict[NamedNode, dict[NamedNode, None]]] = {"class": {}, "property": {}, "kind": {}}
        for row in store.query(_CLOSURES):
            a, b = row["a"], row["b"]
            if row["rel"].value != "kind" and a == b:
                continue
            found[row["rel"].value].setdefault(a, {})[b] = None
        freeze = lambda d: {k: tuple(sorted(v, key=str)) for k, v in d.items()}
        return cls(freeze(found["class"]), freeze(found["property"]), freeze(found["kind"]),
                   frozenset(triples), frozenset(known))

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything the derivation depends on besides the document: the closures
        and what the background derives. Equal fingerprints, equal inferred graphs."""
        digest = hashlib.sha256()
        for name, table in (("class", self.super_classes), ("property", self.super_properties),
                            ("kind", self.kind_classes)):
            for key in sorted(table, key=str):
                digest.update(f"{name} {key} {' '.join(map(str, table[key]))}\n".encode())
        for triple in sorted(map(str, self.known)):
            digest.update(triple.encode())
        return digest.hexdigest()

    @cached_property
    def predicates(self) -> frozenset[NamedNode]:
        """The only predicates a rule reads from a document (or must see to skip one already
        asserted): a rebuild reads just these from the store."""
        supers = {s for sup in self.super_properties.values() for s in sup}
        return frozenset({RDF_TYPE, COUNTED_KIND, SPEAKER, SUPPORTS} | set(self.super_properties) | supers
                         | SCHEMA_PREDICATES)


def needs_rules(triples: Iterable[Triple]) -> bool:
    """Whether a document carries schema of its own, which only the rule files handle."""
    return any(t.predicate in SCHEMA_PREDICATES for t in triples)


def derive(closures: Closures, triples: Iterable[Triple]) -> list[Triple]:
    """What the rules derive from one document's triples beyond the background (see the module
    docstring), in a stable order. The document must not need the rules (`needs_rules`)."""
    doc = set(triples)
    asserted = lambda t: t in doc or t in closures.background
    out: dict[Triple, None] = {}
    types: dict = {}
    counted: dict = {}
    speakers: dict = {}
    stances: dict = {}
    for t in doc:
        p = t.predicate
        if p == RDF_TYPE:
            types.setdefault(t.subject, set()).add(t.object)
        elif p == COUNTED_KIND:
            counted.setdefault(t.subject, []).append(t.object)
        elif p == SPEAKER:
            speakers.setdefault(t.subject, []).append(t.object)
        elif p == SUPPORTS:
            stances.setdefault(t.subject, []).append(t.object)
    # derived-quantity-classes
    for q, kinds in counted.items():
        if isinstance(q, NamedNode) and QUANTITY in types.get(q, ()):
            for kind in kinds:
                for cls in closures.kind_classes.get(kind, ()):
                    out[Triple(q, RDF_TYPE, cls)] = None
    # proponents
    for claim, actors in speakers.items():
        if CLAIM in types.get(claim, ()):
            for actor in actors:
                for stance in stances.get(claim, ()):
                    if isinstance(actor, NamedNode) and isinstance(stance, NamedNode):
                        out[Triple(actor, PROPONENT, stance)] = None
    # subclass-types
    for x, classes in types.items():
        if isinstance(x, NamedNode):
            for cls in classes:
                for sup in closures.super_classes.get(cls, ()):
                    t = Triple(x, RDF_TYPE, sup)
                    if not asserted(t):
                        out[t] = None
    # subproperties
    for t in doc:
        sups = closures.super_properties.get(t.predicate)
        if sups and isinstance(t.subject, NamedNode):
            for sup in sups:
                d = Triple(t.subject, sup, t.object)
                if not asserted(d):
                    out[d] = None
    return sorted((t for t in out if t not in closures.known), key=str)
