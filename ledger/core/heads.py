"""Head maps: an authenticated map from every worker and gate to its chain head, and signed batch
heads. Specified in ``docs/proof-format.md`` ("Head maps", "Signed batch heads").

* Keys are UTF-8 strings ``subject/<subject>`` and ``device/<project>/<device>``;
  ``kh = SHA-256(key)``, read as 256 bits, most significant bit of byte 0 first.
* A value is ``{"counter", "seq", "leaf_hash"}``; ``value_hash = SHA-256(canonical(value))``.
* The map is a compact sparse Merkle tree over ``kh``: an empty subtree is 32 zero bytes, a
  subtree holding exactly one key is that key's leaf node ``SHA-256(0x02 ‖ kh ‖ value_hash)``,
  any other subtree is ``SHA-256(0x03 ‖ left ‖ right)``. The empty map's root is 32 zero bytes.
* A proof of a key lists the siblings on the key's path from the root down to the first subtree
  holding at most one key, and that subtree's leaf (or null when it is empty). It proves the
  key's value (membership) or that the key is absent (non-membership).

The prefixes 0x02/0x03 keep map nodes apart from RFC 9162 leaves (0x00) and nodes (0x01), so no
hash of one structure can be presented as a hash of the other.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from typing import Any, Final, TypeVar

from ledger.core.canonical import canonical_bytes
from ledger.core.errors import EncodingError, ProofError, SignatureError
from ledger.core.keys import SigningKey, VerifyKey, signing_input
from ledger.core.times import format_time, parse_time

HASH_SIZE: Final = 32
ZERO: Final = bytes(HASH_SIZE)
"""The hash of an empty subtree, and the root of the empty map."""
MAX_DEPTH: Final = 256
"""A proof never has more siblings than a key hash has bits."""
MAX_KEY_BYTES: Final = 256
"""Longest map key accepted (``device/`` + a 64-character project + ``/`` + a 64-character
device is 136 bytes)."""
HEAD_TAG: Final = b"siteledger/batch-head/v1"
HEAD_VERSION: Final = 2
_MAX_COUNTER: Final = 2**53 - 1

_LEAF: Final = b"\x02"
_NODE: Final = b"\x03"


# ------------------------------------------------------------------ keys and values


def subject_key(subject: str) -> str:
    """The map key of a worker's chain head."""
    return _key(f"subject/{subject}")


def device_key(project: str, device: str) -> str:
    """The map key of a gate device's counter head on a project."""
    return _key(f"device/{project}/{device}")


def _key(key: str) -> str:
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise EncodingError(f"map key is longer than {MAX_KEY_BYTES} bytes", "key")
    return key


def key_hash(key: str) -> bytes:
    """kh = SHA-256 of the key's UTF-8 bytes."""
    return sha256(key.encode("utf-8")).digest()


def bit(kh: bytes, i: int) -> int:
    """Bit ``i`` of ``kh``: bit (7 − i mod 8) of byte i div 8. Requires 0 <= i < 256."""
    return (kh[i >> 3] >> (7 - (i & 7))) & 1


def common_prefix_bits(a: bytes, b: bytes) -> int:
    """How many leading bits ``a`` and ``b`` share (256 if equal)."""
    n = int.from_bytes(a, "big") ^ int.from_bytes(b, "big")
    return 8 * len(a) - n.bit_length()


