"""Head maps: the compact sparse Merkle tree against the naive reference, proofs, strict
decoding, and signed batch heads."""

from __future__ import annotations

from datetime import UTC, datetime
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core import heads
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.errors import EncodingError, ProofError, SignatureError
from ledger.core.heads import BatchHead, HeadProof, HeadValue, Leaf
from ledger.core.keys import SigningKey
from tests.core import reference_heads as ref


def _value(i: int) -> HeadValue:
    return HeadValue(i, 1000 + i, sha256(i.to_bytes(4, "big")).digest())


def _map(n: int, salt: str = "") -> dict[str, HeadValue]:
    return {heads.subject_key(f"w-{salt}{i:04d}"): _value(i) for i in range(n)}


def _ref_map(values: dict[str, HeadValue]) -> dict[bytes, bytes]:
    return {heads.key_hash(k): v.value_hash() for k, v in values.items()}


def test_keys_hashes_and_bits() -> None:
    assert heads.subject_key("w-1") == "subject/w-1"
    assert heads.device_key("P-1", "GATE-01") == "device/P-1/GATE-01"
    assert heads.key_hash("subject/w-1") == sha256(b"subject/w-1").digest()
    kh = bytes([0b1000_0001]) + bytes([0b0100_0000]) + bytes(30)
    assert [heads.bit(kh, i) for i in range(10)] == [1, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert heads.common_prefix_bits(kh, kh) == 256
    assert heads.common_prefix_bits(bytes(32), b"\x01" + bytes(31)) == 7
    with pytest.raises(EncodingError, match="key"):
        heads.subject_key("x" * 300)


def test_value_canonical_bytes_are_jcs() -> None:
    v = HeadValue(3, 2**53 - 1, bytes(range(32)))
    assert v.canonical() == canonical_bytes(v.to_json())
    assert v.value_hash() == sha256(canonical_bytes(v.to_json())).digest()
    assert HeadValue.from_json(v.to_json()) == v


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"counter": -1, "seq": 0, "leaf_hash": "00" * 32}, "value.counter"),
        ({"counter": True, "seq": 0, "leaf_hash": "00" * 32}, "value.counter"),
        ({"counter": 0, "seq": 2**53, "leaf_hash": "00" * 32}, "value.seq"),
        ({"counter": 0, "seq": 0, "leaf_hash": "AA" * 32}, "value.leaf_hash"),
        ({"counter": 0, "seq": 0}, "value.leaf_hash"),
        ({"counter": 0, "seq": 0, "leaf_hash": "00" * 32, "x": 1}, "value.x"),
    ],
)
def test_value_decoding_is_strict(obj: object, field: str) -> None:
    with pytest.raises(EncodingError) as info:
        HeadValue.from_json(obj)
    assert info.value.field == field


def test_node_encodings() -> None:
    a, b = b"a" * 32, b"b" * 32
    assert heads.leaf_node(a, b) == sha256(b"\x02" + a + b).digest()
    assert heads.node(a, b) == sha256(b"\x03" + a + b).digest()


def test_empty_and_one_key_roots() -> None:
    assert heads.root({}) == bytes(32) == heads.ZERO
    one = _map(1)
    ((k, v),) = one.items()
    assert heads.root(one) == heads.leaf_node(heads.key_hash(k), v.value_hash())
    p = heads.prove(one, k)
    assert p.siblings == () and p.leaf == Leaf(heads.key_hash(k), v.value_hash())
    heads.verify_head_proof(heads.root(one), k, v, p)
    absent = heads.prove(one, "subject/nobody")
    assert absent == p  # the one leaf ends every path
    heads.verify_head_proof(heads.root(one), "subject/nobody", None, absent)
    empty = heads.prove({}, k)
    assert empty == HeadProof((), None)
    heads.verify_head_proof(bytes(32), k, None, empty)


