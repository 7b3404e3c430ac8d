"""Reported speech read from a dependency parse: the speaker is the subject of a verb of speech,
the claim its clausal complement.

attribution.py reads attribution from the surface of the text and runs always. Where a trained
spaCy pipeline is installed (Extractor(spacy_model=...)), the sentences that hold a cue are
parsed and this module adds the claims the surface rules missed -- titles and appositions
between subject and verb ("Finance Minister A B said ..."), relative clauses ("X, chief of Y, who
warned that ..."), "as X warns, ...", participles, accusations, characterisations, speech nouns,
back references ("X made this statement"), sources named by a common noun ("the study found",
"the outlet added", "Bloomberg journalists believe", "the Russian defence ministry said") -- and
re-reads the speaker and clause of the claims the rules found at the same cue.

The patterns are spaCy DependencyMatcher patterns whose cue words come from attribution.ttl;
the nouns that stand for an organisation (staff, media, source and organisation words) from
titles.ttl. Nothing here names an actor.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

from common.iris import fold
from ingest.extract.actors import ActorBook, Entry, Mention
from ingest.extract.antecedents import introduced_after, introduced_person, previous_speaker, pronoun_antecedent
from ingest.extract.lexicon import Lexicon

PRONOUNS = {"he": "person", "she": "person", "it": "organization"}
OWNER_PRONOUNS = {"its", "their"}   # "its finance ministry": the country the sentence named owns it
OWN_CONTENT_DEPS = {"dobj", "ccomp", "xcomp"}   # what a verb says in its own clause
INDEFINITES = {"a", "an", "one", "another"}   # a role introduced as someone new, never someone named before
QUESTION_MARKS = {"whether", "if"}   # "asked whether she believes ...": a question, not a claim
POSSESSIVE_PRONOUNS = {"his": "person", "her": "person", "its": "organization"}
GROUP_PRONOUNS = {"they"}   # only the organisation that spoke just before: "they" is otherwise anyone
RELATIVES = {"who", "which", "that"}
PERSON_RELATIVE = "who"
MAX_CLIMB = 4   # "X, chief executive of the Y group, who ...": appos -> prep -> pobj
PHRASE_DEPS = {"appos", "conj", "compound", "flat", "nmod"}   # a noun phrase's own parts
NAME_DEPS = {"compound", "flat", "nmod", "amod", "poss", "case", "det", "punct"}
CONTENT_DEPS = ["ccomp"]
COMPLEMENTISERS = ["that", "how", "whether"]
SUBTREE_CONTENT = {"complement", "compound_subject", "with_participle", "noun_complement", "object", "noun_about", "participle", "accusation",
                   "shared_subject", "shared_subject_across_clause", "shared_subject_object",
                   "shared_subject_second_clause", "characterisation",
                   "naming"}   # patterns whose content is the matched clause
BACK_REFERENCES = {"back_reference", "passive_back_reference"}   # patterns whose content came before
MIN_OBJECT_WORDS = 5   # "said nothing", "estimates the losses": short objects are no claims
DEMONSTRATIVES = {"this", "that", "these"}
NOUN_CLAUSE_WORDS = {"that", "about", "over"}   # what a speech noun's claim is introduced by
BACK_REFERENCE_REACH = 400   # characters back from "X made this statement" to the words it points at
LEAD_WORDS = {"that", "how", "whether", ",", ":", "–", "—", "-"}
QUOTE_MARKS = "“”\"‘’'«»„"
MAX_ANTECEDENT_DISTANCE = 2500   # characters back to an organisation "the outlet" refers to
MIN_WORDS = 3
ROLE_PHRASE_DEPS = {"conj", "appos", "compound", "flat", "npadvmod"}
# "NATO states have agreed", "intelligence estimates, included": a word spelled as a verb of speech
# that the parse attaches as a noun (the tagger is not loaded; the dependency label says it)
NOUN_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "compound", "poss", "attr", "appos", "nmod"}
SPELLINGS = {"ence": "ense", "ense": "ence"}
STAFF_PREPOSITIONS = {"at", "from", "of", "with"}   # "analysts at X", "experts from X"
NESTED_SPEECH = {"participle", "shared_subject", "shared_subject_across_clause", "shared_subject_object",
                 "shared_subject_second_clause", "complement"}   # readings that may start inside another claim
JOINING_WORDS = {"and", "but", "while", "he", "she", "they", "it", "also", "then", "that", "which", "who"}
CHARACTERISING = {"characterisation", "naming", "cause"}   # "described it as “immoral”": one word can be the claim
QUALIFIER_NOISE = {"former", "top", "senior", "new", "then", "current", "acting", "chief", "deputy", "first"}
ADVERBIAL_DEPS = {"prep", "agent", "advmod", "npadvmod", "advcl", "pobj", "pcomp"}
FOLLOWING_WORDS = 3   # "said on Tuesday that": words between a verb of speech and its complement
QUOTE_SHARE = 0.7   # a complement that is mostly one quotation is that quotation
AFFILIATION_PREPOSITIONS = {"at", "of", "with", "from", "for"}


@dataclass
class Parsed:
    """One parsed stretch of the document: `doc` covers text[offset:offset + len(doc.text)]."""

    offset: int
    doc: Doc


@dataclass
class SpeechClaim:
    speaker: Entry
    cue_start: int
    cue_end: int
    start: int
    end: int
    direct: bool


PARTICLES = {"out"}   # "pointed out": a verb whose particle the parse hangs below it (prt)


def speech_verbs(lex: Lexicon) -> list[str]:
    """Single-word verb cues of attribution.ttl, and the verbs of particle verb cues ('pointed out'):
    the heads a DependencyMatcher pattern anchors on."""
    phrases = [p.split() for p, kind in lex.cues.items() if kind == "verb"]
    return sorted({p[0] for p in phrases if len(p) == 1 or len(p) == 2 and p[1] in PARTICLES})


def cues_of_type(lex: Lexicon, kind: str) -> list[str]:
    """Single-word cues of one cue type (a word may be a cue of several: 'described')."""
    return sorted(p for p, kinds in lex.cue_types.items() if kind in kinds and " " not in p)


def object_verbs(lex: Lexicon) -> list[str]:
    """Verb cues that need no clause ('highlights', 'estimates'): their object can be the claim."""
    return sorted(p for p in speech_verbs(lex) if p not in lex.needs_complement)


def preposition_cues(lex: Lexicon) -> list[tuple[str, str]]:
    """Two-word preposition cues ("according to") as (head word, preposition)."""
    return sorted(tuple(p.split()) for p, kind in lex.cues.items() if kind == "preposition" and len(p.split()) == 2)


def _patterns(lex: Lexicon) -> dict[str, list[dict]]:
    """DependencyMatcher patterns by name. Node names say what each matched token is: `cue` (and
    `cue_end` for two-word cues), `speaker`, and `content` (or the token the content hangs off)."""
    verbs, prepositions = speech_verbs(lex), preposition_cues(lex)
    cue = {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}}}
    subject = {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}}
    any_subject_verb = {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"DEP": {"IN": ["ROOT", "ccomp", "conj", "advcl", "relcl"]}}}
    return {
        # "X said (that) ...", "“...,” X said", "X, who warned that ..."
        "complement": [cue, subject, {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content",
                                      "RIGHT_ATTRS": {"DEP": {"IN": CONTENT_DEPS}}}],
        # "British intelligence estimates that ...": the parse reads the subject as a compound of the verb
        "compound_subject": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}, "DEP": {"IN": ["ROOT", "ccomp", "conj"]}}},
                             {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "compound"}},
                             {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "ccomp"}}],
        # "..., with X stating that ...": a participle with a subject of its own
        "with_participle": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "participle")},
                                                               "DEP": {"IN": ["pcomp", "advcl"]}}},
                            subject,
                            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "ccomp"}}],
        # "Russia has lost 400,000 men, it added, with ...": a verb of speech set in the clause it reports
        "parenthetical": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}, "DEP": "parataxis"}}, subject,
                          {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "content", "RIGHT_ATTRS": {}}],
        # "X found that ...": the complementiser right after the verb, where the parse lost the clause
        "that_clause": [cue, subject, {"LEFT_ID": "cue", "REL_OP": ".", "RIGHT_ID": "content",
                                       "RIGHT_ATTRS": {"LOWER": {"IN": COMPLEMENTISERS}}}],
        # "as X warns, “...”": the speech verb hangs off the clause it introduces
        "as_clause": [cue, subject,
                      {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "as", "RIGHT_ATTRS": {"DEP": "mark", "LOWER": "as"}},
                      {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "content", "RIGHT_ATTRS": {}}],
        # "X has raised concerns that ...", "X expressed the view that ..."
        "noun_complement": [any_subject_verb, subject,
                            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "cue_end",
                             "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": sorted(lex.speech_nouns)}}},
                            {"LEFT_ID": "cue_end", "REL_OP": ">", "RIGHT_ID": "content",
                             "RIGHT_ATTRS": {"DEP": {"IN": ["acl", "ccomp"]}}}],
        # "Defense24 highlights Russia's losses of ...": the object of a verb that needs no clause
        "object": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": object_verbs(lex)}}}, subject,
                   {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "dobj"}}],
        # "the report raises concerns about ...", "X warned of ..."
        "noun_about": [any_subject_verb, subject,
                       {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "cue_end",
                        "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": sorted(lex.speech_nouns)}}},
                       {"LEFT_ID": "cue_end", "REL_OP": ">", "RIGHT_ID": "about",
                        "RIGHT_ATTRS": {"DEP": "prep", "LOWER": {"IN": ["about", "over"]}}},
                       {"LEFT_ID": "about", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "pobj"}}],
        # "the Kremlin said ..., adding that ...": the participle's subject is its clause's
        "participle": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "participle")},
                                                          "DEP": {"IN": ["advcl", "xcomp", "conj"]}}},
                       {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {}},
                       {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}},
                       {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "ccomp"}}],
        # "X did not say how, but said that ...": a verb of speech sharing its subject with the verb before
        "shared_subject": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}, "DEP": "conj"}},
                           {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {}},
                           {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}},
                           {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "ccomp"}}],
        # "X acknowledged that A had been made but noted that B": the parse may hang the second verb
        # of speech on the first one's clause; its subject is still the first verb's
        "shared_subject_across_clause": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}, "DEP": "conj"}},
            {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "clause", "RIGHT_ATTRS": {"DEP": "ccomp"}},
            {"LEFT_ID": "clause", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "ccomp"}}],
        # "X highlights A and emphasizes the need for B": the second verb's object, the first verb's subject
        "shared_subject_object": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": object_verbs(lex)}, "DEP": "conj"}},
            {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "dobj"}}],
        # "X said A and warned that B": the parse may read the second verb as a clause of the first
        "shared_subject_second_clause": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}, "DEP": "ccomp"}},
            {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "nsubj"}}],
        # (its content, the cue's own clause, is read off the cue: a fourth node as loose as "any
        # ccomp" made the matcher try every combination in a long sentence of reported speech)
        # "X described the announcement as a gesture of goodwill"
        # "X described the meeting as “reasonably good”": what X calls it, the thing and the as-phrase
        "characterisation": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "characterisation")}}},
                             subject,
                             {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "dobj"}},
                             {"LEFT_ID": "cue", "REL_OP": ">>", "RIGHT_ID": "as", "RIGHT_ATTRS": {"LOWER": "as"}}],
        # "X attributed the rise in spending to early payments": the thing and its cause
        "cause": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "cause")}}}, subject,
                  {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "dobj"}},
                  {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "to", "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "to"}}],
        # "X called Russia a “paper tiger”": the object and what it is called
        "naming": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "naming")}}},
                   subject,
                   {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "content", "RIGHT_ATTRS": {"DEP": "dobj"}},
                   {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "called", "RIGHT_ATTRS": {"DEP": {"IN": ["oprd", "xcomp", "ccomp"]}}}],
        # "X accused Russia of delaying the talks"
        "accusation": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": cues_of_type(lex, "accusation")}}}, subject,
                       {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"DEP": "prep",
                                                                                           "LOWER": {"IN": ["of", "for"]}}},
                       {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "content",
                        "RIGHT_ATTRS": {"DEP": {"IN": ["pcomp", "pobj"]}}}],
        # "This is stated in a report by X": the words just before are X's
        "passive_back_reference": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": verbs}}},
                                   {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "this",
                                    "RIGHT_ATTRS": {"DEP": "nsubjpass", "LOWER": {"IN": sorted(DEMONSTRATIVES)}}},
                                   {"LEFT_ID": "cue", "REL_OP": ">>", "RIGHT_ID": "by", "RIGHT_ATTRS": {"LOWER": "by"}},
                                   {"LEFT_ID": "by", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "pobj"}}],
        # "X made this statement", "he said this on television": the words just before are X's
        # (not in a relative clause: "the progress that Russian forces have made" points at nothing)
        "back_reference": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": {"IN": sorted(lex.back_reference_verbs)},
                                                             "DEP": {"NOT_IN": ["relcl", "acl"]}}},
                           subject,
                           {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "cue_end",
                            "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": sorted(lex.speech_nouns | DEMONSTRATIVES)}}}],
    } | {
        # "according to X, ...", "..., according to the outlet"
        f"preposition {head} {prep}": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": head}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "cue_end", "RIGHT_ATTRS": {"LOWER": prep}},
            {"LEFT_ID": "cue_end", "REL_OP": ">", "RIGHT_ID": "speaker", "RIGHT_ATTRS": {"DEP": "pobj"}},
            {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "content", "RIGHT_ATTRS": {}}]
        for head, prep in prepositions}


class SpeechFinder:
    """Claims from the dependency parse of the sentences that hold a verb of speech."""

    def __init__(self, lex: Lexicon, nlp: Language):
        self.lex = lex
        self.verbs = set(speech_verbs(lex))
        self.cue_words = {p for p in lex.cues if " " not in p} | {head for head, _ in preposition_cues(lex)} \
            | self.verbs
        self.speech_nouns = set(lex.speech_nouns)
        self.back_verbs = set(lex.back_reference_verbs)
        self.triggers = self.cue_words | self.speech_nouns | self.back_verbs
        self.matcher = DependencyMatcher(nlp.vocab)
        self.nodes: dict[str, list[str]] = {}
        for name, pattern in _patterns(lex).items():
            self.matcher.add(name, [pattern])
            self.nodes[name] = [node["RIGHT_ID"] for node in pattern]
        self.document_nouns = {w for w in lex.source_nouns if w.isalpha() and len(w) > 3}   # report, study, ...
        self.org_nouns = lex.org_words | lex.media_references | self.document_nouns
        self.said_about_nouns = lex.source_nouns | lex.speech_nouns   # "reported the estimate": no object that says
        self._sources: set[int] = set()
        self._authors: set[int] = set()
        self._said: list[tuple[int, int]] = []
        self._sentences: list[tuple[int, int]] = []

    def wants(self, words: Iterable[str]) -> bool:
        """Whether a sentence with these (lower-case) words is worth parsing: it holds a cue, or a
        speech noun with the clause it introduces, or a back-reference verb with its 'this'. The
        trained pipeline is the costly part of the ingest; most sentences need none of it."""
        seen = set(words)
        return bool(seen & self.cue_words) or bool(seen & self.speech_nouns) and bool(seen & NOUN_CLAUSE_WORDS) \
            or bool(seen & self.back_verbs) and bool(seen & DEMONSTRATIVES)

    def __call__(self, text: str, parsed: list[Parsed], mentions: list[Mention], book: ActorBook,
                 quotes: list[tuple[int, int]], found: list, sentences: list[tuple[int, int]]) -> list[SpeechClaim]:
        """New claims. `found` holds the surface rules' claims (.speaker, .start, .end, .cue_start,
        .cue_end); it keeps them, except that where the parse reads the same cue with a named
        subject, that subject is the speaker ("X, chief of Y, who warned that ...": X, not Y), and a
        sentence that only points back ("X made this statement") is no claim of its own."""
        out: list[SpeechClaim] = []
        cue_tokens = {t.idx + part.offset: t for part in parsed for t in part.doc}
        found[:] = [f for f in found if not self._cue_is_noun(text, f, cue_tokens.get(f.cue_start))
                    and not self._asked(cue_tokens.get(f.cue_start))
                    and not self._object_unsaid(text, f, cue_tokens.get(f.cue_start), cue_tokens.get(f.start))]
        self._sentences = sentences
        self._said = [(f.start, f.end) for f in found]
        self._speakers = [(f.cue_start, f.speaker) for f in found if f.speaker is not None]
        self._authors = self._named_sources(parsed, mentions)
        self._sources = self._authors | {
            id(f.speaker) for f in found if f.speaker is not None and f.speaker.kind == "organization"}
        for part in parsed:
            matches = self.matcher(part.doc)
            frames = [part.doc[ids[0]].idx + part.offset for mid, ids in matches
                      if part.doc.vocab.strings[mid] in BACK_REFERENCES]
            # frames are no claims, and what a framing verb seems to say ("said this in an interview") neither
            found[:] = [f for f in found if not any(f.start <= x < f.end or f.cue_start == x for x in frames)]
            for match_id, token_ids in matches:
                name = part.doc.vocab.strings[match_id]
                node = {n: part.doc[i] for n, i in zip(self.nodes[name], token_ids)}
                if name == "shared_subject_second_clause":
                    node["content"] = next((c for c in node["cue"].children if c.dep_ in CONTENT_DEPS), None)
                    if node["content"] is None:
                        continue
                cue, speaker_tok = node["cue"], node["speaker"]
                cue_start = cue.idx + part.offset
                cue_last = node.get("cue_end") or next(
                    (c for c in cue.children if c.dep_ == "prt" and c.lower_ in PARTICLES), cue)   # "pointed out"
                cue_end = max(cue_last.idx + len(cue_last.text), cue.idx + len(cue.text)) + part.offset
                if any(q[0] <= cue_start < q[1] for q in quotes):
                    continue   # a verb of speech inside a quotation is the quoted speaker's own words
                if any(child.dep_ == "neg" for child in cue.children) or self._asked(cue):
                    continue   # "did not explain what ...", "asked whether she believes ...": nothing was said
                if name == "as_clause" and any(c.dep_ in OWN_CONTENT_DEPS and c.lower_ not in DEMONSTRATIVES | {"it"}
                                               for c in cue.children):
                    continue   # "came as the EU announced plans to ...": a time clause with its own object
                if name.startswith("shared_subject") and any(c.dep_ in {"nsubj", "nsubjpass"} for c in cue.children):
                    continue   # "X said ..., while Y warned ...": the verb has a subject of its own
                if name in BACK_REFERENCES:
                    span = _pointed_at(text, part.offset, quotes)
                elif name in {"object", "shared_subject_object"} and not self._object_says(node["content"]):
                    continue
                else:
                    span = self._content(name, cue, node["content"])
                    span = span and (span[0] + part.offset, span[1] + part.offset)
                if span is None:
                    continue
                start, end = span
                inner = next((q for q in quotes if q[0] <= start < q[1] or start <= q[0] < end), None)
                direct = inner is not None and inner[1] - inner[0] >= QUOTE_SHARE * (end - start)
                if direct:
                    start, end = inner
                start, end = _trim(text, start, end)
                if end - start <= 0 or len(text[start:end].split()) < (1 if name in CHARACTERISING else MIN_WORDS) \
                        or any(start <= x < end for x in frames):
                    continue
                same_cue = next((f for f in found if f.cue_start == cue_start), None)
                if same_cue is not None:
                    self._reread(same_cue, speaker_tok, cue, part.offset, text, mentions, book, quotes)
                    if name in SUBTREE_CONTENT and (
                            not (same_cue.start < end and start < same_cue.end)
                            and _nearer_clause(text, cue_start, cue_end, (same_cue.start, same_cue.end), (start, end),
                                               _adverbial_at(part, same_cue.start))
                            or same_cue.start <= start and end < same_cue.end and self._cue_in(text, end, same_cue.end)):
                        # "At the same time, X said Y" (the rules took the opener) / "X said Y, adding Z" (the
                        # rules ran on into the next attribution): the parse knows where the clause is
                        said = (same_cue.start, same_cue.end)
                        same_cue.start, same_cue.end, same_cue.direct = start, end, direct
                        if said in self._said:   # names after the cut are no longer inside what was said
                            self._said[self._said.index(said)] = (start, end)
                    continue
                holders = [f for f in found if f.start < end and start < f.end or f.cue_start <= start < f.cue_end]
                if any(c.start < end and start < c.end for c in out):
                    continue
                if holders and not (name in NESTED_SPEECH and all(_holds_cue(f, cue_start) for f in holders)):
                    continue
                if holders and any(len(text[f.start:_cut_before(text, f.start, cue_start)].split()) < MIN_WORDS
                                   for f in holders):
                    continue   # "X added that he believed ...": the verb opens the claim, it is X's own report
                entry = self._speaker(text, speaker_tok, part.offset, cue, mentions, book, quotes)
                if name.startswith("preposition") and entry is None:
                    entry, start = self._apposed_source(text, start, end, mentions) or (None, start)
                if holders and name == "participle" and (entry is None or not _outside(quotes + self._said, speaker_tok.idx + part.offset)):
                    entry = holders[0].speaker   # "X warned that an attack could come, stating that ...": X goes on
                if entry is None:
                    continue
                for f in holders:   # "X warned that A, stating that B": the second verb starts a claim of its own
                    f.end = _cut_before(text, f.start, cue_start)
                entry.accepted = True
                out.append(SpeechClaim(entry, cue_start, cue_end, start, end, direct))
                self._said.append((start, end))
                self._speakers.append((cue_start, entry))
        return out

    def _object_says(self, content: Token, min_words: int = MIN_OBJECT_WORDS) -> bool:
        """Whether a verb's object can be what was said ("reported a sharp rise in the deficit"): not
        a pointer ("this"), a few words, a name ("reports Agence France-Presse"), a source or a speech
        noun ("reported the new estimate on Monday"), nor a phrase the parse opened with a preposition.
        (The parse carries no part-of-speech tags: a capitalised head word is a name.)"""
        return not (content.lower_ in DEMONSTRATIVES or len(list(content.subtree)) < min_words
                    or content.text[:1].isupper() or content.left_edge.dep_ == "prep"
                    or content.lower_ in self.said_about_nouns)

    def _object_unsaid(self, text: str, claim, cue: Token | None, first: Token | None) -> bool:
        """Whether the surface rules read a verb's bare object (the words right after it, no "that",
        quotation or colon) that says nothing: "reported for X", "reported the estimate on Monday"."""
        if cue is None or first is None or claim.direct or claim.start < claim.cue_end \
                or text[claim.cue_end:claim.start].strip(" \n,"):
            return False
        top = next((t for t in [first, *first.ancestors] if t.head == cue), None)
        offset = claim.start - first.idx
        if top is None or top.left_edge.idx + offset < claim.start:
            return False   # the cue's own word heads it ("pointed to")
        adverbial = {t.i for c in cue.children if c.dep_ in {"prep", "npadvmod", "advmod", "punct"} for t in c.subtree}
        inside = {t.i for t in top.subtree}
        if any(t.i not in inside | adverbial for t in cue.doc if claim.start <= t.idx + offset < claim.end):
            return False   # the claim runs on past the phrase and its adverbials: a clause the parse cut
        if top.dep_ == "prep":
            return True    # "reports for The Beet", "reports via Russian media"
        return top.dep_ == "dobj" and not self._object_says(top, min_words=0)

    def _cue_is_noun(self, text: str, claim, tok: Token | None) -> bool:
        """Whether the surface rules took a noun for a verb of speech: "NATO states have agreed",
        "intelligence estimates, included ...". The word is spelled as the verb; the parse (`tok`, the
        parsed cue word, None where the sentence was not parsed) attaches it as a noun."""
        words = text[claim.cue_start:claim.cue_end].lower().split()
        if not words or self.lex.cues.get(" ".join(words)) != "verb" or words[0] not in self.verbs:
            return False
        return tok is not None and tok.dep_ in NOUN_DEPS

    @staticmethod
    def _asked(tok: Token | None) -> bool:
        """Whether the cue word stands in an indirect question ("Asked whether she believes ...,"):
        what someone was asked about is no claim of theirs."""
        return tok is not None and any(c.dep_ == "mark" and c.lower_ in QUESTION_MARKS for c in tok.children)

    def _cue_in(self, text: str, start: int, end: int) -> bool:
        """Whether a cue word stands between start and end."""
        return any(word.strip(",.;:“”\"'").lower() in self.triggers for word in text[start:end].split())

    def _named_sources(self, parsed: list[Parsed], mentions: list[Mention]) -> set[int]:
        """Organisations the text names as the author of a report: 'a report from X', 'an
        analysis by X', "X's study", 'the X report' (ids of their entries)."""
        out = set()
        for part in parsed:
            for tok in part.doc:
                if fold(tok.lower_) not in self.document_nouns or tok.i + 1 < len(part.doc) and part.doc[tok.i + 1].like_num:
                    continue   # "NATO's Article 5" is a numbered text, not a report of NATO's
                for child in tok.children:
                    holders = [o for o in child.children if o.dep_ == "pobj"] if child.dep_ == "prep" \
                        and child.lower_ in {"by", "from", "of"} else [child] if child.dep_ in {"poss", "compound"} else []
                    for holder in holders:
                        entry = self._mention_at(*_char_span(holder, part.offset), mentions)
                        if entry is not None and entry.kind == "person" and len(entry.name.split()) == 1 \
                                and not entry.role and not entry.iri:
                            entry.kind = "organization"   # "a report from Harbourwatch": a one-word author is a body
                        if entry is not None and entry.kind == "organization":
                            out.add(id(entry))
        return out

    def _reread(self, claim, speaker_tok: Token, cue: Token, offset: int, text: str, mentions: list[Mention],
                book: ActorBook, quotes) -> None:
        """A claim the surface rules read at the same cue: the parse's reading of the subject (a
        named subject, or a group, a pronoun or a role the rules resolved otherwise) replaces theirs."""
        entry = self._speaker(text, speaker_tok, offset, cue, mentions, book, quotes)
        if entry is not None and claim.speaker is not None and claim.speaker.kind == "person" \
                and entry.kind == "organization" \
                and _last_before(claim.speaker, cue.idx + offset) > _last_before(entry, cue.idx + offset):
            return   # "LONDON (Reuters) - Former president X said": the person nearer the verb speaks
        if entry is not None and entry is not claim.speaker:
            entry.accepted = True
            claim.speaker = entry

    def affiliations(self, parsed: list[Parsed], mentions: list[Mention]) -> None:
        """'X, associate director at the Y Centre warns ...': a person's apposition names a role
        and the organisation it is held at, even where no comma closes it (the surface rules
        need one)."""
        for part in parsed:
            for tok in part.doc:
                if tok.dep_ != "appos" or fold(tok.lower_) not in self.lex.roles:
                    continue
                person = self._mention_at(*_char_span(tok.head, part.offset), mentions)
                if person is None or person.kind != "person" or person.affiliation:
                    continue
                for prep in tok.children:
                    if prep.dep_ != "prep" or prep.lower_ not in AFFILIATION_PREPOSITIONS:
                        continue
                    org = next((self._mention_at(*_char_span(o, part.offset), mentions)
                                for o in prep.children if o.dep_ == "pobj"), None)
                    if org is not None and org.kind == "organization":
                        person.affiliation = org.name
                        person.role = person.role or part.doc[tok.left_edge.i:tok.i + 1].text
                        break

    # -- what was said -------------------------------------------------------------------
    @staticmethod
    def _content(pattern: str, cue: Token, content: Token) -> tuple[int, int] | None:
        if pattern in CHARACTERISING:
            # the thing characterised and what it is called, up to the end of the verb's own phrase;
            # "which X described as Y": only Y
            tokens = [t for t in cue.doc[content.left_edge.i:cue.right_edge.i + 1]]
            if content.lower_ in RELATIVES:
                tokens = [t for t in cue.doc[cue.i + 1:cue.right_edge.i + 1] if t.lower_ != "as" or t.i > cue.i + 1]
                tokens = tokens[1:] if tokens and tokens[0].lower_ == "as" else tokens
            tokens = _own_phrase(tokens, cue)
        elif pattern in SUBTREE_CONTENT:
            tokens = list(content.subtree)
        elif pattern == "that_clause":   # to the end of the verb's own phrase
            tokens = [t for t in cue.doc[content.i + 1:cue.right_edge.i + 1]]
        else:   # "as X warns, CONTENT" / "according to X, CONTENT": the clause the cue hangs off
            inside = {t.i for t in cue.subtree}
            after = [t for t in content.subtree if t.i > max(inside)]
            before = [t for t in content.subtree if t.i < min(inside)]
            tokens = after if len(after) >= len(before) else before
            if pattern == "parenthetical" and before:
                tokens = before   # "X has lost 400,000 men, it added, with ...": what comes after is an aside
        if not tokens:
            return None
        first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
        if first.i <= cue.i <= last.i:
            return None
        return first.idx, last.idx + len(last.text)

    # -- who said it -----------------------------------------------------------------------
    def _subject(self, tok: Token, cue: Token, offset: int, mentions: list[Mention]) -> Token:
        """The subject's head word; for 'X, chief of Y, who warned that ...' the antecedent X: "who"
        names a person, so an organisation inside the person's apposition is passed over."""
        if not (tok.lower_ in RELATIVES and cue.dep_ == "relcl"):
            return tok
        head = cue.head
        if tok.lower_ != PERSON_RELATIVE:
            return head
        for _ in range(MAX_CLIMB):
            named = self._mention_at(*_char_span(head, offset), mentions)
            if named is not None and named.kind == "person" or head.head is head:
                break
            head = head.head
        named = self._mention_at(*_char_span(head, offset), mentions)
        return head if named is not None and named.kind == "person" else cue.head

    def _speaker(self, text: str, tok: Token, offset: int, cue: Token, mentions: list[Mention],
                 book: ActorBook, quotes) -> Entry | None:
        head = self._subject(tok, cue, offset, mentions)
        named = self._first_conjunct(head, offset, mentions) or \
            self._mention_at(head.idx + offset, head.idx + offset + len(head.text), mentions)
        if named is not None:
            return named
        low = head.lower_
        if head.text[:1].isupper() and any(c.dep_ == "nummod" and c.is_digit and c.i == head.i + 1 for c in head.children):
            return None   # "NATO's Article 5, which states ...": a numbered text, no body that speaks
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS), None)
        if owner is not None and (fold(low) in self.document_nouns or low in self.speech_nouns):
            # "according to his estimates", "in her assessment": the person (or body) the pronoun stands for
            return pronoun_antecedent(book, owner.idx + offset, POSSESSIVE_PRONOUNS[owner.lower_], self._sentences,
                                      quotes + self._said, text=text, speakers=self._speakers)
        if fold(low) in self.lex.roles | self.lex.titles | self.lex.staff_words \
                and any(c.dep_ in {"det", "nummod"} and c.lower_ in INDEFINITES for c in head.children):
            return None   # "according to one European economist", "a senior official said": someone unnamed
        if low in GROUP_PRONOUNS:   # "They added that ...": the organisation that spoke in the sentence before
            return previous_speaker(head.idx + offset, "organization", self._sentences, self._speakers)
        if low in PRONOUNS:   # names inside what was said are no antecedents
            return pronoun_antecedent(book, head.idx + offset, PRONOUNS[low], self._sentences, quotes + self._said,
                                      text=text, speakers=self._speakers)
        for child in head.children:   # "Its chief, Jane Doe, said", "A spokeswoman for X, Ms. Doe, said"
            if child.dep_ == "appos":
                named = self._mention_at(*_char_span(child, offset), mentions)
                if named is not None:
                    return named
        named = self._closing_apposition(head, offset, mentions)
        if named is not None:   # "The head of X's delegation at the talks in Y, Jane Doe, said"
            return named
        if fold(low) in self.lex.roles | self.lex.titles and low not in self.lex.staff_words:
            # "Kremlin spokesperson and former Prime Minister X"; "the head of Ukrainian intelligence",
            # "South Korea's defence minister": the person introduced with those words, before the
            # organisation the role is qualified by
            # the phrase's own words are no introduction of the person named just before it
            qualifiers = self._qualifiers(head)
            person = self._person_in_role_phrase(head, offset, mentions) or introduced_person(
                book, head.left_edge.idx + offset, fold(low), text, quotes, qualifiers=qualifiers,
                qualified_only=True)
            if person is None and qualifiers:   # "Ukraine's ambassador said ... . Ambassador Jane Doe ..."
                person = introduced_after(book, head.idx + offset, fold(low), text, self._sentences)
            if person is not None:
                return person
        staff = low in self.lex.staff_words
        if staff:   # "analysts at the X Institute said": the staff speak for the organisation they work at
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in STAFF_PREPOSITIONS:
                    for obj in prep.children:
                        found = self._mention_at(*_char_span(obj, offset), mentions) if obj.dep_ == "pobj" else None
                        if found is not None and found.kind == "organization":
                            return found
        in_phrase = self._named_in_phrase(head, offset, mentions)
        if in_phrase is not None:   # "the news and analysis website Strana", "the think tank Bruegel"
            return in_phrase
        # "estimates by the X Ministry", "a report from X", "an assessment, released by X, ..."
        preps = [c for c in head.children if c.dep_ == "prep"]
        preps += [g for c in head.children if c.dep_ == "acl" for g in c.children if g.dep_ in {"agent", "prep"}]
        for prep in preps:
            if prep.lower_ in self.lex.source_nouns:
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    found = self._mention_at(*_char_span(obj, offset), mentions) or self._named_in_phrase(obj, offset, mentions)
                    if found is None and self._names_an_office(obj):   # "data from the prosecutor's office"
                        found = self._lower_case_org(text, obj, offset, book)
                    if found is not None:
                        return found
        if not staff and fold(low) in self.org_nouns - self.lex.roles and self._names_an_office(head):
            # "the UAE's foreign ministry said": the ministry speaks, not the country that owns it
            return self._lower_case_org(text, head, offset, book)
        for child in head.children:   # "Bloomberg journalists", "ISW's analysts", "the Kremlin's spokesman"
            if child.dep_ in {"compound", "poss", "nmod"}:
                found = self._mention_at(child.idx + offset, child.idx + offset + len(child.text), mentions)
                if found is not None and (staff or found.kind == "organization" and (
                        fold(low) in self.org_nouns or low in self.speech_nouns or fold(low) in self.lex.roles)):
                    return found   # "the Kremlin's spokesman", "ISW's report"; not any noun an organisation owns
                if child.dep_ == "compound" and fold(low) in self.document_nouns and self._names_an_office(child):
                    return self._lower_case_org(text, child, offset, book)   # "as per finance ministry data"
        noun = fold(" ".join(t.text for t in head.children if t.dep_ == "compound" and t.i < head.i) + " " + low).strip()
        if noun in self.org_nouns:   # "the think tank"
            low = noun
        if fold(low) in self.lex.roles and not staff:   # "the top security official said"
            return introduced_person(book, head.left_edge.idx + offset, fold(low), text, quotes,
                                     qualifiers=self._qualifiers(head))
        if staff and not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None   # "experts said", "analysts believe": an unnamed group
        if staff:   # "the authors find", "the analysts note": those of the report or body last named
            return _last_organisation(book, head.idx + offset, "report", self.lex, quotes + self._said, self._sources,
                                      self._authors)
        if fold(low) in self.org_nouns and self._names_an_office(head):
            return self._lower_case_org(text, head, offset, book)   # "the Russian defence ministry", "the prosecutor's office"
        if fold(low) in self.org_nouns and not any(c.dep_ in {"det", "poss"} for c in head.children):
            return None   # "Reports suggest", "sources say": nobody in particular
        if fold(low) in self.org_nouns and not any(c.dep_ == "det" and c.lower_ in INDEFINITES for c in head.children):
            # "the think tank" is one named before; "a US-based think tank" is not (yet)
            return _last_organisation(book, head.idx + offset, fold(low), self.lex, quotes + self._said, self._sources,
                                      self._authors)
        return None

    def _closing_apposition(self, head: Token, offset: int, mentions: list[Mention]) -> Entry | None:
        """A person set off by commas at the end of a subject headed by a role: the parser may hang
        the apposition on the last noun of a long role phrase ('the head of the delegation at the
        talks in Y, Jane Doe,') instead of on the role; it still names who holds the role."""
        if fold(head.lower_) not in self.lex.roles | self.lex.titles:
            return None
        appositions = [t for t in head.subtree if t.dep_ == "appos" and t.i > head.i
                       and t.i > 0 and t.doc[t.left_edge.i - 1].text == ","]
        for tok in reversed(appositions):
            named = self._mention_at(*_char_span(tok, offset), mentions)
            if named is not None and named.kind == "person":
                return named
        return None

    def _person_in_role_phrase(self, head: Token, offset: int, mentions: list[Mention]) -> Entry | None:
        """A person named inside a subject whose head is a role ('Kremlin spokesperson and former
        Prime Minister X'): the person, not the organisation that qualifies the role."""
        stack = [c for c in head.children if c.dep_ in ROLE_PHRASE_DEPS]
        while stack:
            tok = stack.pop()
            named = self._mention_at(*_char_span(tok, offset), mentions)
            if named is not None and named.kind == "person":
                return named
            stack.extend(c for c in tok.children if c.dep_ in ROLE_PHRASE_DEPS)
        return None

    def _qualifiers(self, head: Token) -> list[set[str]]:
        """The words that say which person a role noun means: 'the Lithuanian minister' ->
        [{lithuanian, lithuania}], 'the Defense Intelligence chief' -> [{defense}, {intelligence}]."""
        out = []
        children = [c for c in head.children if c.dep_ in {"amod", "compound", "nmod", "poss"} and c.i < head.i]
        for prep in head.children:   # "the head of Ukrainian intelligence"
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        children += [obj, *(c for c in obj.children if c.dep_ in {"amod", "compound", "poss"})]
        for child in children:
            if child.is_stop or fold(child.lower_) in QUALIFIER_NOISE:
                continue
            written = " ".join(t.text for t in child.subtree if t.dep_ in {"compound", "flat"} or t is child)
            words = {fold(child.lower_), fold(written)}
            words |= {w[:-4] + SPELLINGS[w[-4:]] for w in words if w[-4:] in SPELLINGS}   # defence ~ defense
            place = next((self.lex.demonyms.get(w) or self.lex.places.get(w) for w in words
                          if w in self.lex.demonyms or w in self.lex.places), None)
            if place:
                words |= self.lex.names_of_place(place)
            out.append(words)
        return out

    def _named_in_phrase(self, head: Token, offset: int, mentions: list[Mention]) -> Entry | None:
        """An organisation named inside a noun phrase whose head is an organisation or media noun:
        the name in apposition or coordination ('the website Strana'). A capitalised word the rules
        took for a person's name is an organisation there."""
        nouns = {fold(head.lower_)}
        stack, named = list(head.children), None
        while stack:
            tok = stack.pop()
            if tok.dep_ not in PHRASE_DEPS:
                continue
            nouns.add(fold(tok.lower_))
            stack.extend(tok.children)
            found = self._mention_at(*_char_span(tok, offset), mentions)
            if found is not None and tok.text[:1].isupper() and not self.lex.is_place(tok.text):
                named = found
        if named is None or not nouns & (self.lex.org_words | self.lex.media_references):
            return None
        if named.kind == "person" and not named.accepted:
            named.kind = "organization"
        return named

    def _first_conjunct(self, head: Token, offset: int, mentions: list[Mention]) -> Entry | None:
        """"X and Y said", "X, along with Y, have confirmed": joint publishers speak as the one named
        first (the claim has one speaker); the parse may hang X anywhere inside the phrase."""
        before = [t for t in head.subtree if t.i < head.i]
        if not any(t.dep_ == "cc" or t.lower_ == "with" for t in before):
            return None
        first = self._mention_at(*_char_span(before[0], offset), mentions)
        return first if first is not None and first.kind == "organization" else None

    @staticmethod
    def _apposed_source(text: str, start: int, end: int, mentions: list[Mention]) -> tuple[Entry, int] | None:
        """"According to a think tank, the X Center, Russia has ...": the parse ends the cue's phrase
        at the unnamed noun and takes the name in apposition for the start of what was said. A
        named organisation opening the claim and closed by a comma is the source; the claim follows."""
        words = text[start:end]
        lead = len(words) - len(words.lstrip()) + (4 if words.lstrip().lower().startswith("the ") else 0)
        m = next((m for m in mentions if m.entry is not None and m.start == start + lead
                  and m.entry.kind == "organization"), None)
        if m is None or not text[m.end:end].startswith(","):
            return None
        after = m.end + 1
        return m.entry, after + len(text[after:end]) - len(text[after:end].lstrip())

    @staticmethod
    def _mention_at(start: int, end: int, mentions: list[Mention]) -> Entry | None:
        for m in mentions:
            if m.entry is not None and m.start <= start and end <= m.end:
                return m.entry
        return None

    def _names_an_office(self, head: Token) -> bool:
        """An organisation written in lower case: an organisation word (not a reference to a
        publication) qualified by a place or an office-holder ('Ukraine's military police',
        'the prosecutor general's office')."""
        word = fold(head.lower_)
        if word not in self.lex.org_words:
            return False
        if word in self.lex.media_references and not any(   # "the agency" is a news agency; "Denmark's
                c.dep_ == "compound" and c.is_lower and c.i == head.i - 1 and fold(c.lower_) in self.lex.org_words
                for c in head.children):                   # intelligence agency" is an office
            return False
        return any(c.dep_ in {"amod", "compound", "poss"} and (self.lex.is_place(c.text) or fold(c.lower_) in self.lex.roles)
                   or c.dep_ == "compound" and c.is_lower and not c.is_stop and c.i == head.i - 1
                   and fold(c.lower_) not in self.lex.org_words   # "the finance ministry", "the investigation service"
                   for c in [*head.children, *_stray_modifiers(head, self.lex)])

    @staticmethod
    def _lower_case_org(text: str, head: Token, offset: int, book: ActorBook) -> Entry:
        """'the Russian defence ministry', 'Ukraine's military intelligence': an organisation
        written in lower case, named by its words as written (without the article)."""
        left = min((t for t in head.subtree if t.i <= head.i and t.dep_ in NAME_DEPS),
                   key=lambda t: t.i, default=head)
        left = min([left, *_stray_modifiers(head, book.lex)], key=lambda t: t.i)
        words = [t for t in head.doc[left.i:head.i + 1] if t.dep_ != "det"]
        start, end = words[0].idx + offset, head.idx + offset + len(head.text)
        name = text[start:end]
        if words[0].lower_ in OWNER_PRONOUNS:   # "As Russia faces ..., its finance ministry said": Russia's
            country = next((t for t in reversed(head.doc[:words[0].i])
                            if t.text[:1].isupper() and fold(t.text) in book.lex.places), None)
            if country is not None:
                name = f"{country.text}’s {text[words[1].idx + offset:end]}" if len(words) > 1 else name
        mention = Mention(start, end, name, "organization", evidence={"speaker"})
        return book.add(mention)

