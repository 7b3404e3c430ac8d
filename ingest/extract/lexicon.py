"""The word lists the attribution, actor and stance rules work from, read from ontology/vocab.

The rules in actors.py / attribution.py / stance.py are general English news patterns; every
word they look for (cue verbs, titles, role nouns, organisation words, known actors, places,
stance phrases) comes from the Turtle vocabularies through this one object, built once per
Extractor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemminflect import getInflection
from rdflib import RDF, SKOS, Literal, URIRef

from common.iris import fold
from ingest.extract.vocabulary import CG, Vocabulary


@dataclass(frozen=True)
class KnownActor:
    iri: str
    name: str
    kind: str                    # person | organization
    labels: tuple[str, ...]
    role: str | None = None
    affiliation: str | None = None
    media: bool = False          # a cg:MediaOrganization: named as a source, not as an actor in the story


@dataclass(frozen=True)
class StanceCue:
    iri: str
    stance: str                  # notation, e.g. TRUCE_AS_REGROUPING
    weight: float
    phrases: tuple[str, ...]
    negatable: bool = False      # a negation before it turns it into evidence against its stance
    when_negated: bool = False   # counts only when negated ("not able to recruit enough")
    corroborating: bool = False  # only adds to other evidence for its stance ("inflation" alone argues nothing)


@dataclass
class Lexicon:
    """Everything the rules need, as plain Python sets/dicts keyed by folded lower-case text."""

    cues: dict[str, str] = field(default_factory=dict)          # phrase -> cueType
    cue_types: dict[str, set[str]] = field(default_factory=dict)  # phrase -> every cueType it has
    needs_complement: set[str] = field(default_factory=set)     # verb phrases needing that/how/quote
    titles: set[str] = field(default_factory=set)               # folded title phrases
    roles: set[str] = field(default_factory=set)                # role nouns
    org_words: set[str] = field(default_factory=set)            # the keys of org_word_kinds
    org_word_kinds: dict[str, str] = field(default_factory=dict)  # org word -> its cg:OrganizationWord individual ("think tank", "institute": research)
    place_words: set[str] = field(default_factory=set)
    group_words: set[str] = field(default_factory=set)
    particles: set[str] = field(default_factory=set)
    source_nouns: set[str] = field(default_factory=set)         # "a report by" between cue and speaker
    interview_words: set[str] = field(default_factory=set)      # "in an interview with": questions that follow are asked
    role_synonyms: dict[str, frozenset[str]] = field(default_factory=dict)   # "aide" -> {aide, adviser, ...}
    office_words: set[str] = field(default_factory=set)
    publication_titles: set[str] = field(default_factory=set)   # "the Military Balance": its publisher speaks         # "Russia's central bank": a lower-case state body
    staff_words: set[str] = field(default_factory=set)          # "Bloomberg journalists": the organisation speaks
    media_references: set[str] = field(default_factory=set)     # "the outlet": the publication named before
    generic_org_references: set[str] = field(default_factory=set)  # "the group": any organisation named before
    sentence_openers: set[str] = field(default_factory=set)     # "Despite", "Recently": never start a name
    adverbial_words: set[str] = field(default_factory=set)      # "stressed on Monday": no object follows
    speech_nouns: set[str] = field(default_factory=set)         # "raised concerns that ...", "made this statement"
    back_reference_verbs: set[str] = field(default_factory=set)  # "X made this statement": the words before are X's
    places: dict[str, str] = field(default_factory=dict)        # folded label -> place IRI
    place_labels: dict[str, list[str]] = field(default_factory=dict)  # place IRI -> labels
    place_demonyms: dict[str, list[str]] = field(default_factory=dict)  # place IRI -> demonyms
    demonyms: dict[str, str] = field(default_factory=dict)      # folded demonym -> place IRI
    demonym_forms: dict[str, str] = field(default_factory=dict)  # demonym as written -> place IRI
    known: dict[str, KnownActor] = field(default_factory=dict)  # IRI -> actor
    known_by_label: dict[str, str] = field(default_factory=dict)  # folded label -> IRI
    kinds: dict[str, list[str]] = field(default_factory=dict)   # kind IRI -> labels
    stance_cues: list[StanceCue] = field(default_factory=list)
    stance_negations: set[str] = field(default_factory=set)    # words that negate a stance cue after them
    stance_concessions: set[str] = field(default_factory=set)  # "despite": a cue after it is granted, not argued
    clause_breaks: set[str] = field(default_factory=set)       # words a negation does not reach across
    sides: dict[str, str] = field(default_factory=dict)         # place/actor IRI -> the polity it names
    setting_words: set[str] = field(default_factory=set)       # "in", "against": the polity after is a setting
    spellings: dict[str, list[str]] = field(default_factory=dict)  # word of the stance cues -> other spellings
    stance_concerns: dict[str, str] = field(default_factory=dict)  # stance notation -> the polity it is about
    carried_by_quotes: set[str] = field(default_factory=set)   # stances quoted findings alone can give an article

    def names_of_place(self, place: str) -> set[str]:
        """Every folded word the vocabulary writes a place with: its labels and its demonyms."""
        return {fold(n) for n in self.place_labels.get(place, []) + self.place_demonyms.get(place, [])}

    def is_place(self, text: str) -> bool:
        key = fold(text).strip()
        return key in self.places or key in self.demonyms or strip_article(key) in self.places

    def cue_type(self, phrase: str) -> str | None:
        return self.cues.get(phrase.lower())


# the entity ruler's labels for places and demonyms (pipeline._ruler_patterns), and the tokens a
# possessive splits into ("Ukraine" "’s"): read by the name finder (actors.py) and the office
# finder (offices.py) alike
PLACE_LABELS = {"GPE", "NORP"}
POSSESSIVE_MARKS = {"'s", "’s", "ʼs"}


def strip_article(text: str) -> str:
    return re.sub(r"^the\s+", "", text, flags=re.I)


def build_lexicon(vocab: Vocabulary, known_actors: bool = True) -> Lexicon:
    lex = Lexicon()
    g = vocab.graph
    for cue in vocab.individuals(CG.AttributionCue):
        ctype = str(vocab.value(cue, CG.cueType) or "verb")
        lemmas, patterns = vocab.values(cue, CG.verbLemma), vocab.values(cue, CG.formPattern)
        for phrase in vocab.phrases(cue) + verb_forms(lemmas, patterns or DEFAULT_FORM_PATTERNS):
            lex.cues[phrase] = ctype
            lex.cue_types.setdefault(phrase, set()).add(ctype)
            if vocab.value(cue, CG.needsComplement):
                lex.needs_complement.add(phrase)
    for cls, target in ((CG.TitleWord, lex.titles), (CG.RoleWord, lex.roles),
                        (CG.PlaceWord, lex.place_words), (CG.GroupWord, lex.group_words),
                        (CG.NameParticle, lex.particles), (CG.SourceNoun, lex.source_nouns),
                        (CG.StaffWord, lex.staff_words), (CG.OfficeWord, lex.office_words), (CG.MediaReference, lex.media_references),
                        (CG.GenericOrganizationReference, lex.generic_org_references),
                        (CG.SpeechNoun, lex.speech_nouns), (CG.BackReferenceVerb, lex.back_reference_verbs),
                        (CG.SentenceOpener, lex.sentence_openers), (CG.AdverbialWord, lex.adverbial_words),
                        (CG.InterviewWord, lex.interview_words)):
        for ind in vocab.individuals(cls):
            target.update(fold(p) for p in vocab.phrases(ind))
    for ind in vocab.individuals(CG.RoleSynonyms):
        same = frozenset(fold(p) for p in vocab.phrases(ind))
        for word in same:
            lex.role_synonyms[word] = lex.role_synonyms.get(word, frozenset()) | same
    for ind in vocab.individuals(CG.OrganizationWord):
        for phrase in vocab.phrases(ind):
            lex.org_word_kinds[fold(phrase)] = str(ind)
    lex.org_words = set(lex.org_word_kinds)
    for cls in (CG.Country, CG.Place):
        for place in vocab.individuals(cls):
            labels = vocab.labels(place)
            lex.place_labels[str(place)] = labels
            for label in labels:
                lex.places[fold(label)] = str(place)
            for dem in vocab.values(place, CG.demonym):
                lex.demonyms[fold(str(dem))] = str(place)
                lex.demonym_forms[str(dem)] = str(place)
                lex.place_demonyms.setdefault(str(place), []).append(str(dem))
    if known_actors:
        for cls, kind in ((CG.Person, "person"), (CG.Organization, "organization")):
            for iri in vocab.individuals(cls):
                labels = tuple(vocab.labels(iri))
                if not labels:
                    continue
                titles = tuple(str(t) for t in vocab.values(iri, CG.publicationTitle))
                lex.publication_titles.update(fold(t) for t in titles)
                labels += titles
                aff = vocab.value(iri, CG.affiliation)
                actor = KnownActor(str(iri), labels[0], kind, labels, vocab.value(iri, CG.role),
                                   str(aff) if aff else None,
                                   media=(iri, RDF.type, CG.MediaOrganization) in vocab.graph)
                lex.known[actor.iri] = actor
                for label in labels:
                    lex.known_by_label.setdefault(fold(label), actor.iri)
    kind_scheme = URIRef(CG + "KindScheme")
    for concept in sorted(set(g.subjects(SKOS.inScheme, kind_scheme)) | set(g.subjects(RDF.type, SKOS.Concept))):
        if str(concept).startswith("https://w3id.org/claimgraph/kind/"):
            lex.kinds[str(concept)] = vocab.labels(concept)
    for cue in vocab.individuals(CG.StanceCue):
        stance = vocab.value(cue, CG.indicates)
        phrases = vocab.phrases(cue) + frame_phrases(vocab, cue)
        if stance is None or not phrases:
            continue
        notation = str(stance).rsplit("/", 1)[-1]
        weight = float(vocab.value(cue, CG.weight) or 1.0)
        lex.stance_cues.append(StanceCue(str(cue), notation, weight, tuple(phrases),
                                         vocab.value(cue, CG.negatable) is True,
                                         vocab.value(cue, CG.firesWhenNegated) is True,
                                         vocab.value(cue, CG.corroborating) is True))
    for stance in g.subjects(CG.carriedByQuotes, Literal(True)):
        lex.carried_by_quotes.add(str(stance).rsplit("/", 1)[-1])
    for stance, polity in g.subject_objects(CG.concerns):
        lex.stance_concerns[str(stance).rsplit("/", 1)[-1]] = str(polity)
    lex.sides = _sides(vocab, lex)
    for ind in vocab.individuals(CG.StanceNegation):
        lex.stance_negations.update(p.lower() for p in vocab.phrases(ind))
    for ind in vocab.individuals(CG.StanceConcession):
        lex.stance_concessions.update(p.lower() for p in vocab.phrases(ind))
    for ind in vocab.individuals(CG.ClauseBreak):
        lex.clause_breaks.update(p.lower() for p in vocab.phrases(ind))
    for ind in vocab.individuals(CG.SpellingVariant):
        for phrase in vocab.phrases(ind):
            lex.spellings[phrase.lower()] = [str(v).lower() for v in vocab.values(ind, CG.variant)]
    for ind in vocab.individuals(CG.SettingWord):
        lex.setting_words.update(p.lower() for p in vocab.phrases(ind))
    return lex


DEFAULT_FORM_PATTERNS = ("{VBD}", "{VBZ}")   # "denied", "denies"
FORM_TAG = re.compile(r"\{(VB[DGNPZ]?)\}")


def verb_forms(lemmas, patterns=DEFAULT_FORM_PATTERNS) -> list[str]:
    """Each verb lemma (cg:verbLemma) put in each of the cue's form patterns (cg:formPattern, one Penn
    tag in braces): "deny" -> "denied", "denies"; "report" in "as {VBN} by" -> "as reported by".
    Forms come from lemminflect's tables, so the vocabulary lists a verb once and irregular verbs
    ("foresee" -> "foresaw") come out right."""
    forms: list[str] = []
    for lemma in sorted(str(lemma).lower() for lemma in lemmas):
        for pattern in sorted(str(p) for p in patterns):
            tag = FORM_TAG.search(pattern).group(1)
            for form in getInflection(lemma, tag=tag):   # unknown verbs are inflected by rule
                phrase = FORM_TAG.sub(form, pattern, count=1)
                if phrase not in forms:
                    forms.append(phrase)
    return forms


def frame_phrases(vocab: Vocabulary, cue) -> list[str]:
    """A cue written as a frame: any of its cg:frameStart words, a short gap in one clause, any of
    its cg:frameEnd words ("reserves ... shrinking", "plug ... deficit"): the pairs as gapped phrases."""
    starts = sorted(str(o).lower() for o in vocab.graph.objects(cue, CG.frameStart))
    ends = sorted(str(o).lower() for o in vocab.graph.objects(cue, CG.frameEnd))
    return [f"{a} ... {b}" for a in starts for b in ends]


def _sides(vocab: Vocabulary, lex: Lexicon) -> dict[str, str]:
    """Which polity a mention names: a country itself, a place or actor through cg:standsFor
    ("Moscow", "the Kremlin"), a place with a demonym itself ("Europe"), a known actor through
    its cg:affiliation to a place. Towns without a demonym name no side: they are where, not who."""
    sides: dict[str, str] = {}
    for place in vocab.individuals(CG.Country):
        sides[str(place)] = str(place)
    for place in vocab.individuals(CG.Place):
        if vocab.values(place, CG.demonym):
            sides[str(place)] = str(place)
    for subject, polity in vocab.graph.subject_objects(CG.standsFor):
        sides[str(subject)] = str(polity)
    for actor in lex.known.values():
        if actor.iri not in sides and actor.affiliation in sides:
            sides[actor.iri] = sides[actor.affiliation]
    return sides
