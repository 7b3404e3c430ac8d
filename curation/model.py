"""A correction as Python data: what the API, the CLI and JSON Lines files exchange.

One `Correction` per analyst action. `parse_request` turns the JSON an analyst sends into one,
checking every field and naming the one that is wrong (`BadField`), before anything touches the
store; what needs the graph (does the claim exist, what are its words) is settled later by
`curation.service`. The RDF form is in `curation.rdf`.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from common import iris
from common.paths import VOCAB_DIR

# kind -> (class local name, Web Annotation motivation)
KINDS: dict[str, tuple[str, str]] = {
    "reject": ("Rejection", "assessing"),
    "set_speaker": ("SpeakerCorrection", "editing"),
    "set_stance": ("StanceCorrection", "editing"),
    "set_quantity": ("QuantityCorrection", "editing"),
    "merge": ("ActorMerge", "editing"),
    "split": ("ActorSplit", "editing"),
    "add_claim": ("ClaimAddition", "editing"),
    "add_quantity": ("QuantityAddition", "editing"),
}
KIND_OF_CLASS = {cls: kind for kind, (cls, _) in KINDS.items()}
ACTOR_KINDS = ("Person", "Organization", "Group", "Government", "Alliance", "ThinkTank", "MediaOrganization",
               "IntelligenceService", "MilitaryBody")
QUANTITY_FIELDS = ("value", "low", "high", "unit", "qualifier", "period", "modality")
CLEARABLE = {"unit": "unitText", "period": "period"}        # JSON field -> cg: property a null removes
DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
MAX_TEXT = 2000


class BadField(ValueError):
    """A request field that is missing or wrong: the API answers 400 naming it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field, self.message = field_name, message


