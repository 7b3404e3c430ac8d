"""Linked Data: every IRI claimgraph mints dereferences on this server, and so does the ontology.

`https://w3id.org/claimgraph/id/doc/X/claim/1-9` is answered at `/id/doc/X/claim/1-9` (and the
concept namespaces kind/, stance/, qualifier/, modality/, cue/ the same way). A browser
(Accept: text/html) gets a readable page: labels, types, outgoing and incoming links as links
on this server, and for a claim or quantity its words highlighted in the document text. An RDF
client gets the resource's triples (queries/resource_describe.rq) as Turtle, JSON-LD, N-Triples
or RDF/XML by content negotiation or `?format=`. `/ontology` documents claimgraph.ttl the same
way: an HTML page generated from the Turtle, or the Turtle itself.

Every value shown in HTML goes through Jinja2's autoescaping.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from common import queries
from common.iris import BASE, PREFIXES
from server.http.conneg import parse_accept
from server.query.engine import iri_term
from server.http.errors import ProtocolError
from server.routes.ontology_docs import NAMESPACES, ONTOLOGY_FILE, curie, local_path, ontology_graph, ontology_model
from server.routes.pages import HERE

templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(tags=["linked data"])

HTML_TYPES = ("text/html", "application/xhtml+xml")
RDF_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
             "application/trig", "application/n-quads")
CONTEXT_CHARS = 400            # characters of document text shown either side of a quote
LONG_LITERAL = 300             # literals longer than this are folded away on the page
LABEL_PROPERTIES = {PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title",
                    PREFIXES["rdfs"] + "label", PREFIXES["cg"] + "claimText"}
RDF_TYPE = PREFIXES["rdf"] + "type"
TEXT = PREFIXES["cg"] + "text"


def wants_html(request: Request) -> bool:
    """HTML only when the client asks for it at least as much as for any RDF syntax."""
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() == "html"
    ranges = parse_accept(request.headers.get("accept"))

    def quality(media: str) -> float:
        main, _, sub = media.partition("/")
        return max((q for r_main, r_sub, q in ranges
                    if r_main == main and r_sub == sub), default=0.0)
    html = max(quality(m) for m in HTML_TYPES)
    return html > 0 and html >= max(quality(m) for m in RDF_TYPES)


def _term_view(term: dict, label: str | None = None) -> dict:
    """A SPARQL-JSON term prepared for the template (the template escapes every string)."""
    value = term["value"]
    if term["type"] == "uri":
        return {"kind": "iri", "value": value, "href": local_path(value) or value,
                "external": local_path(value) is None, "text": label or curie(value)}
    if term["type"] == "bnode":
        return {"kind": "bnode", "text": "_:" + value}
    datatype = term.get("datatype")
    return {"kind": "literal", "text": value, "long": len(value) > LONG_LITERAL,
            "lang": term.get("xml:lang"), "datatype": curie(datatype) if datatype else None}


def _value(row: dict, key: str) -> str | None:
    term = row.get(key)
    return term["value"] if term else None


async def _evidence(engine, iri: str) -> dict | None:
    """The quote of a claim or quantity with some of the document text either side of it."""
    rows = await engine.select(queries.load("evidence_context"), {"_item_iri": iri_term(iri)})
    if not rows:
        return None
    row = rows[0]
    text = _value(row, "text") or ""
    start, end = int(_value(row, "start")), int(_value(row, "end"))   # code points: str indexing
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return {"before": ("…" if lo > 0 else "") + text[lo:start], "exact": text[start:end],
            "after": text[end:hi] + ("…" if hi < len(text) else ""),
            "start": start, "end": end, "speaker": _value(row, "speakerName"),
            "speaker_href": local_path(_value(row, "speaker") or ""), "cue": _value(row, "cue"),
            "stance": _value(row, "stance"), "doc": _value(row, "doc"), "title": _value(row, "title"),
            "document_href": local_path(_value(row, "document") or ""), "document_iri": _value(row, "document"),
            "source": _value(row, "source"), "published": _value(row, "published")}


async def _marked_text(engine, iri: str) -> list[dict] | None:
    """A document's text cut into segments, each claim and figure in it marked and linked."""
    rows = await engine.select(queries.load("document_spans"), {"_document_iri": iri_term(iri)})
    if not rows:
        return None
    text = rows[0]["text"]["value"]
    body_end = int(_value(rows[0], "bodyEnd") or len(text))
    items = [{"start": int(_value(r, "start")), "end": int(_value(r, "end")), "what": _value(r, "what"),
              "who": _value(r, "who"), "stance": _value(r, "stance"), "href": local_path(_value(r, "item")),
              "iri": _value(r, "item")}
             for r in rows if r.get("item")]
    cuts = sorted({0, len(text), min(body_end, len(text))} | {i["start"] for i in items} | {i["end"] for i in items})
    segments: list[dict] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [i for i in items if i["start"] <= start and end <= i["end"]]
        inner = min(covering, key=lambda i: i["end"] - i["start"]) if covering else None
        kinds = sorted({i["what"] for i in covering}) + sorted({i["stance"] for i in covering if i["stance"]})
        segment = {"text": text[start:end], "item": inner, "classes": " ".join(kinds),
                   "boilerplate": start >= body_end}
        if segments and not inner and not segments[-1]["item"] and segments[-1]["boilerplate"] == segment["boilerplate"]:
            segments[-1]["text"] += segment["text"]
        else:
            segments.append(segment)
    return segments


