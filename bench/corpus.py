"""A deterministic synthetic news corpus, so ingest cost can be measured as the work grows.

Every article is built from a seeded RNG: invented people and organisations (names made from
syllables, so they belong to nobody), their roles and affiliations, attributed claims ("X, a
senior analyst at Y, said ..."; "according to Z, ..."), direct quotes, quantities with
ranges, bounds and rates, and stance cues. The same (seed, index) always gives the same
article, so a 1,000-article corpus is the first 1,000 articles of the 10,000 one.

Each article also records what was planted (actors, claim and quantity offsets), which
`bench.rdfgen` turns into RDF in the docs/MODEL.md shape without running the extractor.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

SEED = 20251107

# Syllables for invented names: combinations, not real people.
FIRST_SYLLABLES = ["Ta", "Vo", "Mi", "Ke", "Lo", "Ari", "Bre", "Dou", "Ese", "Fa", "Gri", "Hal", "Iso", "Jor", "Ka"]
FIRST_ENDINGS = ["vrin", "lena", "stan", "dor", "mira", "sel", "ko", "nia", "rek", "bel", "vian", "tho"]
LAST_SYLLABLES = ["Osk", "Vel", "Mard", "Tren", "Kel", "Brun", "Sav", "Dro", "Lisk", "Horv", "Pem", "Zar", "Quil"]
LAST_ENDINGS = ["eley", "ovich", "enko", "ström", "anti", "ard", "ow", "ini", "escu", "berg", "ley", "ak"]
ORG_WORDS = ["Veltmark", "Oskara", "Northgate", "Brennach", "Calvor", "Duskmere", "Elmsfield", "Farrowin"]
ORG_PATTERNS = ["{w} Institute for Security Studies", "Centre for {w} Strategy", "{w} Defence Forum",
                "{w} Policy Group", "{w} Observatory", "Council on {w} Affairs"]
OUTLETS = ["The Meridian Ledger", "Eastbrook Daily", "Harrowgate Monitor", "The Lantern Review"]
ROLES = ["senior analyst", "military observer", "former defence minister", "research fellow",
         "spokesperson", "director", "retired general", "economist"]
PLACES = ["Russia", "Ukraine", "Europe", "the Kremlin"]
TOWNS = ["Varnopil", "Ostrivka", "Belomark", "Dunayevo", "Krasnetsk"]
KINDS = ["tanks", "missiles", "drones", "artillery shells", "troops", "armoured vehicles"]
RATE_UNITS = ["per month", "a day", "per year", "each week"]
VERBS = ["said", "argued", "warned", "noted", "believes", "estimated", "stated", "stressed"]

REGROUPING = ["a ceasefire would allow {place} to regroup and rearm",
              "the pause would give {place} breathing room to rebuild its army",
              "any truce would only buy time for a new offensive",
              "a frozen conflict lets {place} replenish its stocks and resume the war later"]
NEEDS_PEACE = ["{place} needs peace more urgently than it admits",
               "{place} cannot sustain the current rate of losses",
               "recruitment problems and troop shortages are draining {place}",
               "the economy is overheating and {place} cannot afford to continue"]
NEUTRAL = ["talks are expected to resume after the holidays",
           "the front line has barely moved since the spring",
           "diplomats met in {town} to discuss prisoner exchanges",
           "the negotiations remain at an early stage"]
FILLER = ["Fighting continued near {town} on Tuesday.",
          "Officials in {town} reported power cuts after overnight strikes.",
          "The talks were held behind closed doors.",
          "Analysts caution that the situation remains fluid.",
          "Neither side commented on the reports."]
STANCES = {"TRUCE_AS_REGROUPING": REGROUPING, "RUSSIA_NEEDS_PEACE": NEEDS_PEACE, None: NEUTRAL}


@dataclass(frozen=True)
class PlantedActor:
    name: str
    kind: str                   # person | organization
    role: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class PlantedClaim:
    start: int
    end: int
    speaker: str                # an actor name
    cue: str
    stance: str | None          # a cgst: notation or None
    direct_quote: bool


@dataclass(frozen=True)
class PlantedQuantity:
    start: int
    end: int
    kind: str                   # unit words as written ("tanks")
    qualifier: str              # exact | approximately | at_least | at_most | range
    value: int | None
    lower: int | None
    upper: int | None
    period: str | None          # xsd:duration or None
    attributed_to: str | None


@dataclass
class SyntheticArticle:
    doc_id: str
    title: str
    published: str
    publisher: str
    author: str
    text: str
    stance: str | None
    actors: list[PlantedActor] = field(default_factory=list)
    claims: list[PlantedClaim] = field(default_factory=list)
    quantities: list[PlantedQuantity] = field(default_factory=list)

    def as_json(self) -> dict:
        """The JSON Lines record the ingest reads (id, text and metadata)."""
        return {"id": self.doc_id, "title": self.title, "published": self.published,
                "publisher": self.publisher, "author": self.author, "text": self.text}


class _Writer:
    """Accumulates text and hands back the offsets of what it appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def _person(rng: random.Random) -> str:
    first = rng.choice(FIRST_SYLLABLES) + rng.choice(FIRST_ENDINGS)
    last = rng.choice(LAST_SYLLABLES) + rng.choice(LAST_ENDINGS)
    return f"{first} {last}"


def _organisation(rng: random.Random) -> str:
    return rng.choice(ORG_PATTERNS).format(w=rng.choice(ORG_WORDS))


def _with_article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _number(rng: random.Random) -> int:
    return rng.choice([12, 40, 150, 300, 1200, 3000, 45000, 180000]) * rng.randint(1, 9)