@pytest.mark.parametrize("n", range(0, 65))
def test_root_and_proofs_match_reference(n: int) -> None:
    values = _map(n)
    m = _ref_map(values)
    root = heads.root(values)
    assert root == ref.subtree(m, "")
    for k, v in values.items():
        p = heads.prove(values, k)
        siblings, end = ref.proof(m, heads.key_hash(k))
        assert list(p.siblings) == siblings and p.leaf is not None and p.leaf.key_hash == end
        heads.verify_head_proof(root, k, v, p)
    for i in range(20):
        k = heads.subject_key(f"absent-{i}")
        p = heads.prove(values, k)
        siblings, end = ref.proof(m, heads.key_hash(k))
        assert list(p.siblings) == siblings
        assert (p.leaf.key_hash if p.leaf else None) == end
        heads.verify_head_proof(root, k, None, p)


def _flip(b: bytes, i: int) -> bytes:
    return bytes(x ^ (1 << (i % 8)) if j == i // 8 else x for j, x in enumerate(b))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 64), pick=st.integers(0, 10**6), flip=st.integers(0, 255))
def test_every_key_proves_and_any_flipped_bit_fails(n: int, pick: int, flip: int) -> None:
    values = _map(n, salt="h")
    root = heads.root(values)
    absent = heads.subject_key(f"absent-{pick}")
    heads.verify_head_proof(root, absent, None, heads.prove(values, absent))
    if n == 0:
        with pytest.raises(ProofError):
            heads.verify_head_proof(root, absent, _value(0), heads.prove(values, absent))
        return
    k = sorted(values)[pick % n]
    v = values[k]
    p = heads.prove(values, k)
    heads.verify_head_proof(root, k, v, p)
    with pytest.raises(ProofError):
        heads.verify_head_proof(root, k, None, p)  # present, claimed absent
    with pytest.raises(ProofError):
        heads.verify_head_proof(_flip(root, flip), k, v, p)
    with pytest.raises(ProofError):
        heads.verify_head_proof(root, k, HeadValue(v.counter + 1, v.seq, v.leaf_hash), p)
    assert p.leaf is not None
    with pytest.raises(ProofError):
        bad_leaf = Leaf(p.leaf.key_hash, _flip(p.leaf.value_hash, flip))
        heads.verify_head_proof(root, k, v, HeadProof(p.siblings, bad_leaf))
    if p.siblings:
        i = pick % len(p.siblings)
        sibs = list(p.siblings)
        sibs[i] = _flip(sibs[i], flip)
        with pytest.raises(ProofError):
            heads.verify_head_proof(root, k, v, HeadProof(tuple(sibs), p.leaf))
        with pytest.raises(ProofError):  # a sibling dropped
            heads.verify_head_proof(root, k, v, HeadProof(p.siblings[:-1], p.leaf))
    with pytest.raises(ProofError):  # a sibling added
        heads.verify_head_proof(root, k, v, HeadProof((*p.siblings, bytes(32)), p.leaf))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 64), pick=st.integers(0, 10**6))
def test_proof_of_one_key_does_not_prove_another(n: int, pick: int) -> None:
    values = _map(n, salt="o")
    keys = sorted(values)
    a, b = keys[pick % n], keys[(pick + 1) % n]
    root = heads.root(values)
    p = heads.prove(values, a)
    for claim in (values[b], values[a], None):
        with pytest.raises(ProofError):
            heads.verify_head_proof(root, b, claim, p)


def test_non_membership_leaf_must_share_the_path() -> None:
    values = _map(40)
    root = heads.root(values)
    key = heads.subject_key("absent")
    p = heads.prove(values, key)
    kh = heads.key_hash(key)
    # a leaf that diverges from kh above the proof's depth is refused even before folding
    far = next(k for k in values if heads.common_prefix_bits(heads.key_hash(k), kh) < p.depth)
    forged = HeadProof(p.siblings, Leaf(heads.key_hash(far), values[far].value_hash()))
    with pytest.raises(ProofError, match="shares"):
        heads.verify_head_proof(root, key, None, forged)


def test_depth_over_256_is_refused() -> None:
    p = HeadProof(tuple(bytes(32) for _ in range(257)), None)
    with pytest.raises(ProofError, match="limit 256"):
        heads.verify_head_proof(bytes(32), "subject/x", None, p)
    with pytest.raises(EncodingError, match="limit 256"):
        HeadProof.from_json({"siblings": ["00" * 32] * 257, "leaf": None})


