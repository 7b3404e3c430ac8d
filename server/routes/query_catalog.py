"""The named queries as an API catalogue: grlc-style headers read from queries/*.rq.

A query declares its parameters the way grlc does, by naming SPARQL variables:
`?_name` is a required parameter, `?__name` an optional one, and a suffix gives its type:
`_iri` an IRI, `_integer` / `_decimal` / `_number` / `_boolean` a typed literal, `_xsd_TYPE`
any XSD datatype (e.g. `?_period_xsd_duration`), a two-letter suffix a language-tagged
literal (`?_label_en`); no suffix is a plain string. The `#+` header lines are YAML with
grlc's keys (`summary`, `description`, `tags`, `defaults`, `enumerate`) plus `params`
(a description per parameter).

A value from a request becomes an RDF term here, checked against its type, and reaches the
engine as a binding: it is never pasted into the query text.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import yaml
from pyoxigraph import Literal, NamedNode

from common import queries
from common.iris import PREFIXES

log = logging.getLogger("claimgraph.server")
XSD = PREFIXES["xsd"]
MAX_VALUE_LENGTH = 2000
_PARAM_VARIABLE = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)((?:_[A-Za-z0-9]+)*)\b")
_QUERY_FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE | re.MULTILINE)
_DURATION = re.compile(r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class ParameterError(ValueError):
    """A request value that does not fit its parameter; the message names the parameter."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"parameter {name!r}: {reason}")
        self.name = name


@dataclass(frozen=True)
class QueryParam:
    name: str                 # the API name (`kind`)
    variable: str             # the SPARQL variable without `?` (`_kind_iri`)
    type: str                 # "iri", "string", "lang:en" or an XSD datatype IRI
    required: bool
    default: str | None = None
    enum: tuple[str, ...] = ()
    description: str = ""

    def openapi(self) -> dict:
        """This parameter as an OpenAPI 3 query parameter."""
        schema: dict = {"type": _OPENAPI_TYPES.get(self.type, "string")}
        if self.type == "iri":
            schema["format"] = "iri"
        if self.default is not None:
            schema["default"] = self.default
        if self.enum:
            schema["enum"] = list(self.enum)
        kind = "an IRI (full, or prefixed as cgk:Tank)" if self.type == "iri" else f"a {self.type_label} value"
        text = self.description or f"{self.name}: {kind}"
        return {"name": self.name, "in": "query", "required": self.required and self.default is None,
                "description": f"{text} ({kind}; SPARQL variable ?{self.variable})", "schema": schema}

    @property
    def type_label(self) -> str:
        return "xsd:" + self.type[len(XSD):] if self.type.startswith(XSD) else self.type

    def term(self, raw: str) -> NamedNode | Literal:
        """The RDF term for a raw request value, or ParameterError saying what is wrong."""
        if len(raw) > MAX_VALUE_LENGTH:
            raise ParameterError(self.name, f"longer than {MAX_VALUE_LENGTH} characters")
        if self.enum and raw not in self.enum and _expand(raw) not in self.enum:
            raise ParameterError(self.name, f"must be one of {', '.join(self.enum)}")
        if self.type == "iri":
            return _iri(self.name, raw)
        if self.type == "string":
            return Literal(raw)
        if self.type.startswith("lang:"):
            return Literal(raw, language=self.type[5:])
        check = _CHECKS.get(self.type)
        if check is not None:
            try:
                raw = check(raw.strip())
            except (ValueError, InvalidOperation):
                raise ParameterError(self.name, f"{raw!r} is not a valid {self.type_label}") from None
        return Literal(raw, datatype=NamedNode(self.type))


def _expand(raw: str) -> str:
    prefix, sep, local = raw.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return raw


def _iri(name: str, raw: str) -> NamedNode:
    value = _expand(raw.strip())
    if not _SCHEME.match(value) or any(ch in value for ch in ' <>"{}|^`\\'):
        raise ParameterError(name, f"{raw!r} is not an absolute IRI or a known prefixed name "
                                   f"({', '.join(sorted(PREFIXES))})")
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise ParameterError(name, f"{raw!r} is not a valid IRI: {exc}") from None


def _check_duration(raw: str) -> str:
    if not _DURATION.fullmatch(raw):
        raise ValueError(raw)
    return raw


def _check_boolean(raw: str) -> str:
    lowered = raw.lower()
    if lowered not in {"true", "false", "1", "0"}:
        raise ValueError(raw)
    return lowered


