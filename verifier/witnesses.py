"""Witness quorums, checked offline: the signed message, BLS verification and witness sets.

Specified in ``docs/witnesses.md`` ("Signed message", "Witness sets") and used by the check
``anchor.witnesses`` (``docs/proof-format.md``). The witness service (``witness/``) imports these
names from here, so the verifier and the witnesses share one implementation of what is signed
and how a quorum is decided; the verifier never imports ``witness/``.

BLS12-381 as ``py_ecc.bls.G2ProofOfPossession`` defines it (IETF BLS signatures,
proof-of-possession scheme): public keys are 48-byte compressed G1 points, signatures 96-byte
compressed G2 points. The checks are ``verifier.bls12381``'s (native arkworks, py-ecc as the
fallback), which decides all checks of a bundle with one product of pairings; the curve library
is imported on first use, so verifying a bundle without witnesses never loads it.

The signed message, 162 bytes::

    "siteledger/witness/v1" ‖ 0x00 ‖ chain_id (uint256 BE) ‖ contract (20 bytes)
    ‖ batch_no (uint64 BE) ‖ root (32) ‖ heads_root (32) ‖ first_seq (uint64 BE) ‖ size (uint64 BE)

equal to Solidity's ``abi.encodePacked(bytes22(tag ‖ 0x00), uint256 chainId, address registry,
uint64 batchNo, bytes32 root, bytes32 headsRoot, uint64 firstSeq, uint64 size)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ledger.core.errors import LedgerError
from verifier import bls12381 as bls

PUBLIC_KEY_SIZE: Final = 48
SIGNATURE_SIZE: Final = 96
MAX_WITNESSES: Final = 256
TAG: Final = b"siteledger/witness/v1"
MESSAGE_SIZE: Final = len(TAG) + 1 + 32 + 20 + 8 + 32 + 32 + 8 + 8
_U64: Final = 2**64


class WitnessError(LedgerError):
    """A witness refuses to sign, or a witness value (key, signature, set, quorum) is malformed
    or does not verify."""


# ---------------------------------------------------------------------------- the message


@dataclass(frozen=True, slots=True)
class Commitment:
    """What a witness signs: a batch's commitment on one contract of one chain."""

    chain_id: int
    contract: bytes  # 20-byte address
    batch_no: int
    first_seq: int
    size: int
    root: bytes
    heads_root: bytes

    def __post_init__(self) -> None:
        if type(self.chain_id) is not int or not 0 < self.chain_id < 2**256:
            raise WitnessError("chain_id: must be an integer from 1 to 2^256 - 1")
        if len(self.contract) != 20:
            raise WitnessError(f"contract: must be 20 bytes, got {len(self.contract)}")
        for name in ("batch_no", "first_seq", "size"):
            v = getattr(self, name)
            if type(v) is not int or not 0 <= v < _U64:
                raise WitnessError(f"{name}: must be an integer from 0 to 2^64 - 1")
        if self.size < 1:
            raise WitnessError("size: a batch holds at least one entry")
        for name in ("root", "heads_root"):
            if len(getattr(self, name)) != 32:
                raise WitnessError(f"{name}: must be 32 bytes")

    def message(self) -> bytes:
        out = b"".join([
            TAG, b"\x00",
            self.chain_id.to_bytes(32, "big"),
            self.contract,
            self.batch_no.to_bytes(8, "big"),
            self.root,
            self.heads_root,
            self.first_seq.to_bytes(8, "big"),
            self.size.to_bytes(8, "big"),
        ])  # fmt: skip
        assert len(out) == MESSAGE_SIZE
        return out


def contract_address(text: str) -> bytes:
    """A ``0x``-prefixed 40-hex-digit address as 20 bytes (any letter case)."""
    if not isinstance(text, str) or not text.startswith("0x") or _ANY_HEX.fullmatch(text[2:]) is None:
        raise WitnessError("contract: must be 0x followed by 40 hex digits")
    return bytes.fromhex(text[2:])


