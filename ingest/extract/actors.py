"""People and organisations named in an article, found from how news introduces them.

A name is a run of capitalised words (with particles such as "of", "for the"). Whether a
name is an actor is decided from the words around it, never from a list of seed names:
a title before it ("Dr.", "NATO Chief"), a role after it (", a senior analyst at ..."), a role
before it ("Russia's deputy defense minister, ..."), an organisation word inside it
("Institute", "Journal"), a known-actor entry of the vocabulary, or its use as a speaker
(attribution.py). Places and demonyms are never actors. Name variants ("Quill",
"Dr. Quill", "A. Quill") resolve to one entry per document (ActorBook).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span as SpacySpan, Token

from common import iris
from common.iris import fold
from ingest.extract.lexicon import PLACE_LABELS, POSSESSIVE_MARKS, Lexicon, strip_article
from ingest.extract.offices import office_phrases
from ingest.model import Actor, Span
from ingest.read.dates import find_date

ACTOR_LABELS = {"PERSON", "ORG"}
APPOSITIVE = re.compile(r"^\s*,\s*(?:(?:a|an|the)\s+)?([^,;:.“”\"()]{2,140}?)\s*(?:\([A-Z][A-Za-z]{1,7}\)\s*)?"
                        r"(?=,|;|\.(?:\s|$)|$)")
ROLE_BEFORE = re.compile(r"(?:(?P<owner>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*)['’]s\s+)?"
                         r"(?P<role>(?:[\w\-]+\s+){0,5}?[\w\-]+)\s*,\s*$")
AFFILIATION_SPLIT = re.compile(r"\s+(?:(?:who\s+(?:now\s+|also\s+|currently\s+)?)?(?:advises|heads|leads|runs|chairs|"
                               r"directs|works\s+(?:for|at))|with|at|of|from|for|in)\s+(?:the\s+)?(?=[A-Z])")
# "the Vienna-based Centre for ...": a place-based modifier is not part of the organisation's name
LOCATED_PREFIX = re.compile(r"^[A-Z][\w’']*-(?:based|born|headquartered|registered|backed|funded|led|run|owned)\s+")
# "The head of the X Centre, NAME," / "A spokeswoman for the State Department, Ms. NAME,"
ROLE_OF_ORG_BEFORE = re.compile(r"(?:^|\s)(?P<role>(?:[\w\-]+\s+){0,3}?[\w\-]+)\s+(?:of|for|at|with)\s+(?:the\s+)?"
                                r"(?P<org>[A-Z][\w.\-’']*(?:\s+(?:[A-Z][\w.\-’']*|of|for|the|and|&))*)\s*,\s*"
                                r"(?:(?:Mr|Ms|Mrs|Dr|Gen|Col|Prof)\.?\s+)?$")
ADJECTIVE_SUFFIXES = ("ent", "ant", "ern", "ive", "al", "ous", "ic", "ior", "ary", "ible", "able", "ful", "less")
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                  "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december"}
POSSESSIVE_ORG = re.compile(r"([A-Z][\w.\-]*(?:\s+(?:[A-Z][\w.\-]*|of|for|the|and))*)['’]s\s+$")
# ", a Danish maker" / ", an independent outlet": an appositive that says the name is an organisation
# ", a professor at Halden University": the apposition describes a person at an organisation
AFFILIATION_WORDS = {"at", "of", "for", "with", "from", "in"}
APPOSITION_MODIFIERS = 3   # "a Ukrainian open-source monitoring group": words before the noun of an apposition
DESCRIPTION_CONTINUERS = {"of", "that", "which", "whose", "based", "run", "founded", "tracking", "monitoring"}
EMPLOYER_WORDS = {"at", "with"}
HEADING_WORDS = 12   # a numbered line this short, with no full stop, is a heading
NAME_SYLLABLE = 6   # "Won-sik", "Seong-kweun": a lower-case part of a hyphenated given name
# "Kyiv-based", "President-elect": a suffix word, not part of a name
NON_NAME_SUFFIXES = {"based", "born", "led", "backed", "run", "owned", "funded", "made", "elect", "designate"}
WEB_ADDRESS = re.compile(r"\S*(?:https?://|www\.|\.(?:com|org|net|gov|ru|ua|eu|uk|de)\b)\S*")
DATELINE_WORDS = 12   # a line this short that holds a date is a byline or dateline
DATELINE_CHARS = 160
OFFICE_TOKENS = 3   # "Vice-Chairman" is three tokens: how far an office may run before its "of"
JOINED_AFFILIATIONS = " and the "   # one person's two employers; inside one name "and" has no "the"
ROLE_REACH = 3   # words into an apposition its role word may stand (", senior visiting fellow at ...")
CAPITALISED_RUN = re.compile(r"[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*")   # the words after "of"/"at" in a role
ORG_APPOSITIVE = re.compile(r"^\s*,\s*(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?([\w\-]+)\s*(?=[,.;]|$)")
# "Jane Doe is a former deputy minister and a fellow at X.": an author's or speaker's biography line
# A two- or three-word name inside a sentence of prose may be a person's with nothing around it
# to say so ("Kremlin hawks, including Jane Doe, will ..."): prose has lower-case words and ends
# as sentences do; a headline or a caption in Title Case does neither. Such a mention is only a
# candidate ("prose" evidence): a trained entity recogniser, where one is loaded, decides.
PROSE_LOWER_SHARE = 0.3
PROSE_MIN_LOWER = 3
PROSE_ENDS = {".", "!", "?", ":", "…", "”", "\"", "’", "'", ")"}
PROSE_NAME_WORDS = (2, 3)
BIO_LINE = re.compile(r"^\s+is\s+(?:(?:a|an|the)\s+)?([^.;:“”\"()]{2,180}?)\s*(?=\.(?:\s|$)|$)")


@dataclass
class Mention:
    """One occurrence of a name in the text."""

    start: int
    end: int
    name: str                        # as written, title dropped
    kind: str                        # person | organization
    iri: str | None = None           # known actor
    evidence: set[str] = field(default_factory=set)
    role: str | None = None
    affiliation: str | None = None   # a name (resolved later) or a place IRI
    acronym: str | None = None       # "(ISW)" written right after the name
    entry: "Entry | None" = None


@dataclass
class Entry:
    """One actor of the document, with every variant of its name."""

    kind: str
    names: list[str]
    iri: str | None = None
    role: str | None = None
    affiliation: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    accepted: bool = False

    @property
    def name(self) -> str:
        full = [n for n in self.names if not re.match(r"^[A-Z]\.", n)]
        # a proper name before a description of the same body ("Danish Defense Intelligence Service",
        # not "Denmark's defense intelligence agency"), then the fullest
        return max(full or self.names, key=lambda n: (self.kind != "organization" or _proper(n), len(n.split()), len(n)))

    @property
    def surname(self) -> str:
        return fold(self.name.split()[-1]) if self.kind == "person" else ""

    @property
    def key(self) -> str:
        return self.iri or iris.actor(self.name)


# a headline's verbs in capitals ("Is Putin Losing?", "Why the Country Is Broke") stand in no name
AUXILIARIES = {"is", "are", "was", "were", "am", "be", "been", "being", "has", "have", "had", "do", "does", "did",
               "can", "could", "should", "would", "must", "might", "cannot"}
CLAUSE_DASHES = {"—", "–", "--"}   # a spaced dash opens a clause as a sentence does: "MOSCOW — When ..."
UNIT_NUMBER = re.compile(r"^\d+(?:st|nd|rd|th)$")   # "47th", "3rd": the ordinal that names a military unit
GLUED_WORDS = re.compile(r"[a-z][A-Z].*[a-z][A-Z]")   # "HomeEconomyAnyone": a page's menu run together


def _is_name_token(tok: Token) -> bool:
    """A capitalised word; letters may be followed by digits ("Defense24"), never led by them. Not
    the pronoun "I", nor words of a page's menu run together ("CroucherShareNewsweek")."""
    text = tok.text
    if text == "I" or GLUED_WORDS.search(text) or text.rsplit("-", 1)[-1] in NON_NAME_SUFFIXES:
        return False   # "D.C.-based" as one token is a modifier too
    core = text.replace(".", "").replace("-", "").replace("'", "").replace("’", "").replace("ʼ", "")
    letters = core.rstrip("0123456789")
    return bool(text[:1].isupper() and letters.isalpha() and len(letters) >= 2 or text[:1].isupper() and core.isalpha())