_CHECKS = {
    XSD + "integer": lambda raw: str(int(raw)),
    XSD + "decimal": lambda raw: format(Decimal(raw), "f"),
    XSD + "double": lambda raw: repr(float(raw)),
    XSD + "date": lambda raw: date.fromisoformat(raw).isoformat(),
    XSD + "duration": _check_duration,
    XSD + "boolean": _check_boolean,
}
_SUFFIX_TYPES = {"iri": "iri", "integer": XSD + "integer", "decimal": XSD + "decimal",
                 "number": XSD + "decimal", "boolean": XSD + "boolean", "literal": "string",
                 "string": "string"}
_OPENAPI_TYPES = {XSD + "integer": "integer", XSD + "decimal": "number", XSD + "double": "number",
                  XSD + "boolean": "boolean"}


def _param_type(suffix: str) -> str:
    parts = [p for p in suffix.split("_") if p]
    if not parts:
        return "string"
    if parts[0] == "xsd" and len(parts) == 2:
        return XSD + parts[1]
    if len(parts) == 1 and parts[0] in _SUFFIX_TYPES:
        return _SUFFIX_TYPES[parts[0]]
    if len(parts) == 1 and re.fullmatch(r"[a-z]{2}", parts[0]):
        return "lang:" + parts[0]
    log.warning("unknown grlc parameter type suffix %r: read as a plain string", suffix)
    return "string"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    form: str                     # SELECT, CONSTRUCT, DESCRIBE or ASK
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[QueryParam, ...] = field(default_factory=tuple)
    page_by: str | None = None    # "document": rows go by document in ?doc order; "keys": by page keys (server/query/paging.py)
    page_keys: str | None = None  # page-by keys: the text of queries/keys/NAME.rq
    key_vars: tuple[str, ...] = ()   # page-by keys: the first ORDER BY variables, up to ?doc, that it projects
    graph_of: str | None = None   # a parameter: every row comes from the document graph holding its value

    def bindings(self, values: dict[str, str]) -> dict[str, NamedNode | Literal]:
        """Request values (and defaults) as terms keyed by variable; unknown or missing -> ParameterError."""
        known = {p.name: p for p in self.params}
        for name in values:
            if name not in known:
                accepted = ", ".join(known) or "none"
                raise ParameterError(name, f"unknown parameter of query {self.name!r} (accepted: {accepted})")
        terms = {}
        for param in self.params:
            raw = values.get(param.name)
            if raw is None or raw == "":
                raw = param.default
            if raw is None:
                if param.required:
                    raise ParameterError(param.name, "is required")
                continue
            terms[param.variable] = param.term(raw)
        return terms

    def as_json(self) -> dict:
        return {"name": self.name, "summary": self.summary, "description": self.description,
                "tags": list(self.tags), "form": self.form, "path": f"/api/queries/{self.name}",
                "query": self.text,
                "params": [{"name": p.name, "type": p.type_label, "required": p.required,
                            "default": p.default, "enum": list(p.enum), "description": p.description,
                            "variable": p.variable} for p in self.params]}


_FREE_TEXT_KEY = re.compile(r"^(summary|description):[ \t]+(?![>|])(\S.*)$")


def _header(text: str) -> dict:
    """The `#+` lines as YAML. grlc headers often hold prose with `: ` in it, which plain YAML
    scalars refuse, so summary and description are read as folded block scalars."""
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    lines = [line[1:] if line.startswith(" ") else line for line in lines]
    folded: list[str] = []
    for line in lines:
        match = _FREE_TEXT_KEY.match(line)
        folded += [f"{match.group(1)}: >-", f"  {match.group(2)}"] if match else [line]
    data = yaml.safe_load("\n".join(folded)) if folded else {}
    return data if isinstance(data, dict) else {}


def _pairs(entries) -> dict:
    """grlc writes defaults/enumerate as a list of one-key mappings; accept a mapping too."""
    if isinstance(entries, dict):
        return entries
    merged: dict = {}
    for entry in entries or []:
        if isinstance(entry, dict):
            merged.update(entry)
    return merged


