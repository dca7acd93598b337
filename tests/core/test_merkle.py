"""Merkle tree: the fast code against the naive reference, pymerkle, and bit-flip properties."""

from __future__ import annotations

from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core import merkle
from ledger.core.errors import ProofError
from tests.core import reference_merkle as ref


def _leaves(n: int) -> list[bytes]:
    return [merkle.hash_leaf(i.to_bytes(4, "big")) for i in range(n)]


def test_hash_domain_separation() -> None:
    assert merkle.hash_leaf(b"") == sha256(b"\x00").digest()
    a, b = b"a" * 32, b"b" * 32
    assert merkle.hash_node(a, b) == sha256(b"\x01" + a + b).digest()
    assert merkle.hash_node(a, b) != merkle.hash_node(b, a)


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert merkle.root([]) == sha256(b"").digest() == merkle.EMPTY_ROOT


@pytest.mark.parametrize("n", range(0, 65))
def test_root_and_paths_match_reference(n: int) -> None:
    leaves = _leaves(n)
    assert merkle.root(leaves) == ref.mth(leaves)
    if n:
        levels = merkle.levels(leaves)
        assert levels[-1] == [ref.mth(leaves)]
    for i in range(n):
        proof = merkle.inclusion_proof(leaves, i)
        assert proof == ref.path(i, leaves)
        assert merkle.path_from_levels(levels, i) == proof
        merkle.verify_inclusion(leaves[i], i, n, proof, merkle.root(leaves))


@pytest.mark.parametrize("n", range(1, 40))
def test_every_consistency_proof_verifies(n: int) -> None:
    leaves = _leaves(n)
    new_root = merkle.root(leaves)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(leaves, m)
        merkle.verify_consistency(m, n, merkle.root(leaves[:m]), new_root, proof)


def test_consistency_rejects_a_rewritten_prefix() -> None:
    leaves = _leaves(10)
    forged = list(leaves)
    forged[2] = merkle.hash_leaf(b"rewritten")
    proof = merkle.consistency_proof(forged, 5)
    with pytest.raises(ProofError, match="old root"):
        merkle.verify_consistency(5, 10, merkle.root(leaves[:5]), merkle.root(forged), proof)


def test_out_of_range_requests_are_refused() -> None:
    leaves = _leaves(5)
    with pytest.raises(ValueError, match="out of range"):
        merkle.inclusion_proof(leaves, 5)
    with pytest.raises(ValueError, match="out of range"):
        merkle.consistency_proof(leaves, 0)
    with pytest.raises(ProofError, match="out of range"):
        merkle.verify_inclusion(leaves[0], 5, 5, [], merkle.root(leaves))


def test_proof_error_names_both_roots() -> None:
    leaves = _leaves(4)
    good = merkle.root(leaves)
    with pytest.raises(ProofError) as info:
        merkle.verify_inclusion(leaves[0], 0, 4, merkle.inclusion_proof(leaves, 1), good)
    assert info.value.expected == good
    assert good.hex() in str(info.value)
    assert info.value.calculated is not None and info.value.calculated.hex() in str(info.value)


def test_wrong_proof_length_is_named() -> None:
    leaves = _leaves(8)
    proof = merkle.inclusion_proof(leaves, 3)
    with pytest.raises(ProofError, match="wrong proof size"):
        merkle.verify_inclusion(leaves[3], 3, 8, proof[:-1], merkle.root(leaves))
    with pytest.raises(ProofError, match="wrong proof size"):
        merkle.verify_inclusion(leaves[3], 3, 8, [*proof, proof[0]], merkle.root(leaves))


def _flip(b: bytes, bit: int) -> bytes:
    out = bytearray(b)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(min_value=1, max_value=64))
def test_any_single_bit_flip_fails(data: st.DataObject, n: int) -> None:
    leaves = _leaves(n)
    index = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_proof(leaves, index)
    good_root = merkle.root(leaves)
    merkle.verify_inclusion(leaves[index], index, n, proof, good_root)
    target = data.draw(st.sampled_from(["leaf", "root", "proof", "index", "size"]))
    leaf, root, size = leaves[index], good_root, n
    if target == "leaf":
        leaf = _flip(leaf, data.draw(st.integers(0, 255)))
    elif target == "root":
        root = _flip(root, data.draw(st.integers(0, 255)))
    elif target == "proof":
        if not proof:
            return
        k = data.draw(st.integers(0, len(proof) - 1))
        proof[k] = _flip(proof[k], data.draw(st.integers(0, 255)))
    elif target == "index":
        index ^= 1 << data.draw(st.integers(0, 7))
    else:
        size ^= 1 << data.draw(st.integers(0, 7))
        if size > index and _shape(index, size) == _shape(index, n):
            # RFC 9162 paths do not carry the tree size: sizes whose path for this index has the
            # same shape give the same root. The verifier takes the size from the anchored batch,
            # never from the bundle, for this reason.
            merkle.verify_inclusion(leaf, index, size, proof, root)
            return
    with pytest.raises(ProofError):
        merkle.verify_inclusion(leaf, index, size, proof, root)


def _shape(index: int, size: int) -> list[bool]:
    """The left/right choices RFC 9162 verification makes for ``index`` in a tree of ``size``."""
    shape, fn, sn = [], index, size - 1
    while sn:
        left = bool(fn & 1 or fn == sn)
        shape.append(left)
        if left and not fn & 1:
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        fn >>= 1
        sn >>= 1
    return shape


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(min_value=2, max_value=64))
def test_consistency_bit_flip_fails(data: st.DataObject, n: int) -> None:
    leaves = _leaves(n)
    m = data.draw(st.integers(1, n - 1))
    proof = merkle.consistency_proof(leaves, m)
    old, new = merkle.root(leaves[:m]), merkle.root(leaves)
    k = data.draw(st.integers(0, len(proof) + 1))
    bit = data.draw(st.integers(0, 255))
    if k < len(proof):
        proof[k] = _flip(proof[k], bit)
    elif k == len(proof):
        old = _flip(old, bit)
    else:
        new = _flip(new, bit)
    with pytest.raises(ProofError):
        merkle.verify_consistency(m, n, old, new, proof)


def test_agrees_with_pymerkle_for_every_size_up_to_300() -> None:
    pymerkle = pytest.importorskip("pymerkle")
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    leaves: list[bytes] = []
    for n in range(1, 301):
        d = n.to_bytes(4, "big")
        tree.append_entry(d)
        leaves.append(merkle.hash_leaf(d))
        assert tree.get_leaf(n) == leaves[-1]
        our_root = merkle.root(leaves)
        assert tree.get_root(n) == our_root, f"root differs at size {n}"
        for i in {0, n // 2, n - 1}:
            theirs = tree.prove_inclusion(i + 1, n)
            # pymerkle's path also holds the leaf itself; ours is the RFC 9162 audit path.
            assert [h for h in theirs.path if h != leaves[i]] == merkle.inclusion_proof(leaves, i)
            pymerkle.verify_inclusion(leaves[i], our_root, theirs)
        if n > 1:
            m = max(1, n // 3)
            old_root = merkle.root(leaves[:m])
            assert tree.get_root(m) == old_root
            pymerkle.verify_consistency(old_root, our_root, tree.prove_consistency(m, n))
            merkle.verify_consistency(m, n, old_root, our_root, merkle.consistency_proof(leaves, m))
