"""Content negotiation: which serialisation answers a request, from Accept (with q-weights) or `format=`.

Tables, not ifs: each query form has an ordered list of formats (the first is the default for
`*/*` or a missing Accept header); each format lists the media types that select it. The
parsed Accept header is cached by its text, so a client that always sends the same header pays
for parsing once.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat

from server.http.errors import ProtocolError


@dataclass(frozen=True)
class Format:
    name: str                   # the `format=` key
    media_type: str             # what the response says it is
    accepts: tuple[str, ...]    # media types (and aliases) that select it
    results: QueryResultsFormat | None = None
    rdf: RdfFormat | None = None

    @property
    def content_type(self) -> str:
        text_like = self.media_type.startswith("text/") or self.media_type.endswith(("+xml", "+json", "/xml", "/json"))
        return f"{self.media_type}; charset=utf-8" if text_like else self.media_type


RESULT_FORMATS: tuple[Format, ...] = (   # SELECT and ASK
    Format("json", "application/sparql-results+json", ("application/sparql-results+json", "application/json"),
           results=QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", ("application/sparql-results+xml", "application/xml", "text/xml"),
           results=QueryResultsFormat.XML),
    Format("csv", "text/csv", ("text/csv",), results=QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", ("text/tab-separated-values",), results=QueryResultsFormat.TSV),
)

GRAPH_FORMATS: tuple[Format, ...] = (    # CONSTRUCT, DESCRIBE, Graph Store reads, dumps
    Format("turtle", "text/turtle", ("text/turtle", "application/x-turtle"), rdf=RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", ("application/n-triples", "text/plain"), rdf=RdfFormat.N_TRIPLES),
    Format("rdfxml", "application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml"),
           rdf=RdfFormat.RDF_XML),
    Format("jsonld", "application/ld+json", ("application/ld+json", "application/json"), rdf=RdfFormat.JSON_LD),
    Format("trig", "application/trig", ("application/trig",), rdf=RdfFormat.TRIG),
    Format("nquads", "application/n-quads", ("application/n-quads",), rdf=RdfFormat.N_QUADS),
)

ALIASES = {   # short names clients send as format= (SPARQLWrapper sends json / xml / turtle / n3 ...)
    "solutions": {"srj": "json", "srx": "xml", "sparql-results+json": "json", "sparql-results+xml": "xml"},
    "graph": {"ttl": "turtle", "n3": "turtle", "nt": "ntriples", "nq": "nquads", "rdf": "rdfxml", "owl": "rdfxml",
              "xml": "rdfxml", "json": "jsonld", "json-ld": "jsonld", "n-triples": "ntriples", "n-quads": "nquads",
              "rdf+xml": "rdfxml"},
}
ALIASES["boolean"] = ALIASES["solutions"]

FORMS = {"solutions": RESULT_FORMATS, "boolean": RESULT_FORMATS, "graph": GRAPH_FORMATS}


@lru_cache(maxsize=512)
def parse_accept(header: str | None) -> tuple[tuple[str, str, float], ...]:
    """(type, subtype, q) for each media range, parameters other than q dropped."""
    if not header:
        return (("*", "*", 1.0),)
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        main, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((main, sub or "*", q))
    return tuple(ranges)


def _quality(media_type: str, ranges: tuple[tuple[str, str, float], ...]) -> float:
    """q of the most specific range matching `media_type` (RFC 9110 §12.5.1), 0 when none does."""
    main, _, sub = media_type.partition("/")
    best, best_rank = 0.0, -1
    for r_main, r_sub, q in ranges:
        if r_main == main and r_sub == sub:
            rank = 2
        elif r_main == main and r_sub == "*":
            rank = 1
        elif r_main == "*" and r_sub == "*":
            rank = 0
        else:
            continue
        if rank > best_rank:
            best, best_rank = q, rank
    return best


def _format_quality(fmt: Format, ranges: tuple[tuple[str, str, float], ...]) -> float:
    """Wildcards match a format's own media type; its aliases (application/json, text/xml, ...) only
    when named exactly, so `text/*` means CSV rather than XML results sent as text/xml."""
    q = _quality(fmt.media_type, ranges)
    for alias in fmt.accepts:
        if alias != fmt.media_type:
            main, _, sub = alias.partition("/")
            q = max([q, *(rq for r_main, r_sub, rq in ranges if (r_main, r_sub) == (main, sub))])
    return q


@lru_cache(maxsize=1024)
def choose(form: str, accept: str | None, format_name: str | None = None) -> Format:
    """The format answering a result of `form` ('solutions', 'boolean' or 'graph')."""
    candidates = FORMS[form]
    if format_name:
        return _by_name(form, candidates, format_name)
    ranges = parse_accept(accept)
    best: Format | None = None
    best_q = 0.0
    for fmt in candidates:   # table order = server preference, so ties go to the earlier format
        q = _format_quality(fmt, ranges)
        if q > best_q:
            best, best_q = fmt, q
    if best is None:
        offered = ", ".join(f.media_type for f in candidates)
        raise ProtocolError(406, f"none of the accepted media types ({accept}) can carry this result; "
                                 f"offered: {offered} (or use ?format=)")
    return best


def _by_name(form: str, candidates: tuple[Format, ...], name: str) -> Format:
    key = name.strip().lower()
    key = ALIASES[form].get(key, key)
    for fmt in candidates:
        if key == fmt.name or key in fmt.accepts:
            return fmt
    names = ", ".join(f.name for f in candidates)
    raise ProtocolError(406, f"format {name!r} cannot carry a {form} result; use one of: {names}")