@dataclass(frozen=True, slots=True)
class HeadValue:
    """A key's head: its counter (``subject_seq`` or ``device_seq``), the log ``seq`` of the entry
    that set it and that entry's leaf hash."""

    counter: int
    seq: int
    leaf_hash: bytes

    def __post_init__(self) -> None:
        for name in ("counter", "seq"):
            v = getattr(self, name)
            if type(v) is not int or not 0 <= v <= _MAX_COUNTER:
                raise EncodingError(f"must be an integer from 0 to {_MAX_COUNTER}", name)
        if len(self.leaf_hash) != HASH_SIZE:
            raise EncodingError(f"must be {HASH_SIZE} bytes", "leaf_hash")

    def canonical(self) -> bytes:
        """RFC 8785 bytes of ``to_json()`` (``value_bytes``)."""
        return value_bytes(self.counter, self.seq, self.leaf_hash)

    def value_hash(self) -> bytes:
        return sha256(value_bytes(self.counter, self.seq, self.leaf_hash)).digest()

    def to_json(self) -> dict[str, Any]:
        return {"counter": self.counter, "seq": self.seq, "leaf_hash": self.leaf_hash.hex()}

    @classmethod
    def from_json(cls, obj: Any, where: str = "value") -> HeadValue:
        _fields(obj, {"counter", "seq", "leaf_hash"}, where)
        for name in ("counter", "seq"):
            v = obj[name]
            if type(v) is not int or not 0 <= v <= _MAX_COUNTER:
                raise EncodingError(
                    f"must be an integer from 0 to {_MAX_COUNTER}", f"{where}.{name}"
                )
        return cls(obj["counter"], obj["seq"], _hash_hex(obj["leaf_hash"], f"{where}.leaf_hash"))


def value_bytes(counter: int, seq: int, leaf_hash: bytes) -> bytes:
    """RFC 8785 bytes of the value ``{"counter", "seq", "leaf_hash"}``, spliced by hand (keys in
    JCS order, ASCII only; a test checks them against ``canonical_bytes``). Requires the
    integers in range (``HeadValue`` checks them)."""
    return b'{"counter":%d,"leaf_hash":"%s","seq":%d}' % (counter, leaf_hash.hex().encode(), seq)


def value_hash(counter: int, seq: int, leaf_hash: bytes) -> bytes:
    """value_hash = SHA-256(canonical(value))."""
    return sha256(value_bytes(counter, seq, leaf_hash)).digest()


def leaf_node(kh: bytes, value_hash: bytes) -> bytes:
    return sha256(_LEAF + kh + value_hash).digest()


def node(left: bytes, right: bytes) -> bytes:
    return sha256(_NODE + left + right).digest()


# ------------------------------------------------------------------ levels kept in memory

Sub = TypeVar("Sub", bound=tuple[Any, ...])
"""A subtree as a tuple whose first two items are how many keys it holds (0, 1, or 2 for two or
more) and its hash; what else it holds is the caller's (the sealer keeps the key's leaf)."""


def parent(left: Sub, right: Sub, make: Callable[[bytes], Sub]) -> Sub:
    """The parent of two sibling subtrees: ``make(node(left, right))`` when they hold two keys or
    more between them, else the one that is not empty (a subtree of at most one key is that key's
    leaf, or empty)."""
    if left[0] + right[0] > 1:
        return make(node(left[1], right[1]))
    return right if right[0] else left


def build_levels(bottom: list[Sub], make: Callable[[bytes], Sub]) -> list[list[Sub]]:
    """The levels above ``bottom`` (2**k subtrees at one depth), root first: ``levels[d]`` has
    2**d subtrees and ``levels[-1]`` is ``bottom``."""
    levels = [bottom]
    while len(levels[-1]) > 1:
        c = levels[-1]
        levels.append([parent(c[i], c[i + 1], make) for i in range(0, len(c), 2)])
    levels.reverse()
    return levels


def fold_up(levels: list[list[Sub]], changed: Iterable[int], make: Callable[[bytes], Sub]) -> None:
    """Recompute in place the ancestors of the subtrees ``changed`` (indexes into
    ``levels[-1]``, already replaced), level by level up to the root; a parent whose hash comes
    out the same is left as it is, and its own parent is not recomputed for it."""
    for d in range(len(levels) - 2, -1, -1):
        below, here = levels[d + 1], levels[d]
        parents = []
        for i in {c >> 1 for c in changed}:
            n = parent(below[2 * i], below[2 * i + 1], make)
            if here[i][1] != n[1]:
                here[i] = n
                parents.append(i)
        changed = parents


