"""A second opinion on names nothing else vouches for, from a trained entity recogniser.

The rules accept a person's name when the words around it say so (a title, a role, a speech
verb, an apposition). "Kremlin hawks, including Jane Doe, will ..." says nothing of the kind,
and a Title Case run in prose is as often a law, an event or a place the gazetteer lacks
("Tax Code", "Cuban Missile Crisis"). The trained pipeline's recogniser tells them apart, so
it is asked about those candidates only: one short sentence each, not the whole article.
"""
from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.actors import Mention, doc_text

PERSON_LABEL = "PERSON"
CANDIDATE_EVIDENCE = "prose"


class PersonCheck:
    """Accepts the candidate mentions the recogniser reads as a person's name."""

    def __init__(self, trained: Language):
        self.nlp = trained
        self.ner = trained.get_pipe("ner")

    @staticmethod
    def available(trained: Language) -> bool:
        return "ner" in trained.component_names

    def __call__(self, doc: Doc, mentions: Iterable[Mention]) -> None:
        candidates = [m for m in mentions if CANDIDATE_EVIDENCE in m.evidence and m.kind == "person"
                      and m.entry is not None and not m.entry.accepted]
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        for m in candidates:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            sent = span.sent
            by_sentence.setdefault((sent.start_char, sent.end_char), []).append(m)
        text = doc_text(doc)
        for (start, end), found in by_sentence.items():
            read = self.ner(self.nlp.make_doc(text[start:end]))
            people = [(e.start_char + start, e.end_char + start) for e in read.ents if e.label_ == PERSON_LABEL]
            for m in found:
                if any(s <= m.start and m.end <= e for s, e in people):
                    m.entry.accepted = True