def _fmt(n: int) -> str:
    return f"{n:,}"


def _quantity_phrase(rng: random.Random) -> tuple[str, dict]:
    """A quantity as written, with what it means."""
    kind = rng.choice(KINDS)
    n = _number(rng)
    rate = rng.choice([None, None, *RATE_UNITS])
    period = {"per month": "P1M", "a day": "P1D", "per year": "P1Y", "each week": "P7D"}.get(rate or "")
    shape = rng.choice(["exact", "approximately", "at_least", "at_most", "range"])
    lower = upper = value = None
    if shape == "range":
        lower, upper = n, n + _number(rng)
        words = f"between {_fmt(lower)} and {_fmt(upper)} {kind}"
    else:
        value = n
        prefix = {"exact": "", "approximately": "about ", "at_least": "at least ", "at_most": "up to "}[shape]
        words = f"{prefix}{_fmt(n)} {kind}"
    if rate:
        words += f" {rate}"
    return words, dict(kind=kind, qualifier=shape, value=value, lower=lower, upper=upper, period=period)


def generate_article(index: int, seed: int = SEED) -> SyntheticArticle:
    """Article number `index` of the corpus with this seed (independent of every other index)."""
    rng = random.Random(f"{seed}:{index}")
    doc_id = f"bench-{index:06d}"
    stance = rng.choice(["TRUCE_AS_REGROUPING", "RUSSIA_NEEDS_PEACE", None])
    people = [PlantedActor(_person(rng), "person") for _ in range(rng.randint(3, 6))]
    orgs = list({name: PlantedActor(name, "organization") for name in
                 (_organisation(rng) for _ in range(rng.randint(2, 4)))}.values())
    people = [PlantedActor(p.name, "person", rng.choice(ROLES), rng.choice(orgs).name)
              for p in {p.name: p for p in people}.values()]
    published = (date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat()
    author = _person(rng)
    title = f"{rng.choice(PLACES).capitalize()} and the {rng.choice(['ceasefire', 'truce', 'talks'])}: " \
            f"what {rng.choice(people).name.split()[1]} sees ahead"

    out = _Writer()
    out.add(title + "\n\n")
    claims: list[PlantedClaim] = []
    quantities: list[PlantedQuantity] = []
    introduced: set[str] = set()
    for _ in range(rng.randint(6, 12)):
        for _ in range(rng.randint(2, 5)):
            _sentence(rng, out, people, orgs, stance, introduced, claims, quantities)
            out.add(" ")
        out.add("\n\n")
    out.add(f"Reporting by {author}; editing by {_person(rng)}.\n")
    return SyntheticArticle(doc_id, title, published, rng.choice(OUTLETS), author, out.text(), stance,
                            people + orgs, claims, quantities)


def _sentence(rng, out: _Writer, people, orgs, stance, introduced, claims, quantities) -> None:
    """Append one sentence of a randomly chosen shape, recording what it plants."""
    shape = rng.choice(["said", "said", "according", "quote", "quantity", "filler"])
    place, town = rng.choice(PLACES[:2]), rng.choice(TOWNS)
    claim_stance = stance if rng.random() < 0.6 else None
    claim_text = rng.choice(STANCES[claim_stance]).format(place=place, town=town)
    if shape == "filler":
        out.add(rng.choice(FILLER).format(town=town))
        return
    if shape == "quantity":
        org = rng.choice(orgs)
        words, meaning = _quantity_phrase(rng)
        out.add(f"{org.name} estimated that {place} has ")
        start, end = out.add(words)
        out.add(" available.")
        quantities.append(PlantedQuantity(start, end, attributed_to=org.name, **meaning))
        return
    person = rng.choice(people)
    verb = rng.choice(VERBS)
    if shape == "quote":
        out.add("\u201c")
        start, end = out.add(claim_text[0].upper() + claim_text[1:])
        out.add(f",\u201d {person.name.split()[1]} {verb}.")
        claims.append(PlantedClaim(start, end, person.name, verb, claim_stance, True))
        return
    if shape == "according":
        org = rng.choice(orgs)
        out.add(f"According to {org.name}, ")
        start, end = out.add(claim_text)
        out.add(".")
        claims.append(PlantedClaim(start, end, org.name, "according to", claim_stance, False))
        return
    if person.name in introduced:
        out.add(f"{person.name.split()[1]} {verb} that ")
    else:
        introduced.add(person.name)
        out.add(f"{person.name}, {_with_article(person.role)} at {person.affiliation}, {verb} that ")
    start, end = out.add(claim_text)
    out.add(".")
    claims.append(PlantedClaim(start, end, person.name, verb, claim_stance, False))


def articles(count: int, seed: int = SEED) -> Iterator[SyntheticArticle]:
    for index in range(count):
        yield generate_article(index, seed)


def write_corpus(folder: Path, count: int, *, fmt: str = "txt", seed: int = SEED) -> tuple[int, int]:
    """Write `count` articles to `folder` as .txt files or one corpus.jsonl; returns (articles, characters)."""
    if fmt not in {"txt", "jsonl"}:
        raise ValueError(f"unknown corpus format {fmt!r}: use txt or jsonl")
    folder.mkdir(parents=True, exist_ok=True)
    characters = 0
    if fmt == "jsonl":
        with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
            for article in articles(count, seed):
                characters += len(article.text)
                out.write(json.dumps(article.as_json(), ensure_ascii=False) + "\n")
        return count, characters
    for article in articles(count, seed):
        characters += len(article.text)
        (folder / f"{article.doc_id}.txt").write_text(article.text, encoding="utf-8")
    return count, characters
