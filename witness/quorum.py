"""A witness set as JSON and the offline quorum check (``docs/witnesses.md``, "Witness sets").

The same rule as ``AnchorRegistry.anchorWitnessed`` checks on chain, for verifiers without a node: the
bitmap names at least ``threshold`` witnesses of the set and no index outside it, and the
signature is the aggregate of their signatures over the batch message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from witness.bls import PUBLIC_KEY_SIZE, SIGNATURE_SIZE, verify_aggregate, verify_pop
from witness.errors import WitnessError
from witness.message import Commitment

MAX_WITNESSES = 256


@dataclass(frozen=True, slots=True)
class Member:
    name: str  # the institution, as it is to be named in reports
    public_key: bytes
    pop: bytes


@dataclass(frozen=True, slots=True)
class WitnessSet:
    threshold: int
    members: tuple[Member, ...]

    def __post_init__(self) -> None:
        n = len(self.members)
        if not 1 <= n <= MAX_WITNESSES:
            raise WitnessError(f"witnesses: want 1 to {MAX_WITNESSES} members, got {n}")
        if type(self.threshold) is not int or not 1 <= self.threshold <= n:
            raise WitnessError(f"threshold: must be an integer from 1 to {n}")
        if len({m.public_key for m in self.members}) != n:
            raise WitnessError("witnesses: a public key appears twice")

    def verify_pops(self) -> None:
        """Return None if every member's proof of possession verifies; else raise."""
        for i, m in enumerate(self.members):
            try:
                verify_pop(m.public_key, m.pop)
            except WitnessError as exc:
                raise WitnessError(f"witnesses[{i}].pop: {exc}") from exc

    def signers(self, bitmap: int) -> list[Member]:
        """The members bit i of ``bitmap`` names; raises if it names none or an unknown index."""
        n = len(self.members)
        if type(bitmap) is not int or bitmap <= 0 or bitmap >> n:
            raise WitnessError(
                f"bitmap: must name 1 or more of the {n} witnesses and no other index"
            )
        return [m for i, m in enumerate(self.members) if bitmap >> i & 1]

    def verify_quorum(self, commitment: Commitment, bitmap: int, signature: bytes) -> None:
        """Return None if a quorum named by ``bitmap`` signed ``commitment``; else raise."""
        signers = self.signers(bitmap)
        if len(signers) < self.threshold:
            raise WitnessError(
                f"bitmap: names {len(signers)} witnesses, the threshold is {self.threshold}"
            )
        verify_aggregate([m.public_key for m in signers], commitment.message(), signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "witnesses": [
                {"name": m.name, "public_key": m.public_key.hex(), "pop": m.pop.hex()}
                for m in self.members
            ],
        }

    @classmethod
    def from_json(cls, obj: Any) -> WitnessSet:
        _fields(obj, {"threshold", "witnesses"}, "witness_set")
        items = obj["witnesses"]
        if not isinstance(items, list):
            raise WitnessError("witness_set.witnesses: must be a list")
        members = []
        for i, item in enumerate(items):
            where = f"witness_set.witnesses[{i}]"
            _fields(item, {"name", "public_key", "pop"}, where)
            name = item["name"]
            if not isinstance(name, str) or not 1 <= len(name) <= 128:
                raise WitnessError(f"{where}.name: must be a string of 1 to 128 characters")
            members.append(Member(name, _hex(item["public_key"], PUBLIC_KEY_SIZE, f"{where}.public_key"),
                                  _hex(item["pop"], SIGNATURE_SIZE, f"{where}.pop")))  # fmt: skip
        threshold = obj["threshold"]
        if type(threshold) is not int:
            raise WitnessError("witness_set.threshold: must be an integer")
        return cls(threshold, tuple(members))


def _fields(obj: Any, names: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise WitnessError(f"{where}: must be an object")
    for k in obj:
        if k not in names:
            raise WitnessError(f"{where}.{k}: unknown field")
    for k in sorted(names):
        if k not in obj:
            raise WitnessError(f"{where}.{k}: required field is missing")


def _hex(value: Any, size: int, where: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size or value != value.lower():
        raise WitnessError(f"{where}: must be {size} bytes of lowercase hex")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise WitnessError(f"{where}: must be {size} bytes of lowercase hex") from exc


def members_of(names: Sequence[str], keys: Sequence[Any], threshold: int) -> WitnessSet:
    """A set from institution names and their ``WitnessKey``s (for operators and tests)."""
    return WitnessSet(
        threshold, tuple(Member(n, k.public_key, k.pop()) for n, k in zip(names, keys, strict=True))
    )