@dataclass
class Selector:
    """Where the corrected item stands in its document's text (Web Annotation selectors)."""
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass
class Correction:
    kind: str
    creator: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created: str = field(default_factory=lambda: _now())
    note: str | None = None
    target: str | None = None          # the item: claim, quantity, actor or document IRI (minted for additions)
    document: str | None = None        # the document IRI whose graph it changes (None: merge, split)
    selector: Selector | None = None
    speaker: str | None = None         # set_speaker, add_claim: actor IRI ...
    speaker_name: str | None = None    # ... its name and kind (so each document graph can describe it)
    speaker_kind: str | None = None
    stance: str | None = None          # set_stance, add_claim: a stance notation; None = no stance
    cue: str | None = None
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    qualifier: str | None = None
    period: str | None = None
    modality: str | None = None
    clears: list[str] = field(default_factory=list)   # JSON fields set to null: "unit", "period"
    into: str | None = None            # merge: the surviving actor; split: the actor split off from
    into_name: str | None = None
    into_kind: str | None = None
    undoes: str | None = None          # split: the merge correction's IRI
    status: str | None = None          # applied | orphaned | undone | pending (read back, never stored)

    @property
    def iri(self) -> str:
        return iris.correction(self.id)

    @property
    def is_global(self) -> bool:
        """Merges and splits apply wherever their actors appear, not to one document."""
        return self.kind in ("merge", "split")

    def sort_key(self) -> tuple[str, str]:
        return (self.created, self.id)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (API answers, JSON Lines export): empty fields left out."""
        data = asdict(self)
        data["iri"] = self.iri
        for key in ("value", "low", "high"):
            if data[key] is not None:
                data[key] = float(data[key]) if data[key] % 1 else int(data[key])
        return {k: v for k, v in data.items() if v not in (None, [])}


@lru_cache(maxsize=None)
def scheme_notations(scheme: str) -> frozenset[str]:
    """The notations (stance) or local names (qualifier, modality) of a concept scheme, from the vocabulary."""
    from pyoxigraph import NamedNode, RdfFormat, Store
    store = Store()
    store.load(path=str(VOCAB_DIR / "schemes.ttl"), format=RdfFormat.TURTLE)
    members = store.quads_for_pattern(None, NamedNode(iris.PREFIXES["skos"] + "inScheme"), NamedNode(iris.CG + scheme))
    return frozenset(q.subject.value.rsplit("/", 1)[-1] for q in members)


def parse_request(data: Any, creator: str, *, keep_identity: bool = False) -> Correction:
    """A Correction from the JSON an analyst sent; BadField names the first wrong field.

    `keep_identity` (imports) keeps the `id`, `creator` and `created` the record carries."""
    if not isinstance(data, dict):
        raise BadField("body", "a correction is a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise BadField("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
    c = Correction(kind=kind, creator=creator)
    if keep_identity:
        c.id = _text(data, "id", required=True, pattern=r"^[A-Za-z0-9_.~-]{1,64}$")
        c.creator = _text(data, "creator", required=True)
        c.created = _timestamp(data.get("created"))
    c.note = _text(data, "note")
    kept = data.get("selector") if keep_identity else None
    if kept is not None:
        c.selector = _kept_selector(kept)
    if kind in ("add_claim", "add_quantity"):
        c.document = _iri(data, "document", required=True, doc=True)
        if kept is None:
            c.selector = _offsets(data)
    else:
        c.target = _iri(data, "target", required=True)
        if "document" in data and data["document"] is not None:
            c.document = _iri(data, "document", doc=True)
    if kind in ("set_speaker", "add_claim"):
        c.speaker = _iri(data, "speaker")
        c.speaker_name = _text(data, "speaker_name")
        c.speaker_kind = _choice(data, "speaker_kind", ACTOR_KINDS)
        if not c.speaker and not c.speaker_name:
            raise BadField("speaker", "give an actor IRI (speaker) or the name of a new actor (speaker_name)")
    if kind in ("set_stance", "add_claim"):
        if kind == "set_stance" and "stance" not in data:
            raise BadField("stance", "required (a stance notation, or null for no stance)")
        stance = data.get("stance")
        if stance in (None, "", "NEITHER"):
            c.stance = None
        else:
            c.stance = _choice(data, "stance", tuple(sorted(scheme_notations("StanceScheme"))))
    if kind == "add_claim":
        c.cue = _text(data, "cue")
    if kind in ("set_quantity", "add_quantity"):
        _quantity_fields(c, data, adding=kind == "add_quantity")
    if keep_identity:
        for name in ("into_name", "into_kind"):
            setattr(c, name, _text(data, name))
    if kind in ("merge", "split"):
        c.into = _iri(data, "into", required=True)
        if c.into == c.target:
            raise BadField("into", "an actor cannot be merged with (or split from) itself")
    return c


def _quantity_fields(c: Correction, data: dict, *, adding: bool) -> None:
    given = [name for name in QUANTITY_FIELDS if name in data]
    if not given:
        raise BadField("value", f"say what to set: one or more of {', '.join(QUANTITY_FIELDS)}")
    for name in ("value", "low", "high"):
        if data.get(name) is not None:
            setattr(c, name, _number(data, name))
    if (c.low is None) != (c.high is None):
        raise BadField("low" if c.low is None else "high", "a range needs both low and high")
    if c.low is not None and c.low > c.high:
        raise BadField("low", "is above high")
    if c.value is not None and c.low is not None:
        raise BadField("value", "give a single value or a range (low, high), not both")
    if adding and c.value is None and c.low is None:
        raise BadField("value", "a new quantity needs a value, or low and high")
    for name, prop in CLEARABLE.items():
        if name in data and data[name] is None and not adding:
            c.clears.append(name)
    c.unit = _text(data, "unit")
    c.qualifier = _choice(data, "qualifier", tuple(sorted(scheme_notations("QualifierScheme"))))
    c.modality = _choice(data, "modality", tuple(sorted(scheme_notations("ModalityScheme"))))
    period = _text(data, "period")
    if period is not None and not DURATION.match(period):
        raise BadField("period", f"{period!r} is not an ISO 8601 duration such as P1M, P1Y or P7D")
    c.period = period


def _text(data: dict, name: str, *, required: bool = False, pattern: str | None = None) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise BadField(name, "required")
        return None
    if not isinstance(value, str):
        raise BadField(name, "must be a string")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise BadField(name, f"longer than {MAX_TEXT} characters")
    if pattern and not re.match(pattern, value):
        raise BadField(name, f"{value!r} is not of the form {pattern}")
    return value


def _choice(data: dict, name: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(data, name)
    if value is not None and value not in allowed:
        raise BadField(name, f"must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _iri(data: dict, name: str, *, required: bool = False, doc: bool = False) -> str | None:
    """An IRI field; a document may also be given by its id (`000_abc`)."""
    value = _text(data, name, required=required)
    if value is None:
        return None
    if doc and not value.startswith(("http://", "https://")):
        value = iris.document(value)
    from pyoxigraph import NamedNode
    try:
        NamedNode(value)
    except ValueError:
        raise BadField(name, f"{value!r} is not a valid IRI") from None
    if not value.startswith(iris.ID):
        raise BadField(name, f"{value!r} is not a claimgraph resource (it must start with {iris.ID})")
    return value


def _number(data: dict, name: str) -> Decimal:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadField(name, "must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise BadField(name, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise BadField(name, "must be a finite number")
    return number


def _offsets(data: dict) -> Selector:
    for name in ("start", "end"):
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BadField(name, "required: a character offset (a non-negative integer)")
    if data["end"] <= data["start"]:
        raise BadField("end", "must be after start")
    return Selector(data["start"], data["end"], exact=_text(data, "exact") or "")


def _kept_selector(value: Any) -> Selector:
    """The selector an exported correction carries (kept as is on import)."""
    if not isinstance(value, dict):
        raise BadField("selector", "must be an object with start, end and exact")
    offsets = _offsets(value)
    return Selector(offsets.start, offsets.end, _text(value, "exact", required=True) or "",
                    value.get("prefix") or "", value.get("suffix") or "")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _timestamp(value: Any) -> str:
    if not isinstance(value, str):
        raise BadField("created", "required: an ISO 8601 date-time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadField("created", f"{value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
