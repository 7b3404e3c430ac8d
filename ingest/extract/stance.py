"""Stances of claims and documents, scored from the stance cues of stance-cues.ttl.

Transparent by design: a stance is the sum of the weights of the cue phrases found, and the
IRIs of the cues that fired are kept so the graph can show why. A document's own voice (its
title and unattributed text) counts more than what it reports others saying, and a stance is
only given when the leading position is clearly ahead (NEITHER otherwise).

Cues are spaCy Matcher patterns generated from the vocabulary and matched on token norms
(so "n’t" is "not", "’s" is "'s"): the last word of a phrase may be inflected, "..." in a
phrase stands for a short gap of words inside one clause. A negation word a few tokens before
a negatable cue, in the same clause, turns it into evidence against its stance; a cue marked
cg:firesWhenNegated counts only when negated ("not able to recruit enough").

Where cue phrases overlap ("time to rearm" holds "rearm") only the longest counts, so one phrase
is one piece of evidence. A position is about one polity (cg:concerns): a cue in a clause about
another one ("Kyiv will use the pause to rearm", "Ukraine's troop shortage") is set aside and
recorded as such. The clause's polity is that of the nearest country, demonym, capital or known
actor in the sentence (outside the cue); a clause that names none counts for the position.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ingest.extract.lexicon import Lexicon, StanceCue
from ingest.extract.vocabulary import Vocabulary

TITLE_WEIGHT = 2.0       # the headline states the article's position
OWN_VOICE_WEIGHT = 1.0   # unattributed body text
REPORTED_WEIGHT = 0.5    # text inside claims attributed to others ...
REPORTED_AGREEING_WEIGHT = 1.0  # ... unless the article's own voice leans the same way
MIN_LEAN_SCORE = 1.0      # how much own-voice evidence makes a lean
MIN_DOCUMENT_SCORE = 2.0   # a clear cue and a lesser one, or a headline cue, in a short text ...
MIN_DENSITY = 1.25         # ... and per 1000 characters of a longer one, which mentions more in passing
MIN_CLAIM_SCORE = 1.0
CARRIED_MINIMUM = 1.5     # what a position carried by the quoted speakers alone needs
MARGIN = 1.5             # the leader must score at least this many times the runner-up
NEGATION_TOKENS = 5      # tokens looked at before a cue for a negation (a clause break cuts it shorter)
INTENSIFIED = ("only", "just", "merely")  # "not only X but also Y" grants X: no negation
GAP_TOKENS = 4           # what "..." in a cue phrase may stand for
GAP = "..."
INFLECTIONS = ("s", "es", "ed", "d", "ing")
SENTENCE_ENDS = (".", "!", "?", "...", "…")
CLAUSE_DASHES = ("–", "—", ";")  # marks that end the clause a polity must share with a cue
AFTER_DISTANCE = 1.5     # a polity named after a cue is further from being its subject than one before


@dataclass
class StanceScore:
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cues: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    against: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # negated cues
    elsewhere: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # cues about another polity
    support: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # corroborating cues
    asked: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # cues inside questions
    conceded: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # "despite heavy losses"
    carried: str | None = None   # the position the quoted speakers alone argue, unopposed (documents only)

    def add(self, other: "StanceScore", factor: float = 1.0) -> None:
        for notation, score in other.scores.items():
            self.scores[notation] += score * factor
        for notation, score in other.support.items():
            self.support[notation] += score * factor
        for notation, cues in other.cues.items():
            self.cues[notation] += [c for c in cues if c not in self.cues[notation]]
        for notation, cues in other.asked.items():
            self.asked[notation] += [c for c in cues if c not in self.asked[notation]]
        for notation, cues in other.conceded.items():
            self.conceded[notation] += [c for c in cues if c not in self.conceded[notation]]
        for notation, score in other.against.items():
            self.against[notation] += score * factor
        for notation, cues in other.elsewhere.items():
            self.elsewhere[notation] += [c for c in cues if c not in self.elsewhere[notation]]

    def net(self) -> dict[str, float]:
        """Evidence for a stance less the negated evidence against it (never below zero). Corroborating
        cues add to a stance only where some other cue argues for it: reporting that inflation rose is
        not by itself the claim that Russia is short of money."""
        return {k: max(0.0, v + (self.support.get(k, 0.0) if v > 0 else 0.0) - self.against.get(k, 0.0))
                for k, v in self.scores.items()}

    def decide(self, minimum: float) -> str | None:
        ranked = sorted(self.net().items(), key=lambda kv: kv[1], reverse=True)
        if ranked and ranked[0][0] == self.carried:
            minimum = min(minimum, CARRIED_MINIMUM)
        if not ranked or ranked[0][1] < minimum:
            return None
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0] if ranked[0][1] >= MARGIN * runner_up else None


def document_minimum(text: str) -> float:
    """The score a document's leading position needs: a long article touches on more of the debate
    in passing, so it needs more evidence to take a side than a short one."""
    return max(MIN_DOCUMENT_SCORE, MIN_DENSITY * len(" ".join(text.split())) / 1000)


def inflected(word: str) -> list[str]:
    """The forms a cue's last word may take in running text."""
    forms = [word] + [word + s for s in INFLECTIONS]
    if word.endswith("e"):
        forms.append(word[:-1] + "ing")
    return forms