def _stray_modifiers(head: Token, lex: Lexicon) -> list[Token]:
    """"Danish intelligence estimates that ...": where the parse reads a subject as a compound of the
    verb, it may hang the subject's own place word on the verb too; those words, right before it."""
    if head.dep_ != "compound":
        return []
    words, i = [], head.i - 1
    while i >= 0 and head.doc[i].head == head.head and head.doc[i].dep_ in {"amod", "compound"} \
            and lex.is_place(head.doc[i].text):
        words.append(head.doc[i])
        i -= 1
    return words


def _pointed_at(text: str, before: int, quotes) -> tuple[int, int] | None:
    """What 'X made this statement' points back at: the quotation that ends just before it, else
    the sentences before it in its paragraph, else the paragraph before."""
    quote = max((q for q in quotes if q[1] <= before and before - q[1] <= BACK_REFERENCE_REACH),
                key=lambda q: q[1], default=None)
    if quote is not None:
        return quote
    line_start = text.rfind("\n", 0, before) + 1
    if text[line_start:before].strip():
        return line_start, before
    previous = text[:line_start].rstrip()
    begin = previous.rfind("\n") + 1
    return (begin, len(previous)) if previous[begin:].strip() else None


def _own_phrase(tokens: list[Token], cue: Token) -> list[Token]:
    """Tokens of a verb's phrase up to where a coordinated verb ('... and claimed', '..., but
    warned') or a participle clause (', emphasizing ...') of the same verb begins."""
    clauses = [t for t in cue.children if t.dep_ in {"conj", "cc", "advcl"} and t.i > cue.i
               and t.left_edge.lower_ != "as"]   # "described X as “spun out of thin air”" is the as-phrase
    stops = {t.i for t in clauses} | {t.left_edge.i for t in clauses if t.dep_ != "cc"}
    if not stops:
        return tokens
    first_stop = min(stops)
    return [t for t in tokens if t.i < first_stop]