# ---------------------------------------------------------------------------- BLS


def verify_pop(public_key: bytes, pop: bytes) -> None:
    """Return None if ``pop`` proves possession of ``public_key``; else raise."""
    _sizes([public_key], PUBLIC_KEY_SIZE, "public_key")
    _sizes([pop], SIGNATURE_SIZE, "pop")
    if check_all([bls.pop_check(public_key, pop)]):
        raise WitnessError(f"proof of possession does not verify for key {public_key.hex()}")


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> None:
    _sizes([public_key], PUBLIC_KEY_SIZE, "public_key")
    _sizes([signature], SIGNATURE_SIZE, "signature")
    if check_all([bls.aggregate_check([public_key], message, signature)]):
        raise WitnessError(f"signature does not verify under witness key {public_key.hex()}")


def aggregate(signatures: Sequence[bytes]) -> bytes:
    if not signatures:
        raise WitnessError("signatures: nothing to aggregate")
    _sizes(signatures, SIGNATURE_SIZE, "signature")
    curve = bls.default_curve()
    points = []
    for i, s in enumerate(signatures):
        p = curve.signature(s)
        if p is None:
            raise WitnessError(f"signature: {i} is not a valid G2 point of the subgroup")
        points.append(p)
    return curve.g2_sum(points)


def verify_aggregate(public_keys: Sequence[bytes], message: bytes, signature: bytes) -> None:
    """Return None if ``signature`` aggregates signatures of every key in ``public_keys`` over
    ``message`` (keys whose proofs of possession were checked); else raise."""
    if check_all([_aggregate_check(public_keys, message, signature)]):
        raise WitnessError(
            f"aggregate signature does not verify under the {len(public_keys)} signers' keys"
        )


def _aggregate_check(public_keys: Sequence[bytes], message: bytes, signature: bytes) -> bls.Check:
    if not public_keys:
        raise WitnessError("public_keys: an aggregate needs at least one key")
    _sizes(public_keys, PUBLIC_KEY_SIZE, "public_key")
    _sizes([signature], SIGNATURE_SIZE, "signature")
    return bls.aggregate_check(public_keys, message, signature)


_PASSED_MAX: Final = 4096
_passed: set[bls.Check] = set()


def check_all(checks: Sequence[bls.Check]) -> list[int]:
    """The indices of the checks that fail, all decided together (``verifier.bls12381``).

    Checks that held are remembered for the process (every bundle of a deployment repeats its
    witness set, and a bundle set often repeats a batch), so a later ``verify_pop`` or
    ``verify_quorum`` of the same values costs nothing; a failure is always decided again.
    """
    todo = [i for i, c in enumerate(checks) if c not in _passed]
    bad = {todo[j] for j in bls.failures([checks[i] for i in todo])}
    if len(_passed) > _PASSED_MAX:
        _passed.clear()
    _passed.update(checks[i] for i in todo if i not in bad)
    return sorted(bad)


def _sizes(values: Sequence[bytes], size: int, name: str) -> None:
    for v in values:
        if not isinstance(v, bytes) or len(v) != size:
            raise WitnessError(f"{name}: must be {size} bytes")


# ---------------------------------------------------------------------------- witness sets


@dataclass(frozen=True, slots=True)
class Member:
    name: str  # the institution, as it is to be named in reports
    public_key: bytes
    pop: bytes


