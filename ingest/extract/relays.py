"""An outlet that relays an attribution is not the speaker of what it relays.

'X said in an interview ..., according to Interfax', '“...,” the ministry said, RBC reported':
the sentence already says who said it, and the closing attribution only names where the
report was read. The labelling rules give the claim to the first-hand speaker. A claim whose
content holds the cue of another attribution, and whose own cue comes after that content, is
such a relay and is dropped; the attribution inside it stands.
"""
from __future__ import annotations

from ingest.extract.attribution import FoundClaim


def without_relays(found: list[FoundClaim]) -> list[FoundClaim]:
    """The claims, less those that only relay another attribution found inside their content."""
    def relays(claim: FoundClaim) -> bool:
        return claim.cue_start >= claim.end and any(
            other is not claim and claim.start <= other.cue_start < claim.end for other in found)
    return [f for f in found if not relays(f)]
