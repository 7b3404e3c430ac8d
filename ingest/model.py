"""What flows between the ingest stages: read -> Article -> extract -> Extraction -> map.

Plain dataclasses, no RDF: the extractor knows nothing of IRIs and the mapper nothing of spaCy.
Offsets are Unicode code points into Article.text, end exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass
class Article:
    """One source document as read, before any extraction."""

    doc_id: str                      # JSON Lines `id`, else the file name stem
    text: str                        # the full text as read (offsets point into it)
    source: str                      # file name or URL it came from
    format: str = "txt"              # txt | html | jsonl
    title: str | None = None
    published: str | None = None     # ISO 8601 date, YYYY-MM-DD
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    body_start: int = 0              # where the article body starts (after page headers)
    body_end: int | None = None      # where page boilerplate begins (None: at the end)
    skipped: list[Span] = field(default_factory=list)  # boilerplate lines inside the body

    @property
    def body_stop(self) -> int:
        return len(self.text) if self.body_end is None else self.body_end


@dataclass
class ReadError:
    """An input that could not be read, named with the reason; the batch goes on."""

    source: str
    reason: str


@dataclass
class Actor:
    """One real-world actor as seen in one document."""

    key: str                         # stable key: the known actor's IRI, or slug of the name
    name: str                        # preferred label (the fullest name the document uses)
    kind: str = "person"             # person | organization | group (a generic speaker: "Western officials")
    aliases: set[str] = field(default_factory=set)
    role: str | None = None
    affiliation: str | None = None   # key of an Actor, or a place name
    iri: str | None = None           # set when the actor is known from ontology/vocab/actors.ttl
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Claim:
    speaker: str                     # Actor.key
    cue: str                         # the cue words as written: "said", "according to"
    text: str                        # the claim text (quote or reported content)
    span: Span                       # where `text` stands in Article.text
    direct_quote: bool = False
    is_thesis: bool = False
    stance: str | None = None        # stance notation, e.g. TRUCE_AS_REGROUPING
    stance_cues: list[str] = field(default_factory=list)  # IRIs of the cues that fired
    cue_span: Span | None = None


@dataclass
class Quantity:
    text: str                        # the words it was read from
    span: Span
    value: float | None = None       # a single figure ...
    low: float | None = None         # ... or both bounds of a range
    high: float | None = None
    unit: str | None = None          # what is counted, as written ("tanks in storage")
    kind: str | None = None          # IRI of the kind concept (cgk:Tank), when known
    qualifier: str = "exact"         # exact | approximately | at_least | at_most | range
    period: str | None = None        # ISO 8601 duration of a rate: P1M, P1Y, P3M
    modality: str = "report"         # report | estimate | projection
    subject: str | None = None       # Actor.key or place IRI the figure is about
    attributed_to: str | None = None  # Actor.key of whoever gave the figure
    claim: int | None = None         # index into Extraction.claims, when stated in a claim


@dataclass
class Extraction:
    article: Article
    actors: list[Actor] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    stance: str | None = None                          # the article's overall stance notation
    stance_scores: dict[str, float] = field(default_factory=dict)
    stance_cues: dict[str, list[str]] = field(default_factory=dict)  # notation -> cue IRIs fired
    pipeline: str = "rules"                            # which pipeline read it (provenance)