@dataclass(frozen=True, slots=True)
class WitnessSet:
    """``{"threshold": k, "witnesses": [{"name", "public_key", "pop"}, …]}``; member i is bit i
    of a signer bitmap (least significant bit = member 0)."""

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

    def pop_checks(self) -> list[bls.Check]:
        """Each member's proof of possession as a check, in member order."""
        return [bls.pop_check(m.public_key, m.pop) for m in self.members]

    def verify_pops(self) -> None:
        """Return None if every member's proof of possession verifies; else raise, naming the
        first member whose proof does not."""
        bad = check_all(self.pop_checks())
        if bad:
            m = self.members[bad[0]]
            raise WitnessError(f"witnesses[{bad[0]}].pop: proof of possession does not verify "
                               f"for key {m.public_key.hex()}")  # fmt: skip

    def signers(self, bitmap: int) -> list[Member]:
        """The members bit i of ``bitmap`` names; raises if it names none or an unknown index."""
        n = len(self.members)
        if type(bitmap) is not int or bitmap <= 0 or bitmap >> n:
            raise WitnessError(
                f"bitmap: must name 1 or more of the {n} witnesses and no other index"
            )
        return [m for i, m in enumerate(self.members) if bitmap >> i & 1]

    def quorum_check(self, commitment: Commitment, bitmap: int, signature: bytes) -> bls.Check:
        """The aggregate check of a quorum named by ``bitmap``; raises if the bitmap or the
        signature is malformed or names fewer witnesses than the threshold."""
        signers = self.signers(bitmap)
        if len(signers) < self.threshold:
            raise WitnessError(
                f"bitmap: names {len(signers)} witnesses, the threshold is {self.threshold}"
            )
        return _aggregate_check([m.public_key for m in signers], commitment.message(), signature)

    def verify_quorum(self, commitment: Commitment, bitmap: int, signature: bytes) -> None:
        """Return None if a quorum named by ``bitmap`` signed ``commitment``; else raise.
        (Proofs of possession are checked separately, once per set: ``verify_pops``.)"""
        check = self.quorum_check(commitment, bitmap, signature)
        if check_all([check]):
            raise WitnessError(f"aggregate signature does not verify under the "
                               f"{len(check.public_keys)} signers' keys")  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "witnesses": [
                {"name": m.name, "public_key": m.public_key.hex(), "pop": m.pop.hex()}
                for m in self.members
            ],
        }

    @classmethod
    def from_json(cls, obj: Any, where: str = "witness_set") -> WitnessSet:
        _fields(obj, {"threshold", "witnesses"}, where)
        items = obj["witnesses"]
        if not isinstance(items, list):
            raise WitnessError(f"{where}.witnesses: must be a list")
        if not 1 <= len(items) <= MAX_WITNESSES:
            raise WitnessError(f"{where}.witnesses: want 1 to {MAX_WITNESSES} members, got {len(items)}")
        members = []
        for i, item in enumerate(items):
            at = f"{where}.witnesses[{i}]"
            _fields(item, {"name", "public_key", "pop"}, at)
            name = item["name"]
            if not isinstance(name, str) or not 1 <= len(name) <= 128 or SURROGATE.search(name):
                raise WitnessError(f"{at}.name: must be a string of 1 to 128 characters")
            members.append(Member(name, _hex(item["public_key"], PUBLIC_KEY_SIZE, f"{at}.public_key"),
                                  _hex(item["pop"], SIGNATURE_SIZE, f"{at}.pop")))  # fmt: skip
        threshold = obj["threshold"]
        if type(threshold) is not int or not 1 <= threshold <= len(members):
            raise WitnessError(f"{where}.threshold: must be an integer from 1 to {len(members)}")
        if len({m.public_key for m in members}) != len(members):
            raise WitnessError(f"{where}.witnesses: a public key appears twice")
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
    # a pattern, not bytes.fromhex alone: that skips spaces between digits (the page refuses them)
    if not isinstance(value, str) or _LOWER_HEX.fullmatch(value) is None or len(value) != 2 * size:
        raise WitnessError(f"{where}: must be {size} bytes of lowercase hex")
    return bytes.fromhex(value)


_LOWER_HEX = re.compile(r"[0-9a-f]*")
SURROGATE: Final = re.compile("[\ud800-\udfff]")
"""A lone surrogate (a JSON escape such as \\ud800): no Unicode text (format.py uses it too)."""
_ANY_HEX = re.compile(r"[0-9a-fA-F]{40}")