def test_proof_json_round_trip_and_strictness() -> None:
    values = _map(9)
    k = sorted(values)[3]
    p = heads.prove(values, k)
    assert HeadProof.from_json(decode_json(canonical_bytes(p.to_json()))) == p
    good = p.to_json_v1()  # form 1 (form 2's refusals: tests/vectors/heads/form2-*.json)
    assert HeadProof.from_json(good) == p
    bad_cases = [
        ({**good, "extra": 1}, "proof.extra"),
        ({"siblings": good["siblings"]}, "proof.leaf"),
        ({**good, "siblings": "00"}, "proof.siblings"),
        ({**good, "siblings": [s.upper() for s in good["siblings"]]}, "proof.siblings[0]"),
        ({**good, "siblings": ["00" * 31]}, "proof.siblings[0]"),
        ({**good, "leaf": {"key_hash": "00" * 32}}, "proof.leaf.value_hash"),
        ({**good, "leaf": {"key_hash": "0g" * 32, "value_hash": "00" * 32}}, "proof.leaf.key_hash"),
        ({**good, "leaf": []}, "proof.leaf"),
        ([], "proof"),
    ]
    for obj, field in bad_cases:
        with pytest.raises(EncodingError) as info:
            HeadProof.from_json(obj)
        assert info.value.field == field, obj


def test_signed_batch_head() -> None:
    key = SigningKey(bytes(range(32)))
    head = BatchHead(7, 700, 100, b"\x11" * 32, b"\x22" * 32,
                     datetime(2026, 11, 20, 2, 0, 5, tzinfo=UTC), key.key_id).sign(key)  # fmt: skip
    head.verify(key.verify_key)
    body = head.body()
    assert list(body) == ["v", "batch_no", "first_seq", "size", "root", "heads_root",
                          "sealed_at", "log"]  # fmt: skip
    assert body["v"] == 2 and body["sealed_at"] == "2026-11-20T02:00:05Z"
    assert head.signed_bytes() == b"siteledger/batch-head/v1\x00" + canonical_bytes(body)
    again = BatchHead.from_json(decode_json(canonical_bytes(head.to_json())))
    assert again == head
    again.verify(key.verify_key)
    for name, value in [("size", 101), ("batch_no", 8), ("first_seq", 701),
                        ("root", "33" * 32), ("heads_root", "33" * 32),
                        ("sealed_at", "2026-11-20T02:00:06Z")]:  # fmt: skip
        changed = BatchHead.from_json({**head.to_json(), name: value})
        with pytest.raises(SignatureError):
            changed.verify(key.verify_key)
    other = SigningKey(bytes(32))
    with pytest.raises(SignatureError, match="names log key"):
        head.verify(other.verify_key)
    with pytest.raises(SignatureError):
        BatchHead(7, 700, 100, b"\x11" * 32, b"\x22" * 32, head.sealed_at, key.key_id).sign(other)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"v": 1}, "batch.v"),
        ({"size": 0}, "batch.size"),
        ({"batch_no": -1}, "batch.batch_no"),
        ({"first_seq": "1"}, "batch.first_seq"),
        ({"root": "AB" * 32}, "batch.root"),
        ({"log": "xyz"}, "batch.log"),
        ({"sig": "00" * 63}, "batch.sig"),
        ({"sealed_at": "2026-11-20 02:00:05"}, "batch.sealed_at"),
        ({"extra": True}, "batch.extra"),
    ],
)
def test_batch_head_decoding_is_strict(change: dict[str, object], field: str) -> None:
    key = SigningKey(bytes(range(32)))
    head = BatchHead(0, 0, 1, bytes(32), bytes(32), datetime(2026, 1, 1, tzinfo=UTC),
                     key.key_id).sign(key)  # fmt: skip
    with pytest.raises(EncodingError) as info:
        BatchHead.from_json({**head.to_json(), **change})
    assert info.value.field == field
