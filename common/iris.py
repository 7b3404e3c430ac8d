"""Stable IRI minting: the same article ingested twice yields the same IRIs.

IRIs derive only from the document identifier, names and character offsets (see
docs/MODEL.md), never from counters or clocks, so re-ingesting replaces rather than duplicates.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

BASE = "https://w3id.org/claimgraph/"
CG = BASE + "ontology#"
STANCE = BASE + "stance/"
QUALIFIER = BASE + "qualifier/"
MODALITY = BASE + "modality/"
KIND = BASE + "kind/"
CUE = BASE + "cue/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
INFERRED_GRAPH = GRAPH + "inferred"

PREFIXES: dict[str, str] = {
    "cg": CG,
    "cgst": STANCE,
    "cgq": QUALIFIER,
    "cgm": MODALITY,
    "cgk": KIND,
    "cgc": CUE,
    "cgr": ID,
    "cgg": GRAPH,
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Accents dropped and case folded: 'François' -> 'francois'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def slug(text: str) -> str:
    """A readable, stable IRI segment for a name."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-") or "unnamed"


def document(doc_id: str) -> str:
    """The document IRI, which is also the IRI of its named graph."""
    return f"{ID}doc/{quote(doc_id, safe='-._~')}"


def actor(name: str) -> str:
    return f"{ID}actor/{slug(name)}"


def place(name: str) -> str:
    return f"{ID}place/{slug(name)}"


def claim(doc_iri: str, start: int, end: int) -> str:
    return f"{doc_iri}/claim/{start}-{end}"


def quantity(doc_iri: str, start: int, end: int) -> str:
    return f"{doc_iri}/quantity/{start}-{end}"


def span(doc_iri: str, start: int, end: int) -> str:
    return f"{doc_iri}/span/{start}-{end}"


def stance_score(doc_iri: str, notation: str) -> str:
    return f"{doc_iri}/stance/{notation}"


CURATION_GRAPH = GRAPH + "curation"          # every analyst correction (docs/MODEL.md, "Corrections")
EXTRACTION_GRAPH = GRAPH + "extraction/"     # + doc id: a corrected document's uncorrected extraction


def correction(correction_id: str) -> str:
    """A correction's IRI; its id is a random UUID minted once, when the analyst makes it."""
    return f"{ID}correction/{quote(correction_id, safe='-._~')}"


def analyst(name: str) -> str:
    return f"{ID}analyst/{slug(name)}"


def extraction_graph(doc_iri: str) -> str:
    """The graph holding a corrected document's uncorrected extraction (special: under cgg:)."""
    return EXTRACTION_GRAPH + doc_iri[len(ID + "doc/"):]


DOCUMENT_PREFIX = f"{ID}doc/"


def is_document_graph(graph: str) -> bool:
    """Whether `graph` names a document's graph (the document IRI is its graph's name)."""
    return graph.startswith(DOCUMENT_PREFIX)


def inferred_graph(document_graph: str) -> str:
    """Where what the rules derive from one document is kept: beside it, never in it, so a dump
    can leave it out and a re-ingest or a removal replaces both together."""
    return f"{INFERRED_GRAPH}/{document_graph[len(ID):]}"


def is_inferred_graph(graph: str) -> bool:
    """The ontology's inferred graph or a document's (everything `claimgraph reason` writes)."""
    return graph == INFERRED_GRAPH or graph.startswith(INFERRED_GRAPH + "/")
