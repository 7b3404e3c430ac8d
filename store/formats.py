"""RDF format names used on the command line and in the API, mapped to pyoxigraph formats."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from store.errors import StoreError

RDF_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "ttl": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "nq": RdfFormat.N_QUADS,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
    "xml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
    "n3": RdfFormat.N3,
}


def rdf_format(name: str) -> RdfFormat:
    """The pyoxigraph format for a name such as 'turtle' or 'nquads' (case-insensitive)."""
    key = name.strip().lower().replace("-", "").replace("_", "")
    try:
        return RDF_FORMATS[key]
    except KeyError:
        known = ", ".join(sorted({"turtle", "trig", "nquads", "ntriples", "rdfxml", "jsonld", "n3"}))
        raise StoreError(f"unknown RDF format {name!r}; use one of: {known}") from None


def format_for_path(path: str | Path, name: str | None = None) -> RdfFormat:
    """The format named, or else the one the file extension implies (.ttl, .nq, .trig, ...)."""
    if name:
        return rdf_format(name)
    suffixes = [s.lstrip(".") for s in Path(path).suffixes]
    for ext in reversed(suffixes):
        found = RdfFormat.from_extension(ext)
        if found is not None:
            return found
    raise StoreError(f"cannot tell the RDF format of {str(path)!r} from its extension; "
                     "name it (turtle, trig, nquads, ntriples, rdfxml, jsonld)")
