"""spaCy component `claimgraph_quantities`: the figures an article states, as ingest.model.Quantity.

For every number (digits, words, ranges) it reads the words around it: a qualifier before
("up to", "between"), what is counted after ("Kalibr missiles"), a rate ("per month",
"every 3 months"), and from the clause the modality (report / estimate / projection) and
the subject. Dates, years, clock times, ordinals and labels are dropped. Every word list
comes from ontology/vocab (quantity.ttl, kinds.ttl); this module holds only the grammar.

Sets `doc._.quantities` (a list of Quantity, character offsets into doc.text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.numbers import Figure, NumberReader
from ingest.extract.phrase_index import PhraseHits, PhraseTable
from ingest.extract.quantity_context import PREPOSITIONS, ContextResolver, Sentences, is_non_noun
from ingest.extract.quantity_roles import RoleReader
from ingest.extract.quantity_vocab import QuantityVocab, build_quantity_vocab, normalise_label, plural_forms
from ingest.extract.vocabulary import load_vocabulary
from ingest.model import Quantity

_BARE_DIGITS = re.compile(r"^[+]?\d+$")
RANGE_JOINERS = {"-", "–", "—", "to", "and", "or"}      # "to"/"or" join only ranges; "and" needs "between"
GLUED_JOINERS = {"-", "–", "—"}
DATE_CHAIN = {"and", ",", "or", "-", "–", "&", "to"}
NOISE_NEIGHBOURS = {"/", "#", ":", "=", "@", "_", ".", "\\", "|"}
NP_PREMODIFIERS = {"more", "other", "further", "several", "additional", "new", "extra", "fresh"}
PP_PREPOSITIONS = {"in", "on"}
STRENGTH_WORD = "strong"           # "a 50,000-strong army": a head count
AGE_TAILS = {"old", "olds"}        # "a 25-year-old", "18- to 25-year-olds": an age, not a count
MAX_AGE = 120
CHANGE_WINDOW = 6                  # words between a word of change and its 'from X to Y'
CONVERSION_SIGNS = {"=", "≈"}      # "$1 = 81.99 roubles": a rate of exchange, not a figure reported
YEAR_RANGE = (1800, 2100)
MAX_NP_TOKENS = 6
PERIOD_SKIPPABLE_PREPOSITIONS = {"from", "to", "into", "at", "for", "on", "in", "out", "of"}
REPEATED_RANGE_UNITS = {"%", "percent"}
PARTITIVE_DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our"}
FRONTED_PERIOD_OPENERS = {",", "that", ":", "—", "–", "-", "meanwhile", "and"}   # a rate phrase opening a clause
FRONTED_PERIOD_BREAKS = {";", ".", "but", "while", "whereas", "although", "which", "since", "after", "before"}   # "20% to 25%", "20 percent to 25 percent"
PERIOD_SKIP_WORDS = 3
LIST_INTRODUCERS = {":", "—", "–"}   # "Losses a day: 1,150 soldiers, 9 tanks": the rate covers the list
# A rate phrase closing the clause ("... were signing up every month") or a named year
# ("... over the whole of 2024") applies to the figure when nothing else intervenes.
CLAUSE_RATE_WINDOW = 10
NAMED_YEAR_WINDOW = 12
NAMED_YEAR_POSITION = "year"       # cg:position of the period cues that stand before a year number
CLAUSE_RATE_BREAKS = {"and", "or", "but", "while", "whereas", "although", "which", "since", "after", "before",
                      "than", "compared", "from", "until", "ago"}
QUOTE_MARKS = {'"', "“", "”", "'", "‘", "’", "«", "»"}
RATIO_UNITS = {"percent", "times"}
# Far from the figure only a distributive rate counts ("every month", "a day", "annually"); a
# time window ("in the past month") there dates one event ("moved 500 troops to X in the past month").
WINDOW_OPENERS = {"in", "over"}
DEADLINE_PREPOSITIONS = PREPOSITIONS | {"within", "after", "before", "until"}
COUNT_NOUNS = {"number", "numbers", "total", "count", "tally", "toll"}


@dataclass
class Draft:
    """A quantity while it is being read: token positions plus what was found so far."""

    start: int                      # first token of the text (qualifier/currency included)
    fig_start: int                  # first token of the number itself
    fig_end: int                    # token after the number (and its range partner)
    end: int                        # token after the whole text
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    unit_span: tuple[int, int] | None = None
    kind: str | None = None
    period: str | None = None
    infer_unit: bool = False        # no counted noun written: take it from the context
    subject_hint: str | None = None  # a demonym inside the counted noun ("Russian troops")
    context_only: bool = False       # not a quantity ("two people"), but its noun may name what others count
    fallback_unit: str | None = None  # "dead" in "150,000 dead": the unit when the context names none
    role: str | None = None          # a kind that qualifies the people the context names ("wounded")
    scaled: bool = False             # written with a scale word ("138 billion"): a sum when money is near
    restates: bool = False           # "5 million rubles ($50,000)": the bracketed figure converts the one before


class QuantityExtractor:
    """The component: built once from the vocabulary, called on every doc."""

    def __init__(self, nlp: Language, qv: QuantityVocab):
        self.qv = qv
        self.numbers = NumberReader(qv.cardinals, qv.scales, qv.signs)
        self.qualifiers = PhraseTable(nlp, "qualifier", [(c.phrase, c) for c in qv.qualifiers])
        self.periods = PhraseTable(nlp, "period", [(c.phrase, c) for c in qv.periods])
        self.modalities = PhraseTable(nlp, "modality", [(c.phrase, c) for c in qv.modalities])
        self.not_quantity = PhraseTable(nlp, "notq", [(c.phrase, c) for c in qv.not_quantity])
        self.multipliers = PhraseTable(nlp, "multiplier", [(p, p) for p in qv.multipliers])
        self.placeholders = {normalise_label(p) for p in qv.placeholders}
        self.time_units = PhraseTable(nlp, "time", list(qv.time_units.items()))
        self.changes = PhraseTable(nlp, "change", [(p, p) for p in qv.change_words])
        self.money_cues = PhraseTable(nlp, "money", [(c.phrase, c) for c in qv.money_cues])
        kind_phrases = []
        for label, iri in qv.kinds.items():
            for form in plural_forms(label):
                kind_phrases.append((form, iri))
        for iri, label in qv.kind_labels.items():
            for form in plural_forms(label):
                kind_phrases.append((form, iri))
        self.kinds = PhraseTable(nlp, "kind", kind_phrases)
        self.currency = qv.currency_symbols
        self.months = qv.months
        self.roles = RoleReader(nlp, qv)

    # ---------------------------------------------------------------- entry point

    def __call__(self, doc: Doc) -> Doc:
        if not Doc.has_extension("quantities"):
            Doc.set_extension("quantities", default=None)
        doc._.quantities = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Quantity]:
        hits = _Hits(
            qualifier=self.qualifiers.find(doc), period=self.periods.find(doc),
            modality=self.modalities.find(doc), notq=self.not_quantity.find(doc),
            multiplier=self.multipliers.find(doc), kind=self.kinds.find(doc), time=self.time_units.find(doc),
            change=self.changes.find(doc))
        sents = Sentences(doc)
        drafts: list[Draft] = []
        date_tokens: set[int] = set()
        i = 0
        while i < len(doc):
            fig = self.numbers.read(doc, i, sents.end_of(i))
            if fig is None:
                i += 1
                continue
            draft = self._read(doc, fig, hits, sents, date_tokens)
            if draft is None:
                i = fig.end if fig.end > i else i + 1
                continue
            if drafts and draft.start < drafts[-1].end:
                draft.start = max(drafts[-1].end, min(draft.start, draft.fig_start))
                if draft.start > draft.fig_start:
                    draft.start = draft.fig_start
            drafts.append(draft)
            i = max(draft.end, i + 1)
        roles = self.roles.find(doc, [(d.fig_start, sents.end_of(d.fig_start)) for d in drafts
                                      if not d.context_only and self.roles.wants(d)])
        for d in drafts:
            if not d.context_only:
                self.roles.read(doc, d, roles, sents.end_of(d.fig_start))
        share_list_period(doc, [d for d in drafts if not d.context_only], sents)
        share_restated_qualifier(doc, drafts)
        resolver = ContextResolver(doc, sents, hits.kind, hits.modality, self.qv, self.months)
        resolver.figure_starts = {d.start for d in drafts}
        resolver.roles = self.roles
        resolver.money_cues = self.money_cues.find(doc)
        drafts += self._counted_nouns(doc, hits, sents)
        finished = (resolver.finish(d, drafts) for d in drafts if not d.context_only)
        return [q for q in finished if q is not None]

    def _counted_nouns(self, doc: Doc, hits: "_Hits", sents: Sentences) -> list[Draft]:
        """'the number of Russians killed ... at 15,000': what a bare figure may count, as context only."""
        found = []
        for tok in doc[:-2]:
            if tok.lower_ in COUNT_NOUNS and doc[tok.i + 1].lower_ == "of":
                start = tok.i + 2
                end, head = self._noun_phrase(doc, hits, start, sents.end_of(start))
                if head > start:
                    found.append(Draft(start=start, fig_start=start, fig_end=start, end=head, unit=doc[start:head].text,
                                       unit_span=(start, head), kind=self._kind_in(doc, hits, start, head),
                                       context_only=True))
        return found

    # ---------------------------------------------------------------- one figure

    def _read(self, doc: Doc, fig: Figure, hits: "_Hits", sents: Sentences, dates: set[int]) -> Draft | None:
        limit = sents.end_of(fig.start)
        if self._looks_like_year(fig):
            dates.update(range(fig.start, fig.end))
        draft = Draft(start=fig.start, fig_start=fig.start, fig_end=fig.end, end=fig.end, scaled=fig.scaled)
        currency = self._currency_before(doc, fig.start)
        if currency:
            draft.start, draft.kind, draft.unit = fig.start - 1, currency, doc[fig.start - 1].text
            draft.unit_span = (fig.start - 1, fig.start)   # "$": what a bare figure near it may count
        self._read_range(doc, fig, draft, limit, hits)
        self._read_qualifier_before(draft, hits)
        if self._is_date(doc, draft, hits, dates) or self._is_noise(doc, draft, hits):
            dates.update(range(draft.fig_start, draft.fig_end))
            return None
        j = draft.fig_end
        j = self._read_qualifier_after(draft, hits, j)
        kinded = self._read_counted(doc, draft, hits, j, limit)
        if kinded is None:
            return None
        j = draft.end
        j = self._read_qualifier_after(draft, hits, j)
        self._read_period(doc, draft, hits, j, limit)
        if self._is_year(fig, draft, currency):
            return None
        if fig.words and not fig.scaled and not kinded:
            draft.context_only = True
            return draft if draft.unit_span else None
        if draft.period is None:
            self._read_period_before(doc, draft, hits, sents)
        if draft.period is None:
            self._read_clause_rate(doc, draft, hits, limit)
        if draft.period is None and draft.unit not in RATIO_UNITS:
            self._read_named_year(doc, draft, hits, sents, limit)
        return draft

    def _currency_before(self, doc: Doc, i: int) -> str | None:
        if i == 0:
            return None
        return self.currency.get(doc[i - 1].text.lower())

    def _read_range(self, doc: Doc, fig: Figure, draft: Draft, limit: int, hits: "_Hits") -> None:
        """Ranges: a glued '120–140', '2-4 million', '600 to 1,100', 'between 1,200 and 1,450'."""
        if fig.high is not None:
            if fig.value <= fig.high:
                draft.low, draft.high, draft.qualifier = fig.value, fig.high, "range"
            else:
                draft.value = fig.value
            return
        draft.value = fig.value
        j = fig.end
        repeated = None
        if j + 2 < limit and doc[j].lower_ in REPEATED_RANGE_UNITS and doc[j + 1].lower_ in RANGE_JOINERS:
            repeated, j = doc[j].lower_, j + 1   # "20% to 25%": the unit written after both figures
        if j + 1 >= limit or doc[j].lower_ not in RANGE_JOINERS:
            return
        joiner = doc[j]
        if joiner.text in GLUED_JOINERS and (doc[j - 1].whitespace_ or joiner.whitespace_) and joiner.text == "-":
            return  # "5 - 8" with spaces is a minus or a dash between clauses, not a range
        after = j + 1
        if self._currency_before(doc, after + 1) and doc[after].text.lower() in self.currency:
            after += 1
        second = self.numbers.read(doc, after, limit)
        if second is None or (second.words != fig.words and joiner.lower_ in ("and", "or")):
            return
        if joiner.lower_ in ("and", "or") and not self._between_before(doc, fig.start):
            return
        if joiner.lower_ == "to" and self._changes_from(doc, fig.start, hits):
            return  # 'raised the rate from 15% to 16%': the old value and the new one
        low = fig.value
        if not fig.scaled and second.scaled and fig.value * second.factor <= second.value:
            low = fig.value * second.factor  # "5-8 million": the scale is shared
        if second.high is not None or low > second.value:
            return
        if repeated and (second.end >= limit or doc[second.end].lower_ != repeated):
            return
        draft.value, draft.low, draft.high = None, low, second.value
        draft.fig_end = draft.end = second.end
        draft.qualifier = "range"

    @staticmethod
    def _changes_from(doc: Doc, i: int, hits: "_Hits") -> bool:
        """Is the figure at i the 'from' value after a word of change ('declined from 5.8% to 3.7%')?"""
        if i == 0 or doc[i - 1].lower_ != "from":
            return False
        for k in range(i - 2, max(-1, i - 2 - CHANGE_WINDOW), -1):
            if doc[k].is_punct:
                return False
            if hits.change.longest_from(k):
                return True
        return False

    @staticmethod
    def _between_before(doc: Doc, i: int) -> bool:
        return any(doc[k].lower_ == "between" for k in range(max(0, i - 3), i))

    def _read_qualifier_before(self, draft: Draft, hits: "_Hits") -> None:
        hit = hits.qualifier.longest_to(draft.start, lambda c: c.position == "before")
        if hit is None:
            return
        cue = hit[2]
        if cue.signal == "range":
            if draft.qualifier == "range":
                draft.start = hit[0]
            return
        draft.start = hit[0]
        if draft.qualifier != "range":
            draft.qualifier = cue.signal

    def _read_qualifier_after(self, draft: Draft, hits: "_Hits", j: int) -> int:
        hit = hits.qualifier.longest_from(j, lambda c: c.position == "after")
        if hit is None or draft.qualifier == "range":
            return j
        draft.qualifier = hit[2].signal
        draft.end = max(draft.end, hit[1])
        return hit[1]

    # ---------------------------------------------------------------- what is counted

    def _read_counted(self, doc: Doc, draft: Draft, hits: "_Hits", j: int, limit: int) -> bool | None:
        """Fill unit/kind from the words after the number; False: nothing known counted; None: not a count."""
        longest = hits.kind.longest_from(j)
        if j < limit and (doc[j].text == "%" or longest and longest[2].endswith("/Percentage")):
            hit = hits.kind.longest_from(j, lambda iri: iri.endswith("/Percentage"))
            end = hit[1] if hit else j + 1
            draft.unit, draft.kind, draft.end = "percent", self.qv.kind_iri("Percentage"), end
            self._read_of_phrase(doc, draft, end, limit)
            return True
        if j + 1 < limit and doc[j].text in GLUED_JOINERS and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
            return self._read_compound(doc, draft, j, limit)
        multiplier = hits.multiplier.longest_from(j)
        if multiplier:
            draft.unit, draft.end = "times", multiplier[1]
            return True
        if self._starts_time_unit(hits, j):
            return None  # "3 months", "24 hours": a duration, not a count
        if self._notq_after(hits, j):
            return None
        if j + 2 < limit and doc[j].lower_ == "of" and doc[j + 1].lower_ in PARTITIVE_DETERMINERS:
            # "61 of the drones": a part of a whole named after the determiner
            np_end, head_end = self._noun_phrase(doc, hits, j + 2, limit)
            if head_end > j + 2 and draft.kind is None:
                draft.unit, draft.unit_span = doc[j + 2:np_end].text, (j + 2, np_end)
                draft.kind, draft.end = self._kind_in(doc, hits, j + 2, head_end), np_end
                return draft.kind is not None
        np_end, head_end = self._noun_phrase(doc, hits, j, limit)
        if longest and longest[0] == j and np_end < longest[1] <= limit \
                and any(t.is_punct for t in doc[j:longest[1]]):
            np_end = head_end = longest[1]   # "4.6 million b/d": a kind written across a slash is one noun
        if np_end == j:
            draft.infer_unit = draft.kind is None
            return draft.kind is not None
        draft.end = np_end
        words = normalise_label(doc[j:head_end].text)
        kind = self._kind_in(doc, hits, j, head_end)
        if words in self.placeholders:
            of_end = self._of_noun(doc, hits, np_end, limit)
            if of_end and draft.kind is None:  # "1,000 pieces of equipment", "units of ammunition"
                draft.unit, draft.unit_span = doc[np_end + 1:of_end].text, (np_end + 1, of_end)
                draft.kind, draft.end = self._kind_in(doc, hits, np_end + 1, of_end), of_end
                return True
            draft.infer_unit = draft.kind is None
            return True
        if head_end == j:  # only an adjective like "wounded" or "recoverable"
            draft.infer_unit = draft.kind is None
            draft.fallback_unit = doc[j].text
            return False
        if kind is None and head_end > j and self._people_of_a_place(doc[head_end - 1]):
            kind = self.qv.kind_iri("Person")   # "7,000 Russians": people, counted by where they are from
        if draft.kind is None:
            draft.unit, draft.unit_span, draft.kind = doc[j:np_end].text, (j, np_end), kind
            if kind is not None and np_end == head_end and draft.unit.lower() in self.qv.kind_words:
                draft.unit = self.qv.kind_labels[kind]   # "300,000 men": personnel, nothing more said
        draft.subject_hint = self._demonym(doc, j, head_end)
        return kind is not None

    def _of_noun(self, doc: Doc, hits: "_Hits", j: int, limit: int) -> int | None:
        """End of the noun in 'of NOUN' at token j, if one follows directly."""
        if j + 1 >= limit or doc[j].lower_ != "of":
            return None
        np_end, head_end = self._noun_phrase(doc, hits, j + 1, limit)
        if head_end == j + 1 and doc[j + 1].is_alpha and doc[j + 1].lower_.endswith("ing"):
            return j + 2   # "instances of shelling": after 'of' a word in -ing is a noun
        return np_end if head_end > j + 1 else None

    def _read_compound(self, doc: Doc, draft: Draft, j: int, limit: int) -> bool | None:
        """'15-year', '50,000-strong army': the word glued to the number is the unit."""
        word = doc[j + 1]
        if not word.is_alpha or len(word.text) < 2:
            return None
        end = j + 2
        if end + 1 < limit and doc[end].text in GLUED_JOINERS and doc[end + 1].lower_ in AGE_TAILS:
            return None
        if word.lower_ == STRENGTH_WORD:
            head = doc[end] if end < limit else None
            personnel = self.qv.kind_iri("Personnel")
            known = head is not None and head.is_alpha and self.qv.kinds.get(normalise_label(head.text))
            if head is not None and head.is_alpha and not head.is_stop:
                # "a 50,000-strong army" counts the army's men; "its 10,000-strong force", a word that
                # names no kind, counts troops
                draft.unit, draft.end = (head.text if known else "troops"), end + 1
            else:
                draft.unit, draft.end = "troops", end
            draft.kind = self.qv.kinds.get(normalise_label(draft.unit), personnel)
            return True
        if doc[draft.fig_start].is_alpha and word.lower_ not in self.qv.time_units:
            return None  # "one-time", "two-thirds": words, not a count
        draft.unit, draft.end = word.text, end
        draft.kind = self.qv.kinds.get(normalise_label(word.text))
        return True

    def _read_of_phrase(self, doc: Doc, draft: Draft, j: int, limit: int) -> None:
        """'90% of the personnel': the share's base belongs to the quoted words."""
        if j >= limit or doc[j].lower_ != "of":
            return
        k = j + 1
        while k < limit and k < j + 4 and (doc[k].is_stop or doc[k].text in ("'s", "’s")) and doc[k].is_alpha:
            k += 1
        np_end = k
        while np_end < limit and np_end < k + 3 and doc[np_end].is_alpha and not doc[np_end].is_stop \
                and not (np_end > k and doc[np_end].is_title and not doc[np_end - 1].is_title):
            np_end += 1
        if np_end > k:
            draft.end = np_end

    def _noun_phrase(self, doc: Doc, hits: "_Hits", j: int, limit: int) -> tuple[int, int]:
        """The counted noun after a number: (end of the phrase incl. 'in storage', end of its head)."""
        k, words = j, 0
        while k < limit and words < MAX_NP_TOKENS and self._np_word(doc, hits, k, j):
            if not _glued_part(doc, k):
                words += 1   # a word written with hyphens counts once ("non-IG-insured")
            k += 1
            if k < limit and doc[k].lower_ in ("and", "or") and self._coordinated_kind(doc, hits, j, k, limit):
                k += 1  # "cruise and ballistic missiles"
        if k == j:
            return j, j
        first = _compound_end(doc, j, k)
        if self._non_noun(doc[first]) and (first + 1 == k or not any(ch.isalpha() for ch in doc[first + 1].text)):
            return first + 1, j  # "500,000 wounded", "2,000 recoverable": the noun is elsewhere
        nouns = [h for h in hits.kind.within(j, k) if not (h[1] - h[0] == 1 and self._non_noun(doc[h[0]]))]
        covered = {m for s, e, _ in nouns for m in range(s, e)}
        lead = j   # "newly formed regiments": modifiers before the noun are part of the phrase
        while lead < k - 1 and lead not in covered:
            last = _compound_end(doc, lead, k)   # "non-IG-insured": one modifier written with hyphens
            if not self._non_noun(doc[last]) or last + 1 >= k or not doc[last + 1].is_alpha \
                    or any(m in covered for m in range(lead, last + 1)):
                break
            lead = last + 1
        # a modifier ends the phrase unless a known kind follows it ("new and modernised tanks")
        k = next((m for m in range(lead + 1, k) if self._non_noun(doc[m]) and m not in covered and not _glued_part(doc, m)
                  and not any(h[0] > m for h in nouns)), k)
        kind_end = max((h[1] for h in nouns if h[1] <= k), default=None)
        if kind_end is not None:
            head_end = kind_end
        else:
            head_end = j
            for m in range(j, k):
                if self._non_noun(doc[m]) and m > lead and not _glued_part(doc, m):
                    break
                head_end = m + 1
                if m + 1 < k and self._looks_plural(doc[m]) and doc[m + 1].is_lower \
                        and not self._looks_plural(doc[m + 1]):
                    break  # "Ukrainians fled", "missiles hit": a plural noun then a verb
            if all(self._non_noun(doc[m]) for m in range(j, head_end)):
                return j + 1, j  # "2,000 recoverable": an adjective, the noun is elsewhere
        return self._prepositional_tail(doc, hits, head_end, limit), head_end

    @staticmethod
    def _coordinated_kind(doc: Doc, hits: "_Hits", j: int, k: int, limit: int) -> bool:
        """Does 'and'/'or' at k join two modifiers of one kind name, none named before it?"""
        if hits.kind.within(j, k):
            return False
        return any(s > k and e <= min(limit, k + 4) for s, e, _ in hits.kind.within(k + 1, min(limit, k + 4)))

    def _np_word(self, doc: Doc, hits: "_Hits", k: int, j: int) -> bool:
        tok = doc[k]
        if tok.is_space:
            return False
        if tok.like_num or self.numbers.read(doc, k) is not None:
            calibre = hits.notq.longest_from(k + 1, lambda c: c.signal == "not-quantity-calibre")
            glued_mm = k + 1 < len(doc) and not tok.whitespace_ and doc[k + 1].is_alpha
            if k == j and (calibre or glued_mm):
                return True  # "50,000 152-mm shells", "155mm": the calibre modifies the noun
            return any(s < k < e for s, e, _ in hits.kind.within(max(j, k - 3), k + 2))  # "Leopard 2 tanks"
        if tok.is_punct:
            joined = tok.text == "-" and k > j and not doc[k - 1].whitespace_ and not tok.whitespace_
            return joined and k + 1 < len(doc) and doc[k + 1].is_alpha
        if any(dash in tok.text for dash in "—–") and not hits.kind.longest_from(k):
            return False  # "personnel—5,000": a dash glued between two phrases
        if hits.period.longest_from(k, lambda c: c.position == "after") or hits.qualifier.longest_from(
                k, lambda c: c.position == "after") or hits.multiplier.longest_from(k):
            return False
        bound = hits.qualifier.longest_from(k, lambda c: c.position == "before")
        if bound and bound[1] < len(doc) and self.numbers.read(doc, bound[1]) is not None:
            return False  # "from 14,000 past 28,000": the bound of the next figure, never a noun
        if tok.is_stop and not hits.kind.longest_from(k) and not _glued_part(doc, k) and _compound_end(doc, k, len(doc)) == k and not (tok.lower_ in NP_PREMODIFIERS and k + 1 < len(doc)
                                and any(ch.isalpha() for ch in doc[k + 1].text) and not doc[k + 1].is_stop):
            return False
        if k > j and tok.is_title and not doc[k - 1].is_title and not hits.kind.longest_from(k) \
                and not (k == j + 1 and doc[j].lower_ in NP_PREMODIFIERS) and not _glued_part(doc, k) \
                and not (tok.lower_ in self.qv.demonyms and k + 1 < len(doc) and doc[k + 1].is_lower):
            return False  # a proper noun after the counted noun starts something else ("destroyed Russian tanks" goes on)
        return any(ch.isalpha() for ch in tok.text)

    _non_noun = staticmethod(is_non_noun)

    def _looks_plural(self, tok) -> bool:
        """A regular plural, or an irregular one from the vocabulary ('people enter', 'children fled')."""
        return _looks_plural(tok) or tok.lower_ in self.qv.irregular_plurals

    def _prepositional_tail(self, doc: Doc, hits: "_Hits", k: int, limit: int) -> int:
        """'tanks in storage', 'vehicles in service': a bare state phrase stays with the noun."""
        if k + 1 >= limit or doc[k].lower_ not in PP_PREPOSITIONS:
            return k
        word = doc[k + 1]
        nxt = doc[k + 2] if k + 2 < limit else None
        bare = word.is_alpha and word.is_lower and not word.is_stop and not self._starts_time_unit(hits, k + 1)
        ends = nxt is None or nxt.is_punct or nxt.is_stop or nxt.is_space
        if bare and ends and not hits.period.longest_from(k, lambda c: c.position == "after"):
            return k + 2
        return k

    def _kind_in(self, doc: Doc, hits: "_Hits", start: int, end: int) -> str | None:
        """The most specific kind named inside tokens [start, end): longest label, then depth, then rightmost."""
        best = None
        for s, e, iri in hits.kind.within(start, end):
            rank = (e - s, self.qv.kind_depth.get(iri, 0), e)
            if best is None or rank > best[0]:
                best = (rank, iri)
        if best:
            return best[1]
        return self.qv.kinds.get(normalise_label(doc[start:end].text))

    def _people_of_a_place(self, tok) -> bool:
        """'Russians', 'Ukrainians': a demonym in the plural names people."""
        lower = tok.lower_
        return lower.endswith("s") and lower[:-1] in self.qv.demonyms and tok.text[:1].isupper()

    def _demonym(self, doc: Doc, start: int, end: int) -> str | None:
        return next((self.qv.demonyms[t.lower_] for t in doc[start:end] if t.lower_ in self.qv.demonyms), None)

    # ---------------------------------------------------------------- rates

    def _read_period(self, doc: Doc, draft: Draft, hits: "_Hits", j: int, limit: int) -> None:
        """A rate right after the figure, or after a short place phrase ('115 tanks from storage every month')."""
        for k in self._period_starts(doc, j, limit):
            hit = hits.period.longest_from(k, lambda c: c.position == "after")
            if hit and hit[1] < len(doc) and doc[hit[1]].lower_ in TIME_POINT_WORDS:
                return   # "470,000 a year ago": a point in time, not a rate
            if hit:
                draft.period, draft.end = hit[2].signal, hit[1]
                return
            every = self._every_n(doc, hits, k, limit)
            if every:
                draft.period, draft.end = every
                return

    def _read_clause_rate(self, doc: Doc, draft: Draft, hits: "_Hits", limit: int) -> None:
        """'up to 60,000 volunteers were signing up every month', '30,000 soldiers it loses every
        month': a rate phrase closing the figure's clause, with no other figure or clause between."""
        for k in self._clause_after(doc, draft.end, limit, CLAUSE_RATE_WINDOW):
            if doc[k - 1].lower_ in DEADLINE_PREPOSITIONS:
                continue  # 'within a year' is a deadline, not a rate
            hit = hits.period.longest_from(k, lambda c: c.position == "after"
                                           and c.phrase.split()[0] not in WINDOW_OPENERS)
            if hit and not (hit[1] < len(doc) and doc[hit[1]].lower_ in TIME_POINT_WORDS):
                draft.period = hit[2].signal
                return

    def _read_named_year(self, doc: Doc, draft: Draft, hits: "_Hits", sents: Sentences, limit: int) -> None:
        """'In 2023, the plant built 2,738 drones', '440,000 joined over the whole of 2024': a count
        given for a named year is a yearly total (shares and ratios excepted). A figure inside a
        prepositional phrase ('invaded with 180,000 troops') describes something else."""
        if draft.start > 0 and doc[draft.start - 1].lower_ in PREPOSITIONS:
            return
        for k in self._clause_after(doc, draft.end, limit, NAMED_YEAR_WINDOW):
            if self._year_phrase(doc, hits, k, limit):
                draft.period = self._year_phrase(doc, hits, k, limit)
                return
        start = sents.start_of(draft.start)
        for k in range(start, draft.start):
            if k > start and doc[k - 1].lower_ not in FRONTED_PERIOD_OPENERS:
                continue
            period = self._year_phrase(doc, hits, k, limit)
            if period is None:
                continue
            between = doc[k:draft.start]
            if any(t.lower_ in FRONTED_PERIOD_BREAKS for t in between) or any(
                    t.text == "," and t.i > k + 2 and t.i + 1 < len(doc) and self.numbers.read(doc, t.i + 1) is None
                    and t.i + 1 != draft.start for t in between):
                return  # 'In 2023, the plant built 300 drones, given a new name, with 500 more ...'
            draft.period = period
            return

    def _year_phrase(self, doc: Doc, hits: "_Hits", k: int, limit: int) -> str | None:
        """The period of a named-year phrase ('in 2023', 'over the whole of 2024') starting at k."""
        hit = hits.period.longest_from(k, lambda c: c.position == NAMED_YEAR_POSITION)
        if hit is None or hit[1] >= limit:
            return None
        year = self.numbers.read(doc, hit[1], limit)
        if year is None or not self._looks_like_year(year):
            return None
        if year.end < limit and doc[year.end].text in GLUED_JOINERS:
            return None  # 'in 2022-23': a span of years, no yearly total
        return hit[2].signal

    def _clause_after(self, doc: Doc, j: int, limit: int, window: int) -> list[int]:
        """Token positions after the figure's words up to the end of its clause (or `window` tokens):
        the scan stops at punctuation, a clause break or another number."""
        found = []
        for k in range(j, min(limit, j + window)):
            tok = doc[k]
            if tok.text in QUOTE_MARKS or tok.is_space:
                continue
            if tok.is_punct or tok.lower_ in CLAUSE_RATE_BREAKS or self.numbers.read(doc, k, limit) is not None:
                break
            found.append(k)
        return found

    @staticmethod
    def _period_starts(doc: Doc, j: int, limit: int) -> list[int]:
        starts = [j]
        if j < limit and is_non_noun(doc[j]):
            starts.append(j + 1)  # "25,000 soldiers killed a month"
        elif j < limit and doc[j].lower_ in PERIOD_SKIPPABLE_PREPOSITIONS:
            for k in range(j + 1, min(limit, j + 1 + PERIOD_SKIP_WORDS)):
                if not doc[k].is_alpha:
                    break
                starts.append(k + 1)
        return starts

    def _every_n(self, doc: Doc, hits: "_Hits", j: int, limit: int) -> tuple[str, int] | None:
        """'every 3 months' -> P3M."""
        if j + 2 >= limit or doc[j].lower_ not in ("every", "each", "per"):
            return None
        n = self.numbers.read(doc, j + 1, limit)
        if n is None or n.high is not None:
            return None
        unit = hits.time.longest_from(n.end)
        if unit is None:
            return None
        one = re.match(r"^(PT?)(\d+)([A-Z])$", str(unit[2]))
        if not one:
            return None
        count = n.value * int(one.group(2))
        return f"{one.group(1)}{count:g}{one.group(3)}", unit[1]

    def _read_period_before(self, doc: Doc, draft: Draft, hits: "_Hits", sents: Sentences) -> None:
        """'annual production at one million units': a rate adjective a few words before;
        'Over the past day, the army lost 1,150 soldiers': a rate phrase opening the clause."""
        self._read_fronted_period(doc, draft, hits, sents)
        if draft.period is not None:
            return
        first = max(sents.start_of(draft.start), draft.start - 6)
        for k in range(draft.start - 1, first - 1, -1):
            if self.numbers.read(doc, k) is not None or doc[k].text in (";", ".", ":", ","):
                return
            hit = hits.period.longest_from(k, lambda c: c.position == "before")
            if hit:
                draft.period = hit[2].signal
                return

    @staticmethod
    def _read_fronted_period(doc: Doc, draft: Draft, hits: "_Hits", sents: Sentences) -> None:
        start = sents.start_of(draft.start)
        for k in range(start, draft.start):
            hit = hits.period.longest_from(k, lambda c: c.position == "after")
            if hit is None or hit[1] > draft.start:
                continue
            introduces = hit[1] < draft.start and doc[hit[1]].text in LIST_INTRODUCERS  # "losses a day: 1,150 ..."
            if k > start and doc[k - 1].lower_ not in FRONTED_PERIOD_OPENERS and not introduces:
                continue
            if any(t.lower_ in FRONTED_PERIOD_BREAKS for t in doc[hit[1]:draft.start]):
                return
            draft.period = hit[2].signal
            return

    # ---------------------------------------------------------------- what is not a count

    def _starts_time_unit(self, hits: "_Hits", j: int) -> bool:
        return hits.time.longest_from(j) is not None

    def _notq_after(self, hits: "_Hits", j: int) -> bool:
        return hits.notq.longest_from(j, lambda c: c.position == "after") is not None

    def _is_date(self, doc: Doc, draft: Draft, hits: "_Hits", dates: set[int]) -> bool:
        """Dates, clock times, labels and calibres: '7 January', 'November 19', 'August 16 and 22',
        '16-22 August', 'Article 5', '10 a.m.', '152 mm'."""
        before = draft.fig_start - 1
        month = lambda c: c.signal == "not-quantity-month"
        if any(0 <= k < len(doc) and doc[k].lower_ in self.months for k in (before, draft.fig_end)):
            return True  # "Feb. 24", "24 Feb.": abbreviations the tokenizer keeps whole
        if before >= 0 and hits.notq.longest_to(draft.fig_start, lambda c: c.position == "before"):
            return True
        if hits.notq.longest_from(draft.fig_end, lambda c: c.position == "after" and c.signal != "not-quantity-label-after"
                                  or month(c)):
            return True
        if draft.fig_end < len(doc) and doc[draft.fig_end].text == "," and hits.notq.longest_from(draft.fig_end + 1, month):
            return True
        whole = draft.value is not None and float(draft.value).is_integer() and not (
            draft.fig_end < len(doc) and doc[draft.fig_end].lower_ in REPEATED_RANGE_UNITS)
        if whole and before >= 1 and doc[before].lower_ in DATE_CHAIN and (before - 1) in dates:
            return True  # 'in 2022 and 2023'; 'in 2025 to 6.3%' is no date
        j = draft.fig_end
        if j + 1 < len(doc) and doc[j].lower_ in DATE_CHAIN:
            nxt = self.numbers.read(doc, j + 1)
            if nxt is not None and hits.notq.longest_from(nxt.end, month):
                return True
        return False

    def _is_noise(self, doc: Doc, draft: Draft, hits: "_Hits") -> bool:
        """Numbers glued to URLs, paths, clock parts, citations or list markers, and label words after."""
        first, last = doc[draft.fig_start], doc[draft.fig_end - 1]
        prev = doc[draft.fig_start - 1] if draft.fig_start > 0 else None
        nxt = doc[draft.fig_end] if draft.fig_end < len(doc) else None
        if prev is not None and nxt is not None and prev.text == "," and nxt.text == "," and draft.fig_start >= 2 \
                and doc[draft.fig_start - 2].is_title and draft.value is not None and 0 < draft.value < MAX_AGE \
                and float(draft.value).is_integer() and draft.qualifier == "exact":
            return True  # 'Elina Svitolina, 30, said': an age after a name
        if draft.value == 0 and not first.is_alpha:
            return True  # "0 comments": page furniture, never a reported figure
        if _BARE_DIGITS.match(first.text) and any(t is not None and _BARE_DIGITS.match(t.text) for t in (prev, nxt)):
            return True  # "+44 20 7946 0958": phone numbers and codes
        if prev is not None and not prev.whitespace_ and prev.text in NOISE_NEIGHBOURS:
            return True
        if prev is not None and prev.text in GLUED_JOINERS and not prev.whitespace_ and draft.fig_start >= 2 \
                and doc[draft.fig_start - 2].is_digit and not doc[draft.fig_start - 2].whitespace_:
            return True  # '2024-06-14': the tail of a date or a code (a range is read from its first number)
        if any(t is not None and t.text in CONVERSION_SIGNS for t in (prev, nxt)) or (
                draft.start > 0 and doc[draft.start - 1].text in CONVERSION_SIGNS):
            return True  # '($1 = 81.99 roubles)': an exchange rate, not a reported figure
        if nxt is not None and not last.whitespace_ and nxt.is_alpha and not last.is_alpha \
                and nxt.lower_ not in self.qv.scales:
            return True  # "155mm", "5G": a calibre or a name, not a count
        if nxt is not None and not last.whitespace_ and nxt.text in NOISE_NEIGHBOURS - {"."}:
            return True
        if prev is not None and nxt is not None and prev.text in ("[", "(") and nxt.text in ("]", ")") \
                and draft.value is not None and draft.value < 100:
            return True  # [3] footnote marks
        if (prev is None or "\n" in prev.text) and nxt is not None and nxt.text in (".", ")") and not first.is_alpha:
            return True  # "1." / "2)" numbered list markers
        if hits.notq.longest_from(draft.fig_end, lambda c: c.signal == "not-quantity-label-after"):
            return True
        return False

    @classmethod
    def _is_year(cls, fig: Figure, draft: Draft, currency: str | None) -> bool:
        """A bare four-digit number in 1800..2100 is a year unless it counts something known."""
        if currency or draft.unit == "percent" or draft.kind is not None:
            return False
        return cls._looks_like_year(fig)

    @staticmethod
    def _looks_like_year(fig: Figure) -> bool:
        if fig.words or fig.scaled:
            return False
        return bool(re.fullmatch(r"\d{4}", fig.digits)) and YEAR_RANGE[0] <= int(fig.digits) <= YEAR_RANGE[1]