def _page_model(iri: str, rows: list[dict]) -> dict:
    """Group the links of a resource for its page: title, types, outgoing and incoming links."""
    types, outgoing, incoming, labels, graphs = [], {}, {}, [], set()
    for row in rows:
        prop = row["property"]["value"]
        other = row["other"]
        view = _term_view(other, _value(row, "otherLabel"))
        graph = _value(row, "graph")
        if graph:
            graphs.add(graph)
        if row["direction"]["value"] == "out":
            if prop == RDF_TYPE:
                if view not in types:
                    types.append(view)
                continue
            if prop in LABEL_PROPERTIES and other["type"] == "literal":
                labels.append(other["value"])
            bucket = outgoing
        else:
            bucket = incoming
        entry = bucket.setdefault(prop, {"property": _term_view(row["property"], _value(row, "propertyLabel")),
                                         "values": []})
        if view not in entry["values"]:
            entry["values"].append(view)
    title = min(labels, key=len) if labels else iri.rsplit("/", 1)[-1]
    return {"iri": iri, "title": title, "types": types,
            "outgoing": sorted(outgoing.values(), key=lambda e: e["property"]["text"]),
            "incoming": sorted(incoming.values(), key=lambda e: e["property"]["text"]),
            "graphs": [{"iri": g, "href": local_path(g) or g} for g in sorted(graphs)]}


async def describe(request: Request, iri: str) -> Response:
    """The resource as HTML or RDF, 404 when the graph does not know it."""
    engine = request.app.state.engine
    bindings = {"_resource_iri": iri_term(iri)}
    if not await engine.ask(queries.load("resource_exists"), bindings):
        raise ProtocolError(404, f"the graph says nothing about <{iri}>")
    if not wants_html(request):
        response = await engine.run(queries.load("resource_describe"), bindings=bindings,
                                    accept=request.headers.get("accept"), format=request.query_params.get("format"))
        response.headers["Vary"] = "Accept"
        return response
    rows = await engine.select(queries.load("resource_links"), bindings)
    model = _page_model(iri, rows)
    from server.routes.corrections import read_corrections
    corrections = await read_corrections(engine)
    type_names = {t.get("value", "").rsplit("#", 1)[-1] for t in model["types"]}
    evidence = marked = None
    if type_names & {"Claim", "Quantity"} or any(n.endswith("Quantity") for n in type_names):
        evidence = await _evidence(engine, iri)
    is_document = any(e["property"]["value"] == TEXT for e in model["outgoing"])
    if is_document:
        marked = await _marked_text(engine, iri)
    history = _history(iri, corrections, is_document)
    if marked:
        latest = {}
        for c in history:
            latest[c.target] = c
        for segment in marked:
            item = segment["item"]
            if item and item["iri"] in latest:
                item["corrected"] = latest[item["iri"]]
    context = _correction_context(iri, model, is_document, evidence)
    response = templates.TemplateResponse(request, "resource.html", {**model, "evidence": evidence,
                                                                      "marked": marked, "active": "",
                                                                      "history": history, "context": context})
    response.headers["Vary"] = "Accept"
    return response


