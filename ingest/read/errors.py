"""A reading failure as an exception, turned into an ingest.model.ReadError at the boundary.

Readers raise; `read_path` catches and yields a ReadError, so one bad file never stops a batch
and every failure carries the name of what failed and a reason a person can act on.
"""
from __future__ import annotations


class ReadFailure(Exception):
    """The input could not be read as an article; str(exc) is the reason."""
