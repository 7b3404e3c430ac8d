"""What a figure's surroundings say about it: the counted noun when none is written, the
modality (report / estimate / projection) and the subject.

Separate from the figure reader because these look beyond the number's own words: the
clause, the sentence, the sentence before, or the line that introduces a bulleted list.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from spacy.tokens import Doc
from spacy.util import filter_spans

from ingest.extract.phrase_index import PhraseHits
from ingest.extract.quantity_vocab import QuantityVocab, is_common_noun, normalise_label
from ingest.model import Quantity, Span

if TYPE_CHECKING:
    from ingest.extract.quantities import Draft

CLAUSE_BREAKERS = {";", "but", "however", "although", "though", "whereas", "while", "yet", "which"}
# "Up to 500,000 troops could be rotated": a modal right after the figure's words makes the
# figure the subject of what could happen.
SUBJECT_MODALS = {"could", "would", "will", "may", "might", "should", "'ll"}
PREPOSITIONS = {"of", "from", "with", "by", "to", "at", "for", "in", "on", "than", "about", "over", "under"}
MODAL_SKIPPABLE = {"now", "still", "also", "then", "soon", "eventually", "potentially", "probably", "easily"}
LIST_BULLETS = {"•", "-", "*", "–", "—", "·", "▪", "●", "◦", "‣"}
SUBJECT_LABELS = {"GPE", "ORG", "PERSON", "NORP", "LOC"}
LOOK_BACK_SENTENCES = 2
# A figure a word of paying marks as money ('the amount of 3.6 million') looks further back for
# its currency: blank lines and a paragraph without a currency may stand between.
MONEY_LOOK_BACK_SENTENCES = 6
# A figure in a fronted phrase takes the modality of the main clause that follows it:
# "With 500 tanks and 80 guns, Russia could ..." — modal verbs after the figure count then.
FRONTED_OPENERS = {"with", "if", "given", "once", "should", "unless", "without", "by", "after"}
CONTINUATION_WORDS = {"another", "further", "additional", "remaining", "other", "more"}
CONTINUATION_OPENERS = {"furthermore", "moreover", "additionally", "also", "besides", "likewise", "similarly"}
# "These staggering numbers represent 90% of ...": a clause that opens by pointing back at
# figures already given speaks of them, so it keeps their modality.
ANAPHORIC_DETERMINERS = {"these", "those", "this", "that", "such"}
ANAPHORIC_NOUNS = {"number", "numbers", "figure", "figures", "estimate", "estimates", "total", "totals",
                   "tally", "toll", "losses"}
ANAPHORA_SPAN = 3
FRAGMENT_MAX_TOKENS = 8
SENTENCE_END = {".", "!", "?", ":", ";", "\"", "”", "’", "'", ")", "…"}
LIST_LOOK_BACK = 40


NON_NOUN_WORDS = {"dead", "alive", "strong", "long", "old", "wide", "deep", "high", "tall", "away", "ago",
                  "apiece", "each", "total", "overall", "altogether", "combined", "respectively"}
NON_NOUN_SUFFIXES = ("ed", "able", "ible", "ing", "ly")


def is_non_noun(tok) -> bool:
    """Without a tagger: words that modify or predicate ('wounded', 'recoverable', 'dead'), not nouns."""
    lower = tok.lower_
    return lower in NON_NOUN_WORDS or (lower.endswith(NON_NOUN_SUFFIXES) and len(lower) > 4 and tok.is_lower)


class Sentences:
    """Sentence bounds per token; without a sentence segmenter, lines are sentences."""

    def __init__(self, doc: Doc):
        self.doc = doc
        n = len(doc)
        self.index = [0] * n
        self.bounds: list[tuple[int, int]] = []
        if doc.has_annotation("SENT_START"):
            spans = [(s.start, s.end) for s in doc.sents]
        else:
            spans, start = [], 0
            for tok in doc:
                if "\n" in tok.text:
                    spans.append((start, tok.i + 1))
                    start = tok.i + 1
            if start < n:
                spans.append((start, n))
        for k, (start, end) in enumerate(spans):
            self.bounds.append((start, end))
            for t in range(start, end):
                self.index[t] = k

    def of(self, i: int) -> int:
        return self.index[i] if 0 <= i < len(self.index) else 0

    def start_of(self, i: int) -> int:
        return self.bounds[self.of(i)][0] if self.bounds else 0

    def end_of(self, i: int) -> int:
        return self.bounds[self.of(i)][1] if self.bounds else len(self.doc)

    def is_list_item(self, k: int) -> bool:
        start, end = self.bounds[k]
        words = [t for t in self.doc[start:end] if not t.is_space]
        return bool(words) and words[0].text in LIST_BULLETS

    def ends_with_colon(self, k: int) -> bool:
        start, end = self.bounds[k]
        words = [t for t in self.doc[start:end] if not t.is_space]
        return bool(words) and words[-1].text == ":"

    def is_fragment(self, k: int) -> bool:
        """A short line without closing punctuation: a byline, a share bar, a caption."""
        start, end = self.bounds[k]
        words = [t for t in self.doc[start:end] if not t.is_space]
        return len(words) < FRAGMENT_MAX_TOKENS and bool(words) and words[-1].text not in SENTENCE_END \
            and not self.is_list_item(k)

    def is_blank(self, k: int) -> bool:
        start, end = self.bounds[k]
        return all(t.is_space for t in self.doc[start:end])


def _outermost(hits: list) -> list:
    """Drop a cue lying inside a longer one ('estimated' in 'an estimated', 'estimates' in
    'according to estimates'): the longer phrase says how the words are used."""
    return [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)]


class ContextResolver:
    """Finishes drafts into Quantity objects using the clause and sentence context."""

    def __init__(self, doc: Doc, sents: Sentences, kinds: PhraseHits, modality: PhraseHits,
                 qv: QuantityVocab, months: set[str]):
        self.doc, self.sents, self.qv = doc, sents, qv
        self.text = doc.text  # built once: Doc.text joins every token
        self._by_sentence: dict[int, list] | None = None
        self.figure_starts: set[int] = set()
        self.roles = None      # the RoleReader: a role that qualifies people the context names
        self.money = qv.kind_iri("Money")
        self.money_cues: PhraseHits | None = None   # "offering" 3.6 million: words of paying
        self.finished: list[tuple[int, str]] = []   # (token, modality) of figures finished so far
        self.modality = _outermost([h for h in modality.all if not self._is_month_name(h, months)])
        mentions = [doc[s:e] for s, e, iri in kinds.all if any(ch.isalpha() for ch in doc[s:e].text)
                    and not str(iri).endswith("/Percentage") and not (e - s == 1 and is_non_noun(doc[s]))]
        iri_of = {(s, e): iri for s, e, iri in kinds.all}
        self.kind_mentions = [(sp.start, sp.end, self._mention_text(sp.text, iri_of.get((sp.start, sp.end))),
                               iri_of.get((sp.start, sp.end))) for sp in filter_spans(mentions)]
        self.entities = [e for e in doc.ents if e.label_ in SUBJECT_LABELS]
        # Per-sentence buckets keep each lookup local (a long article has thousands of cues).
        self.modality_in: dict[int, list] = defaultdict(list)
        for hit in self.modality:
            self.modality_in[sents.of(hit[0])].append(hit)
        self.entities_in: dict[int, list] = defaultdict(list)
        for ent in self.entities:
            self.entities_in[sents.of(ent.start)].append(ent)

    def _mention_text(self, text: str, iri: str | None) -> str:
        """A mention as the unit it gives a bare figure: a word that names only its kind ('men',
        'losses') gives the kind's label."""
        if iri is not None and text.lower() in self.qv.kind_words:
            return self.qv.kind_labels.get(iri, text)
        return text

    def _is_month_name(self, hit, months: set[str]) -> bool:
        start, end, _ = hit
        tok = self.doc[start]
        return end - start == 1 and tok.lower_ in months and tok.is_title and not tok.is_sent_start

    # ---------------------------------------------------------------- assemble

    def finish(self, d: "Draft", drafts: list["Draft"]) -> Quantity | None:
        quantity = self._finish(d, drafts)
        if quantity is not None:
            self.finished.append((d.fig_start, quantity.modality))
        return quantity

    def _finish(self, d: "Draft", drafts: list["Draft"]) -> Quantity | None:
        """The Quantity for a draft, or None when a bare number has nothing around it to count."""
        if d.infer_unit and not self._infer_unit(d, drafts) and d.role is None:
            return None
        if d.role is not None and self.roles is not None:
            self.roles.qualify(d)
        if d.kind is None and d.unit != "times" and self.sents.is_fragment(self.sents.of(d.fig_start)):
            return None  # "12 comments", "5 photos": page furniture, unless it counts a known kind
        start = self.doc[d.start].idx
        last = self.doc[d.end - 1]
        end = last.idx + len(last.text)
        return Quantity(
            text=self.text[start:end], span=Span(start, end), value=d.value, low=d.low, high=d.high,
            unit=self._unit(d), kind=d.kind, qualifier=d.qualifier,
            period=None if d.kind in self.qv.measures else d.period,   # 'was 1.9 in 2020': a level, not a yearly total
            modality=self._modality(d), subject=self._subject(d))

    def _unit(self, d: "Draft") -> str | None:
        """What is counted, as a unit: money as its ISO 4217 code ('$' -> 'USD'), a measure as what
        it is given in ('fertility rate' -> 'birth per woman'), a model name as
        its kind ('800 T-62s' -> 'tank'), otherwise the counted words as written, an irregular
        plural head in the singular ('people' -> 'person': a unit names one of what is counted)."""
        unit = self._written_unit(d)
        words = (unit or "").split()
        if words and words[-1].lower() in self.qv.irregular_plurals:
            return " ".join([*words[:-1], self.qv.irregular_plurals[words[-1].lower()]])
        return unit

    def _written_unit(self, d: "Draft") -> str | None:
        if d.kind is None:
            return d.unit
        code = self.qv.currency_codes.get(d.kind)
        if code:
            return code
        if d.kind in self.qv.measures or self.qv.abbreviations.get(normalise_label(d.unit or "")) == d.kind:
            return self.qv.kind_labels[d.kind]   # "the fertility rate is 1.4", "4.6 million b/d": what it is in
        last = (d.unit or "").split()[-1:] or [""]
        if not is_common_noun(last[0]) and any(ch.isalpha() for ch in last[0]):
            return self.qv.generic_labels.get(d.kind, d.unit)
        return d.unit

    # ---------------------------------------------------------------- counted noun from context

    def _candidates_in(self, sent: int, drafts: list["Draft"]) -> list[tuple[int, int, str, str | None]]:
        """Kind mentions and the written counted nouns of figures in one sentence, in text order."""
        if self._by_sentence is None:
            self._by_sentence = defaultdict(list)
            own = [(x.unit_span[0], x.unit_span[1], x.unit, x.kind) for x in drafts if x.unit_span]
            for cand in sorted(c for c in [*self.kind_mentions, *own] if c[2]):
                self._by_sentence[self.sents.of(cand[0])].append(cand)
        return self._by_sentence.get(sent, [])

    def _infer_unit(self, d: "Draft", drafts: list["Draft"]) -> bool:
        """Take the counted noun from the context; False when a bare number should be dropped."""
        sent = self.sents.of(d.fig_start)
        same = [c for c in self._candidates_in(sent, drafts) if not (d.start <= c[0] and c[1] <= d.end)]
        before = [c for c in same if c[1] <= d.fig_start]
        chosen = self._of_figure(d, drafts)
        if chosen is None and before:
            chosen = before[-1]
        if chosen is None:
            after = [c for c in same if c[0] >= d.end]
            chosen = after[0] if after else None
        paid = self._nearest_currency(d, drafts, MONEY_LOOK_BACK_SENTENCES) if self._paid(d) else None
        if paid is not None:   # "offering 3.6 million to anyone who signs": a sum of money
            d.unit, d.kind = paid[2], paid[3]
            return True
        if self.sents.is_fragment(sent):
            # "tanks — 9,370" in a loss table counts; "Comments 12" on a share bar does not.
            if chosen is None or chosen[3] is None:
                return False
            d.unit, d.kind = chosen[2], chosen[3]
            return True
        fallback_kind = self.qv.kinds.get(normalise_label(d.fallback_unit or ""))
        if fallback_kind:  # "8,762 unemployed": the adjective names a kind (no role took it)
            d.unit, d.kind = d.fallback_unit, fallback_kind
            return True
        if chosen is None and not self._continues_previous(d):
            return False  # "from 27 to 25", "Tel 20": nothing in the sentence is counted
        for back in range(1, LOOK_BACK_SENTENCES + 1):
            if chosen is not None or sent - back < 0:
                break
            earlier = self._candidates_in(sent - back, drafts)
            chosen = earlier[-1] if earlier else None
        if chosen is not None:
            d.unit, d.kind = chosen[2], chosen[3]
        self._carry_currency(d, drafts, chosen)
        return True

    def _carry_currency(self, d: "Draft", drafts: list["Draft"], chosen) -> None:
        """'Europe gave 138 billion in aid': a sum that names no currency is in the currency of the
        money figures around it. It applies when the context names money but no currency ('aid',
        'funding'), or when a figure written with a scale word ('3.1 million') stands in a
        sentence that counts money. A conversion in brackets ('(48,500 euros)') is never carried."""
        money = chosen is not None and (chosen[3] == self.money or chosen[3] in self.qv.currency_codes)
        named_before = chosen is not None and chosen[1] <= d.fig_start and self.sents.of(chosen[0]) == self.sents.of(d.fig_start)
        scaled_in_money = d.scaled and not named_before and bool(self._currencies(self.sents.of(d.fig_start), drafts))
        if not (money or scaled_in_money):
            return
        found = self._nearest_currency(d, drafts)
        if found is not None:
            d.unit, d.kind = found[2], found[3]

    def _paid(self, d: "Draft") -> bool:
        """Does a word of paying stand right before the figure ('offering 3.6 million', 'the amount
        of 2 million'; one word may come between) or right after it ('2 million will be paid')?"""
        if self.money_cues is None:
            return False
        before = lambda c: c.position == "before"
        if any(self.money_cues.longest_to(k, before) for k in (d.start, d.start - 1) if k > 0):
            return True
        k = d.end
        while k < len(self.doc) and self.doc[k].lower_ in SUBJECT_MODALS | MODAL_SKIPPABLE:
            k += 1
        return self.money_cues.longest_from(k, lambda c: c.position == "after") is not None

    def _currencies(self, sent: int, drafts: list["Draft"]) -> list:
        """The money figures of a sentence with a currency, bracketed conversions left out."""
        restating = {x.unit_span for x in drafts if x.restates and x.unit_span}
        return [c for c in self._candidates_in(sent, drafts)
                if c[3] in self.qv.currency_codes and (c[0], c[1]) not in restating]

    def _nearest_currency(self, d: "Draft", drafts: list["Draft"], look_back: int = LOOK_BACK_SENTENCES):
        """The currency of the nearest money figure: before the figure in its sentence, after it,
        then in the sentences before."""
        sent = self.sents.of(d.fig_start)
        same = self._currencies(sent, drafts)
        before = [c for c in same if c[1] <= d.fig_start]
        after = [c for c in same if c[0] >= d.fig_end]
        if before or after:
            return before[-1] if before else after[0]
        for back in range(1, look_back + 1):
            earlier = self._currencies(sent - back, drafts) if sent - back >= 0 else []
            if earlier:
                return earlier[-1]
        return None

    def _continues_previous(self, d: "Draft") -> bool:
        """'Another 3 were damaged', 'up to 40 a day': a figure that leans on the sentence before."""
        before = self.doc[d.start - 1].lower_ if d.start > 0 else ""
        return before in CONTINUATION_WORDS or d.qualifier != "exact" or d.period is not None

    def _of_figure(self, d: "Draft", drafts: list["Draft"]):
        """'45 of 60 drones', 'cut from 1.6 million to 1 million rubles': the first figure counts
        what the second one does."""
        j = d.end
        if j + 1 >= len(self.doc) or self.doc[j].lower_ not in ("of", "to"):
            return None
        nxt = next((x for x in drafts if x.start == j + 1 and x.unit_span), None)
        return (nxt.unit_span[0], nxt.unit_span[1], nxt.unit, nxt.kind) if nxt else None

    # ---------------------------------------------------------------- modality

    def _clause(self, d: "Draft") -> tuple[int, int]:
        start, end = self.sents.start_of(d.fig_start), self.sents.end_of(d.fig_start)
        for k in range(d.start - 1, start - 1, -1):
            if self.doc[k].lower_ in CLAUSE_BREAKERS or self._coordinating_comma(k):
                start = k
                break
        for k in range(d.end, end):
            if self.doc[k].lower_ in CLAUSE_BREAKERS:
                end = k
                break
        return start, end

    def _modality(self, d: "Draft") -> str:
        start, end = self._clause(d)
        local = self.modality_in.get(self.sents.of(d.fig_start), [])
        attached = [h for h in local if h[2].position == "attached" and h[1] in (d.start, d.fig_start)]
        if attached:
            return attached[0][2].signal
        before = [h for h in local if h[2].position == "before" and h[0] >= start and h[1] <= d.fig_start]
        if before:
            return max(before, key=lambda h: (h[1], h[1] - h[0]))[2].signal
        if self._modal_follows(d.end, end) and not (d.start > 0 and self.doc[d.start - 1].lower_ in PREPOSITIONS):
            return "projection"
        fronted = self._opens_with(start, FRONTED_OPENERS)
        after = [h for h in local if (h[2].position == "after" or fronted) and h[0] >= d.end and h[1] <= end]
        if after:
            first = min(after, key=lambda h: h[0])
            # "..., NATO said." scopes over the whole sentence; a modal or a time frame only its clause.
            if first[2].signal == "estimate" or not self._new_clause_between(d.end, first[0]):
                return first[2].signal
        sent = self.sents.of(d.fig_start)
        return self._list_intro_modality(sent) or self._continued_modality(d, sent) or "report"

    def _modal_follows(self, k: int, end: int) -> bool:
        while k < end and self.doc[k].lower_ in MODAL_SKIPPABLE:
            k += 1
        return k < end and self.doc[k].lower_ in SUBJECT_MODALS

    def _continued_modality(self, d: "Draft", sent: int) -> str | None:
        """'Furthermore, another 500,000 were wounded': a follow-up figure keeps the previous one's modality."""
        before = self.doc[d.start - 1].lower_ if d.start > 0 else ""
        opening = self.sents.start_of(d.fig_start)
        if not (before in CONTINUATION_WORDS or self._opens_with(opening, CONTINUATION_OPENERS)
                or self._points_back(opening)):
            return None
        earlier = [x for x in self.finished if self.sents.of(x[0]) in (sent, sent - 1) and x[0] < d.start]
        return earlier[-1][1] if earlier else None

    def _points_back(self, start: int) -> bool:
        """Does the sentence open with 'these numbers', 'this staggering figure' and the like?"""
        words = [t for t in self.doc[start:start + ANAPHORA_SPAN + 2] if not (t.is_space or t.is_punct)]
        return bool(words) and words[0].lower_ in ANAPHORIC_DETERMINERS \
            and any(t.lower_ in ANAPHORIC_NOUNS for t in words[1:1 + ANAPHORA_SPAN])

    def _opens_with(self, start: int, words: set[str]) -> bool:
        """Does the clause at `start` open with one of `words` (bullets, spaces and breakers skipped)?"""
        for tok in self.doc[start:start + 4]:
            if tok.is_space or tok.is_punct or tok.lower_ in CLAUSE_BREAKERS:
                continue
            return tok.lower_ in words
        return False

    def _new_clause_between(self, start: int, end: int) -> bool:
        """', and Pyongyang may send more': a coordinated clause, not the next item of a list of figures."""
        return any(self.doc[k].lower_ == "which" or self._coordinating_comma(k) for k in range(start, end))

    def _coordinating_comma(self, k: int) -> bool:
        """', and the rate was ...' starts a new clause; ', and up to 100,000 troops' continues a list."""
        doc = self.doc
        if doc[k].text != "," or k + 2 >= len(doc) or doc[k + 1].lower_ not in ("and", "or", "but"):
            return False
        return not (doc[k + 2].like_num or (k + 2) in self.figure_starts)

    def _list_intro_modality(self, sent: int) -> str | None:
        """A bulleted item takes the modality of the line that introduces the list ('... to accumulate:')."""
        if not self.sents.is_list_item(sent):
            return None
        for k in range(sent - 1, max(-1, sent - LIST_LOOK_BACK), -1):
            if self.sents.is_blank(k) or self.sents.is_list_item(k):
                continue
            if not self.sents.ends_with_colon(k):
                return None
            cues = self.modality_in.get(k, [])
            return max(cues, key=lambda h: h[1])[2].signal if cues else None
        return None

    # ---------------------------------------------------------------- subject

    def _subject(self, d: "Draft") -> str | None:
        if d.subject_hint:
            return d.subject_hint
        sent = self.sents.of(d.fig_start)
        same = [e for e in self.entities_in.get(sent, []) if not (d.start <= e.start < d.end)]
        before = [e for e in same if e.end <= d.fig_start]
        chosen = before[-1] if before else next((e for e in same if e.start >= d.end), None)
        for back in range(1, LOOK_BACK_SENTENCES + 2):
            if chosen is not None or sent - back < 0:
                break
            earlier = self.entities_in.get(sent - back, [])
            chosen = earlier[-1] if earlier else None
        if chosen is None:
            return None
        if chosen.ent_id_:
            return chosen.ent_id_
        return self.qv.demonyms.get(chosen.text.lower(), chosen.text)