def _history(iri: str, corrections: list, is_document: bool) -> list:
    """The corrections shown on a page: a document's own (and merges of actors it mentions are on
    the actors' pages), or an item's (as target, or as the actor merged into)."""
    if is_document:
        return [c for c in corrections if c.document == iri]
    return [c for c in corrections if iri in (c.target, c.into)]


def _correction_context(iri: str, model: dict, is_document: bool, evidence: dict | None) -> dict:
    """What the page's correction tools (static/corrections.js) need: what this resource is,
    the document, and the actors to choose a speaker from."""
    from curation.model import scheme_notations
    types = {t.get("value", "").rsplit("#", 1)[-1] for t in model["types"]}
    kind = ("document" if is_document else "claim" if "Claim" in types else
            "quantity" if any(t.endswith("Quantity") for t in types) else
            "actor" if types & {"Person", "Organization", "Group", "Actor", "Government", "Alliance", "ThinkTank",
                                "MediaOrganization", "IntelligenceService", "MilitaryBody"} else "other")
    mentions = next((e["values"] for e in model["outgoing"]
                     if e["property"]["value"] == PREFIXES["schema"] + "mentions"), [])
    return {"iri": iri, "kind": kind, "document": iri if is_document else (evidence or {}).get("document_iri"),
            "actors": [{"iri": v["value"], "label": v["text"]} for v in mentions if v["kind"] == "iri"],
            "stances": sorted(scheme_notations("StanceScheme")),
            "qualifiers": sorted(scheme_notations("QualifierScheme")),
            "modalities": sorted(scheme_notations("ModalityScheme"))}


def _register(namespace: str) -> None:
    async def dereference(request: Request, rest: str) -> Response:
        # the raw path keeps percent-encoding exactly as minted (doc ids are percent-encoded)
        raw = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        prefix = f"/{namespace}/"
        tail = raw.split("?", 1)[0][len(prefix):] if raw.startswith(prefix) else rest
        iri = BASE + namespace + "/" + tail
        if not tail or any(ch in tail for ch in "<>\"{}|\\^`\n\r\t "):
            raise ProtocolError(400, f"not a claimgraph resource path: {raw!r}")
        try:
            iri_term(iri)
        except ValueError:
            raise ProtocolError(400, f"not a valid IRI: {iri!r}") from None
        return await describe(request, iri)
    dereference.__name__ = f"dereference_{namespace}"
    router.add_api_route(
        f"/{namespace}/{{rest:path}}", dereference, methods=["GET"], response_class=Response,
        summary=f"Dereference {BASE}{namespace}/…",
        description="HTML for browsers, Turtle / JSON-LD / N-Triples / RDF-XML for RDF clients "
                    "(Accept header, or ?format=turtle|jsonld|ntriples|rdfxml|html).")


for _namespace in NAMESPACES:
    _register(_namespace)


# ---- the ontology ------------------------------------------------------------------------------

@router.get("/ontology", response_class=Response, summary="The claimgraph ontology (HTML or RDF)")
async def ontology(request: Request) -> Response:
    """HTML documentation generated from ontology/claimgraph.ttl, or the ontology as RDF."""
    if not ONTOLOGY_FILE.is_file():
        raise ProtocolError(404, "ontology/claimgraph.ttl is missing")
    if wants_html(request):
        return templates.TemplateResponse(request, "ontology.html", {**ontology_model(), "active": "ontology"})
    fmt = (request.query_params.get("format") or "").lower()
    ranges = parse_accept(request.headers.get("accept"))
    jsonld = fmt in {"jsonld", "json-ld"} or (not fmt and any(
        (m, s) == ("application", "ld+json") and q > 0 for m, s, q in ranges) and not any(
        (m, s) == ("text", "turtle") and q > 0 for m, s, q in ranges))
    if jsonld:
        body = ontology_graph().serialize(format="json-ld")
        return Response(body, media_type="application/ld+json", headers={"Vary": "Accept"})
    if fmt and fmt not in {"turtle", "ttl"}:
        raise ProtocolError(406, f"format {fmt!r}: the ontology is offered as html, turtle or jsonld")
    return Response(ONTOLOGY_FILE.read_bytes(), media_type="text/turtle; charset=utf-8",
                    headers={"Vary": "Accept"})