def _holds_cue(claim, cue_start: int) -> bool:
    """Whether a claim the rules read runs on over another verb of speech of its own sentence."""
    return claim.cue_end <= claim.start < cue_start < claim.end and not claim.direct


def _cut_before(text: str, start: int, cue_start: int) -> int:
    """Where a claim ends when another verb of speech takes over at `cue_start`: before the
    words that join the two ('..., and said that', '..., stating that', 'a factor he said')."""
    words = text[start:cue_start].split(" ")
    while words and (not words[-1].strip() or words[-1].strip(",;:–—-").lower() in JOINING_WORDS):
        words.pop()
    end = start + len(" ".join(words))
    while end > start and text[end - 1] in " ,;:–—-":
        end -= 1
    return end


def _last_before(entry: Entry, pos: int) -> int:
    """Where an actor was last named before `pos` (-1: not before it)."""
    return max((m.start for m in entry.mentions if 0 <= m.start < pos), default=-1)


def _char_span(tok: Token, offset: int) -> tuple[int, int]:
    return tok.idx + offset, tok.idx + offset + len(tok.text)


def _outside(quotes, pos: int) -> bool:
    return not any(q[0] <= pos < q[1] for q in quotes)


def _last_organisation(book: ActorBook, before: int, noun: str, lex: Lexicon, quotes,
                       sources: set[int] = frozenset(), authors: set[int] = frozenset()) -> Entry | None:
    """'the ministry' -> the organisation last named with that word in its name; 'the outlet',
    'the report' -> the publication or organisation last named, preferring one the text has
    named as a report's author ('a report from X', 'the X report': ids in `authors`), then one
    it has named as a source (X as a speaker): ids in `sources`. A generic noun of a
    kind of organisation ('the think tank') prefers one whose name has a word of that kind
    ('X Institute') to any organisation named since (the Kremlin)."""
    kind = None if noun in lex.media_references else lex.org_word_kinds.get(noun)   # "the agency": news media first
    ranked = []
    for e in book.entries:
        if e.kind != "organization":
            continue
        positions = [m.start for m in e.mentions if 0 <= m.start < before and _outside(quotes, m.start)]
        if not positions or before - max(positions) > MAX_ANTECEDENT_DISTANCE:
            continue
        words = {w for n in e.names for w in fold(n).split()}
        media = any(w in lex.media_references for w in words) or any("media" in m.evidence for m in e.mentions)
        fits = noun in words or (noun in lex.media_references and media) or noun in lex.generic_org_references
        if noun in lex.org_words and noun not in lex.media_references and not fits:
            continue   # "the ministry" is no name for a newspaper
        of_kind = kind is not None and any(lex.org_word_kinds.get(w) == kind for w in words)
        ranked.append((fits, of_kind, id(e) in authors, id(e) in sources, e.accepted, max(positions), e))
    if not ranked:
        return None
    return max(ranked, key=lambda r: r[:6])[6]


