"""The corrections API: analysts correct the graph, and read who corrected what.

- `POST /api/corrections` — one correction as JSON (kinds and fields below); needs an analyst's
  bearer token (`claimgraph serve --analysts FILE`): 401 without one, 403 with an unknown one.
  A wrong field gets 400 with `{"detail": ..., "field": ...}` and nothing is written. On
  success (201) the correction is in the curation graph and every document graph it changes
  has been re-written with it applied, in one atomic update, by the writer process (serving
  processes forward the request), so concurrent corrections are applied one after the other.
- `GET /api/corrections?document=&item=&status=&creator=` — the corrections, oldest first,
  with their status (applied, orphaned, undone, pending): the history of a document or item.
- `GET /api/analyst` — the name behind a token (what the pages' sign-in checks).
"""
from __future__ import annotations

import json
from typing import Literal, Optional, Union

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from common import iris
from curation.model import KINDS, BadField, Correction, parse_request
from curation.storage import corrections_from
from server.http.analysts import analyst
from server.http.errors import ProtocolError
from server.http.protocol import read_body
from store import sparql

router = APIRouter(tags=["corrections"])
Number = Optional[Union[float, int, str]]


class CorrectionRequest(BaseModel):
    """One correction. Fields by kind:
    reject (target: claim, quantity, or actor + document) · set_speaker (target claim; speaker
    IRI or speaker_name [+ speaker_kind]) · set_stance (target claim or document; stance, null =
    none) · set_quantity (target quantity; any of value, low+high, unit, qualifier, period,
    modality; null clears unit/period) · merge (target actor merged into `into`) · split (target,
    into: undo that merge) · add_claim (document, start, end [+ exact], speaker or speaker_name,
    cue, stance) · add_quantity (document, start, end [+ exact], value or low+high, unit, ...)."""
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type]
    target: Optional[str] = Field(None, description="IRI of the claim, quantity, actor or document corrected")
    document: Optional[str] = Field(None, description="Document IRI or id (additions; actor rejections)")
    note: Optional[str] = Field(None, description="Why (kept as the annotation's oa:bodyValue)")
    speaker: Optional[str] = None
    speaker_name: Optional[str] = None
    speaker_kind: Optional[str] = Field(None, description="Person, Organization, Group, ...")
    stance: Optional[str] = Field(None, description="A stance notation (TRUCE_AS_REGROUPING, ...); null = none")
    cue: Optional[str] = None
    value: Number = None
    low: Number = None
    high: Number = None
    unit: Optional[str] = None
    qualifier: Optional[str] = Field(None, description="exact, approximately, at_least, at_most, range")
    period: Optional[str] = Field(None, description="ISO 8601 duration, e.g. P1M")
    modality: Optional[str] = Field(None, description="report, estimate, projection")
    into: Optional[str] = Field(None, description="merge: the surviving actor; split: the actor split from")
    start: Optional[int] = Field(None, description="additions: first character (Unicode code points)")
    end: Optional[int] = Field(None, description="additions: end offset, exclusive")
    exact: Optional[str] = Field(None, description="additions: the selected words, checked against the text")


class SelectorOut(BaseModel):
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


class CorrectionOut(BaseModel):
    id: str
    iri: str
    kind: str
    creator: str
    created: str
    status: str = Field(description="applied, orphaned (target gone from the re-ingested text), undone, pending")
    target: Optional[str] = None
    document: Optional[str] = None
    selector: Optional[SelectorOut] = None
    note: Optional[str] = None


class CorrectionList(BaseModel):
    corrections: list[CorrectionOut]


class Problem(BaseModel):
    detail: str
    field: str


@router.post("/api/corrections", status_code=201, summary="Make a correction (analyst token)",
             responses={201: {"model": CorrectionOut}, 400: {"model": Problem, "description": "A wrong field, named"},
                        401: {"description": "No bearer token"}, 403: {"description": "Not an analyst's token"}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": CorrectionRequest.model_json_schema()}}}})
async def make_correction(request: Request) -> JSONResponse:
    name = analyst(request.app.state.settings, request.headers.get("authorization"))
    body = await read_body(request, request.app.state.settings.max_body_bytes)
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        return _problem("body", f"not JSON: {exc}")
    try:
        correction = parse_request(data, name)
    except BadField as exc:
        return _problem(exc.field, exc.message)
    from curation.service import record

    def job(store) -> Correction:
        return record(store, correction)
    try:
        made = await request.app.state.engine.write_with(job)
    except BadField as exc:
        return _problem(exc.field, exc.message)
    return JSONResponse(made.to_json(), status_code=201,
                        headers={"Location": f"/api/corrections?item={made.target or ''}"})


@router.get("/api/corrections", summary="Corrections, oldest first, with who, when and status",
            response_model=CorrectionList)
async def list_corrections(request: Request, document: Optional[str] = None, item: Optional[str] = None,
                           status: Optional[Literal["applied", "orphaned", "undone", "pending"]] = None,
                           creator: Optional[str] = None) -> JSONResponse:
    """`document` (IRI or id) keeps that document's corrections and the merges touching it;
    `item` an item's history (claim, quantity, actor or document IRI)."""
    corrections = await read_corrections(request.app.state.engine)
    if document:
        doc = document if document.startswith("http") else iris.document(document)
        corrections = [c for c in corrections if c.document == doc]
    if item:
        corrections = [c for c in corrections if item in (c.target, c.into)]
    if status:
        corrections = [c for c in corrections if c.status == status]
    if creator:
        corrections = [c for c in corrections if c.creator == creator]
    return JSONResponse({"corrections": [c.to_json() for c in corrections]})


@router.get("/api/analyst", summary="The analyst a bearer token belongs to")
async def who_am_i(request: Request) -> JSONResponse:
    return JSONResponse({"name": analyst(request.app.state.settings, request.headers.get("authorization"))})


async def read_corrections(engine) -> list[Correction]:
    """Every correction, read through the engine (any process, any store)."""
    statements = [(_Term(r["s"]), _Term(r["p"]), _Term(r["o"]))
                  for r in await engine.select(sparql.load("curation_statements"))]
    if not statements:
        return []
    statuses = [(r["correction"]["value"], r["status"]["value"])
                for r in await engine.select(sparql.load("correction_status"))]
    return corrections_from(statements, statuses)


class _Term:
    """A SPARQL-JSON term as the little `curation.rdf.from_quads` needs: its value."""
    __slots__ = ("value",)

    def __init__(self, term: dict):
        self.value = term["value"]


def _problem(field: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": f"{field}: {message}", "field": field}, status_code=400)


__all__ = ["router", "read_corrections", "ProtocolError"]
