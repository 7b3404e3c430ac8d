"""Who 'he', 'she' and 'it' refer to: the actors a document named before a position.

Names inside quotations and inside words reported from someone else are what was said, not who
is speaking, so they are passed over ('Peskov said no meeting of Putin and Trump is planned.
He added ...': he is Peskov). A pronoun that opens a sentence refers first to the subject of
the sentence before (news writes 'X said ... . He also believes ...'): the first person named
in it. Failing that, the actor named last.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from common.iris import fold
from ingest.extract.actors import ActorBook, Entry

Spans = Sequence[tuple[int, int]]


def _inside(spans: Spans, pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


NAMED_AS_ORGANISATION = {"named-group", "media"}   # "the outlet IStories", "The Times"


def _vouched(entry: Entry, accepted_only: bool) -> bool:
    """A lone capitalised word nobody vouched for ('Oslo') is no antecedent; one an organisation
    noun introduces ('the investigative outlet IStories') is."""
    if _office_only(entry):
        return False   # "Russia's central bank" is what "the bank" refers to, not "it"
    return entry.accepted or not accepted_only and (
        len(entry.name.split()) >= 2 or any(m.evidence & NAMED_AS_ORGANISATION for m in entry.mentions))


def _office_only(entry: Entry) -> bool:
    """A lower-case state body nothing has vouched for yet ('Russia's central bank', offices.py)."""
    return not entry.accepted and all("office" in m.evidence for m in entry.mentions)


def last_named(book: ActorBook, before: int, kind: str, excluded: Spans = (), word: str | None = None,
               max_distance: int | None = None, accepted_only: bool = False) -> Entry | None:
    """The actor of `kind` named last before `before` (with `word` in its name, when given)."""
    best, best_pos = None, -1
    for e in book.entries:
        if e.kind != kind or not (_vouched(e, accepted_only) or word and _office_only(e)) \
                or word and not any(word in fold(n).split() for n in e.names):
            continue
        for m in e.mentions:
            if best_pos < m.start < before and m.start >= 0 and not _inside(excluded, m.start):
                best, best_pos = e, m.start
    if best is not None and max_distance is not None and before - best_pos > max_distance:
        return None
    return best


POSSESSIVE_ENDINGS = ("'s", "’s", "ʼs", "s'", "s’")
COMPOUND_HYPHENS = ("-", "‑")   # "Putin-linked", "Kremlin-backed": the name modifies the noun after it


def first_named(book: ActorBook, start: int, end: int, kind: str, excluded: Spans = (), text: str = "",
                accepted_only: bool = False) -> Entry | None:
    """The vouched-for actor of `kind` named first between start and end; a possessor ("after two
    years of Putin's offensive, he ...") or a name inside a compound modifier ("Putin-linked
    oligarch X") is not what the sentence is about."""
    best, best_pos = None, end
    for e in book.entries:
        if e.kind != kind or not _vouched(e, accepted_only):
            continue
        for m in e.mentions:
            if start <= m.start < best_pos and not _inside(excluded, m.start) \
                    and not text[m.end:m.end + 2].startswith(POSSESSIVE_ENDINGS + COMPOUND_HYPHENS):
                best, best_pos = e, m.start
    return best


def pronoun_antecedent(book: ActorBook, pos: int, kind: str, sentences: Spans, excluded: Spans = (),
                       max_distance: int = 800, text: str = "",
                       speakers: Sequence[tuple[int, Entry]] = ()) -> Entry | None:
    """The actor a pronoun at `pos` refers to: the first named earlier in its own sentence, else
    the speaker of a claim in the sentence before (`speakers`: cue position, speaker), else the
    first named there, else the one named last (within `max_distance`)."""
    index = _sentence_of(sentences, pos)
    if index is not None:
        own = first_named(book, sentences[index][0], pos, kind, excluded, text)
        if own is not None:
            return own
        if index > 0:
            spoke = _speaker_in(sentences[index - 1], kind, speakers)
            if spoke is not None:
                return spoke
            # an accepted actor before a name nothing vouched for ("... Live Briefing gives you ...")
            before = first_named(book, *sentences[index - 1], kind, excluded, text, accepted_only=True) \
                or last_named(book, pos, kind, excluded, max_distance=max_distance, accepted_only=True) \
                or first_named(book, *sentences[index - 1], kind, excluded, text)
            if before is not None:
                return before
    return last_named(book, pos, kind, excluded, max_distance=max_distance)


def previous_speaker(pos: int, kind: str, sentences: Spans,
                     speakers: Sequence[tuple[int, Entry]]) -> Entry | None:
    """The speaker of kind `kind` of a claim whose cue stands in the sentence before `pos` ("They
    added that ...": the organisation that spoke just before, and nobody otherwise)."""
    index = _sentence_of(sentences, pos)
    return _speaker_in(sentences[index - 1], kind, speakers) if index else None


def _sentence_of(sentences: Spans, pos: int) -> int | None:
    return next((i for i, (s, e) in enumerate(sentences) if s <= pos < e), None)


def _speaker_in(sentence: tuple[int, int], kind: str, speakers: Sequence[tuple[int, Entry]]) -> Entry | None:
    """The first speaker of kind `kind` whose cue stands in `sentence` (`speakers`: cue position,
    speaker): the sentence's subject, not someone its claim reports ('X said ..., twice the number
    Y announced. “...,” he said': X)."""
    start, end = sentence
    spoke = [entry for at, entry in speakers if start <= at < end and entry.kind == kind]
    return spoke[0] if spoke else None


ROLE_REACH = 40   # characters before a name where its role may be written ("Russian economist Jane Doe")


def introduced_person(book: ActorBook, before: int, role: str, text: str, excluded: Spans = (),
                      qualifiers: Sequence[set[str]] = (), qualified_only: bool = False) -> Entry | None:
    """'the official', 'the Lithuanian minister': the person introduced with that role word -- in
    their role, or written just before their name -- and, of several, the one introduced with
    most of the phrase's qualifiers (each a set of equivalent words: "lithuanian", "lithuania");
    else the person with a role introduced last, else the person named last."""
    def named_before(e: Entry) -> list[int]:
        return [m.start for m in e.mentions if 0 <= m.start < before]

    names = sorted((m.end, m.start) for other in book.entries for m in other.mentions)
    name_ends = [end for end, _ in names]

    def lead(start: int) -> str:
        """The words right before a name, back to the previous name at most, that name included
        ('senior Kremlin advisers, including X', 'Trump's envoy X': the name qualifies the role)."""
        previous = bisect_right(name_ends, start)
        return text[max(start - ROLE_REACH, 0, names[previous - 1][1] if previous else 0):start]

    def known_as(e: Entry) -> set[str]:
        """What the vocabulary says a known actor is: its role, and the names of the country it
        serves ("the Ukrainian president" for a known president of Ukraine the story named)."""
        known = book.lex.known.get(e.iri or "")
        if known is None:
            return set()
        words = set(fold(known.role or "").split())
        if known.affiliation:   # a place IRI has names; an organisation's IRI has none here
            words |= book.lex.names_of_place(known.affiliation)
        return words

    def introduction(e: Entry) -> set[str]:
        words = set(fold(e.role or "").split()) | set(fold(e.affiliation or "").split()) | known_as(e)
        for start in named_before(e):
            after = text[start:min(start + ROLE_REACH * 2, before)]
            after = after[:min((i for i in (after.find(". "), after.find("\n")) if i >= 0), default=len(after))]
            for window in (lead(start), after):   # its own clause and sentence only
                words |= {w.strip(".,;:()“”\"'’") for w in fold(window).replace("'s", " ").replace("’s", " ").split()}
        return words

    same_post = book.lex.role_synonyms.get(role, frozenset({role}))   # "the aide" was introduced as an adviser

    def introduced_as(e: Entry) -> bool:
        return bool(e.role and same_post & set(fold(e.role).split())) or bool(same_post & known_as(e)) or any(
            same_post & _with_singulars(fold(lead(start)).split()) for start in named_before(e))

    def qualified(e: Entry) -> int:
        words = introduction(e)
        return sum(1 for q in qualifiers if q & words)

    place_qualifiers = [q for q in qualifiers if any(book.lex.is_place(w) for w in q)]

    def serves_elsewhere(e: Entry) -> bool:
        """"the Ukrainian president" is not a known president of another country."""
        known = book.lex.known.get(e.iri or "")
        places = book.lex.names_of_place(known.affiliation) if known is not None and known.affiliation else set()
        return bool(places) and any(not q & places for q in place_qualifiers)

    people: list[Entry] = []
    foreign: list[Entry] = []
    for e in book.entries:
        if e.kind == "person" and named_before(e):
            (foreign if serves_elsewhere(e) else people).append(e)
    excluded = [*excluded, *((m.start, m.end) for e in foreign for m in e.mentions)]
    introduced = {id(e): introduced_as(e) for e in people}
    with_role = [e for e in people if introduced[id(e)]]
    vouched = [e for e in people if e.accepted or introduced[id(e)]]
    if qualifiers and vouched:
        ranked = [(qualified(e), introduced[id(e)], max(named_before(e)), e) for e in vouched]
        best = max(ranked, key=lambda r: r[:3])
        if best[0]:
            return best[3]
    if qualified_only:
        return None
    if with_role:
        return max(with_role, key=lambda e: max(named_before(e)))
    with_any_role = [e for e in people if e.role]
    if with_any_role:
        return max(with_any_role, key=lambda e: min(named_before(e)))
    return last_named(book, before, "person", excluded, accepted_only=True)


def _with_singulars(words: list[str]) -> set[str]:
    """'Kremlin advisers, including X': X is one of the advisers."""
    return {*words, *(w.rstrip(",;:")[:-1] for w in words if w.rstrip(",;:").endswith("s"))}


CATAPHORA_REACH = 600   # characters after its sentence where the person a role stood for may be named


def introduced_after(book: ActorBook, pos: int, role: str, text: str, sentences: Spans) -> Entry | None:
    """'Ukraine's ambassador to the US said ... . Ambassador Jane Doe acknowledged ...': a role
    (at `pos`) whose holder the story names only afterwards -- the person first named in the
    sentences that follow (within CATAPHORA_REACH) with that role, or a word for the same post,
    before the name or in apposition."""
    index = _sentence_of(sentences, pos)
    sentence_end = sentences[index][1] if index is not None else pos
    same_post = book.lex.role_synonyms.get(role, frozenset({role}))
    best, best_pos = None, sentence_end + CATAPHORA_REACH
    for e in book.entries:
        starts = [m.start for m in e.mentions if m.start >= 0]
        if e.kind != "person" or not starts or not sentence_end <= min(starts) < best_pos:
            continue
        first = min(starts)
        lead = fold(text[max(sentence_end, first - ROLE_REACH):first]).split()
        if same_post & (set(fold(e.role or "").split()) | _with_singulars(lead)):
            best, best_pos = e, first
    return best
