"""Plain-text articles (.txt): the text exactly as decoded, doc id = file name stem."""
from __future__ import annotations

import logging
from pathlib import Path

from ingest.model import Article
from ingest.read.article import build_article
from ingest.read.decode import decode_bytes
from ingest.read.files import read_capped
from ingest.read.sidecar import read_sidecar

log = logging.getLogger("claimgraph.ingest.read")


def read_text_file(path: Path, source: str, cap: int) -> Article:
    decoded = decode_bytes(read_capped(path, cap))
    if decoded.detected:
        log.info("%s: decoded as %s (detected)", source, decoded.encoding)
    return build_article(path.stem, decoded.text, source=source, format="txt", metadata=read_sidecar(path))
