"""Bytes -> text: UTF-8 first, then a detected encoding, and a clear refusal for non-text.

Order matters. A byte-order mark is authoritative (it is how UTF-16/32 files announce
themselves, and it is not part of the text, so it is dropped). Without one, NUL bytes mean a
binary file. Then strict UTF-8, which nearly every modern page is. Only then is the encoding
guessed with charset-normalizer; short Western texts are ambiguous between many single-byte
code pages, so the two code pages most common on the web (Windows-1252, Windows-1251) are
preferred whenever they read the bytes about as cleanly as the detector's own best guess.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

import charset_normalizer

from ingest.read.errors import ReadFailure

log = logging.getLogger("claimgraph.ingest.read")

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
PREFERRED_LEGACY = ("cp1252", "cp1251")   # the usual non-UTF-8 web encodings, in order
CHAOS_MARGIN = 0.1                        # how much messier a preferred reading may be
MAX_CONTROL_RATIO = 0.01                  # control characters allowed in real text
_ODD = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # C0/C1 controls but tabs and breaks; U+FFFD


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str       # the codec used, e.g. "utf-8", "utf-16-le", "cp1251"
    detected: bool      # True when the encoding was guessed rather than known


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode an article's bytes, or raise ReadFailure saying why they are not text.

    `declared` is an encoding the container named (an HTML meta charset); it is tried after
    UTF-8 and before detection.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(Decoded(data[len(bom):].decode(codec), codec, False))
            except UnicodeDecodeError as exc:
                raise ReadFailure(f"not valid {codec} text although it starts with a {codec} byte-order mark "
                                  f"(bad byte at offset {exc.start + len(bom)})") from None
    if b"\x00" in data:
        raise ReadFailure("binary file (contains NUL bytes)")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", False))
    except UnicodeDecodeError:
        pass
    if declared and _known_codec(declared):
        try:
            return _checked(Decoded(data.decode(declared), codecs.lookup(declared).name, False))
        except UnicodeDecodeError:
            pass
    return _checked(_detect(data))


def _detect(data: bytes) -> Decoded:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise ReadFailure("not valid text in any detected encoding")
    for codec in PREFERRED_LEGACY:
        preferred = charset_normalizer.from_bytes(data, cp_isolation=[codec]).best()
        if preferred is not None and preferred.chaos <= best.chaos + CHAOS_MARGIN:
            best = preferred
            break
    log.info("not UTF-8; decoded as %s (detected by charset-normalizer)", best.encoding)
    return Decoded(str(best), best.encoding, True)


def _checked(decoded: Decoded) -> Decoded:
    """Refuse text that decoded but is mostly not text (control characters, replacement marks)."""
    text = decoded.text
    if not text:
        return decoded
    if "\x00" in text:
        raise ReadFailure(f"binary file (NUL characters after decoding as {decoded.encoding})")
    odd = len(_ODD.findall(text))
    if odd > MAX_CONTROL_RATIO * len(text):
        raise ReadFailure(f"binary file ({odd} control or undecodable characters in {len(text)}, "
                          f"read as {decoded.encoding})")
    return decoded


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
