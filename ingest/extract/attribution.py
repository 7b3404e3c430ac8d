"""Attributed claims: who said what, with the cue and the exact span of what was said.

The rules follow how English news attributes speech (cue words come from attribution.ttl):
  verb         "X said (that) ...", "X, a senior analyst at Y, stated on Monday that ...",
               "..., X suggests.", "“...” – X justifies", "“...,” said X"
  preposition  "According to X, ...", "..., according to X"
  participle   "X refused, stating that ..." (speaker: the clause's subject)
  passive      "... was described as “...” by X" -- when the subject is an action noun
               ("the deployment of ...") and the paragraph already has a speaker, "by X" names
               whose act it is, and the speaker is the one already established.
A claim needs a named speaker (a person or organisation mention, or "the analyst"/"the
author" resolved to the person the article introduced); statements by unnamed groups
("officials said") are kept aside as group claims. Cues inside quotations belong to the
quoted speaker's words and are not attributions of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from common.iris import fold
from ingest.extract.actors import ActorBook, Entry, Mention, doc_text
from ingest.extract.antecedents import COMPOUND_HYPHENS, introduced_person, last_named, pronoun_antecedent
from ingest.extract.lexicon import Lexicon
from ingest.extract.quotes import quotation_after_colon, quote_spans

ADVERBS = re.compile(r"(?:\s+(?:has|have|had|also|again|once|repeatedly|reportedly|recently|previously|later|then|"
                     r"earlier|further|publicly|openly|already|now|today|yesterday|would|will|may|might|could|"
                     r"long|firmly|strongly|clearly|even|still|often|frequently|explicitly|directly|last\s+\w+|"
                     r"on\s+\w+day))+\s*$", re.I)
GAP = re.compile(r"^(?:\s*\([A-Za-z.]{2,10}\))?(?:\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Z][\w.’'-]*"
                 r"(?:\s+(?:[A-Z][\w.’'-]*|of|for|the|and))*)?(?:\s*,[^,“”\"]{1,180},)?\s*,?\s*$")
COMPLEMENT = re.compile(r"^\s*(?:,\s*)?(?:that|how|whether|why)\b\s*,?\s*", re.I)
ADJUNCT_THAT = re.compile(r"^\s*(?:(?:on|in|at|during|after|before|last|this|earlier|yesterday|today|to|with|"
                          r"for|from|via|through|late|early)\b[^.,;“”\"]{0,70}?|\w+(?:\s+\w+)?|"
                          r"(?-i:(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){1,3}))\s+that\b\s*,?\s*", re.I)
# "the study estimates", "the report says": a source document standing for the organisation behind it
SOURCE_ANAPHOR = re.compile(r"(?<![\w])[Tt]he\s+(?:(?:new|latest|recent|full|same|institute's|group's)\s+)?"
                            r"(report|study|survey|analysis|paper|assessment|review|authors|researchers)(?![\w])")
# "Analysts at the X estimate": staff of an organisation speak for it
STAFF_OF = re.compile(r"^\W*(?:[\w\-]+\s+)?(?:analysts|researchers|experts|economists|specialists|staff|scholars)\s+"
                      r"(?:at|from|with|of)\s+(?:the\s+)?$", re.I)
# "the IfW team argues", "ISW analysts assessed": the organisation speaks through its staff
STAFF_AFTER = re.compile(r"^\s+(?:team|analysts|researchers|economists|experts|authors|staff)\b")
# ", while Y warned that ...": a second attribution in the same sentence ends the first one's content
CONTRAST = re.compile(r",\s+(?:while|whereas)\s+")
NAMED_AFTER_ROLE = re.compile(r"[^,.;“”\"]{0,90},\s*(?:[A-Z][\w’'\-]*\.?\s+){0,2}[A-Z][\w’'\-]+"
                              r"(?:\s+[A-Z][\w’'\-]+){0,3}\s*,")
# "This opinion was expressed by X": the sentence before is X's claim (common in translated news)
BACK_REFERENCE = re.compile(r"\W*(?:This|That|Such|The)\s+(?:opinion|view|assessment|statement|position|forecast|"
                            r"conclusion|point|warning|estimate)\s+was\s+(?:expressed|voiced|shared|stated|made|given|"
                            r"offered)\s+by\s+")
PRONOUN_OBJECT = re.compile(r"^\s+(?:him|her)\b")
# an interview transcript: "Q: question" then "A: answer" lines
QUESTION_LINE = re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.][ \t]*\S", re.M)
ANSWER_LINE = re.compile(r"^[ \t]*(?P<marker>(?:A|Answer)[ \t]*:)[ \t]*(?P<body>[^\n]+)", re.M)
ASKED = re.compile(r"^\W*(?:when\s+|if\s+)?asked\b", re.I)
POSSESSIVE_VIEW = re.compile(r"\b(?:his|her)\b", re.I)
NEGATION = re.compile(r"(?:\bnot|n't|n’t|\bnever|\bno longer)\s+$", re.I)
PREPOSITION_BEFORE = re.compile(r"\b(?:with|to|of|by|from|at|for|in|on|against|about|under|than)\s+(?:the\s+)?$", re.I)
OPENERS = "“\"‘'«„"
CLOSERS = "”\"’'»“"
NOMINALISATION = re.compile(r"(?:ment|tion|sion|ance|ence|ure|al|ing)$|^(?:act|move|step|decision|attack|strike|use)$")
MIN_WORDS = 3
MAX_ROLE_WORDS = 10           # "according to the former deputy prime minister and head of X, Jane Doe,"
MAX_WORDS_CUE_TO_COLON = 6   # "wrote on Telegram on Sunday:" -- the cue's own adjuncts before a quotation
RELATIVE_WORDS = {"which", "who", "whose", "whom", "citing", "quoting", "based", "a", "an", "the", "and", "but"}   # what may follow a source without continuing the clause
MIN_OBJECT_WORDS = 5   # "stressed the need for ...": an object long enough to be what was said


PRONOUN = re.compile(r"(?<![\w])(?:[Hh]e|[Ss]he)(?![\w’'])")


# adverbial words that also open a clause of their own: ", this may never happen", ", as ... said"
CLAUSE_OPENING_ADVERBIALS = {"this", "last", "now", "then", "there", "here", "also", "still", "already", "as",
                             "when", "while", "again", "once", "further"}


def _is_headline(sentence: str) -> bool:
    """A Title Case line without final punctuation: a headline or link, not reported speech."""
    words = re.findall(r"[^\W\d_][\w’'-]*", sentence)
    if len(words) < 3 or sentence.rstrip()[-1:] in ".!?:”\"":
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.7 * len(words)


def _headline_line(text: str) -> int | None:
    """The line number of the article's headline: its first line when that line is short and
    ends without sentence punctuation. 'Kremlin says truce "premature"' there restates the body;
    the claim is read where the body reports it."""
    stripped = text.lstrip()
    if not stripped:
        return None
    first = stripped.split("\n", 1)[0].rstrip()
    if not first or first[-1] in ".!?:;,”\"’'" or len(first.split()) > 20:
        return None
    return text.count("\n", 0, len(text) - len(stripped))


CLOSING_PRONOUNS = {"he", "she"}
CLOSING_TAIL_WORDS = 3      # "said on Tuesday."


@dataclass
class FoundClaim:
    speaker: Entry | None            # None: an unnamed group
    group: str | None
    cue: str
    start: int
    end: int
    direct: bool
    cue_start: int
    cue_end: int
    line: int = 0
    unit: "Unit | None" = None


def found_claim(text: str, speaker: Entry | None, cue: str, start: int, end: int, direct: bool,
                cue_start: int, cue_end: int) -> FoundClaim:
    """A claim found after the surface rules' pass (by the parse, an interview, a continuation)."""
    return FoundClaim(speaker, None, cue, start, end, direct, cue_start, cue_end, text.count("\n", 0, start))


