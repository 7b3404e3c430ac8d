"""The ontology documented for people: its terms and SKOS schemes read from the Turtle files.

`/ontology` (server.routes.linked_data) renders this model; it is built once per process from
ontology/claimgraph.ttl and the scheme vocabularies with queries/ontology_terms.rq and
queries/scheme_concepts.rq, run by rdflib over the files (the page works before anything is
ingested and shows exactly what the files say).
"""
from __future__ import annotations

from functools import lru_cache

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from common import queries
from common.iris import BASE, PREFIXES
from common.paths import ONTOLOGY_DIR, VOCAB_DIR

ONTOLOGY_FILE = ONTOLOGY_DIR / "claimgraph.ttl"
SCHEME_FILES = ("schemes.ttl", "kinds.ttl")   # vocab files whose SKOS schemes the page lists
NAMESPACES = ("id", "kind", "stance", "qualifier", "modality", "cue")   # served under /NAME/...
TERM_SECTIONS = (("owl:Class", "Classes"), ("owl:ObjectProperty", "Object properties"),
                 ("owl:DatatypeProperty", "Datatype properties"), ("owl:AnnotationProperty", "Annotation properties"))
ONTOLOGY_META = (("title", DCTERMS.title), ("description", DCTERMS.description), ("comment", RDFS.comment),
                 ("label", RDFS.label), ("version", OWL.versionInfo))


def local_path(iri: str) -> str | None:
    """Where a claimgraph IRI is served on this server, or None for other IRIs."""
    if iri.startswith(PREFIXES["cg"]):
        return "/ontology#" + iri[len(PREFIXES["cg"]):]
    if iri.startswith(BASE) and iri[len(BASE):].split("/", 1)[0] in NAMESPACES:
        return "/" + iri[len(BASE):]
    return None


def curie(iri: str) -> str:
    """`cg:speaker` rather than the full IRI, for the longest matching prefix."""
    best = max((p for p in PREFIXES.items() if iri.startswith(p[1])), key=lambda p: len(p[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best and iri[len(best[1]):] else iri


def _link(iri: str) -> dict:
    return {"text": curie(iri), "href": local_path(iri) or iri}


@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def _terms(graph: rdflib.Graph) -> list[tuple[str, list[dict]]]:
    sections: dict[str, list] = {name: [] for name, _ in TERM_SECTIONS}
    for row in graph.query(queries.load("ontology_terms")):
        data = {k: str(v) for k, v in row.asdict().items()}
        term = data["term"]
        sections.setdefault(curie(data["type"]), []).append({
            "iri": term, "id": term.rsplit("#", 1)[-1].rsplit("/", 1)[-1], "curie": curie(term),
            "label": data.get("label", ""), "comment": data.get("comment", ""),
            **{key: [_link(i) for i in data.get(key, "").split()] for key in ("parents", "domain", "range")}})
    return [(title, sections.get(name, [])) for name, title in TERM_SECTIONS]


def _metadata(graph: rdflib.Graph) -> dict:
    meta: dict[str, str] = {}
    for onto in graph.subjects(RDF.type, OWL.Ontology):
        meta["iri"] = str(onto)
        for key, prop in ONTOLOGY_META:
            value = graph.value(onto, prop)
            if value is not None:
                meta.setdefault(key, str(value))
    return meta


def _schemes() -> list[dict]:
    """The SKOS schemes (stances, qualifiers, modalities, kinds) with their concepts."""
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    for name in SCHEME_FILES:
        if (VOCAB_DIR / name).is_file():
            graph.parse(VOCAB_DIR / name, format="turtle")
    schemes: dict[str, dict] = {}
    for row in graph.query(queries.load("scheme_concepts")):
        data = {k: str(v) for k, v in row.asdict().items()}
        scheme = schemes.setdefault(data["scheme"], {"iri": data["scheme"], "curie": curie(data["scheme"]),
                                                     "label": data.get("schemeLabel", ""), "concepts": []})
        scheme["concepts"].append({
            "iri": data["concept"], "curie": curie(data["concept"]),
            "href": local_path(data["concept"]) or data["concept"],
            "label": data.get("label", ""), "notation": data.get("notation", ""),
            "definition": data.get("definition", ""), "alt": data.get("altLabels", ""),
            "broader": _link(data["broader"]) if data.get("broader") else None})
    return sorted(schemes.values(), key=lambda s: s["curie"])


@lru_cache(maxsize=1)
def ontology_model() -> dict:
    """Everything the /ontology page shows."""
    graph = ontology_graph()
    return {"sections": _terms(graph), "schemes": _schemes(), "meta": _metadata(graph),
            "prefixes": PREFIXES, "triples": len(graph)}
