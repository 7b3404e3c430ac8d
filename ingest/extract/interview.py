"""Interviews written as turns: "Jane Doe: answer" lines, and the answers that follow questions.

An interview names its interviewee once, as a label before the first answer ("Anders Doe: The
fighting won't slow down ..."), then prints questions (lines ending in "?") and answers (the
lines after them) without repeating the name. Every answer is the interviewee's claim; cue words
inside an answer are the interviewee's own words, not attributions of their own, so a claim the
surface rules read inside an answer gives way to the answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.extract.actors import Entry, Mention

LABEL_MARK = ":"
QUESTION_MARK = "?"
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


def interview_turns(text: str, mentions: list[Mention]) -> list[Turn]:
    """Each labelled answer, and each unlabelled line after a question while an interviewee speaks."""
    turns: list[Turn] = []
    speaker: Entry | None = None
    answering = asked = False
    for line in _lines(text):
        label = _label(text, line, mentions)
        if label is not None:
            mention, colon = label
            speaker, answering = mention.entry, False
            start = colon + 1
            while start < line[1] and text[start].isspace():
                start += 1
            if len(text[start:line[1]].split()) >= MIN_WORDS and text[line[1] - 1] in ANSWER_ENDS:
                turns.append(Turn(speaker, start, line[1], colon, colon + 1, True))
            continue
        if text[line[1] - 1] == QUESTION_MARK:
            answering = asked = True
            continue
        if speaker is not None and answering and len(text[line[0]:line[1]].split()) >= MIN_WORDS:
            turns.append(Turn(speaker, line[0], line[1], line[0], line[0], False))
    if not asked or not any(t.labelled for t in turns):
        return []   # "Name: text" lines with no question asked are captions or quotes, not an interview
    return turns
