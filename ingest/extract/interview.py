"""Interviews written as turns: "Jane Doe: answer" lines, and the answers that follow questions.

An interview names its interviewee once, as a label before the first answer ("Anders Doe: The
fighting won't slow down ..."), then prints questions (lines ending in "?") and answers (the
lines after them) without repeating the name. Every answer is the interviewee's claim; cue words
inside an answer are the interviewee's own words, not attributions of their own, so a claim the
surface rules read inside an answer gives way to the answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ingest.extract.actors import ActorBook, Entry, Mention, cut_off_end
from ingest.extract.antecedents import last_named

LABEL_MARK = ":"
QUESTION_MARK = "?"
MIN_QUESTIONS = 2      # an unlabelled interview asks at least this many questions
ANSWER_MARKS = "-–— "
ANSWER_ENDS = ".!?…”\"'’"   # an answer is prose; "Name: words" without them is a headline
MIN_WORDS = 3


@dataclass
class Turn:
    speaker: Entry
    start: int
    end: int
    cue_start: int
    cue_end: int
    labelled: bool


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
        pos += len(line) + 1
    return out


def _label(text: str, line: tuple[int, int], mentions: list[Mention]) -> tuple[Mention, int] | None:
    """A person's name opening the line and followed by a colon: (the mention, where the colon is)."""
    for m in mentions:
        if m.start == line[0] and m.kind == "person" and m.entry is not None:
            colon = m.end
            while colon < line[1] and text[colon] == " ":
                colon += 1
            if colon < line[1] and text[colon] == LABEL_MARK:
                return m, colon
    return None


def interview_turns(text: str, mentions: list[Mention], book: ActorBook | None = None,
                    speakers: Sequence[tuple[int, Entry]] = ()) -> list[Turn]:
    """Each labelled answer, and each unlabelled line after a question while an interviewee speaks.
    An interview without name labels (questions and answers as lines, often dash-led) is the
    person quoted last before its first question (`speakers`: cue position and speaker of the
    claims found), else the person named last there, when it asks at least MIN_QUESTIONS: the
    introduction quotes the interviewee, while a question may name anyone."""
    lines = _lines(text)
    questions = [line for line in lines if text[line[1] - 1] == QUESTION_MARK]
    unlabelled = None
    announced = bool(questions) and book is not None and any(
        w.strip(".,;:“”\"'()").lower() in book.lex.interview_words for w in text[:questions[0][0]].split())
    enough = 1 if announced else MIN_QUESTIONS   # "in an interview with X": one question is asked of X
    if book is not None and len(questions) >= enough and not any(_label(text, line, mentions) for line in lines):
        quoted = [entry for pos, entry in sorted(speakers, key=lambda s: s[0])
                  if pos < questions[0][0] and entry is not None and entry.kind == "person"]
        unlabelled = quoted[-1] if quoted else last_named(book, questions[0][0], "person", accepted_only=False)
    dashed = bool(questions) and all(text[q[0]] in ANSWER_MARKS for q in questions)
    cut = cut_off_end(text)
    turns: list[Turn] = []
    speaker: Entry | None = None
    answering = asked = False
    for line in lines:
        label = _label(text, line, mentions)
        if label is not None:
            mention, colon = label
            if text[line[1] - 1] == QUESTION_MARK:   # "Interviewer Name: ... ?": a question, no claim
                mention.entry.accepted = True   # but the interviewer is a person of the article
                speaker, answering, asked = None, False, True
                continue
            speaker, answering = mention.entry, False
            start = colon + 1
            while start < line[1] and text[start].isspace():
                start += 1
            cut_off = line[1] == cut   # an excerpt's last line, cut off in mid-word
            if len(text[start:line[1]].split()) >= MIN_WORDS and (text[line[1] - 1] in ANSWER_ENDS or cut_off):
                turns.append(Turn(speaker, start, line[1], colon, colon + 1, True))
                answering = asked   # the paragraphs that follow a labelled answer go on with it
            continue
        if text[line[1] - 1] == QUESTION_MARK:
            answering = asked = True
            speaker = speaker or unlabelled
            continue
        if unlabelled is not None and speaker is unlabelled and (dashed and text[line[0]] not in ANSWER_MARKS):
            answering = False   # a paragraph of the article between dash-led turns is no answer
            continue
        if speaker is not None and answering and len(text[line[0]:line[1]].split()) >= MIN_WORDS:
            start = line[0]
            while start < line[1] and text[start] in ANSWER_MARKS:
                start += 1   # "- I believe ...": the dash of a dash-led answer is no word of it
            turns.append(Turn(speaker, start, line[1], line[0], line[0], False))
            if unlabelled is not None and speaker is unlabelled and not dashed:
                answering = False   # without name labels or dashes, only the line after a question answers it
    if not asked or unlabelled is None and not any(t.labelled for t in turns):
        return []   # "Name: text" lines with no question asked are captions or quotes, not an interview
    return turns


ROUNDUP_MIN_CONTRIBUTORS = 2   # one name on a line of its own is a byline; two or more head contributions
ROLE_LINE_MAX_WORDS = 20       # "Professor at the Institute of ...": the line under a contributor's name
NAME_LINE_WORDS = (2, 4)


def roundup_turns(text: str, mentions: list[Mention]) -> list[Turn]:
    """An expert round-up ('Experts react', 'Judy asks'): each contributor's name on a line of its
    own, often a line with their role under it, then their answer in paragraphs, until the next
    name. Every paragraph is the contributor's claim. A single name line is a byline, not a
    round-up, so at least ROUNDUP_MIN_CONTRIBUTORS are needed."""
    lines = _lines(text)
    cut = cut_off_end(text)
    lower = {w for w in text.split() if w.islower()}
    headers: dict[int, Entry] = {}
    for index, line in enumerate(lines):
        written = text[line[0]:line[1]].split()
        if any(w.lower() in lower for w in written):
            continue   # "Expanding Ammunition Production": a subheading's words also stand in lower case
        words = len(written)
        m = next((m for m in mentions if m.start == line[0] and m.end == line[1] and m.kind == "person"
                  and m.entry is not None), None)
        if m is not None and NAME_LINE_WORDS[0] <= words <= NAME_LINE_WORDS[1]:
            headers[index] = m.entry
    if len(set(map(id, headers.values()))) < ROUNDUP_MIN_CONTRIBUTORS:
        return []
    turns: list[Turn] = []
    speaker: Entry | None = None
    for index, line in enumerate(lines):
        if index in headers:
            speaker = headers[index]
            continue
        body = text[line[0]:line[1]]
        if speaker is None:
            continue
        prose = body[-1:] in ANSWER_ENDS or line[1] == cut
        if index - 1 in headers and not prose and len(body.split()) <= ROLE_LINE_MAX_WORDS:
            continue   # the contributor's role
        if prose and len(body.split()) >= MIN_WORDS:
            turns.append(Turn(speaker, line[0], line[1], line[0], line[0], False))
    return turns