@dataclass(frozen=True)
class _Hit:
    cue: StanceCue
    start: int          # token index
    end: int


def _spellings_of(pattern: list[dict]) -> list[list[str]]:
    """The word sequences a gap-free token pattern matches: its last word in each listed form."""
    *head, last = pattern
    words = [t["NORM"] for t in head]
    forms = last["NORM"]["IN"] if isinstance(last["NORM"], dict) else [last["NORM"]]
    return [words + [form] for form in forms]


class StanceScorer:
    def __init__(self, lex: Lexicon, vocabulary: Vocabulary | None = None, nlp: spacy.Language | None = None):
        self.cues = lex.stance_cues
        self.negations = set(lex.stance_negations)
        self.concessions = set(lex.stance_concessions)
        self.clause_breaks = set(lex.clause_breaks)
        self.sides = dict(lex.sides)
        self.concerns = dict(lex.stance_concerns)
        self.tokenizer = nlp or spacy.blank("en")
        self.setting_words = set(lex.setting_words)
        self.roles = set(lex.roles)
        self.carried_by_quotes = set(lex.carried_by_quotes)
        self.side_matcher = self._side_matcher(lex)
        # Gapped phrases ("pause ... give ... time") need the token Matcher; every other phrase, in
        # each inflection of its last word, goes to a PhraseMatcher on token norms, which looks
        # phrases up by hash instead of testing hundreds of patterns at every token.
        self.matcher = Matcher(self.tokenizer.vocab)
        self.phrases = PhraseMatcher(self.tokenizer.vocab, attr="NORM")
        self.by_key: dict[str, StanceCue] = {}
        self.cue_words: dict[str, set[str]] = {}
        for cue in self.cues:
            self.by_key[cue.iri] = cue
            self.cue_words[cue.iri] = {t.norm_ for p in cue.phrases for t in self.tokenizer.make_doc(p.lower())}
            patterns = [self._pattern(p) for p in self._spelled(cue.phrases, lex.spellings)]
            gapped = [p for p in patterns if any("OP" in t for t in p)]
            if gapped:
                self.matcher.add(cue.iri, gapped)
            plain = [words for p in patterns if p not in gapped for words in _spellings_of(p)]
            if plain:
                self.phrases.add(cue.iri, [Doc(self.tokenizer.vocab, words=words) for words in plain])

    @staticmethod
    def _spelled(phrases: tuple[str, ...], spellings: dict[str, list[str]]) -> list[str]:
        """Each phrase in every spelling of its words ("ceasefire would let", "cease-fire would let")."""
        out = list(phrases)
        for word, variants in spellings.items():
            for phrase in list(out):
                words = phrase.lower().split()
                if word in words:
                    out += [" ".join(v if w == word else w for w in words) for v in variants]
        return out

    def _pattern(self, phrase: str) -> list[dict]:
        words = [t.norm_ for t in self.tokenizer.make_doc(phrase.lower())]
        pattern: list[dict] = []
        for i, word in enumerate(words):
            if word == GAP:
                pattern.append({"IS_PUNCT": False, "NORM": {"NOT_IN": sorted(self.clause_breaks)},
                                "OP": f"{{0,{GAP_TOKENS}}}"})
            elif i == len(words) - 1 and word.isalpha():
                pattern.append({"NORM": {"IN": inflected(word)}})
            else:
                pattern.append({"NORM": word})
        return pattern

    def _hits(self, doc: Doc | Span) -> list[_Hit]:
        """The longest non-overlapping matches over all cues (the heavier cue on a tie): a phrase
        that holds a shorter cue ("time to rearm", "rearm") is one piece of evidence, not two."""
        # the PhraseMatcher answers in the positions of the whole Doc, the Matcher in the Span's
        shift = doc.start if isinstance(doc, Span) else 0
        matches = [*self.matcher(doc), *((key, start - shift, end - shift) for key, start, end in self.phrases(doc))]
        found = [(self.by_key[self.tokenizer.vocab.strings[key]], start, end) for key, start, end in matches]
        taken: list[_Hit] = []
        for cue, start, end in sorted(found, key=lambda f: (f[1] - f[2], -f[0].weight, f[1], f[0].iri)):
            if all(end <= h.start or start >= h.end for h in taken):
                taken.append(_Hit(cue, start, end))
        return sorted(taken, key=lambda h: h.start)

    def _side_matcher(self, lex: Lexicon) -> PhraseMatcher:
        """Names of polities, their capitals, demonyms and known actors, keyed by the polity they
        name. Case-blind ("russia" in a translated text) except acronyms ("US" is not "us")."""
        names: dict[str, set[str]] = defaultdict(set)
        for iri, labels in lex.place_labels.items():
            names[iri].update(labels)
        for form, iri in lex.demonym_forms.items():
            names[iri].add(form)
        for actor in lex.known.values():
            names[actor.iri].update(actor.labels)
        matcher = PhraseMatcher(self.tokenizer.vocab, attr="LOWER")
        exact = PhraseMatcher(self.tokenizer.vocab, attr="ORTH")
        for iri, labels in names.items():
            side = self.sides.get(iri)
            if side is None:
                continue
            upper = [label for label in labels if label.isupper() or "." in label]
            mixed = [label for label in labels if label not in upper]
            if mixed:
                matcher.add(side, [self.tokenizer.make_doc(label) for label in mixed])
            if upper:
                exact.add(side, [self.tokenizer.make_doc(label) for label in upper])
        return lambda doc: list(matcher(doc)) + list(exact(doc))  # type: ignore[return-value]

    def _role_noun(self, word: str) -> bool:
        return word in self.roles or (word.endswith("s") and word[:-1] in self.roles)

    def _polities(self, root: Doc) -> list[tuple[int, int, str]]:
        """(start, end, polity) of each polity-naming mention that is not a setting ("in Ukraine")."""
        cached = root.user_data.get("claimgraph_polities")
        if cached is not None:
            return cached
        found = []
        for key, start, end in self.side_matcher(root):
            before = start - 1
            if before >= 0 and root[before].norm_ in ("the", "a"):
                before -= 1
            if before >= 0 and root[before].norm_ in self.setting_words:
                continue
            if end < len(root) and self._role_noun(root[end].lower_):
                continue    # "a Swedish economist", "Russian officials": who speaks, not whom the clause is about
            found.append((start, end, self.tokenizer.vocab.strings[key]))
        root.user_data["claimgraph_polities"] = found
        return found

    def _side(self, doc: Doc | Span, hit: _Hit) -> str | None:
        """The polity the cue's clause is about: the nearest polity-naming mention in its sentence
        outside the cue's own words (one inside a gapped cue's gap is nearest of all), one named
        after the cue counting as further away; None if none."""
        base = doc.start if isinstance(doc, Span) else 0
        root = doc.doc if isinstance(doc, Span) else doc
        start, end = base + hit.start, base + hit.end
        if root.has_annotation("SENT_START"):
            sent = root[start].sent
            lo, hi = sent.start, sent.end
        else:
            lo, hi = 0, len(root)
        best: tuple[float, str] | None = None
        for m_start, m_end, side in self._polities(root):
            if m_end <= lo or m_start >= hi:
                continue
            if m_start < end and m_end > start:
                # a polity the cue's own words name ("attack NATO") is its object; one in the gap of
                # a gapped cue ("a pause would give Ukraine time") is whom the cue is about
                if any(t.norm_ in self.cue_words[hit.cue.iri] for t in root[m_start:m_end]):
                    continue
                distance = 0.0
            else:
                between = root[m_end:start] if m_end <= start else root[end:m_start]
                if any(t.text in CLAUSE_DASHES or "\n" in t.text for t in between):
                    continue    # "Russia losing troops faster than it can recruit – Ukraine's ministry"
                distance = start - m_end if m_end <= start else (m_start - end) * AFTER_DISTANCE
            if best is None or distance < best[0]:
                best = (distance, side)
        return best[1] if best else None

    def _negated(self, doc: Doc | Span, start: int, words: set[str] | None = None) -> bool:
        """A negation word (or one of `words`) a few tokens before `start`, in the same clause."""
        words = self.negations if words is None else words
        for i in range(start - 1, max(-1, start - 1 - NEGATION_TOKENS), -1):
            tok = doc[i]
            if tok.is_quote:
                continue
            if tok.is_punct or tok.norm_ in self.clause_breaks or "\n" in tok.text:
                return False
            if tok.norm_ in words and not (i + 1 < len(doc) and doc[i + 1].norm_ in INTENSIFIED):
                return True
        return False

    @staticmethod
    def _asked(doc: Doc | Span, hit: _Hit) -> bool:
        """The cue stands in a question: the first sentence end after it (within its line) is '?'.
        A question raises a possibility ("Could Russia run out of cash?"); it claims nothing."""
        for tok in doc[hit.end:]:
            if "\n" in tok.text:
                return False
            if tok.text in SENTENCE_ENDS:
                return tok.text == "?"
        return False

    def _negated_in_gap(self, doc: Doc | Span, hit: _Hit) -> bool:
        """A negation in the gap of a gapped cue: "reserves have not shrunk"."""
        words = self.cue_words[hit.cue.iri]
        return any(t.norm_ in self.negations and t.norm_ not in words
                   and not (t.i + 1 < len(t.doc) and t.doc[t.i + 1].norm_ in INTENSIFIED)
                   for t in doc[hit.start:hit.end])

    def _count(self, result: StanceScore, doc: Doc | Span, hit: _Hit, factor: float) -> None:
        cue = hit.cue
        if self._asked(doc, hit):
            if cue.iri not in result.asked[cue.stance]:
                result.asked[cue.stance].append(cue.iri)
            return
        if self._negated(doc, hit.start, self.concessions):
            # "despite heavy losses, the army advanced": granted, and argued past
            if cue.iri not in result.conceded[cue.stance]:
                result.conceded[cue.stance].append(cue.iri)
            return
        concerns = self.concerns.get(cue.stance)
        if concerns is not None:
            side = self._side(doc, hit)
            if side is not None and side != concerns:
                if cue.iri not in result.elsewhere[cue.stance]:
                    result.elsewhere[cue.stance].append(cue.iri)
                return
        negated = (self._negated(doc, hit.start) or self._negated_in_gap(doc, hit)) if cue.negatable or cue.when_negated else False
        if cue.when_negated and not negated:
            return
        if cue.negatable and negated:
            result.against[cue.stance] += cue.weight * factor
            return
        (result.support if cue.corroborating else result.scores)[cue.stance] += cue.weight * factor
        if cue.iri not in result.cues[cue.stance]:
            result.cues[cue.stance].append(cue.iri)

    def score(self, text: str | Doc | Span) -> StanceScore:
        doc = self.tokenizer.make_doc(text) if isinstance(text, str) else text
        result = StanceScore()
        for hit in self._hits(doc):
            self._count(result, doc, hit, 1.0)
        return result

    def claim(self, text: str | Doc | Span) -> tuple[str | None, list[str]]:
        s = self.score(text)
        stance = s.decide(MIN_CLAIM_SCORE)
        return stance, (list(s.cues[stance]) if stance else [])

    def document(self, title: str | None, body: str | Doc, reported: list[tuple[int, int]]) -> StanceScore:
        """`reported`: character spans of `body` that are other speakers' words. What others say
        counts less than the article's own voice, unless the own voice leans the same way: then
        the experts it quotes carry its argument (news that only quotes both camps stays weak)."""
        own = StanceScore()
        if title:
            own.add(self.score(title), TITLE_WEIGHT)
        doc = self.tokenizer.make_doc(body) if isinstance(body, str) else body
        spans = sorted(reported)
        others = StanceScore()
        explicit: set[str] = set()    # positions a reported cue argues in a clause naming its polity
        for hit in self._hits(doc):
            at = doc[hit.start].idx
            inside = any(start <= at < end for start, end in spans)
            self._count(others if inside else own, doc, hit, 1.0 if inside else OWN_VOICE_WEIGHT)
            if inside and self._names_its_polity(doc, hit):
                explicit.add(hit.cue.stance)
        lean = own.decide(MIN_LEAN_SCORE)
        reported_leader = others.decide(0.0)
        carried = self._carried(own, others, explicit)
        agreeing = (lean is not None and lean == reported_leader) or carried is not None
        own.add(others, REPORTED_AGREEING_WEIGHT if agreeing else REPORTED_WEIGHT)
        own.carried = carried
        return own

    def _carried(self, own: StanceScore, others: StanceScore, explicit: set[str]) -> str | None:
        """The position the quoted speakers carry: the article's own voice argues nothing, all they
        say argues one position alone, at least once in a clause that names the polity it is about,
        and the position is one that quoted findings carry (cg:carriedByQuotes: experts' findings
        that Russia is running short are the news; the regrouping argument quoted is one side of a
        debate the news reports)."""
        if any(v > 0 for v in own.net().values()) or any(v > 0 for v in own.against.values()):
            return None
        sides = [k for k, v in others.net().items() if v > 0]
        if len(sides) != 1 or any(v > 0 for v in others.against.values()):
            return None
        side = sides[0]
        return side if side in self.carried_by_quotes and side in explicit else None

    def _names_its_polity(self, doc: Doc | Span, hit: _Hit) -> bool:
        """The cue's clause names the polity its position is about ("Russia is running out of men",
        not "they are running out"), for a position that is about one."""
        concerns = self.concerns.get(hit.cue.stance)
        return concerns is None or self._side(doc, hit) == concerns
