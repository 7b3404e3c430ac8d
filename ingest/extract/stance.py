"""Stances of claims and documents, scored from the stance cues of stance-cues.ttl.

Transparent by design: a stance is the sum of the weights of the cue phrases found, and the
IRIs of the cues that fired are kept so the graph can show why. A document's own voice (its
title and unattributed text) counts more than what it reports others saying, and a stance is
only given when the leading position is clearly ahead (NEITHER otherwise).
"""
from __future__ import annotations

import re

from collections import defaultdict
from dataclasses import dataclass, field

from ingest.extract.lexicon import Lexicon
from ingest.extract.vocabulary import CG, Vocabulary, load_vocabulary

TITLE_WEIGHT = 2.0       # the headline states the article's position
OWN_VOICE_WEIGHT = 1.0   # unattributed body text
REPORTED_WEIGHT = 0.5    # text inside claims attributed to others
MIN_DOCUMENT_SCORE = 4.0
MIN_CLAIM_SCORE = 1.0
MARGIN = 1.5             # the leader must score at least this many times the runner-up


@dataclass
class StanceScore:
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cues: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: "StanceScore", factor: float = 1.0) -> None:
        for notation, score in other.scores.items():
            self.scores[notation] += score * factor
            for cue in other.cues[notation]:
                if cue not in self.cues[notation]:
                    self.cues[notation].append(cue)

    def decide(self, minimum: float) -> str | None:
        ranked = sorted(self.scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < minimum:
            return None
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0] if ranked[0][1] >= MARGIN * runner_up else None


NEGATION_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bnever|\bno\s+longer|\bhardly|\bnobody|\bno\s+one)"
                             r"(?:\s+[\w’'-]+){0,4}\s*$", re.I)
NEGATION_WINDOW = 60     # characters looked at before a cue (clause breaks cut it shorter)


def _negatable_cues(vocabulary: Vocabulary | None) -> set[str]:
    vocab = vocabulary or load_vocabulary()
    return {str(cue) for cue in vocab.individuals(CG.StanceCue) if vocab.value(cue, CG.negatable) is True}


def _negated(text: str, start: int) -> bool:
    """A negation a few words before `start`, in the same clause."""
    window = text[max(0, start - NEGATION_WINDOW):start]
    window = re.split(r"[,;:.!?“”\"]|\bbut\b", window)[-1]
    return bool(NEGATION_BEFORE.search(window))


class StanceScorer:
    def __init__(self, lex: Lexicon, vocabulary: Vocabulary | None = None):
        self.cues = lex.stance_cues
        self.negatable = _negatable_cues(vocabulary)

    def score(self, text: str) -> StanceScore:
        result = StanceScore()
        for cue in self.cues:
            found = cue.pattern.finditer(text)
            if cue.iri in self.negatable:
                hits = sum(1 for m in found if not _negated(text, m.start()))
            else:
                hits = sum(1 for _ in found)
            if hits:
                result.scores[cue.stance] += cue.weight * hits
                if cue.iri not in result.cues[cue.stance]:
                    result.cues[cue.stance].append(cue.iri)
        return result

    def claim(self, text: str) -> tuple[str | None, list[str]]:
        s = self.score(text)
        stance = s.decide(MIN_CLAIM_SCORE)
        return stance, (list(s.cues[stance]) if stance else [])

    def document(self, title: str | None, body: str, reported: list[tuple[int, int]]) -> StanceScore:
        """`reported`: spans of `body` that are other speakers' words."""
        total = StanceScore()
        if title:
            total.add(self.score(title), TITLE_WEIGHT)
        pos = 0
        for start, end in sorted(reported):
            if start < pos:
                start = pos
            total.add(self.score(body[pos:start]), OWN_VOICE_WEIGHT)
            total.add(self.score(body[start:end]), REPORTED_WEIGHT)
            pos = max(pos, end)
        total.add(self.score(body[pos:]), OWN_VOICE_WEIGHT)
        return total
