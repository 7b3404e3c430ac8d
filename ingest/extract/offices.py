"""Organisations written in lower case and owned by a place: "Russia's central bank", "the
Russian finance ministry", "Ukraine's air force".

News names state bodies this way as often as by their proper names, and refers back to them as
"the bank" or "the ministry". Each such phrase becomes a mention (not yet an actor: it becomes
one when it speaks), so that a later "the central bank said" has the body it refers to. The
head nouns are the vocabulary's cg:OfficeWord words; the owner is a place or demonym the
entity ruler found; between them stand at most a few lower-case modifiers ("finance",
"foreign intelligence"). A few phrases of the vocabulary name a body without an owner: "the
central bank", "the air force".
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from common.iris import fold
from ingest.extract.lexicon import PLACE_LABELS, POSSESSIVE_MARKS, Lexicon

MODIFIERS = 3   # "Ukraine's foreign intelligence service": lower-case words between owner and noun


def office_phrases(doc: Doc, lex: Lexicon) -> list[tuple[int, int]]:
    """(first token, end token) of each owned lower-case office in the document."""
    place_end = {ent.end - 1: ent.start for ent in doc.ents if ent.label_ in PLACE_LABELS}
    out = []
    for tok in doc:
        if not tok.is_lower or fold(tok.text) not in lex.office_words or _modifies_next(tok, lex):
            continue
        k, modifiers = tok.i - 1, 0
        while k >= 0 and modifiers < MODIFIERS and _modifier(doc[k], lex):
            k, modifiers = k - 1, modifiers + 1
        if k >= 0 and doc[k].text in POSSESSIVE_MARKS:
            k -= 1
        if k in place_end and (modifiers or doc[k + 1].text in POSSESSIVE_MARKS or tok.i == k + 1):
            out.append((place_end[k], tok.i + 1))
        elif doc[k].lower_ == "the" and k + 1 < tok.i and fold(doc[k + 1:tok.i + 1].text) in lex.office_words:
            out.append((k + 1, tok.i + 1))   # "the central bank", "the air force": a state body by itself
    return out


def _modifier(tok: Token, lex: Lexicon) -> bool:
    """A lower-case word that may qualify an office noun ('finance', 'air', 'security', 'central')."""
    return tok.is_lower and tok.is_alpha and not tok.is_stop and lex.cue_type(tok.lower_) is None


def _modifies_next(tok: Token, lex: Lexicon) -> bool:
    """'the ministry spokesman': the noun qualifies a person's role, or is itself a modifier of a
    following office noun ('the intelligence service'); 'news agency AFP': it describes a name."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is None:
        return False
    if nxt.is_title or nxt.is_upper and nxt.is_alpha:
        return True   # "French news agency AFP", "South Korea's spy agency NIS": a description of the name after it
    if not nxt.is_lower:
        return False
    word = fold(nxt.text)
    return word in lex.roles or word in lex.titles or word in lex.office_words or word in lex.org_words \
        or word in lex.staff_words or word in lex.group_words
