"""RFC 9162 §2.1 Merkle tree hashing, inclusion proofs and consistency proofs.

The tree is the one of Certificate Transparency: a leaf hash is SHA-256(0x00 ‖ data), an interior
node is SHA-256(0x01 ‖ left ‖ right), the left subtree of a tree of n > 1 leaves holds the largest
power of two smaller than n, and odd nodes are never duplicated. The root of the empty tree is
SHA-256 of the empty string.

Built level by level, that tree is the same as pairing neighbours and carrying an unpaired last
node up unchanged; ``root`` and ``inclusion_proof`` use that form because it needs no recursion
and hashes in tight loops. Proofs are lists of 32-byte hashes ordered from the leaf upwards.
Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 to the letter and either returns None or
raises ProofError naming what it expected and what it calculated.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from ledger.core.errors import ProofError

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def hash_leaf(data: bytes) -> bytes:
    """Return SHA-256(0x00 ‖ data), the RFC 9162 leaf hash."""
    return sha256(_LEAF_PREFIX + data).digest()


def hash_node(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 ‖ left ‖ right), the RFC 9162 interior node hash."""
    return sha256(_NODE_PREFIX + left + right).digest()


def _next_level(level: Sequence[bytes]) -> list[bytes]:
    """Pair neighbours of one level; an unpaired last node moves up unchanged."""
    n = len(level)
    # One joined buffer and slices of it are cheaper than concatenating three objects per node.
    buf = b"".join(level)
    up = [
        sha256(_NODE_PREFIX + buf[i : i + 2 * HASH_SIZE]).digest()
        for i in range(0, (n - 1) * HASH_SIZE, 2 * HASH_SIZE)
    ]
    if n % 2:
        up.append(level[-1])
    return up


def levels(leaf_hashes: Sequence[bytes]) -> list[list[bytes]]:
    """Return every level of the tree, leaves first and the root's level (one hash) last.

    Requires a non-empty sequence of 32-byte hashes. The store keeps these levels so that any
    inclusion proof is read with one lookup per level.
    """
    if not leaf_hashes:
        raise ValueError("a tree with no leaves has no levels")
    out = [list(leaf_hashes)]
    while len(out[-1]) > 1:
        out.append(_next_level(out[-1]))
    return out


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the RFC 9162 Merkle tree hash of the given leaf hashes."""
    if not leaf_hashes:
        return EMPTY_ROOT
    level: Sequence[bytes] = leaf_hashes
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def path_from_levels(tree_levels: Sequence[Sequence[bytes]], index: int) -> list[bytes]:
    """Return the inclusion proof of leaf ``index`` from precomputed levels (see ``levels``)."""
    size = len(tree_levels[0])
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} out of range for tree size {size}")
    proof: list[bytes] = []
    for level in tree_levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        index >>= 1
    return proof


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Return the RFC 9162 audit path of leaf ``index``; requires 0 <= index < len(leaf_hashes)."""
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} out of range for tree size {size}")
    proof: list[bytes] = []
    level: Sequence[bytes] = leaf_hashes
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        level = _next_level(level)
        index >>= 1
    return proof


def _largest_power_of_two_below(n: int) -> int:
    """Return the largest power of two k with k < n; requires n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Return the RFC 9162 §2.1.4.1 proof that the first ``old_size`` leaves are a prefix.

    Requires 0 < old_size <= len(leaf_hashes); for old_size equal to the size the proof is empty.
    """
    size = len(leaf_hashes)
    if not 0 < old_size <= size:
        raise ValueError(f"old size {old_size} out of range for tree size {size}")
    return _subproof(leaf_hashes, 0, size, old_size, True)


def _subproof(leaves: Sequence[bytes], lo: int, hi: int, m: int, complete: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [root(leaves[lo:hi])]
    k = _largest_power_of_two_below(n)
    if m <= k:
        return _subproof(leaves, lo, lo + k, m, complete) + [root(leaves[lo + k : hi])]
    return _subproof(leaves, lo + k, hi, m - k, False) + [root(leaves[lo : lo + k])]


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} is {len(value)} bytes, want {HASH_SIZE}")


def root_from_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """Return the root that ``proof`` yields for ``leaf_hash`` at ``index`` in a tree of ``size``.

    Raises ProofError when the index is outside the tree or the proof has the wrong length; the
    caller compares the result with a trusted root (``verify_inclusion`` does both).
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} out of range for tree size {size}")
    _check_hash("leaf hash", leaf_hash)
    fn, sn = index, size - 1
    r = leaf_hash
    for i, p in enumerate(proof):
        _check_hash(f"proof[{i}]", p)
        if sn == 0:
            raise ProofError(f"wrong proof size {len(proof)}, want {i}")
        if fn & 1 or fn == sn:
            r = hash_node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(
            f"wrong proof size {len(proof)}: proof ends {sn.bit_length()} levels short"
        )
    return r


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an RFC 9162 §2.1.3.2 inclusion proof; return None or raise ProofError."""
    _check_hash("root", root)
    calculated = root_from_inclusion(leaf_hash, index, size, proof)
    if calculated != root:
        raise ProofError("inclusion proof does not lead to the root", root, calculated)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check an RFC 9162 §2.1.4.2 consistency proof; return None or raise ProofError.

    A proof from the empty tree is refused: every tree extends the empty one, so such a proof
    proves nothing and accepting it would hide a caller's mistake.
    """
    if old_size < 0 or new_size < 0:
        raise ProofError(f"negative tree size: old {old_size}, new {new_size}")
    if old_size > new_size:
        raise ProofError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if old_size == new_size:
        if proof:
            raise ProofError(f"wrong proof size {len(proof)}, want 0 for equal sizes")
        if old_root != new_root:
            raise ProofError("equal sizes but different roots", old_root, new_root)
        return
    _check_hash("old root", old_root)
    _check_hash("new root", new_root)
    for i, p in enumerate(proof):
        _check_hash(f"proof[{i}]", p)
    if not proof:
        raise ProofError("wrong proof size 0, want at least 1 for different sizes")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # old tree is a complete subtree: its root starts the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"wrong proof size {len(proof)}: too long")
        if fn & 1 or fn == sn:
            fr = hash_node(c, fr)
            sr = hash_node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hash_node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"wrong proof size {len(proof)}: too short")
    if fr != old_root:
        raise ProofError("consistency proof does not lead to the old root", old_root, fr)
    if sr != new_root:
        raise ProofError("consistency proof does not lead to the new root", new_root, sr)
