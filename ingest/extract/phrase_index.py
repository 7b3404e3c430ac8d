"""Where the vocabulary's phrases occur in a doc, indexed by the token they start and end at.

One spaCy PhraseMatcher per table (case-insensitive); the quantity rules then ask cheap
questions such as "which qualifier phrase ends right before token i?".
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


class PhraseTable:
    """Phrases of one kind (qualifier cues, kind labels, ...) and the payloads they carry."""

    def __init__(self, nlp: Language, name: str, phrases: Iterable[tuple[str, object]]):
        self.name = name
        self.payloads: dict[str, list[object]] = defaultdict(list)
        for phrase, payload in phrases:
            self.payloads[phrase.lower()].append(payload)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, str] = {}
        for phrase in self.payloads:
            key = nlp.vocab.strings.add(f"{name}:{phrase}")
            self._keys[key] = phrase
            self.matcher.add(f"{name}:{phrase}", [nlp.make_doc(phrase)])

    def find(self, doc: Doc) -> "PhraseHits":
        hits = PhraseHits()
        for key, start, end in self.matcher(doc):
            phrase = self._keys.get(key)
            if phrase is None:
                continue
            for payload in self.payloads[phrase]:
                hits.add(start, end, payload)
        return hits


class PhraseHits:
    """Matches of one table in one doc: (start, end, payload), looked up by either edge."""

    def __init__(self) -> None:
        self.all: list[tuple[int, int, object]] = []
        self.by_start: dict[int, list[tuple[int, int, object]]] = defaultdict(list)
        self.by_end: dict[int, list[tuple[int, int, object]]] = defaultdict(list)

    def add(self, start: int, end: int, payload: object) -> None:
        hit = (start, end, payload)
        self.all.append(hit)
        self.by_start[start].append(hit)
        self.by_end[end].append(hit)

    def within(self, start: int, end: int) -> list[tuple[int, int, object]]:
        """Every match lying inside tokens [start, end)."""
        return [h for s in range(start, end) for h in self.by_start.get(s, ()) if h[1] <= end]

    def longest_from(self, start: int, accept=lambda payload: True) -> tuple[int, int, object] | None:
        """The longest match starting at token `start` whose payload passes `accept`."""
        hits = [h for h in self.by_start.get(start, ()) if accept(h[2])]
        return max(hits, key=lambda h: h[1]) if hits else None

    def longest_to(self, end: int, accept=lambda payload: True) -> tuple[int, int, object] | None:
        """The longest match ending right before token `end`."""
        hits = [h for h in self.by_end.get(end, ()) if accept(h[2])]
        return min(hits, key=lambda h: h[0]) if hits else None