def _compound_end(doc: Doc, k: int, limit: int) -> int:
    """The last part of a word written with hyphens and no spaces from token k ('non-IG-insured',
    'newly-made'): the tokenizer splits it, but it modifies the noun as one word."""
    while k + 2 < limit and doc[k + 1].text in GLUED_JOINERS and not doc[k].whitespace_ \
            and not doc[k + 1].whitespace_ and doc[k + 2].is_alpha:
        k += 2
    return k


def _glued_part(doc: Doc, k: int) -> bool:
    """Is token k a hyphen inside a word, or a part after such a hyphen ('insured' in 'non-IG-insured')?"""
    tok = doc[k]
    if tok.text in GLUED_JOINERS:
        return k > 0 and not doc[k - 1].whitespace_ and not tok.whitespace_
    return k > 1 and doc[k - 1].text in GLUED_JOINERS and not doc[k - 1].whitespace_ and not doc[k - 2].whitespace_


def _looks_plural(tok) -> bool:
    lower = tok.lower_
    return tok.is_alpha and len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


TIME_POINT_WORDS = {"ago", "earlier", "before", "later", "previously", "back"}


def share_list_period(doc: Doc, drafts: list[Draft], sents: Sentences) -> None:
    """'1,250 soldiers, 12 tanks and 30 guns in the past day': the rate closing a list applies to all of it."""
    for left, right in zip(reversed(drafts[:-1]), reversed(drafts[1:])):
        if right.period and not left.period and sents.of(left.start) == sents.of(right.start):
            between = [t for t in doc[left.end:right.start] if not t.is_space]
            if between and all(t.lower_ in (",", "and") for t in between):
                left.period = right.period


