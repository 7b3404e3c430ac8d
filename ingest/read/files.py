"""Which files a path names (folders walked recursively, in a stable order) and reading them
under the size cap."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ingest.model import ReadError
from ingest.read.errors import ReadFailure
from ingest.read.limits import describe_size
from ingest.read.sidecar import is_sidecar

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str     # how the file is named in the graph and in reports: relative to the folder given
    format: str


def iter_input_files(root: Path) -> Iterator[InputFile | ReadError]:
    """The article files `root` names: itself, or every known file under it in name order
    (hidden entries, sidecars and symlinked folders left out). A path that is missing or
    cannot be listed is a ReadError, and the walk goes on past an unreadable subfolder."""
    if root.is_file():
        fmt = FORMATS.get(root.suffix.lower())
        if fmt is None or is_sidecar(root):
            known = ", ".join(sorted(FORMATS))
            yield ReadError(str(root), f"unsupported file type {root.suffix or '(no extension)'!r} "
                                       f"(expected one of {known})")
        else:
            yield InputFile(root, root.name, fmt)
    elif not root.exists():
        yield ReadError(str(root), "no such file or folder")
    elif not root.is_dir():
        yield ReadError(str(root), "not a regular file or folder")
    else:
        yield from _walk(root, root)


def _walk(folder: Path, root: Path) -> Iterator[InputFile | ReadError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield ReadError(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, root)
        elif entry.is_file() and not is_sidecar(path) and (fmt := FORMATS.get(path.suffix.lower())):
            yield InputFile(path, path.relative_to(root).as_posix(), fmt)


def read_capped(path: Path, cap: int) -> bytes:
    """The file's bytes, refusing files over the size cap before reading them."""
    size = path.stat().st_size
    if size > cap:
        raise ReadFailure(f"too large: {describe_size(size)} is over the cap of {describe_size(cap)} "
                          f"(set CLAIMGRAPH_MAX_ARTICLE_BYTES to change it)")
    return path.read_bytes()