def _is_initial(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.", text))


class MentionFinder:
    """Finds name mentions in a spaCy Doc and classifies them as person / organisation."""

    def __init__(self, lex: Lexicon):
        self.lex = lex

    def __call__(self, doc: Doc) -> list[Mention]:
        # token index -> index of its sentence's first token (Token.sent is O(n) per call)
        self._sent_of = sentence_starts(doc)
        self._prose: dict[int, bool] = {}
        self._text = doc_text(doc)
        cut = cut_off_end(self._text)   # an excerpt cut off mid-word: its last word is no part of any name
        self._whole = self._text[:cut].rsplit(None, 1)[0] if cut is not None and " " in self._text else self._text
        # words written in lower case elsewhere are common words; a web address's are not ("rosstat.gov.ru")
        lower_words = set(re.findall(r"(?<![\w])[a-z][a-z’'\-]*", WEB_ADDRESS.sub(" ", self._text)))
        ent_of = {}   # tokens of actor/kind entities: a capitalised run stops there (places may join it)
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                for tok in ent:
                    ent_of[tok.i] = ent
        mentions: list[Mention] = []
        known_at: dict[int, Mention] = {}   # first token -> the known actor's mention
        for ent in doc.ents:
            if ent.label_ in ACTOR_LABELS and ent.ent_id_:
                known_at[ent.start] = self._known(doc, ent)
                mentions.append(known_at[ent.start])
        for chunk in self._chunks(doc, ent_of, lower_words):
            person = known_at.get(chunk.end)
            if person is not None and person.kind == "person" and (
                    self._titles_person(chunk, person) or self._first_name_of(doc, chunk, person)):
                continue
            m = self._classify(doc, chunk)
            if m:
                mentions.append(m)
        mentions += self._offices(doc, mentions)
        mentions.sort(key=lambda m: m.start)
        self._organisation_before_title(mentions)
        # "(Jane Doe/Getty Images)", "Jane Doe/Reuters": a photo credit names no actor of the story
        mentions = [m for m in mentions if self._text[m.end:m.end + 1] != "/" and not self._on_dateline(m)]
        if cut is not None:   # an excerpt cut off mid-word ("... said the Depu"): its last word is no name
            mentions = [m for m in mentions if m.end < cut]
        return mentions

    def _offices(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """Lower-case state bodies owned by a place ('Russia's central bank') that no name covers."""
        out = []
        for first, end in office_phrases(doc, self.lex):
            start, stop = doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text)
            if not any(m.start < stop and start < m.end for m in mentions):
                out.append(Mention(start, stop, self._text[start:stop], "organization", evidence={"office"}))
        return out

    def _line_around(self, start: int, end: int) -> tuple[int, int]:
        """Where the line that holds text[start:end] begins and ends."""
        stop = self._text.find("\n", end)
        return self._text.rfind("\n", 0, start) + 1, stop if stop >= 0 else len(self._text)

    def _heading_line(self, tok: Token) -> bool:
        """Whether a word opens a short line of its own ('I. Introduction', 'V. Economic performance
        in 2024'): a numbered heading, not a sentence."""
        start, end = self._line_around(tok.idx, tok.idx)
        line = self._text[start:end]
        return start == tok.idx and len(line.split()) <= HEADING_WORDS and not line.rstrip().endswith(".")

    def _on_dateline(self, m: Mention) -> bool:
        """'FP News Desk March 26, 2025, 14:39:46 IST': a short line that dates the page is a byline or
        dateline, page furniture, and the names on it are no actors of the story."""
        start, end = self._line_around(m.start, m.end)
        if end - start > DATELINE_CHARS:
            return False
        line = self._text[start:end]
        return len(line.split()) <= DATELINE_WORDS and find_date(line) is not None

    def _organisation_before_title(self, mentions: list[Mention]) -> None:
        """'Kremlin spokesman Dmitry Peskov', 'Sberbank CEO Jane Doe': an organisation written
        right before a person's title is where the person holds it -- their affiliation."""
        for org, person in zip(mentions, mentions[1:]):
            if org.kind != "organization" or person.kind != "person" or person.affiliation:
                continue
            between = self._text[org.end:person.start].split()
            if 1 <= len(between) <= 4 and all(fold(w.strip(",")) in self.lex.titles | self.lex.roles for w in between) \
                    and "\n" not in self._text[org.end:person.start]:
                person.affiliation = org.name
                person.role = person.role or " ".join(between)

    # -- chunks of capitalised words -------------------------------------------------
    def _chunks(self, doc: Doc, ent_of: dict, lower_words: set[str]):
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if i in ent_of or not _is_name_token(tok) or tok.lower_ in AUXILIARIES:
                i += 1
                continue
            j = i + 1
            while j < n and j not in ent_of:
                nxt = doc[j]
                if _is_name_token(nxt) and self._sent_of[j] != j and nxt.lower_ not in AUXILIARIES:
                    j += 1
                elif nxt.text in POSSESSIVE_MARKS and j + 1 < n and j + 1 not in ent_of and _is_name_token(doc[j + 1]) \
                        and fold(doc[j + 1].text) in self.lex.org_words \
                        and strip_article(fold(" ".join(t.text for t in doc[i:j]))) in self.lex.titles:
                    j += 1   # "the Prosecutor General's Office": an office named after its holder's title
                elif self._hyphen_joins(doc, j, ent_of):
                    j += 2   # "Jean-Noël": the tokenizer splits a hyphenated name in three
                elif nxt.text in self.lex.particles and self._particle_fits(doc, i, j):
                    step = 2 if nxt.text in {"of", "for"} and j + 1 < n and doc[j + 1].text == "the" else 1
                    k = j + step
                    if k < n and k not in ent_of and _is_name_token(doc[k]) and self._sent_of[k] != k:
                        j = k + 1
                    else:
                        break
                else:
                    break
            start = i
            while start < j and self._drop_leading(doc[start], lower_words):
                start += 1
                while start < j and not _is_name_token(doc[start]):
                    start += 1   # "Speaking on Telegram": no name starts with the particle the opener leaves
            if start < j:
                if start > 0 and start - 1 not in ent_of and UNIT_NUMBER.match(doc[start - 1].text) \
                        and fold(doc[j - 1].text) in self.lex.org_words:
                    start -= 1   # "47th Mechanized Brigade": a unit's number is part of its name
                yield doc[start:j]
            i = j

    @staticmethod
    def _hyphen_joins(doc: Doc, j: int, ent_of: dict) -> bool:
        """A hyphen written without spaces inside a name: 'Jean-Noël', 'Won-sik'."""
        return (doc[j].text in {"-", "‐"} and j + 1 < len(doc) and not doc[j - 1].whitespace_
                and not doc[j].whitespace_ and j + 1 not in ent_of
                and (_is_name_token(doc[j + 1]) or doc[j + 1].is_alpha and doc[j + 1].is_lower
                     and len(doc[j + 1]) <= NAME_SYLLABLE and not doc[j + 1].is_stop
                     and doc[j + 1].text not in NON_NAME_SUFFIXES))

    def _particle_fits(self, doc: Doc, i: int, j: int) -> bool:
        word = doc[j].text
        if j + 1 < len(doc) and doc[j + 1].lower_ in CALENDAR_WORDS:
            return False   # "the Kremlin on Wednesday": a date follows, not the rest of a name
        so_far = [fold(doc[k].text) for k in range(i, j)]
        last_two = so_far[-2:]
        if word in {"of", "for"} and len(so_far) >= 2 and not any(
                w in self.lex.org_words or w in self.lex.titles or w in self.lex.place_words
                or w in self.lex.particles for w in last_two):
            return False  # "Tomas Berg of the Nordic Institute": a person, then his affiliation
        if word in {"and", "&"}:
            return any(doc[k].lower_ in {"for", "of"} for k in range(i, j))   # "Institute For X and Y" too
        if word == "the":
            return j > i and doc[j - 1].text in {"of", "for"}
        return True

    def _drop_leading(self, tok: Token, lower_words: set[str]) -> bool:
        """A sentence-initial capital that is just an ordinary word ("Despite", "Reports")."""
        first = self._sent_of[tok.i] == tok.i or self._after_opener(tok.doc, tok) \
            or tok.i > 0 and tok.doc[tok.i - 1].text in CLAUSE_DASHES   # "MOSCOW — When Igor ..."
        if not first:
            return False
        low = tok.text.lower()
        if fold(tok.text) in self.lex.titles and low != "the":
            return False
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.is_lower and fold(nxt.text) in self.lex.group_words \
                and (self.lex.cue_type(fold(nxt.text)) is None or low.endswith(ADJECTIVE_SUFFIXES)):
            # "Independent estimates put": an adjective; "Melnyk estimates that": a name and a verb
            return True   # "Independent estimates put ...", "Senior officials said": an adjective, not a name
        return tok.is_stop or low in lower_words or self.lex.cue_type(low) is not None \
            or low in self.lex.group_words or low in self.lex.roles or low in self.lex.sentence_openers \
            or low in self.lex.source_nouns   # "Figures show", "Data from ..."

    # -- classification ----------------------------------------------------------------
    def _classify(self, doc: Doc, chunk: SpacySpan) -> Mention | None:
        toks = list(chunk)
        if len(toks) == 1 and toks[0].whitespace_ and chunk.end < len(doc) and doc[chunk.end].is_digit:
            return None   # "Article 5", "Resolution 2231", "Phase 2": a numbered reference, not a name
        the_media = toks[0].text == "The" and not (self._sent_of[toks[0].i] == toks[0].i or self._after_opener(doc, toks[0]))
        if toks[0].text == "The":
            toks = toks[1:]
        if fold(" ".join(t.text for t in toks)) in self.lex.titles and not the_media:
            return None
        article = doc[toks[0].i - 1] if toks and toks[0].i > 0 else None
        if article is not None and article.lower_ in {"a", "an"} and fold(toks[0].text) in self.lex.titles:
            return None   # "a Major Power", "a General Strike": a rank after an indefinite article is an adjective
        body = self._body_of_office(toks)
        if body:   # "Vice-Chairman of the National Security Council in Moscow": the office's body is the actor
            toks, title = body, None
        else:
            title, stripped = self._split_title(toks)
            if title is None or self._office_follows(toks, title):
                # "Parliamentary Commissioner for the German Armed Forces Eva Hogl", "Deputy Chairman of
                # the Central Bank of Russia A B": a title with the body it serves written out
                office, name = self._office_then_name(toks)
                if office is not None or title is None:
                    title, stripped = office, name
                elif not any(fold(t.text) in self.lex.org_words for t in toks):
                    return None   # "Director of Russian Studies", "Chief of Defence": an office, and no name after it
            if any(fold(t.text) in self.lex.org_words for t in stripped) or (
                    (len(stripped) == len(toks) or title is None) and any(fold(t.text) in self.lex.org_words for t in toks)):
                # an organisation keeps the place it is named by: "Ukrainian Air Force", "Russian Central Bank"
                toks, title = list(chunk)[1:] if chunk[0].text == "The" else list(chunk), None
            else:
                toks = stripped
        if not toks:
            return None
        text = self._text[toks[0].idx: toks[-1].idx + len(toks[-1].text)]
        words = [fold(t.text) for t in toks]
        if self.lex.is_place(text) or (len(toks) == 1 and fold(text) in self.lex.titles and not the_media):
            return None
        after = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
        org_after = after is not None and after.text.islower() and fold(after.text) in self.lex.org_words
        if chunk[0].text.lower() == "the" or (toks[0].i > 0 and doc[toks[0].i - 1].lower_ == "the"):
            # "the Labour leader", "the Kremlin spokesman": the name qualifies a role, so it is the body
            org_after = org_after or (after is not None and after.text.islower() and fold(after.text) in self.lex.roles)
        after2 = doc[toks[-1].i + 2] if toks[-1].i + 2 < len(doc) else None
        if after is not None and after2 is not None and after.text.islower() \
                and fold(f"{after.text} {after2.text}") in self.lex.org_words:
            org_after = True   # "the Bruegel think tank"
        end_char = toks[-1].idx + len(toks[-1].text)
        described = ORG_APPOSITIVE.match(self._text[end_char:end_char + 80].split("\n", 1)[0])
        prev = doc[toks[0].i - 1] if toks[0].i > 0 else None
        if prev is not None and prev.text == "," and toks[0].i > 1 and len(toks) == 1:
            prev = doc[toks[0].i - 2]   # "the country's largest bank, Sberbank,": the noun one word stands beside
        org_noun_before = prev is not None and prev.text.islower() and fold(prev.text) in self.lex.org_words \
            and fold(prev.text) not in self.lex.roles | self.lex.titles   # "the economist Jane Doe" is a person
        if (described and described.group(1).islower() and fold(described.group(1)) in self.lex.org_words
                and not AFFILIATION_WORDS & set(described.group(0).split())) or org_noun_before \
                or self._described_as_organisation(doc, toks[-1].i):
            org_after = True   # "Nordammo, a Danish maker" / "the independent outlet Vot Tak"
        kind = None
        if any(w in self.lex.org_words for w in words) or org_after or the_media:
            kind = "organization"
        elif len(toks) == 1 and text.isupper() and 2 <= len(text) <= 6:
            kind = "organization"
        elif self._given_name_demonym(toks, end_char):
            kind = "person"   # "German Gref, CEO of ...": a demonym that is a first name, the role says so
        elif any(w in self.lex.place_words for w in words) or any(self.lex.is_place(t.text) for t in toks[bool(title):]):
            return None   # after a title a demonym may be a first name: "Sberbank CEO German Gref"
        elif len(toks) <= 4 and not any(w in self.lex.group_words or w in self.lex.roles for w in words):
            kind = "person"
        if kind is None:
            return None
        owner = self._place_owner(doc, toks[0]) if kind == "organization" else None
        if owner is not None:   # "Ukraine's Ministry of Defense": whose ministry is part of its name
            text = self._text[owner.idx: toks[-1].idx + len(toks[-1].text)]
            toks = [owner, *toks]
        m = Mention(toks[0].idx, toks[-1].idx + len(toks[-1].text), text, kind)
        if org_after:
            m.evidence.add("named-group")
            m.name = text
        if the_media:
            m.evidence.add("media")
        role_before = self._role_word_before(doc, toks[0])
        if role_before and len(toks) == 1 and fold(role_before) not in self.lex.titles:
            role_before = None  # "the official Telegram channel": a bare role word vouches for full names only
        if kind == "person" and (title or role_before):
            m.evidence.add("title")
            m.role = m.role or title or role_before
        if kind == "person" and title:
            m.affiliation = self._organisation_in_title(title)
        if _is_initial(toks[0].text) and kind == "person":
            if len(toks) == 1 or toks[1].is_stop or self._heading_line(toks[0]):
                return None   # "minus 20 C. This is", "V. Economic performance": no initial and surname
            m.evidence.add("initial")
        if kind == "person" and self._prose_name(doc, toks):
            m.evidence.add("prose")
        self._appositive(doc, m, toks[0].i)
        self._acronym(doc, m)
        return m

    def _described_as_organisation(self, doc: Doc, last: int) -> bool:
        """'DeepState, a group of Ukrainian military analysts that ...', 'X, an open-source
        intelligence website which ...': the noun the apposition opens with is an organisation word,
        and what follows it describes the body ('of', 'that', 'which', 'based'), not a person's post."""
        k = last + 1
        if k + 2 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in {"a", "an", "the"}:
            return False
        for tok in doc[k + 2:k + 2 + APPOSITION_MODIFIERS + 1]:
            if tok.is_punct or not (tok.is_lower or self.lex.is_place(tok.text)):
                return False   # "a Ukrainian monitoring group" still; "a Kremlin adviser" is no description
            if fold(tok.text) in self.lex.org_words and fold(tok.text) not in self.lex.roles:
                nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                return nxt is None or nxt.is_punct or nxt.lower_ in DESCRIPTION_CONTINUERS
        return False

    def _prose_name(self, doc: Doc, toks: list[Token]) -> bool:
        """Two or three capitalised words, each a plain word, in a sentence of prose."""
        if not PROSE_NAME_WORDS[0] <= len(toks) <= PROSE_NAME_WORDS[1]:
            return False
        if not all(t.text[0].isupper() and any(c.islower() for c in t.text)
                   and t.text.replace("-", "").replace("’", "").replace("'", "").isalpha() for t in toks):
            return False
        start = self._sent_of[toks[0].i]
        if start not in self._prose:
            self._prose[start] = self._is_prose(doc, start)
        return self._prose[start]

    def _is_prose(self, doc: Doc, start: int) -> bool:
        end = start + 1
        while end < len(doc) and self._sent_of[end] == start:
            end += 1
        words = [t.text for t in doc[start:end] if t.is_alpha]
        lower = sum(1 for w in words if w.islower())
        last = next((t.text for t in reversed(doc[start:end]) if not t.is_space), "")
        return lower >= PROSE_MIN_LOWER and lower >= PROSE_LOWER_SHARE * len(words) and last[-1:] in PROSE_ENDS

    def _place_owner(self, doc: Doc, first: Token) -> Token | None:
        """The place in 'PLACE's ORGANISATION' right before `first`, when there is one."""
        if first.i < 2 or doc[first.i - 1].text not in POSSESSIVE_MARKS:
            return None
        place = doc[first.i - 2]
        return place if self.lex.is_place(place.text) else None

    def _first_name_of(self, doc: Doc, chunk: SpacySpan, person: Mention) -> bool:
        """'Vladimir Zelensky' where the vocabulary knows 'Zelensky': the capitalised word right
        before a known surname is the first name as this article spells it; so are a first name and
        a middle initial ('Vladimir V. Putin'), and a title before them is the person's title."""
        known_words = person.name.split()
        initial_known = len(known_words) == 2 and _is_initial(known_words[0])   # the vocabulary's "V. Putin"
        if len(known_words) != 1 + initial_known:
            return False
        size = 2 if not initial_known and len(chunk) >= 2 and _is_initial(chunk[-1].text) else 1
        first = doc[chunk.end - size]
        title = doc[chunk.start:chunk.end - size]
        if doc[chunk.end - 1].whitespace_ != " " or fold(first.text) in self.lex.titles \
                or self.lex.is_place(first.text) or fold(first.text) in self.lex.org_words \
                or len(title) and not self._titles_person(title, person):
            return False
        person.start = first.idx
        person.name = self._text[first.idx:person.end]
        known_firsts = {fold(label.split()[0])[:1] for label in self.lex.known[person.iri].labels
                        if len(label.split()) > 1} if person.iri in self.lex.known else set()
        if known_firsts and fold(first.text)[:1] not in known_firsts:
            person.iri = None   # "Mikael Biden" is not the Biden the vocabulary knows
            person.evidence.discard("known")
        return True

    def _titles_person(self, chunk: SpacySpan, person: Mention) -> bool:
        """'Security Council Deputy Chairman' right before a known person: the person's title
        (and the organisation it names), not an actor of its own."""
        words = [fold(t.text) for t in chunk]
        if not any(" ".join(words[i:]) in self.lex.titles for i in range(max(0, len(words) - 3), len(words))):
            return False
        title = chunk.text
        person.role = person.role or title
        person.affiliation = person.affiliation or self._organisation_in_title(title)
        person.evidence.add("title")
        return True

    def _organisation_in_title(self, title: str) -> str | None:
        """'Security Council Deputy Chairman' -> 'Security Council': the capitalised words of a
        title up to its last organisation word name where the office is held."""
        words = title.split()
        last = max((i for i, w in enumerate(words) if fold(w) in self.lex.org_words), default=None)
        if last is None or not all(w[:1].isupper() for w in words[:last + 1]):
            return None
        while words and (self.lex.is_place(words[0]) or fold(words[0]) in self.lex.titles):
            words = words[1:]
            last -= 1
        return " ".join(words[:last + 1]) if last >= 0 else None

    def _after_opener(self, doc: Doc, tok: Token) -> bool:
        """True when only quotes, bullets or dashes stand between the sentence start and `tok`."""
        start = self._sent_of[tok.i]
        return tok.i > start and all(not t.is_alpha and not t.like_num for t in doc[start:tok.i])

    def _sentence_start_char(self, doc: Doc, token_i: int) -> int:
        return doc[self._sent_of[token_i]].idx

    def _split_title(self, toks: list[Token]) -> tuple[str | None, list[Token]]:
        """The title phrase written before a name, and the name: 'NATO Chief Ada Quill' ->
        ('nato chief', Ada Quill); 'Ukrainian President Jane Doe' -> ('president', Jane Doe).
        Places before or between titles are passed over; the title is None when there is none."""
        found: list[str] = []
        rest = list(toks)
        while rest and (rest[0].text.islower() or rest[0].is_punct):
            rest = rest[1:]
        while len(rest) > 1:
            if self.lex.is_place(rest[0].text):
                rest = rest[1:]
                continue
            for width in (3, 2, 1):
                phrase = fold(" ".join(t.text for t in rest[:width]))
                if width < len(rest) and phrase in self.lex.titles:
                    found.append(phrase)
                    rest = rest[width:]
                    while rest and rest[0].text.islower():
                        rest = rest[1:]
                    break
            else:
                break
        if not found:
            return self._title_inside(rest)
        return " ".join(found) or None, rest

    def _body_of_office(self, toks: list[Token]) -> list[Token]:
        """The body an office that opens a name serves ('Head of the Office of the President',
        'Vice-Chairman of the National Security Council in Moscow'): the words after its 'of'/'for'
        (and 'the'), up to a place it is in; none unless an office word leads and no name follows."""
        offices = self.lex.titles | self.lex.roles
        joint = next((i for i, t in enumerate(toks[:OFFICE_TOKENS + 1]) if t.lower_ in {"of", "for"}), None)
        if not joint or joint + 1 >= len(toks):
            return []
        office = self._text[toks[0].idx:toks[joint - 1].idx + len(toks[joint - 1].text)]
        if not (fold(office) in offices or fold(toks[joint - 1].text) in offices):
            return []
        if self._office_then_name(toks)[0] is not None:
            return []   # "Deputy Chairman of the Central Bank of Russia A B": a person's title
        body = toks[joint + 1:]
        body = body[1:] if body and body[0].lower_ == "the" else body
        cut = next((i for i, t in enumerate(body) if t.lower_ == "in" and i + 1 < len(body)
                    and self.lex.is_place(body[i + 1].text)), len(body))
        body = body[:cut]
        return body if any(fold(t.text) in self.lex.org_words for t in body) else []

    @staticmethod
    def _office_follows(toks: list[Token], title: str) -> bool:
        """The title found is followed by 'of'/'for': the body it serves is written out after it."""
        words = [fold(t.text) for t in toks]
        title_words = title.split()
        for i in range(len(words) - len(title_words)):
            if words[i:i + len(title_words)] == title_words:
                return words[i + len(title_words)] in {"of", "for"}
        return False

    def _office_then_name(self, toks: list[Token]) -> tuple[str | None, list[Token]]:
        """A title with the body it serves written out ('Commissioner for the German Armed Forces',
        'Head of the Office of the President') and a two-word name after it: the title, and the name."""
        if len(toks) < 5:
            return None, toks
        name, office = toks[-2:], toks[:-2]
        words = {fold(t.text) for t in office}
        if not (words & self.lex.titles and words & {"of", "for"}) or office[-1].is_stop or any(
                not t.text[:1].isupper() or t.is_stop or self.lex.is_place(t.text)
                or fold(t.text) in self.lex.titles | self.lex.org_words | self.lex.roles for t in name):
            return None, toks
        return " ".join(t.text for t in office), name

    def _title_inside(self, toks: list[Token]) -> tuple[str | None, list[Token]]:
        """'Former Finance Minister A B', 'Security Council Deputy Chairman A B': a title word with
        capitalised qualifiers before it; the name is the one to three words after the last title
        word (never an organisation word)."""
        for k in range(len(toks) - 2, 0, -1):
            for width in (3, 2, 1):
                start = k - width + 1
                if start < 1 or fold(" ".join(t.text for t in toks[start:k + 1])) not in self.lex.titles:
                    continue
                name = toks[k + 1:]
                words = [t for t in name if not t.is_punct]   # "Park Jin-ho": the hyphen is no word of its own
                if 1 <= len(words) <= 3 and not any(fold(t.text) in self.lex.org_words | self.lex.titles
                                                   or self.lex.cue_type(t.lower_) or t.is_stop for t in name):
                    return " ".join(t.text for t in toks[:k + 1]), name
        return None, toks

    def _known(self, doc: Doc, ent: SpacySpan) -> Mention:
        actor = self.lex.known[ent.ent_id_]
        after = doc[ent.end] if ent.end < len(doc) else None
        # "the Biden administration", "the Trump government": the person's name modifies a body
        modifier = actor.kind == "person" and after is not None and after.is_lower \
            and fold(after.text) in self.lex.org_words
        if modifier:   # the body itself is the actor, named as written: "Trump administration"
            end = after.idx + len(after.text)
            return Mention(ent.start_char, end, self._text[ent.start_char:end], "organization")
        m = Mention(ent.start_char, ent.end_char, ent.text, actor.kind, iri=actor.iri,
                    evidence=set() if actor.media or modifier else {"known"})
        if actor.kind == "organization" and ent.text.startswith("The") and not (self._sent_of[ent.start] == ent.start or self._after_opener(doc, ent[0])):
            m.evidence.add("media")
        if self._role_word_before(doc, ent[0]):
            m.evidence.add("title")
        self._appositive(doc, m, ent.start)
        self._acronym(doc, m)
        return m

    def _role_word_before(self, doc: Doc, tok: Token) -> str | None:
        """'economist Jane Doe', 'dictator X': a lower-case role or title word right before a name."""
        if tok.i == 0:
            return None
        prev = doc[tok.i - 1]
        if tok.i >= 2 and fold(f"{doc[tok.i - 2].text} {prev.text}") in self.lex.titles:
            return f"{doc[tok.i - 2].text} {prev.text}"
        if prev.text.islower() and (fold(prev.text) in self.lex.roles or fold(prev.text) in self.lex.titles):
            return prev.text
        return None

    def _appositive(self, doc: Doc, m: Mention, first_token: int) -> None:
        """', a senior analyst at the X,' after the name; 'Y's deputy minister, NAME,' before it."""
        line_start = self._text.rfind("\n", 0, m.start) + 1
        tail = self._tail(m.end)
        role = self._apposition(tail)
        if role is not None:
            self._set_role(m, role, "appositive")
        bio = BIO_LINE.match(tail)
        lead = self._text[self._sentence_start_char(doc, first_token):m.start].split()
        opens_sentence = all(fold(w) in self.lex.titles for w in lead)   # "Dr. Jane Doe is ..."
        if bio and m.kind == "person" and opens_sentence and (not m.role or fold(m.role) in self.lex.titles) \
                and self._has_role_word(bio.group(1)):
            self._set_role(m, bio.group(1), "appositive")
        of_org = re.match(r"^\s+(?:of|from|at|with)\s+(?:the\s+)?((?:[A-Z][\w.\-’']*)(?:\s+(?:[A-Z][\w.\-’']*|of|for|the|and|&))*)",
                          tail)
        if m.kind == "person" and of_org and not m.affiliation and \
                any(fold(w.strip(".")) in self.lex.org_words for w in of_org.group(1).split()):
            m.affiliation = LOCATED_PREFIX.sub("", re.sub(r"\s+(?:of|for|the|and|&)$", "", of_org.group(1).rstrip(".")))
        head = self._text[max(line_start, self._sentence_start_char(doc, first_token), m.start - 120): m.start]
        owner = POSSESSIVE_ORG.search(head)
        if m.kind == "person" and owner and not m.affiliation and \
                any(fold(w) in self.lex.org_words for w in owner.group(1).split()):
            m.affiliation = owner.group(1)   # "The Carnegie Center's Jane Doe"
            m.evidence.add("role-before")
        role_of = ROLE_OF_ORG_BEFORE.search(head)
        if m.kind == "person" and role_of and re.match(r"^\s*,", tail) and not m.affiliation \
                and self._has_role_word(role_of.group("role"), last=True):
            role = re.sub(r"^(?:a|an|the)\s+", "", role_of.group("role"), flags=re.I)
            m.role = m.role if m.role and fold(m.role) not in self.lex.titles else role
            m.affiliation = LOCATED_PREFIX.sub("", role_of.group("org"))
            m.evidence.add("role-before")
        before = ROLE_BEFORE.search(head)
        if before and re.match(r"^\s*,", tail) and self._has_role_word(before.group("role"), last=True):
            self._set_role(m, before.group("role"), "role-before")
            owner = before.group("owner")
            if owner and not m.affiliation:
                m.affiliation = owner

    def _given_name_demonym(self, toks: list[Token], end_char: int) -> bool:
        """A demonym and one unknown capitalised word, followed by a person's role in apposition
        (', CEO of ...', ', a senior fellow at ...'): a first name that is also a demonym."""
        if len(toks) != 2 or fold(toks[0].text) not in self.lex.demonyms or self.lex.is_place(toks[1].text):
            return False
        return self._apposition(self._tail(end_char)) is not None

    def _tail(self, end: int) -> str:
        """The rest of the line after a name (up to 200 characters; never an excerpt's cut-off last word)."""
        return self._whole[end: end + 200].split("\n", 1)[0]

    def _apposition(self, tail: str) -> str | None:
        """The role phrase set off by commas at the start of `tail` (', a senior analyst at the X,'), if one is."""
        match = APPOSITIVE.match(tail)
        return match.group(1) if match and self._is_appositive(tail[:match.end()], match.group(1)) else None

    def _is_appositive(self, written: str, phrase: str) -> bool:
        """', a senior fellow at X' / ', spokesman for X': an article or role word first, no cue verb."""
        words = [fold(w) for w in re.findall(r"[\w\-]+", phrase)]
        # a cue word inside an organisation word ("think tank") is no verb of speech
        spoken = fold(phrase)
        for org_word in (w for w in self.lex.org_words if " " in w):
            spoken = spoken.replace(org_word, " ")
        if not words or len(words) > 16 or any(self.lex.cue_type(w) for w in re.findall(r"[\w\-]+", spoken)):
            return False
        if not re.match(r"^\s*,\s*(?:a|an|the)\s", written, re.I) and words[0] not in self.lex.titles \
                and not any(w in self.lex.roles for w in words[:ROLE_REACH]):
            return False   # ", industrial director of ...", ", Russia economist at ...": a role word near the start
        return self._has_role_word(phrase)

    def _has_role_word(self, phrase: str, last: bool = False) -> bool:
        words = [fold(w) for w in re.findall(r"[\w\-]+", phrase)]
        if last:  # "deputy defence minister", "chief of staff"
            return bool(words) and (words[-1] in self.lex.roles
                                    or (len(words) >= 3 and words[-2] in {"of", "for"} and words[-3] in self.lex.roles))
        core = AFFILIATION_SPLIT.split(phrase, maxsplit=1)[0]
        core_words = [fold(w) for w in re.findall(r"[\w\-]+", core)]
        return any(w in self.lex.roles for w in core_words[:8])

    def _set_role(self, m: Mention, phrase: str, evidence: str) -> None:
        phrase = phrase.strip()
        parts = AFFILIATION_SPLIT.split(phrase, maxsplit=1)
        cuts = []   # (where the phrase splits, the capitalised words after it)
        for cut in AFFILIATION_SPLIT.finditer(phrase):
            # "head of Russia research at the Berlin Centre": a place is the subject, the organisation is later
            run = CAPITALISED_RUN.match(phrase[cut.end():])
            if not (run and self.lex.is_place(run.group(0))):
                cuts.append((cut, run))
        # "Director of Russian Studies at CNA": the field comes first, the employer after "at"
        field = bool(cuts) and cuts[0][1] is not None \
            and not any(fold(w) in self.lex.org_words for w in cuts[0][1].group(0).split())
        employer = [c for c, _ in cuts[1:] if c.group(0).split()[0] in EMPLOYER_WORDS] if field else []
        cut = employer[0] if employer else cuts[0][0] if cuts else None
        if cut is not None:
            parts = [phrase[:cut.start()], phrase[cut.end():]]
        m.role = parts[0].strip()
        if len(parts) > 1:
            aff = re.match(r"^((?:[A-Z][\w.\-’']*|of|for|the|and|&)(?:\s+(?:[A-Z][\w.\-’']*|of|for|the|and|&))*)",
                           parts[1])
            if aff:
                name = re.sub(r"\s+(?:of|for|the|and|&)$", "", aff.group(1).rstrip("."))
                name = re.sub(r"['’]s?$", "", name)   # "head of Russia's central bank" -> Russia
                name = LOCATED_PREFIX.sub("", name)
                m.affiliation = name
        m.evidence.add(evidence)

    def _acronym(self, doc: Doc, m: Mention) -> None:
        match = re.match(r"^\s*\(([A-Z][A-Za-z]{1,7})\)", self._text[m.end: m.end + 12])
        if match and m.kind == "organization":
            m.acronym = match.group(1)




def doc_text(doc: Doc) -> str:
    """The Doc's text, cached: Doc.text rebuilds the string from the tokens on every access."""
    text = doc.user_data.get("claimgraph_text")
    if text is None:
        text = doc.text
        doc.user_data["claimgraph_text"] = text
    return text


def cut_off_end(text: str) -> int | None:
    """Where an excerpt cut off in mid-word ends ('... said the Depu'); None when the text ends as
    text does (a stop, a quotation mark, a bracket)."""
    body = text.rstrip()
    return len(body) if body[-1:].isalnum() else None


def sentence_starts(doc: Doc) -> list[int]:
    """token index -> index of its sentence's first token (Token.sent is O(n) per call)."""
    flags = doc.to_array([SENT_START]).tolist() if len(doc) else []
    out, first = [], 0
    for i, flag in enumerate(flags):
        if flag == 1 or i == 0:
            first = i
        out.append(first)
    return out


class ActorBook:
    """Resolves the mentions of one document to entries: one per real-world actor."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.entries: list[Entry] = []

    def add(self, m: Mention) -> Entry:
        entry = self._find(m)
        if entry is None:
            entry = Entry(m.kind, [m.name], iri=m.iri)
            self.entries.append(entry)
        elif m.name not in entry.names:
            entry.names.append(m.name)
        if m.iri and not entry.iri:
            entry.iri = m.iri
        if m.acronym and m.acronym not in entry.names:
            entry.names.append(m.acronym)
        entry.role = entry.role or m.role
        entry.affiliation = entry.affiliation or m.affiliation
        entry.mentions.append(m)
        m.entry = entry
        if m.evidence & {"known", "title", "appositive", "role-before", "initial", "media", "speaker"}:
            entry.accepted = True
        return entry

    def _find(self, m: Mention) -> Entry | None:
        if m.iri:
            for e in self.entries:
                if e.iri == m.iri:
                    return e
        key = fold(m.name)
        known_iri = self.lex.known_by_label.get(key) or self.lex.known_by_label.get(fold(_strip_lead_place(self.lex, m.name)))
        for e in self.entries:
            if (known_iri and e.iri == known_iri) or key in {fold(n) for n in e.names}:
                return e
        if m.kind == "person":
            parts = m.name.split()
            surname = fold(parts[-1])
            for e in reversed(self.entries):
                if e.kind != "person" or e.surname != surname:
                    continue
                other = e.name.split()
                if len(parts) == 1 or len(other) == 1 or fold(parts[0])[:1] == fold(other[0])[:1]:
                    if len(parts) > 1 and len(other) == 1:
                        e.names.append(m.name)
                    return e
        if m.kind == "organization" and stripped_words(self.lex, m.name) in self.lex.org_words:
            # "the Institute's analysts": a lone organisation word names the organisation last so named
            word = stripped_words(self.lex, m.name)
            for e in reversed(self.entries):
                if e.kind == "organization" and any(word in fold(n).split() and fold(n) != word for n in e.names):
                    return e
        if m.kind == "organization":
            # "the American Institute for X" is "the Institute for X"; "Ukraine's Ministry of Defence"
            # is not "the UK Ministry of Defence": places written on both sides must agree
            stripped, place = fold(_strip_lead_place(self.lex, m.name)), _lead_place(self.lex, m.name)
            for e in self.entries:
                if e.kind != "organization":
                    continue
                for n in e.names:
                    other = _lead_place(self.lex, n)
                    if stripped == fold(_strip_lead_place(self.lex, n)) and (not place or not other or place == other):
                        return e
        if m.kind == "organization" and any(w[:1].islower() for w in _strip_lead_place(self.lex, m.name).split()):
            # "Denmark's defense intelligence agency" is the "Danish Defense Intelligence Service" named
            # before: the same place, and the same words once the organisation words are set aside
            place, words = _lead_place(self.lex, m.name), _distinctive_words(self.lex, m.name)
            for e in self.entries:
                if e.kind == "organization" and place and words and any(
                        _lead_place(self.lex, n) == place and _distinctive_words(self.lex, n) == words for n in e.names):
                    return e
        if known_iri and not m.iri:
            m.iri = known_iri
        return None

    def entry_for_name(self, name: str, kind: str = "organization") -> Entry | None:
        probe = Mention(0, 0, name, kind)
        return self._find(probe)

    def accept_affiliations(self) -> None:
        """An organisation named as someone's affiliation is an actor of the document."""
        for e in list(self.entries):
            if not e.accepted or not e.affiliation or e.affiliation.startswith("http"):
                continue
            first, *others = e.affiliation.split(JOINED_AFFILIATIONS)
            if others and all(o[:1].isupper() for o in others):   # "expert at X and the Y Academy": both
                e.affiliation = first
                for other in others:
                    (self.entry_for_name(other) or self.add(Mention(-1, -1, other, "organization"))).accepted = True
            if self.lex.is_place(e.affiliation):
                e.affiliation = self.lex.places.get(fold(e.affiliation)) or self.lex.demonyms.get(fold(e.affiliation))
                continue
            org = self.entry_for_name(e.affiliation) or self.entry_for_name(e.affiliation, "person")
            if org is not None and org.kind == "person" and org is not e and not org.iri \
                    and (not org.accepted or len(org.name.split()) == 1):
                org.kind = "organization"   # "head of Roscosmos", "economist at Harwick Analytics": a name nothing
                #                             confirmed as a person's, held by a role, is the body the role is at
            if org is not None and org.kind == "person":
                e.affiliation = None if org is e else org.key   # "Zelensky's chief of staff"
                continue
            if org is None:
                words = e.affiliation.split()
                if not (any(fold(w) in self.lex.org_words for w in words) or len(words) > 1
                        or e.affiliation.isupper()):
                    e.affiliation = None   # a lone word we cannot place: no invented organisation
                    continue
                org = self.add(Mention(-1, -1, e.affiliation, "organization"))
            org.accepted = True
            e.affiliation = None if org is e else org.key

    def drop_confined_to(self, start: int, end: int, keep: set[int]) -> set[int]:
        """Actors named only between start and end (a headline) are none of the article's: the
        labelling counts the people and bodies of the body text. `keep`: ids of entries that speak
        after it. Returns the ids of the entries dropped."""
        dropped = set()
        for e in self.entries:
            placed = [m for m in e.mentions if m.start >= 0]
            if e.accepted and placed and id(e) not in keep and all(start <= m.start and m.end <= end for m in placed):
                e.accepted = False
                dropped.add(id(e))
        return dropped

    def accept_repeated_surnames(self, text: str) -> None:
        """A two-to-four-word person name whose last word also stands alone later is a person."""
        for e in self.entries:
            if e.accepted or e.kind != "person" or len(e.name.split()) < 2:
                continue
            surname = re.escape(e.name.split()[-1])
            standalone = len(re.findall(rf"(?<![\w\-]){surname}(?![\w\-])", text))
            full = sum(1 for m in e.mentions if len(m.name.split()) > 1)
            if standalone > full:
                e.accepted = True

    def _display_name(self, e: Entry) -> str:
        """The name as the article writes it, at its fullest: "Rubio" stays "Rubio" in an article
        that never writes "Marco Rubio" (the IRI still ties it to the known actor, whose label
        becomes an alias). Only an initial ("A. Quill") is spelled out from the vocabulary. A known
        organisation keeps its preferred label when the article writes a form of it ("the American
        Institute for the Study of War", "ISW")."""
        if not (e.iri and e.iri in self.lex.known):
            return e.name
        known = self.lex.known[e.iri].name
        if e.kind == "person":
            return known if any(_is_initial(n.split()[0]) for n in e.names) else e.name
        # "the Military Balance" is written for its publisher: the name the article gives otherwise
        shown = [n for n in e.names if strip_article(fold(n)) not in self.lex.publication_titles]
        if shown and not any(fold(known) in fold(n) for n in e.names):
            return Entry(e.kind, shown).name   # "Kennan Institute", a misspelt name: as written
        return known

    def actors(self) -> list[Actor]:
        out = []
        for e in self.entries:
            if not e.accepted:
                continue
            name = self._display_name(e)
            role = e.role or (self.lex.known[e.iri].role if e.iri in self.lex.known else None)
            affiliation = e.affiliation
            if affiliation is None and e.iri in self.lex.known:
                affiliation = self.lex.known[e.iri].affiliation
            aliases = set(e.names) | ({self.lex.known[e.iri].name} if e.iri in self.lex.known else set())
            out.append(Actor(key=e.key, name=name, kind=e.kind, aliases=aliases - {name}, role=role,
                             affiliation=affiliation, iri=e.iri,
                             mentions=sorted(Span(m.start, m.end) for m in e.mentions if m.start >= 0)))
        return out


def _lead_place(lex: Lexicon, name: str) -> str | None:
    """The place a name opens with ('UK', "Ukraine's", 'Russian'), as a place IRI, or None."""
    key = fold(_unpossessed(name.split()[0]) if name.split() else "")
    return lex.places.get(key) or lex.demonyms.get(key)


def _unpossessed(word: str) -> str:
    """A name's word without the possessive ending: "Ukraine's" -> "Ukraine"."""
    return word.removesuffix("'s").removesuffix("’s").removesuffix("ʼs")


def _proper(name: str) -> bool:
    """Written as a proper name: no lower-case word but short joining words ('Institute for the Study of War')."""
    return not any(w[:1].islower() and len(w) > 3 for w in name.split())


def _distinctive_words(lex: Lexicon, name: str) -> frozenset[str]:
    """What sets an organisation's name apart from others of its kind: its words without the
    place it opens with, articles and the organisation words ('defense' of 'Defense Intelligence Service')."""
    first, *rest = name.split() or [""]
    words = fold(_strip_lead_place(lex, " ".join([_unpossessed(first), *rest]))).split()
    return frozenset(w for w in words if w not in lex.org_words and w not in lex.particles and w not in {"the", "of"})


def stripped_words(lex: Lexicon, name: str) -> str:
    """The folded name without a leading 'the' or place."""
    return fold(_strip_lead_place(lex, name))


def _strip_lead_place(lex: Lexicon, name: str) -> str:
    """'American Institute for the Study of War' -> 'Institute for the Study of War';
    "Ukraine's air force" -> 'air force'."""
    words = name.split()
    while len(words) > 1 and (lex.is_place(_unpossessed(words[0])) or words[0].lower() == "the"):
        words = words[1:]
    return " ".join(words)