# ------------------------------------------------------------------ the tree


@dataclass(frozen=True, slots=True)
class Leaf:
    """The leaf that ends a proof's path: a key hash and its value hash."""

    key_hash: bytes
    value_hash: bytes

    def node(self) -> bytes:
        return leaf_node(self.key_hash, self.value_hash)


@dataclass(frozen=True, slots=True)
class HeadProof:
    """``siblings[i]`` is the sibling at depth i + 1 on the key's path (root downward).

    Two JSON forms (docs/proof-format.md, "Proof"): form 2, written since proofs had to fit in
    2 KB, lists only the non-empty siblings, in base64, with a bitmap of which they are; form 1
    (no ``v``), every sibling in hex, is still read.
    """

    siblings: tuple[bytes, ...]
    leaf: Leaf | None

    @property
    def depth(self) -> int:
        return len(self.siblings)

    def to_json(self) -> dict[str, Any]:
        """Form 2: ``{"v": 2, "depth", "present", "siblings", "leaf"}``."""
        present = bytearray((self.depth + 7) // 8)
        listed = []
        for i, s in enumerate(self.siblings):
            if s != ZERO:
                present[i >> 3] |= 0x80 >> (i & 7)
                listed.append(s)
        return {"v": PROOF_FORM, "depth": self.depth, "present": present.hex(),
                "siblings": base64.b64encode(b"".join(listed)).decode("ascii"),
                "leaf": self._leaf_json()}  # fmt: skip

    def to_json_v1(self) -> dict[str, Any]:
        """Form 1: ``{"siblings": [hex, …], "leaf"}`` (what bundles carried before form 2)."""
        return {"siblings": [s.hex() for s in self.siblings], "leaf": self._leaf_json()}

    def _leaf_json(self) -> dict[str, str] | None:
        if self.leaf is None:
            return None
        return {"key_hash": self.leaf.key_hash.hex(), "value_hash": self.leaf.value_hash.hex()}

    @classmethod
    def from_json(cls, obj: Any, where: str = "proof") -> HeadProof:
        """Either form: an object with ``v`` is form 2, without it form 1."""
        if isinstance(obj, dict) and "v" in obj:
            return cls._from_form2(obj, where)
        _fields(obj, {"siblings", "leaf"}, where)
        sibs = obj["siblings"]
        if not isinstance(sibs, list):
            raise EncodingError("must be an array", f"{where}.siblings")
        if len(sibs) > MAX_DEPTH:
            raise EncodingError(f"{len(sibs)} siblings, limit {MAX_DEPTH}", f"{where}.siblings")
        siblings = tuple(_hash_hex(s, f"{where}.siblings[{i}]") for i, s in enumerate(sibs))
        return cls(siblings, _leaf_from_json(obj["leaf"], f"{where}.leaf"))

    @classmethod
    def _from_form2(cls, obj: dict[str, Any], where: str) -> HeadProof:
        _fields(obj, {"v", "depth", "present", "siblings", "leaf"}, where)
        if type(obj["v"]) is not int or obj["v"] != PROOF_FORM:
            raise EncodingError(f"unknown head proof form {obj['v']!r}, want {PROOF_FORM}",
                                f"{where}.v")  # fmt: skip
        depth = obj["depth"]
        if type(depth) is not int or not 0 <= depth <= MAX_DEPTH:
            raise EncodingError(f"must be an integer from 0 to {MAX_DEPTH}", f"{where}.depth")
        present = obj["present"]
        size = (depth + 7) // 8
        if not isinstance(present, str) or len(present) != 2 * size or not _is_hex(present):
            raise EncodingError(f"must be {size} bytes of lowercase hex (one bit per sibling)",
                                f"{where}.present")  # fmt: skip
        bits = int(present, 16) if present else 0
        if bits & ((1 << (8 * size - depth)) - 1):
            raise EncodingError(f"a bit is set beyond the depth {depth}", f"{where}.present")
        listed = _b64(obj["siblings"], f"{where}.siblings")
        count = bits.bit_count()
        if len(listed) != HASH_SIZE * count:
            raise EncodingError(f"{len(listed)} bytes, want {HASH_SIZE} for each of the "
                                f"{count} siblings marked present", f"{where}.siblings")  # fmt: skip
        siblings, k = [], 0
        for i in range(depth):
            if (bits >> (8 * size - 1 - i)) & 1:
                s = listed[k : k + HASH_SIZE]
                if s == ZERO:
                    raise EncodingError(f"sibling {i} is empty: it is a 0 bit of present, not "
                                        "listed", f"{where}.siblings")  # fmt: skip
                siblings.append(s)
                k += HASH_SIZE
            else:
                siblings.append(ZERO)
        return cls(tuple(siblings), _leaf_from_json(obj["leaf"], f"{where}.leaf"))


PROOF_FORM: Final = 2
"""The head proof JSON form written (form 1, without ``v``, is still read)."""
_MAX_B64: Final = 4 * ((MAX_DEPTH * HASH_SIZE + 2) // 3)


def _b64(value: Any, path: str) -> bytes:
    """Strict RFC 4648 base64 (standard alphabet, padded, no line breaks, the one spelling)."""
    if not isinstance(value, str) or len(value) > _MAX_B64 or len(value) % 4:
        raise EncodingError("must be base64 (RFC 4648, padded)", path)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EncodingError("must be base64 (RFC 4648, padded)", path) from exc
    if base64.b64encode(raw).decode("ascii") != value:
        raise EncodingError("not the canonical base64 spelling", path)
    return raw


def _leaf_from_json(leaf: Any, where: str) -> Leaf | None:
    if leaf is None:
        return None
    _fields(leaf, {"key_hash", "value_hash"}, where)
    return Leaf(_hash_hex(leaf["key_hash"], f"{where}.key_hash"),
                _hash_hex(leaf["value_hash"], f"{where}.value_hash"))  # fmt: skip


Item = tuple[bytes, bytes]
"""(key hash, leaf node hash) of one key in the map."""


def items_of(values: Mapping[str, HeadValue]) -> list[Item]:
    """The map's (kh, leaf node) pairs sorted by kh: the input of ``subtree`` and ``path``."""
    return sorted((kh, leaf_node(kh, v.value_hash()))
                  for kh, v in ((key_hash(k), v) for k, v in values.items()))  # fmt: skip


def subtree(items: Sequence[Item], depth: int = 0) -> bytes:
    """Hash of the subtree at ``depth`` holding ``items``.

    Requires ``items`` sorted by key hash, distinct, all sharing their first ``depth`` bits.
    """
    n = len(items)
    if n == 0:
        return ZERO
    if n == 1:
        return items[0][1]
    return _split(items, 0, n, depth)


def _split(items: Sequence[Item], lo: int, hi: int, depth: int) -> bytes:
    """Subtree hash of items[lo:hi] (at least two) at ``depth``. The first item whose bit at
    ``depth`` is 1 splits them; the subtrees below are found the same way."""
    mid = _first_one(items, lo, hi, depth)
    left = (
        ZERO if mid == lo else items[lo][1] if mid - lo == 1 else _split(items, lo, mid, depth + 1)
    )
    right = (
        ZERO if mid == hi else items[mid][1] if hi - mid == 1 else _split(items, mid, hi, depth + 1)
    )
    return node(left, right)


def _first_one(items: Sequence[Item], lo: int, hi: int, depth: int) -> int:
    """Index of the first item in [lo, hi) with bit ``depth`` set (hi if none): items are sorted,
    and share their bits above ``depth``, so the bit is monotone over the range."""
    byte, mask = depth >> 3, 0x80 >> (depth & 7)
    while lo < hi:
        m = (lo + hi) >> 1
        if items[m][0][byte] & mask:
            hi = m
        else:
            lo = m + 1
    return lo


def path(items: Sequence[Item], kh: bytes, depth: int = 0) -> tuple[list[bytes], Item | None]:
    """Siblings below ``depth`` on ``kh``'s path and the item ending it (None: empty subtree).

    Same preconditions as ``subtree``; ``kh`` shares the items' first ``depth`` bits.
    """
    siblings: list[bytes] = []
    lo, hi = 0, len(items)
    while hi - lo > 1:
        mid = _first_one(items, lo, hi, depth)
        if bit(kh, depth):
            other_lo, other_hi, lo = lo, mid, mid
        else:
            other_lo, other_hi, hi = mid, hi, mid
        siblings.append(subtree(items[other_lo:other_hi], depth + 1))
        depth += 1
    return siblings, (items[lo] if hi - lo == 1 else None)


def root(values: Mapping[str, HeadValue]) -> bytes:
    """The root of the map holding ``values`` (key string → value)."""
    return subtree(items_of(values))


def prove(values: Mapping[str, HeadValue], key: str) -> HeadProof:
    """The proof of ``key`` (present or absent) in the map holding ``values``."""
    kh = key_hash(key)
    items = items_of(values)
    siblings, end = path(items, kh)
    if end is None:
        return HeadProof(tuple(siblings), None)
    other = next(v for k, v in values.items() if key_hash(k) == end[0])
    return HeadProof(tuple(siblings), Leaf(end[0], other.value_hash()))


def root_from_proof(kh: bytes, proof: HeadProof) -> bytes:
    """Fold the proof upward from its leaf along ``kh``'s path. Requires depth <= 256."""
    h = ZERO if proof.leaf is None else proof.leaf.node()
    for i in range(proof.depth - 1, -1, -1):
        s = proof.siblings[i]
        h = node(s, h) if bit(kh, i) else node(h, s)
    return h


def verify_head_proof(root: bytes, key: str, value: HeadValue | None, proof: HeadProof) -> None:
    """Return None if ``proof`` shows that the map with root ``root`` holds ``value`` for ``key``
    (``value`` None: that it holds no value for ``key``); raise ProofError otherwise."""
    if len(root) != HASH_SIZE:
        raise ProofError(f"root is {len(root)} bytes, want {HASH_SIZE}")
    if proof.depth > MAX_DEPTH:
        raise ProofError(f"proof has {proof.depth} siblings, limit {MAX_DEPTH}")
    kh = key_hash(key)
    leaf = proof.leaf
    if value is not None:
        if leaf is None:
            raise ProofError(f"proof shows {key!r} absent, but a value was claimed")
        if leaf.key_hash != kh:
            raise ProofError(f"proof ends at another key, not {key!r}", kh, leaf.key_hash)
        if leaf.value_hash != value.value_hash():
            raise ProofError(f"proof holds another value for {key!r}", value.value_hash(),
                             leaf.value_hash)  # fmt: skip
    elif leaf is not None:
        if leaf.key_hash == kh:
            raise ProofError(f"proof shows {key!r} present, but absence was claimed")
        shared = common_prefix_bits(kh, leaf.key_hash)
        if shared < proof.depth:
            raise ProofError(f"proof's leaf shares {shared} bits with {key!r}'s hash, "
                             f"want at least the proof's depth {proof.depth}")  # fmt: skip
    calculated = root_from_proof(kh, proof)
    if calculated != root:
        raise ProofError(f"head proof of {key!r} does not lead to the root", root, calculated)


# ------------------------------------------------------------------ signed batch heads


@dataclass(frozen=True, slots=True)
class BatchHead:
    """What the operator signs about a sealed batch: its range, both roots and when it was
    sealed. ``log`` is the key id of the operator's receipt key."""

    batch_no: int
    first_seq: int
    size: int
    root: bytes
    heads_root: bytes
    sealed_at: datetime
    log: str
    sig: bytes = b""

    def body(self) -> dict[str, Any]:
        return {
            "v": HEAD_VERSION,
            "batch_no": self.batch_no,
            "first_seq": self.first_seq,
            "size": self.size,
            "root": self.root.hex(),
            "heads_root": self.heads_root.hex(),
            "sealed_at": format_time(self.sealed_at),
            "log": self.log,
        }

    def signed_bytes(self) -> bytes:
        """``"siteledger/batch-head/v1" ‖ 0x00 ‖ canonical(body)``."""
        return signing_input(HEAD_TAG, canonical_bytes(self.body()))

    def sign(self, key: SigningKey) -> BatchHead:
        """This head signed by ``key``; requires ``key.key_id == log``."""
        if key.key_id != self.log:
            raise SignatureError(f"head names log key {self.log}, key is {key.key_id}")
        sig = key.sign(HEAD_TAG, canonical_bytes(self.body()))
        return BatchHead(self.batch_no, self.first_seq, self.size, self.root, self.heads_root,
                         self.sealed_at, self.log, sig)  # fmt: skip

    def verify(self, key: VerifyKey) -> None:
        """Return None if the head is signed by ``key`` and ``key`` is the named log key."""
        if key.key_id != self.log:
            raise SignatureError(f"head names log key {self.log}, key is {key.key_id}")
        key.verify(HEAD_TAG, canonical_bytes(self.body()), self.sig)

    def to_json(self) -> dict[str, Any]:
        return {**self.body(), "sig": self.sig.hex()}

    @classmethod
    def from_json(cls, obj: Any, where: str = "batch") -> BatchHead:
        names = {"v", "batch_no", "first_seq", "size", "root", "heads_root", "sealed_at", "log",
                 "sig"}  # fmt: skip
        _fields(obj, names, where)
        if type(obj["v"]) is not int or obj["v"] != HEAD_VERSION:
            raise EncodingError(f"unknown batch head version {obj['v']!r}", f"{where}.v")
        for name in ("batch_no", "first_seq", "size"):
            v = obj[name]
            if type(v) is not int or not 0 <= v <= _MAX_COUNTER:
                raise EncodingError(
                    f"must be an integer from 0 to {_MAX_COUNTER}", f"{where}.{name}"
                )
        if obj["size"] < 1:
            raise EncodingError("a batch holds at least one entry", f"{where}.size")
        log = obj["log"]
        if not isinstance(log, str) or len(log) != 32 or log != log.lower() or not _is_hex(log):
            raise EncodingError("must be a key id (32 lowercase hex characters)", f"{where}.log")
        sig = obj["sig"]
        if not isinstance(sig, str) or len(sig) != 128 or sig != sig.lower() or not _is_hex(sig):
            raise EncodingError("must be 64 bytes of lowercase hex", f"{where}.sig")
        return cls(
            batch_no=obj["batch_no"], first_seq=obj["first_seq"], size=obj["size"],
            root=_hash_hex(obj["root"], f"{where}.root"),
            heads_root=_hash_hex(obj["heads_root"], f"{where}.heads_root"),
            sealed_at=parse_time(obj["sealed_at"], f"{where}.sealed_at"),
            log=log, sig=bytes.fromhex(sig),
        )  # fmt: skip


# ------------------------------------------------------------------ decoding helpers


def _is_hex(s: str) -> bool:
    return all(c in "0123456789abcdef" for c in s)


def _hash_hex(value: Any, path: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * HASH_SIZE or not _is_hex(value):
        raise EncodingError(f"must be {HASH_SIZE} bytes of lowercase hex", path)
    return bytes.fromhex(value)


def _fields(obj: Any, names: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise EncodingError(f"must be an object, got {type(obj).__name__}", where)
    for k in obj:
        if k not in names:
            raise EncodingError("unknown field", f"{where}.{k}")
    for k in sorted(names):
        if k not in obj:
            raise EncodingError("required field is missing", f"{where}.{k}")