def _closes_sentence(text: str, unit: "Unit", cue: re.Match) -> bool:
    """Whether a cue ends its sentence after a comma and a pronoun: ', he said.', ', she added
    on Tuesday.' (an outlet closing the sentence -- ', Reuters reported' -- relays what the
    sentence attributes itself)."""
    before = text[unit.start:cue.start()]
    comma = before.rfind(",")
    return comma > 0 and before[comma + 1:].strip().lower() in CLOSING_PRONOUNS \
        and _words(text[cue.end():unit.end]) <= CLOSING_TAIL_WORDS


def _attribution_follows(text: str, quote: tuple[int, int], start: int) -> bool:
    """'"..., ed.)," X said': a sentence split right after a quotation that closes on a comma
    is the quotation's attribution, whatever full stop inside the quotation misled the splitter."""
    return quote[1] <= start and not text[quote[1]:start].strip(" \"”’'") \
        and text[quote[0]:quote[1]].rstrip().endswith(",")


@dataclass
class Unit:
    start: int
    end: int
    line: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces, punctuation, bullets and dashes from a span."""
    while start < end and (text[start].isspace() or text[start] in ",;:-–—•·*" or text[start] in OPENERS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.-–—" or text[end - 1] in CLOSERS):
        end -= 1
    return start, end


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


class AttributionFinder:
    """Finds the claims of one document given its actor mentions."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        phrases = sorted(lex.cues, key=len, reverse=True)
        self.cue_re = re.compile(r"(?<![\w’'])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
                                 + r")(?![\w’'])", re.I) if phrases else None
        roles = sorted(lex.roles, key=len, reverse=True)
        self.anaphor_re = re.compile(r"(?<![\w])(?:[Tt]he|[Tt]his|[Tt]hat)\s+(" + "|".join(map(re.escape, roles))
                                     + r")(?![\w])(?!\s+[A-Z])") if roles else None

        org_words = sorted(lex.org_words, key=len, reverse=True)
        self.org_anaphor_re = re.compile(r"(?<![\w])[Tt]he\s+(" + "|".join(map(re.escape, org_words))
                                         + r")(?![\w])(?!\s+(?:of\b|[A-Z]))") if org_words else None

    # -- document ------------------------------------------------------------------------
    def __call__(self, doc: Doc, mentions: list[Mention], book: ActorBook,
                 quotes: list[tuple[int, int]] | None = None, units: list[Unit] | None = None) -> list[FoundClaim]:
        """The claims of one document. `quotes` and `units` (quote_spans and units() of the doc) are
        computed here unless the caller already has them."""
        text = doc_text(doc)
        if self.cue_re is None:
            return []
        self._book = book
        quotes = quote_spans(text, 0, len(text)) if quotes is None else quotes
        units = self.units(doc, quotes) if units is None else units
        self._sentences = [(u.start, u.end) for u in units]
        self._quotes = quotes     # the document's: a line ending "X said:" introduces the next line's
        claims: list[FoundClaim] = []
        for unit in self.body_units(text, units):
            unit_mentions = [m for m in mentions if unit.start <= m.start < unit.end]
            unit_mentions += self._anaphors(text, unit, book, *self._reported(claims))
            unit_mentions.sort(key=lambda m: m.start)
            unit_quotes = [q for q in quotes if unit.start <= q[0] and q[1] <= unit.end]
            # "..., forces reported 59 attacks along the front, he said.": the attribution that closes
            # the sentence covers what comes before it, so it is read first
            cues = sorted(self.cue_re.finditer(text, unit.start, unit.end),
                          key=lambda c: (not _closes_sentence(text, unit, c), c.start()))
            for cue in cues:
                if any(q[0] <= cue.start() < q[1] for q in unit_quotes):
                    continue
                if any(c.start <= cue.start() < c.end for c in claims):
                    continue
                if NEGATION.search(text[max(unit.start, cue.start() - 14):cue.start()]):
                    continue
                found = self._claim(text, unit, cue, unit_mentions, unit_quotes, claims)
                if found is not None:
                    found.unit = unit
                if found and found.end - found.start > 0 and _words(text[found.start:found.end]) >= MIN_WORDS:
                    if found.speaker is not None:
                        for m in found.speaker.mentions:
                            m.evidence.add("speaker")
                        found.speaker.accepted = True
                    claims.append(found)
        self._back_references(text, units, mentions, claims)
        self._interview_answers(text, book, quotes, claims)
        return claims

    @staticmethod
    def _interview_answers(text: str, book: ActorBook, quotes, claims: list[FoundClaim]) -> None:
        """'Q: ... / A: ...': in an interview, an answer line is the interviewee's claim -- the person
        last named before the exchange (names inside quotations are not interviewees)."""
        for answer in ANSWER_LINE.finditer(text):
            question = QUESTION_LINE.search(text, max(0, answer.start() - 400), answer.start())
            if question is None:
                continue
            start, end = _trim(text, answer.start("body"), answer.end("body"))
            if end <= start or _words(text[start:end]) < MIN_WORDS or any(c.start < end and start < c.end for c in claims):
                continue
            speaker = last_named(book, question.start(), "person", quotes, max_distance=1500)
            if speaker is None:
                continue
            speaker.accepted = True
            line = text.count("\n", 0, answer.start())
            claims.append(FoundClaim(speaker, None, answer.group("marker").strip(), start, end, False,
                                     answer.start("marker"), answer.end("marker"), line))

    def _back_references(self, text: str, units: list[Unit], mentions: list[Mention],
                         claims: list[FoundClaim]) -> None:
        """'Russia will not stop. This opinion was expressed by expert Jane Doe.': the sentence
        before, in the same paragraph, is the named speaker's claim."""
        for prev, unit in zip(units, units[1:]):
            ref = BACK_REFERENCE.match(text, unit.start, unit.end)
            if not ref or prev.line != unit.line or any(c.start < prev.end and prev.start < c.end for c in claims):
                continue
            speaker = next((m for m in mentions if ref.end() <= m.start <= ref.end() + 40 and m.entry is not None
                            and m.kind == "person"), None)
            if speaker is None or _words(text[prev.start:prev.end]) < MIN_WORDS:
                continue
            start, end = _trim(text, prev.start, prev.end)
            speaker.entry.accepted = True
            claims.append(FoundClaim(speaker.entry, None, "was expressed by", start, end, False,
                                     unit.start + ref.start() - unit.start, ref.end(), unit.line, unit))

    @staticmethod
    def body_units(text: str, units: list[Unit]) -> list[Unit]:
        """The units that may hold a claim: headlines restate the body and are left out."""
        headline_line = _headline_line(text)
        return [u for u in units if not (_is_headline(text[u.start:u.end]) or u.line == headline_line)]

    def units(self, doc: Doc, quotes: list[tuple[int, int]]) -> list[Unit]:
        """Sentences, merged where a quotation runs across a sentence boundary."""
        text = doc_text(doc)
        sents = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            if sents and sents[-1][1] == start:
                # an opening quote the sentencizer left at the end of the previous sentence
                stripped = text[sents[-1][0]:sents[-1][1]].rstrip()
                moved = sents[-1][0] + len(stripped) - 1
                opens = {q[0] - 1 for q in quotes}
                if len(stripped) > 1 and moved in opens:
                    sents[-1] = (sents[-1][0], moved)
                    start = moved
            sents.append((start, end))
        sents = [(s, e) for s, e in sents if text[s:e].strip()]
        merged: list[list[int]] = []
        quote_starts = {q[0] - 1 for q in quotes} | {q[0] for q in quotes}   # the mark, or the words, opens it
        for s, e in sents:
            if merged and any(q[0] >= merged[-1][0] and (q[0] < s < q[1] + 1 or _attribution_follows(text, q, s))
                              for q in quotes) \
                    and "\n" not in text[merged[-1][1]:s]:
                merged[-1][1] = e
            elif merged and s in quote_starts and text[merged[-1][0]:merged[-1][1]].rstrip().endswith(":"):
                merged[-1][1] = e   # "..., stating:" and the quotation on the next line are one sentence
            else:
                merged.append([s, e])
        return [Unit(s, e, text.count("\n", 0, s)) for s, e in merged]

    def _reported(self, claims: list[FoundClaim]) -> tuple[list[tuple[int, int]], list[tuple[int, Entry]]]:
        """What was said so far (the quotations and the claims found: names inside it are no
        antecedents of the next "he said") and who said it (cue position, speaker)."""
        return (self._quotes + [(c.start, c.end) for c in claims],
                [(c.cue_start, c.speaker) for c in claims if c.speaker is not None])

    def _anaphors(self, text: str, unit: Unit, book: ActorBook, quotes=(), speakers=()) -> list[Mention]:
        """'the observer', 'the author' -> the person the article introduced with that role (or last);
        'he'/'she' -> the person last named before; 'the institute' -> the last organisation so named."""
        out = []
        for m in PRONOUN.finditer(text, unit.start, unit.end):
            target = pronoun_antecedent(book, m.start(), "person", self._sentences, quotes, text=text, speakers=speakers)
            if target is not None:
                out.append(Mention(m.start(), m.end(), m.group(0), "person", evidence={"anaphor"}, entry=target))
        for m in SOURCE_ANAPHOR.finditer(text, unit.start, unit.end):
            target = last_named(book, m.start(), "organization", quotes, max_distance=1500, accepted_only=True)
            if target is not None:
                out.append(Mention(m.start(), m.end(), m.group(0), "organization", evidence={"anaphor"},
                                   entry=target))
        if self.org_anaphor_re is not None:
            for m in self.org_anaphor_re.finditer(text, unit.start, unit.end):
                word = fold(m.group(1))   # "the ministry": one so named; "the group": whichever was named last
                generic = word in self.lex.generic_org_references
                target = last_named(book, m.start(), "organization", word=None if generic else word,
                                    accepted_only=generic)
                if target is not None:
                    out.append(Mention(m.start(), m.end(), m.group(0), "organization", evidence={"anaphor"},
                                       entry=target))
        if self.anaphor_re is None:
            return out
        for m in self.anaphor_re.finditer(text, unit.start, unit.end):
            if NAMED_AFTER_ROLE.match(text, m.end()):
                continue   # "The head of the X Centre, Jane Doe, noted": a new person, not a reference back
            role = fold(m.group(1))
            target = introduced_person(book, m.start(), role, text, quotes)
            if target is not None:
                out.append(Mention(m.start(), m.end(), m.group(0), "person", evidence={"anaphor"}, entry=target))
        return out

    # -- one cue -------------------------------------------------------------------------
    def _claim(self, text: str, unit: Unit, cue: re.Match, mentions: list[Mention],
               quotes: list[tuple[int, int]], claims: list[FoundClaim]) -> FoundClaim | None:
        phrase = re.sub(r"\s+", " ", cue.group(1).lower())
        ctype = self.lex.cue_type(phrase) or "verb"
        handler = {"verb": self._verb, "preposition": self._preposition, "participle": self._participle,
                   "passive": self._passive}.get(ctype)
        if handler is None:
            return None
        return handler(text, unit, cue, phrase, mentions, quotes, claims)

    def _make(self, text, unit, cue, phrase, speaker: Mention | None, group, span, direct=False) -> FoundClaim | None:
        start, end = _trim(text, *span)
        if end <= start:
            return None
        entry = speaker.entry if speaker is not None else None
        return FoundClaim(entry, group, text[cue.start():cue.end()], start, end, direct, cue.start(), cue.end(),
                          unit.line)

    def _subject_before(self, text: str, unit: Unit, pos: int, mentions: list[Mention]) -> Mention | None:
        """The mention that is the subject of a verb at `pos`: the earliest one from which only an
        appositive, an acronym, commas or adverbs stand before the verb."""
        head = text[unit.start:pos]
        adverbs = ADVERBS.search(head)
        stop = unit.start + (adverbs.start() if adverbs else len(head))
        relative = re.search(r",\s*(?:who|which)\s*$", text[unit.start:stop])
        if relative:  # "... shared by Jane Doe, who wrote that ...": the relative clause's antecedent
            stop = unit.start + relative.start()
            before = [m for m in mentions if m.entry is not None and m.end <= stop
                      and not re.sub(r"^\s*\([A-Za-z.]{2,10}\)", "", text[m.end:stop]).strip()]
            return before[-1] if before else None
        for m in mentions:
            if m.end > stop or m.entry is None:
                continue
            gap = text[m.end:stop]
            staff = STAFF_AFTER.match(gap)
            if staff:
                gap = gap[staff.end():]
            for org_noun in (re.match(r"^\s+[a-z]+[\s-][a-z]+\b", gap), re.match(r"^\s+[a-z]+\b", gap)):
                if org_noun and fold(org_noun.group(0).strip()) in self.lex.org_words:
                    gap = gap[org_noun.end():]   # "the Oryx project has documented", "the X think tank said"
                    break
            lead = text[unit.start:m.start]
            if GAP.match(gap) and (not PREPOSITION_BEFORE.search(lead) or STAFF_OF.match(lead)):
                return m
        return None

    def _mention_after(self, text: str, pos: int, limit: int, mentions: list[Mention],
                       sources: bool = False) -> Mention | None:
        """The speaker named right after a cue: only 'the', titles (and for 'according to',
        source nouns: 'a report by') may stand between."""
        allowed = self.lex.titles | (self.lex.source_nouns if sources else set())
        for m in mentions:
            if m.start < pos or m.start > limit or m.entry is None:
                continue
            if text[m.end:m.end + 1] in COMPOUND_HYPHENS:
                continue   # "remarked Putin-linked oligarch X": the name modifies the speaker's title
            written = re.findall(r"[\w.’'-]+", text[pos:m.start])
            if sources and m.entry.kind == "person" and self._role_set_off(text[pos:m.start], written):
                return m   # "according to the head of the regional administration, Jane Doe, ..."
            if len(written) <= 6 and all(
                    fold(w) == "the" or fold(w) in allowed or fold(w).rstrip(".") in allowed
                    or self.lex.is_place(w) or w[:1].isupper() for w in written):
                return self._holder_of_title(text, m, limit + 40, mentions) if m.entry.kind == "organization" else m
        return None

    def _role_set_off(self, between: str, words: list[str]) -> bool:
        """A role phrase and a comma between a cue and a person: 'the head of the regional
        administration, ' -- one phrase (no other comma) led by a role or title word."""
        body = between.rstrip()
        if not body.endswith(",") or "," in body[:-1] or not 1 <= len(words) <= MAX_ROLE_WORDS:
            return False
        lead = [fold(w) for w in words[:3] if fold(w) not in {"the", "a", "an", "former", "then"}]
        return bool(lead) and lead[0] in self.lex.roles | self.lex.titles

    def _holder_of_title(self, text: str, org: Mention, limit: int, mentions: list[Mention]) -> Mention:
        """'stated NATO Secretary General X': an organisation followed by a title and a person
        names where the person holds the title; the person is the speaker."""
        for m in mentions:
            if m.start < org.end or m.start > limit or m.entry is None or m.entry.kind != "person":
                continue
            words = [fold(w) for w in text[org.end:m.start].split()]
            return m if words and all(w in self.lex.titles or w in self.lex.roles for w in words) else org
        return org

    def _quote_in(self, quotes, start: int, end: int) -> tuple[int, int] | None:
        inside = [q for q in quotes if start <= q[0] - 1 and q[1] + 1 <= end + 1]
        return max(inside, key=lambda q: q[1] - q[0]) if inside else None

    def _right_content(self, text: str, cue_end: int, unit: Unit, quotes) -> tuple[tuple[int, int], bool, bool] | None:
        """What follows a cue verb: (span, is a quote, had a complement)."""
        rest = text[cue_end:unit.end]
        offset = cue_end
        complement = COMPLEMENT.match(rest)
        if complement:
            offset += complement.end()
        else:
            adjunct = ADJUNCT_THAT.match(rest)
            if adjunct and not re.match(r"^\s*(?:that|this|these|those)\b", rest, re.I):
                offset += adjunct.end()
                complement = adjunct
        lead = re.match(r"^[\s,:–—-]*", text[offset:unit.end])
        begin = offset + lead.end()
        colon = ":" in text[cue_end:begin]
        for q in quotes:
            if q[0] - 1 <= begin <= q[0]:
                return (q[0], q[1]), True, True
        closing = text[cue_end:unit.end].rstrip()
        if closing.endswith(":") and _words(closing) <= MAX_WORDS_CUE_TO_COLON:
            # "The ministry said:" / "X wrote on Telegram:" closing its line: the quotation the next opens with
            quote = quotation_after_colon(text, cue_end + len(closing) - 1, self._quotes, len(text))
            if quote is not None and quote[0] >= unit.end:
                return quote, True, True
        if begin >= unit.end:
            return None
        end = unit.end
        contrast = CONTRAST.search(text, begin, unit.end)
        if contrast and not any(q[0] < contrast.start() < q[1] for q in quotes):
            end = contrast.start()   # "X said ..., while Y warned that ...": Y's words are Y's claim
        return (begin, end), False, bool(complement) or colon

    def _object_follows(self, text: str, span: tuple[int, int]) -> bool:
        """Words after a verb that needs no complement are its object, unless they open an
        adverbial (a time, a place, a medium): 'stressed the need for ...', not 'stressed on Monday'."""
        words = text[span[0]:span[1]].split()
        return len(words) >= MIN_OBJECT_WORDS and fold(words[0].strip(",;:“”\"'")) not in self.lex.adverbial_words

    def _adverbial_only(self, text: str, span: tuple[int, int]) -> bool:
        """'During her visit to London, X expressed a view', 'Speaking to reporters on Monday, X
        said', 'The head of the Y Service, X, commented': an opener that is one adverbial phrase
        (led by an adverbial word or a participle) or the subject's role, with no clause after a
        comma, frames the verb and is nothing anyone said."""
        opener = text[span[0]:span[1]]
        words = [w.strip(",;:“”\"'") for w in opener.split()]
        first = words[0] if words else ""
        head = words[1] if len(words) > 1 and fold(first) in {"the", "a", "an"} else first
        # "The head of the X Service, Jane Doe, commented ...": the subject's role set before it
        role = fold(head) in self.lex.roles | self.lex.titles and fold(first) in {"the", "a", "an"}
        return "," not in opener and (fold(first) in self.lex.adverbial_words or role
                                      or first.endswith("ing") and first[:1].isupper())

    @staticmethod
    def _parenthetical(text: str, cue_end: int, unit: Unit) -> bool:
        """The cue is followed by a comma and the rest of the sentence's own clause."""
        rest = re.match(r"^(?:\s+[a-z]+)?\s*,\s*(.+)$", text[cue_end:unit.end], re.S)
        return bool(rest and _words(rest.group(1)) >= MIN_WORDS)

    def _adverbial_after_comma(self, text: str, cue_end: int, unit: Unit) -> bool:
        """'..., X revealed, amid growing concern ...': an adverbial after the comma closes the
        sentence; it is no rest of a clause the cue interrupts ('the IISS says, Russia could ...')."""
        rest = text[cue_end:unit.end].lstrip(" ,")
        first = rest.split(maxsplit=1)[0] if rest.split() else ""
        return fold(first) in self.lex.adverbial_words and fold(first) not in CLAUSE_OPENING_ADVERBIALS

    def _left_content(self, text: str, unit: Unit, end: int, quotes) -> tuple[tuple[int, int], bool] | None:
        start = unit.start
        q = self._quote_in(quotes, start, end)
        if q and _words(text[q[1]:end]) <= 2:
            return (q[0], q[1]), True
        if _words(text[start:end]) < 4:
            return None
        return (start, end), False

    def _verb(self, text, unit, cue, phrase, mentions, quotes, claims):
        needs = phrase in self.lex.needs_complement
        subject = self._subject_before(text, unit, cue.start(), mentions)
        if subject is not None:
            right = self._right_content(text, cue.end(), unit, quotes)
            if right and (right[1] or right[2] or right[0][0] == cue.end() + 1 and text[cue.end()] == ":"):
                return self._make(text, unit, cue, phrase, subject, None, right[0], right[1])
            before_subject = text[unit.start:subject.start]
            cut = self._lead_cut(before_subject)
            if cut is not None:
                left = self._left_content(text, unit, unit.start + cut, quotes)
                if left and not left[1] and ASKED.match(text[left[0][0]:left[0][1]]) and right:
                    # "Asked how long ..., X said the answer ...": the question frames, the answer is the claim
                    return self._make(text, unit, cue, phrase, subject, None, right[0], right[1])
                if left and not left[1] and self._parenthetical(text, cue.end(), unit) \
                        and not self._adverbial_after_comma(text, cue.end(), unit):
                    # "At the current rate, the IISS says, Russia could ...": the whole sentence
                    return self._make(text, unit, cue, phrase, subject, None, (unit.start, unit.end))
                if left and not left[1] and right and not needs and self._object_follows(text, right[0]):
                    # "In an interview, X emphasized the urgent need for ...": the opener frames the verb
                    return self._make(text, unit, cue, phrase, subject, None, right[0], right[1])
                if left and not left[1] and self._adverbial_only(text, left[0]):
                    # "Clarifying X, Y wrote on Telegram: “...”": the quotation after the colon is what was said
                    colon = text.find(":", cue.end(), unit.end)
                    quote = quotation_after_colon(text, colon, quotes, unit.end) if colon >= 0 else None
                    if quote is not None and _words(text[cue.end():colon]) <= MAX_WORDS_CUE_TO_COLON:
                        return self._make(text, unit, cue, phrase, subject, None, quote, True)
                elif left:
                    return self._make(text, unit, cue, phrase, subject, None, left[0], left[1])
            if right and not needs and _words(text[right[0][0]:right[0][1]]) >= MIN_WORDS:
                return self._make(text, unit, cue, phrase, subject, None, right[0], right[1])
            return None
        # inverted: '"...," said X' / '- ... - explained X'
        after = self._mention_after(text, cue.end(), cue.end() + 30, mentions)
        before = text[unit.start:cue.start()]
        if after is not None and re.search(r"[,–—-]\s*[”\"]?\s*$|[”\"]\s*$", before):
            left = self._left_content(text, unit, cue.start(), quotes)
            if left:
                return self._make(text, unit, cue, phrase, after, None, left[0], left[1])
        group = re.search(r"(\w+)\s*$", ADVERBS.sub("", before))
        if group and fold(group.group(1)) in self.lex.group_words:
            right = self._right_content(text, cue.end(), unit, quotes)
            if right:
                return self._make(text, unit, cue, phrase, None, group.group(1), right[0], right[1])
        return None

    def _preposition(self, text, unit, cue, phrase, mentions, quotes, claims):
        if POSSESSIVE_VIEW.search(phrase) or PRONOUN_OBJECT.match(text[cue.end():cue.end() + 5]):
            # "In her view, ..." / "According to him, ...": the person the pronoun stands for
            said, spoke = self._reported(claims)
            target = pronoun_antecedent(self._book, cue.start(), "person", self._sentences, said, text=text,
                                        speakers=spoke)
            if target is None:
                return None
            speaker = Mention(cue.start(), cue.end(), cue.group(0), "person", evidence={"anaphor"}, entry=target)
            pronoun = PRONOUN_OBJECT.match(text[cue.end():cue.end() + 5])
            return self._make(text, unit, cue, phrase, speaker, None,
                              (cue.end() + (pronoun.end() if pronoun else 0), unit.end))
        speaker = self._mention_after(text, cue.end(), cue.end() + 60, mentions, sources=True)
        if speaker is None:
            return None
        before = text[unit.start:cue.start()]
        if _words(before) >= 4 and re.search(r"[,–—-]\s*$|[”\"]\s*$", before):
            left = self._left_content(text, unit, cue.start(), quotes)
            after = text[speaker.end:unit.end].lstrip(" ,")
            if left and not left[1] and self._parenthetical(text, speaker.end, unit) \
                    and after[:1].islower() and fold(after.split(None, 1)[0]) not in RELATIVE_WORDS:
                # "This surge, according to X, is driven by ...": set inside the clause, it attributes all of it
                return self._make(text, unit, cue, phrase, speaker, None, (unit.start, unit.end))
            if left:
                return self._make(text, unit, cue, phrase, speaker, None, left[0], left[1])
        rest = speaker.end
        acronym = re.match(r"^\s*\([^)]{1,12}\)", text[rest:unit.end])
        if acronym:
            rest += acronym.end()
        appositive = re.match(r"^\s*,[^,“”\"]{1,180}(?=,)", text[rest:unit.end])
        if appositive and self._is_role_phrase(appositive.group(0)):
            rest += appositive.end()
        lead = re.match(r"^[\s,:–—-]*", text[rest:unit.end])
        begin = rest + lead.end()
        for q in quotes:
            if q[0] - 1 <= begin <= q[0]:
                return self._make(text, unit, cue, phrase, speaker, None, q, True)
        return self._make(text, unit, cue, phrase, speaker, None, (begin, unit.end))

    def _is_modifier(self, text: str, m: Mention) -> bool:
        """'Kremlin spokesman X', 'NATO X': a name that only qualifies the name that follows."""
        after = re.match(r"^\s+(?:([a-z]+)\s+)?[A-Z]", text[m.end:m.end + 40])
        return bool(after and (after.group(1) is None or fold(after.group(1)) in self.lex.roles | self.lex.titles))

    def _lead_cut(self, before: str) -> int | None:
        """Where the reported content ends when the subject follows it: '“...,” Kremlin spokesman
        X said' / '..., the Y Institute assessed'. Only titles, roles, 'the' and capitalised words
        may stand between the comma/dash/closing quote and the subject."""
        m = re.search(r"([,–—-]|[”\"])([^,–—”\"-]*)$", before)
        if not m:
            return None
        words = re.findall(r"[\w.’'-]+", m.group(2))
        allowed = {"the"} | self.lex.titles | self.lex.roles
        plain = all(w[:1].isupper() or fold(w) in allowed or self.lex.is_place(w) for w in words)
        # "EU foreign policy chief X": a role phrase ending in a role word may hold other words
        role_phrase = bool(words) and fold(words[-1]) in allowed and len(words) <= 6
        if len(words) > 6 or not (plain and len(words) <= 4 or role_phrase):
            return None
        return m.start(1) + (1 if m.group(1) in "”\"" else 0)

    def _is_role_phrase(self, phrase: str) -> bool:
        """', a senior analyst at X' -- an appositive naming a role, not the start of the claim."""
        words = [fold(w) for w in re.findall(r"[\w\-]+", phrase)]
        if not words or words[0] not in {"a", "an", "the"} | self.lex.roles | self.lex.titles:
            if not any(w in self.lex.roles for w in words[:3]):
                return False
        head = re.split(r"\b(?:with|at|of|from|for|in)\b", " ".join(words), maxsplit=1)[0].split()
        return any(w in self.lex.roles for w in head[:8])

    def _participle(self, text, unit, cue, phrase, mentions, quotes, claims):
        complement = COMPLEMENT.match(text[cue.end():unit.end])
        if not complement:
            return None
        # a name inside what was said is no speaker: '“Rising spending ...,” the bank said, noting ...'
        candidates = [m for m in mentions if m.end <= cue.start() and m.entry is not None
                      and not any(q[0] <= m.start < q[1] for q in quotes)
                      and not PREPOSITION_BEFORE.search(text[unit.start:m.start])
                      and not re.match(r"^\s+[a-z]+\s+(?:" + "|".join(map(re.escape, self.lex.group_words)) + r")\b",
                                       text[m.end:m.end + 30])]
        candidates = [m for m in candidates if not self._is_modifier(text, m)]
        in_unit = [c for c in claims if c.unit is unit and c.speaker is not None and c.cue_start < cue.start()]
        if in_unit:  # '“...,” X told reporters, adding that ...': the same speaker goes on
            entry = in_unit[-1].speaker
            return self._make(text, unit, cue, phrase, Mention(-1, -1, entry.name, entry.kind, entry=entry), None,
                              (cue.end() + complement.end(), unit.end))
        if not candidates:
            return None
        speaker = candidates[0]
        return self._make(text, unit, cue, phrase, speaker, None, (cue.end() + complement.end(), unit.end))

    def _passive(self, text, unit, cue, phrase, mentions, quotes, claims):
        rest_start = cue.end()
        quote = next((q for q in quotes if rest_start <= q[0] <= rest_start + 3), None)
        by = re.compile(r"\s+by\s+").search(text, quote[1] if quote else rest_start, unit.end)
        content = quote or (rest_start, by.start() if by else unit.end)
        agent = self._mention_after(text, by.end(), by.end() + 30, mentions) if by else None
        established = next((c for c in reversed(claims) if c.speaker is not None and c.line == unit.line
                            and c.end <= unit.start), None)
        subject = re.match(r"^\W*(?:the|this|that|its|his|her|their)\s+([a-z]+)", text[unit.start:cue.start()], re.I)
        # "The deployment of X ..." / "The launch of Y ...": an act, whose author "by X" names
        action_subject = bool(subject and (NOMINALISATION.search(subject.group(1).lower())
                                           or re.match(r"\s+of\b", text[unit.start + subject.end():])))
        if established is not None and (agent is None or action_subject):
            speaker = Mention(-1, -1, established.speaker.name, established.speaker.kind, entry=established.speaker)
        elif agent is not None:
            speaker = agent
        else:
            return None
        return self._make(text, unit, cue, phrase, speaker, None, content, direct=quote is not None)