def _words_between(text: str, start: int, end: int) -> int | None:
    """How many words stand between two points of one sentence; None when a sentence ends between them."""
    gap = text[start:end] if start <= end else ""
    return None if any(mark in gap for mark in ".;:?!\n") else len(gap.split())


def _adverbial_at(part: Parsed, char: int) -> bool:
    """Whether the parse reads the word at `char` as an adverbial ("said at the ceremony", "said
    on Tuesday", "said after meeting ..."), which no verb of speech takes as its complement."""
    span = part.doc.char_span(char - part.offset, char - part.offset + 1, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].dep_ in ADVERBIAL_DEPS


def _nearer_clause(text: str, cue_start: int, cue_end: int, current: tuple[int, int],
                   candidate: tuple[int, int], current_adverbial: bool = False) -> bool:
    """Whether `candidate` is the cue's clause rather than `current` (two readings that do not
    overlap). What follows a verb of speech ("said that ...", "said on Tuesday ...") is its
    complement; only when nothing follows it closely does a clause before it ("..., X said")
    count, and of two clauses on one side the one nearer the cue wins."""
    def gap(span: tuple[int, int]) -> tuple[bool, int | None]:
        after = span[0] >= cue_end
        return after, _words_between(text, cue_end, span[0]) if after else _words_between(text, span[1], cue_start)
    (cur_after, cur_gap), (new_after, new_gap) = gap(current), gap(candidate)
    if new_gap is None:
        return False
    if cur_gap is None:
        return True
    if new_after != cur_after:
        if cur_after and current_adverbial:
            return True
        follows = new_gap if new_after else cur_gap
        return new_after == (follows <= FOLLOWING_WORDS)
    return new_gap < cur_gap


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in QUOTE_MARKS or text[start] in ",;:–—-"):
        start += 1
    words = text[start:end].split(None, 1)
    if words and words[0].rstrip(",") in LEAD_WORDS and len(words) > 1:   # "that, based on X, ..." (not "That may ...")
        start = text.index(words[1], start)
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTE_MARKS or text[end - 1] in ",;:.–—-"):
        end -= 1
    return start, end