def share_restated_qualifier(doc: Doc, drafts: list[Draft]) -> None:
    """'about 1.4 trillion rubles ($16 billion)': a figure restated in brackets is as approximate
    (or as bounded) as the one it converts, and is marked as a restatement."""
    for left, right in zip(drafts, drafts[1:]):
        if right.start == left.end + 1 and left.end < len(doc) and doc[left.end].text == "(":
            right.restates = True
            if right.qualifier == "exact" and left.qualifier not in ("exact", "range"):
                right.qualifier = left.qualifier


@dataclass
class _Hits:
    qualifier: PhraseHits
    period: PhraseHits
    modality: PhraseHits
    notq: PhraseHits
    multiplier: PhraseHits
    kind: PhraseHits
    time: PhraseHits
    change: PhraseHits


@Language.factory("claimgraph_quantities", default_config={"vocab_dir": None})
def make_quantity_extractor(nlp: Language, name: str, vocab_dir: str | None) -> QuantityExtractor:
    """Built from ontology/vocab (or `vocab_dir`): quantity.ttl cues, kinds.ttl, places.ttl demonyms."""
    vocabulary = load_vocabulary(Path(vocab_dir)) if vocab_dir else load_vocabulary()
    return QuantityExtractor(nlp, build_quantity_vocab(vocabulary))


if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=None)
