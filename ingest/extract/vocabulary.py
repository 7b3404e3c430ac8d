"""The extractor's knowledge, read from the ontology's Turtle vocabularies.

Nothing the extractor knows about actors, places, equipment or cue words is written in
Python: it is all in ontology/vocab/*.ttl and read from here, so that a new position, actor
or weapon is added by editing data.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from rdflib import RDF, SKOS, XSD, Graph, Literal, Namespace, URIRef

from common.iris import CG as CG_IRI
from common.paths import VOCAB_DIR

CG = Namespace(CG_IRI)
LEXICAL_DATATYPES = {XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration}


@dataclass(frozen=True)
class Vocabulary:
    """All vocabulary files as one rdflib graph, with the few lookups every component needs."""

    graph: Graph

    def individuals(self, cls: URIRef) -> Iterator[URIRef]:
        """Every resource typed `cls` (directly), in a stable order."""
        yield from sorted(s for s in self.graph.subjects(RDF.type, cls) if isinstance(s, URIRef))

    def phrases(self, subject: URIRef) -> list[str]:
        """The cue phrases of a cue individual (cg:phrase), lower-cased."""
        return sorted(str(o).lower() for o in self.graph.objects(subject, CG.phrase))

    def labels(self, subject: URIRef) -> list[str]:
        """skos:prefLabel first, then every skos:altLabel."""
        pref = [str(o) for o in self.graph.objects(subject, SKOS.prefLabel)]
        alts = sorted(str(o) for o in self.graph.objects(subject, SKOS.altLabel))
        return pref + [a for a in alts if a not in pref]

    def value(self, subject: URIRef, prop: URIRef):
        """One value of `prop` (a Python value for literals, the IRI otherwise), or None."""
        obj = self.graph.value(subject, prop)
        return None if obj is None else _python(obj)

    def values(self, subject: URIRef, prop: URIRef) -> list:
        return sorted(_python(o) for o in self.graph.objects(subject, prop))


def _python(term):
    """Literals as Python values, except those best kept as their lexical form (durations:
    rdflib would turn "P1M" into an isodate object whose str() is not ISO 8601)."""
    if not isinstance(term, Literal):
        return term
    if term.datatype in LEXICAL_DATATYPES:
        return str(term)
    return term.toPython()


def load_vocabulary(vocab_dir: Path = VOCAB_DIR) -> Vocabulary:
    """Parse every Turtle file in `vocab_dir` (cached per folder)."""
    return _load(str(Path(vocab_dir).resolve()))


@lru_cache(maxsize=4)
def _load(vocab_dir: str) -> Vocabulary:
    graph = Graph()
    for path in sorted(Path(vocab_dir).glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Vocabulary(graph)