def parse(name: str, text: str) -> NamedQuery:
    """A NamedQuery from the text of queries/NAME.rq."""
    header = _header(text)
    defaults, enums = _pairs(header.get("defaults")), _pairs(header.get("enumerate"))
    descriptions = header.get("params") or {}
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    params: dict[str, QueryParam] = {}
    for underscores, pname, suffix in _PARAM_VARIABLE.findall(body):
        if pname in params:
            continue
        default = defaults.get(pname)
        params[pname] = QueryParam(
            name=pname, variable=f"{underscores}{pname}{suffix}", type=_param_type(suffix),
            required=underscores == "_", default=None if default is None else str(default),
            enum=tuple(str(v) for v in enums.get(pname) or ()),
            description=str(descriptions.get(pname, "")))
    form = _QUERY_FORM.search(body)
    page_by = _page_by(name, header, body)
    page_keys, key_vars = _page_keys(name, body) if page_by == "keys" else (None, ())
    return NamedQuery(name=name, text=text, form=form.group(1).upper() if form else "SELECT",
                      summary=" ".join(str(header.get("summary", "")).split()),
                      description=" ".join(str(header.get("description", "")).split()),
                      tags=tuple(str(t) for t in header.get("tags") or ()),
                      params=tuple(params.values()), page_by=page_by, page_keys=page_keys, key_vars=key_vars,
                      graph_of=_graph_of(name, header, params))


_ORDER_BY_DOC = re.compile(r"^ORDER BY \?doc\b", re.MULTILINE)


def _page_by(name: str, header: dict, body: str) -> str | None:
    """The `page-by` header: "document", only for a query that can be paged so (it projects ?doc
    and its ORDER BY starts with ?doc) — a wrong header would reorder answers; or "keys" (checked
    by `_page_keys`)."""
    value = header.get("page-by")
    if value is None:
        return None
    if value == "keys":
        return value
    if value != "document" or not _ORDER_BY_DOC.search(body) or "?doc " not in body.split("WHERE", 1)[0]:
        raise ValueError(f"queries/{name}.rq: page-by: document needs a SELECT of ?doc ordered by ?doc first")
    return value


_ORDER_BY = re.compile(r"\bORDER BY ([^\n]+)")
_SELECTED = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?((?:\?\w+\s*)+)(?:WHERE|$)", re.MULTILINE)


def _page_keys(name: str, body: str) -> tuple[str, tuple[str, ...]]:
    """(text of queries/keys/NAME.rq, key variables) for `page-by: keys`: the key variables are
    the leading plain-variable terms of the query's ORDER BY that the key query projects, and
    must reach ?doc (each key then names one document: server/query/paging.py)."""
    path = queries.KEYS_DIR / f"{name}.rq"
    if not path.is_file():
        raise ValueError(f"queries/{name}.rq: page-by: keys needs queries/keys/{name}.rq")
    text = path.read_text(encoding="utf-8")
    key_body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    selected = _SELECTED.search(key_body)
    orders = _ORDER_BY.findall(body)     # the last one: the query's own (a sub-select's comes before)
    if selected is None or not orders:
        raise ValueError(f"queries/{name}.rq: page-by: keys needs an ORDER BY and a key query projecting plain variables")
    projected = set(re.findall(r"\?(\w+)", selected.group(1)))
    key_vars: list[str] = []
    for term in orders[-1].split():
        if not term.startswith("?") or term[1:] not in projected:
            break
        key_vars.append(term[1:])
    if "doc" not in key_vars or not set(re.findall(r"\?(\w+)", body.split("WHERE", 1)[0])) >= set(key_vars):
        raise ValueError(f"queries/{name}.rq: page-by: keys needs its ORDER BY to start with projected variables "
                         f"up to ?doc that queries/keys/{name}.rq projects")
    return text, tuple(key_vars[:key_vars.index("doc") + 1])


def _graph_of(name: str, header: dict, params: dict) -> str | None:
    """The `rows-in-graph-of` header: a required parameter of the query (server/query/paging.py)."""
    value = header.get("rows-in-graph-of")
    if value is None:
        return None
    if value not in params or not params[value].required:
        raise ValueError(f"queries/{name}.rq: rows-in-graph-of: {value} is not a required parameter of the query")
    return str(value)


@lru_cache(maxsize=None)
def catalog() -> dict[str, NamedQuery]:
    """Every queries/*.rq file, parsed once per process."""
    return {name: parse(name, queries.load(name)) for name in queries.names()}


def get(name: str) -> NamedQuery:
    """The named query, or KeyError (common.queries.UnknownQuery) when there is none."""
    found = catalog().get(name)
    if found is None:
        raise queries.UnknownQuery(name)
    return found
