"""A witness set as JSON and the offline quorum check (``docs/witnesses.md``, "Witness sets").

The same rule as ``AnchorRegistry.anchorWitnessed`` checks on chain, for verifiers without a
node. The set and the quorum rule live in ``verifier.witnesses`` (the verifier's check
``anchor.witnesses`` uses them); this module keeps the witness's names for them and adds
``members_of`` for operators and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.witnesses import MAX_WITNESSES, Member, WitnessSet

__all__ = ["MAX_WITNESSES", "Member", "WitnessSet", "members_of"]


def members_of(names: Sequence[str], keys: Sequence[Any], threshold: int) -> WitnessSet:
    """A set from institution names and their ``WitnessKey``s (for operators and tests)."""
    return WitnessSet(
        threshold, tuple(Member(n, k.public_key, k.pop()) for n, k in zip(names, keys, strict=True))
    )
