"""What counted people are, read from the words next to the count.

"20,000 soldiers have been killed", "210,000 individuals joined the armed forces under
contract", "about 109,000 are in the reserve": the noun after a number often says only that
people are counted; the predicate that follows says what they are (deaths, contract soldiers,
reservists). The cues are cg:RoleCue data in ontology/vocab/quantity.ttl — plain phrases, and
verb + object pairs turned into spaCy Matcher patterns ("joined Russia's armed forces"). A
role is only taken when the words say so: auxiliaries and adverbs may stand between the count
and the cue, nothing else.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ingest.extract.phrase_index import PhraseHits, PhraseTable
from common.iris import KIND
from ingest.extract.quantity_vocab import Cue, QuantityVocab, singular

if TYPE_CHECKING:
    from ingest.extract.quantities import Draft

# Words that may stand between a count and the predicate saying what it counts.
ROLE_SKIPPABLE = {"have", "has", "had", "been", "be", "being", "were", "was", "are", "is", "so", "far",
                  "either", "also", "already", "now", "still", "reportedly", "allegedly", "since", "then"}
NEGATIONS = {"not", "never", "n't", "no"}
SKIPPABLE_POS = {"AUX", "ADV"}
QUOTE_MARKS = {'"', "“", "”", "'", "‘", "’", "«", "»"}
ROLE_BREAKS = {"and", "or", "but", "while", "whereas", "although", "which", "who", "after", "before",
               "than", "because"}
PERSON = KIND + "Person"   # 'people', 'individuals': nouns that say no more than that people are counted
ROLE_WINDOW = 12
MAX_GAP = 3   # words allowed between a role verb and its object ("joined Russia 's armed forces")


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class RoleReader:
    """Finds role cues in a doc and gives a count of people the kind they name."""

    def __init__(self, nlp: Language, qv: QuantityVocab):
        self.phrases = PhraseTable(nlp, "role", [(c.phrase, c) for c in qv.roles])
        self.matcher = Matcher(nlp.vocab)
        self.pair_kinds: dict[int, str] = {}
        for n, (verbs, objects, iri) in enumerate(qv.role_pairs):
            gap = [{"IS_PUNCT": False, "OP": "?"}] * MAX_GAP
            patterns = [[{"LOWER": w} for w in verb.split()] + gap + [{"LOWER": w} for w in obj.split()]
                        for verb in verbs for obj in objects]
            name = f"role-pair-{n}"
            self.matcher.add(name, patterns)
            self.pair_kinds[nlp.vocab.strings[name]] = iri
        self.people = qv.people_kinds()
        self.keeps_noun = qv.noun_keeping_roles
        self.broader = qv.broader
        self.irregular = qv.irregular_plurals
        self.tops = {iri for iri in qv.kind_labels if not qv.broader.get(iri)}
        self.generic = {PERSON}
        self.depth = qv.kind_depth
        self.labels = qv.kind_labels

    def find(self, doc: Doc, windows: list[tuple[int, int]] | None = None) -> PhraseHits:
        """Role cues in the doc; the verb + object patterns only inside `windows` (token ranges after
        counts of people), where a role can apply -- the token Matcher is the costly part."""
        hits = self.phrases.find(doc)
        for start, end in _merged(windows if windows is not None else [(0, len(doc))]):
            for key, s, e in self.matcher(doc[start:end]):
                hits.add(start + s, start + e, Cue(doc[start + s:start + e].text.lower(), self.pair_kinds[key], "after"))
        return hits

    def wants(self, d: "Draft") -> bool:
        """Whether a count can take a role: it counts people, or says nothing of what it counts."""
        return d.kind in self.people or d.kind is None and d.unit is None

    def read(self, doc: Doc, d: "Draft", hits: PhraseHits, limit: int) -> None:
        """Set the draft's kind and unit to the role its clause names, if it counts people."""
        written = d.kind in self.people
        bare = d.kind is None and d.unit is None
        if not self.wants(d):
            return
        iri = self._after(doc, d, hits, limit)
        if iri is None and written:
            before = hits.longest_to(d.start, lambda c: c.position == "before")
            iri = before[2].signal if before else None
        if iri is None or iri not in self.labels:
            return
        if iri in self.keeps_noun and bare:
            d.role, d.fallback_unit = iri, None   # '500,000 wounded': whose wounded, the context says
            return
        if iri in self.keeps_noun:
            d.role = iri
            self.qualify(d)
            return
        d.kind, d.unit, d.infer_unit, d.fallback_unit = iri, self.labels[iri], False, None

    def qualify(self, d: "Draft") -> None:
        """'Russian troops' + killed -> 'Russian troop death'; people said no more of -> 'death'."""
        iri, d.role = d.role, None
        label = self.labels[iri]
        specific = d.kind in self.people and d.kind not in self.generic and d.unit \
            and not ({d.kind} | self.broader.get(d.kind, set())) & ({iri} | self.broader.get(iri, set()) - self.tops)
        d.unit = f"{self._singular(d.unit)} {label}" if specific else label
        d.kind, d.infer_unit = iri, False

    def _singular(self, phrase: str) -> str:
        words = phrase.split()
        last = words[-1].lower()
        return " ".join([*words[:-1], self.irregular.get(last) or singular(last)])

    def _after(self, doc: Doc, d: "Draft", hits: PhraseHits, limit: int) -> str | None:
        """The most specific role named by the cues that follow the count, or None."""
        k = d.unit_span[1] if d.unit_span else d.fig_end
        end = min(limit, k + ROLE_WINDOW)
        found: list[str] = []
        while k < end:
            tok = doc[k]
            hit = hits.longest_from(k, lambda c: c.position == "after")
            if hit is not None:
                found.append(hit[2].signal)
                k = hit[1]
                continue
            if found:
                if tok.is_punct and tok.text not in QUOTE_MARKS or tok.lower_ in ROLE_BREAKS or tok.like_num:
                    break
            elif not (k < d.end or self._skippable(tok)):
                break
            k += 1
        if not found:
            return None
        return max(found, key=lambda iri: self.depth.get(iri, 0))

    @staticmethod
    def _skippable(tok) -> bool:
        lower = tok.lower_
        if lower in NEGATIONS:
            return False
        return lower in ROLE_SKIPPABLE or tok.text in QUOTE_MARKS or (tok.is_alpha and lower.endswith("ly")) \
            or tok.pos_ in SKIPPABLE_POS
