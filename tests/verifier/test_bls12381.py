"""``verifier.bls12381``: the batched checks reject exactly what one-by-one checks reject, the two
backends agree with each other and with ``py_ecc.bls.G2ProofOfPossession`` (the reference the
contract and the witnesses follow), and ``anchor.witnesses`` names the failing witness or batch.

py-ecc costs about 0.1 s per hash or final exponentiation, so the py-ecc rows use few checks;
the native backend takes the random sets."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from py_arkworks_bls12381 import G1Point, G2Point, Scalar
from py_ecc.bls.ciphersuites import G2ProofOfPossession as Reference
from py_ecc.bls.hash_to_curve import map_to_curve_G2
from py_ecc.bls.point_compression import compress_G1, compress_G2
from py_ecc.fields import optimized_bls12_381_FQ as FQ
from py_ecc.fields import optimized_bls12_381_FQ2 as FQ2
from py_ecc.optimized_bls12_381 import b as B1
from py_ecc.optimized_bls12_381 import field_modulus as P

from verifier import Verdict, Verifier
from verifier import bls12381 as bls
from verifier import witnesses as vw

V2 = Path(__file__).resolve().parents[1] / "vectors" / "bundles" / "v2"
WITNESS_VECTORS = sorted(p.stem for p in V2.glob("*witness*.json"))
ARK = bls.curve("arkworks")
PYECC = bls.curve("py-ecc")


@pytest.fixture(autouse=True)
def _nothing_remembered() -> Iterator[None]:
    """Every test decides its checks itself: no pass remembered from another test."""
    vw._passed.clear()
    yield
    vw._passed.clear()


# ---------------------------------------------------------------------------- test keys


class _Key:
    """A secret scalar and its public key; signs by H(m) * sk on the native backend (the
    definition of CoreSign; py-ecc's Sign gives the same bytes, checked below)."""

    def __init__(self, sk: int) -> None:
        self.sk = sk
        self.pk = bytes((G1Point() * Scalar(sk)).to_compressed_bytes())

    def sign(self, message: bytes, dst: bytes = bls.SIG_DST) -> bytes:
        return bytes((G2Point.hash_to_curve(message, dst) * Scalar(self.sk)).to_compressed_bytes())

    def pop(self) -> bytes:
        return self.sign(self.pk, bls.POP_DST)


def _keys(rng: random.Random, n: int) -> list[_Key]:
    return [_Key(rng.randrange(1, 2**250)) for _ in range(n)]


def _aggregate(sigs: list[bytes]) -> bytes:
    return bytes(ARK.g2_sum([ARK.signature(s) for s in sigs]))


def test_test_keys_sign_as_py_ecc_does() -> None:
    k = _Key(123456789)
    assert k.pk == bytes(Reference.SkToPk(k.sk))
    assert k.sign(b"m") == bytes(Reference.Sign(k.sk, b"m"))
    assert k.pop() == bytes(Reference.PopProve(k.sk))
    assert _aggregate([k.sign(b"m"), _Key(5).sign(b"m")]) == bytes(
        Reference.Aggregate([k.sign(b"m"), _Key(5).sign(b"m")]))  # fmt: skip
    assert vw.aggregate([k.sign(b"m"), _Key(5).sign(b"m")]) == _aggregate([k.sign(b"m"), _Key(5).sign(b"m")])


# ---------------------------------------------------------------------------- random sets


def _random_checks(rng: random.Random, n: int) -> tuple[list[bls.Check], set[int]]:
    """``n`` checks (proofs of possession and aggregates), some broken in one of several ways;
    returns them and the indices that were broken so that they must fail."""
    keys = _keys(rng, 6)
    checks, broken = [], set()
    for i in range(n):
        if rng.random() < 0.4:
            k = rng.choice(keys)
            c = bls.pop_check(k.pk, k.pop())
        else:
            signers = rng.sample(keys, rng.randint(1, 4))
            msg = rng.randbytes(rng.randint(0, 40))
            c = bls.aggregate_check([s.pk for s in signers], msg, _aggregate([s.sign(msg) for s in signers]))
        if rng.random() < 0.35:
            broken.add(i)
            how = rng.randrange(6)
            other = rng.choice([k for k in keys if k.pk not in c.public_keys])
            if how == 0:  # another valid signature point
                c = bls.Check(c.public_keys, c.message, c.dst, other.sign(c.message, c.dst))
            elif how == 1:  # another message
                c = bls.Check(c.public_keys, c.message + b"!", c.dst, c.signature)
            elif how == 2:  # another domain (a PoP offered as a signature, or the reverse)
                dst = bls.SIG_DST if c.dst == bls.POP_DST else bls.POP_DST
                c = bls.Check(c.public_keys, c.message, dst, c.signature)
            elif how == 3:  # a key added that did not sign
                c = bls.Check((*c.public_keys, other.pk), c.message, c.dst, c.signature)
            elif how == 4:  # the identity as the signature
                c = bls.Check(c.public_keys, c.message, c.dst, b"\xc0" + bytes(95))
            else:  # a flipped bit: no point, or another point
                sig = bytearray(c.signature)
                sig[rng.randrange(1, 96)] ^= 1 << rng.randrange(8)
                c = bls.Check(c.public_keys, c.message, c.dst, bytes(sig))
        checks.append(c)
    return checks, broken


def _one_by_one(checks: list[bls.Check], curve: bls.Curve) -> list[int]:
    return [i for i, c in enumerate(checks) if not bls.holds(c, curve)]


def _reference(c: bls.Check) -> bool:
    if c.dst == bls.POP_DST:
        return bool(Reference.PopVerify(c.public_keys[0], c.signature)) and c.message == c.public_keys[0]
    return bool(Reference.FastAggregateVerify(list(c.public_keys), c.message, c.signature))


@pytest.mark.parametrize("seed", range(12))
def test_batched_and_one_by_one_agree_over_random_sets(seed: int) -> None:
    rng = random.Random(seed)
    checks, broken = _random_checks(rng, rng.randint(1, 10))
    batched = bls.failures(checks, ARK)
    assert batched == _one_by_one(checks, ARK)
    # a broken check always fails; an unbroken one fails only if the flipped bit left it intact
    assert set(batched) == broken


@pytest.mark.parametrize("seed", [101, 102])
def test_both_backends_and_py_ecc_itself_agree(seed: int) -> None:
    rng = random.Random(seed)
    checks, broken = _random_checks(rng, 4)
    want = sorted(broken)
    assert bls.failures(checks, ARK) == want
    assert bls.failures(checks, PYECC) == want
    assert [i for i, c in enumerate(checks) if not _reference(c)] == want


def test_a_batch_with_every_check_good_passes_on_both_backends() -> None:
    checks, broken = _random_checks(random.Random(7), 3)
    good = [c for i, c in enumerate(checks) if i not in broken]
    assert good and bls.failures(good, ARK) == [] and bls.failures(good, PYECC) == []


def test_the_batch_is_randomised_two_wrongs_do_not_cancel() -> None:
    """Two checks broken so that their errors cancel in an unweighted sum (the signatures of two
    aggregates swapped over the same keys' messages) pass a plain sum but not the batch."""
    k = _Key(42)
    m1, m2 = b"first", b"second"
    s1, s2 = k.sign(m1), k.sign(m2)
    c1 = bls.aggregate_check([k.pk], m1, s2)
    c2 = bls.aggregate_check([k.pk], m2, s1)
    items = [bls._decode(ARK, c1), bls._decode(ARK, c2)]
    assert bls._batch(ARK, items, random=False)  # the unweighted product holds
    assert bls.failures([c1, c2], ARK) == [0, 1]


# ---------------------------------------------------------------------------- encodings


def _g1_off_subgroup() -> bytes:
    x = 1
    while True:
        rhs = (x**3 + B1.n) % P
        y = pow(rhs, (P + 1) // 4, P)
        if y * y % P == rhs:
            return bytes.fromhex(f"{compress_G1((FQ(x), FQ(y), FQ(1))):096x}")
        x += 1


def _g2_off_subgroup() -> bytes:
    pt = map_to_curve_G2(FQ2([5, 7]))  # on the curve, the cofactor not cleared
    z1, z2 = compress_G2(pt)
    return z1.to_bytes(48, "big") + z2.to_bytes(48, "big")


def _p_bytes(flags: int, size: int) -> bytes:
    raw = bytearray(P.to_bytes(48, "big") + bytes(size - 48))
    raw[0] |= flags
    return bytes(raw)


G1_BAD = {
    "identity": b"\xc0" + bytes(47),
    "identity with a set bit": b"\xc0" + bytes(46) + b"\x01",
    "identity with the sign flag": b"\xe0" + bytes(47),
    "uncompressed flag": b"\x17" + bytes(47),
    "x = p": _p_bytes(0x80, 48),
    "not on the curve": b"\x80" + bytes(46) + b"\x03",
    "off the subgroup": _g1_off_subgroup(),
}
G2_BAD = {
    "identity with a set bit": b"\xc0" + bytes(94) + b"\x01",
    "identity with the sign flag": b"\xe0" + bytes(95),
    "all ones": b"\xff" * 96,
    "x1 = p": _p_bytes(0x80, 96),
    "not on the curve": b"\x80" + bytes(94) + b"\x03",
    "off the subgroup": _g2_off_subgroup(),
}


@pytest.mark.parametrize("name", sorted(G1_BAD))
def test_a_bad_public_key_is_refused_by_both_backends_as_by_py_ecc(name: str) -> None:
    data = G1_BAD[name]
    assert not Reference.KeyValidate(data)
    assert ARK.public_key(data) is None and PYECC.public_key(data) is None


@pytest.mark.parametrize("name", sorted(G2_BAD))
def test_a_bad_signature_fails_on_both_backends_as_on_py_ecc(name: str) -> None:
    k = _Key(99)
    c = bls.aggregate_check([k.pk], b"m", G2_BAD[name])
    assert not Reference.FastAggregateVerify([k.pk], b"m", G2_BAD[name])
    assert ARK.signature(G2_BAD[name]) is None and PYECC.signature(G2_BAD[name]) is None
    assert bls.failures([c, bls.aggregate_check([k.pk], b"m", k.sign(b"m"))], ARK) == [0]


def test_the_identity_signature_decodes_but_never_verifies() -> None:
    k = _Key(99)
    ident = b"\xc0" + bytes(95)
    assert ARK.signature(ident) is not None and PYECC.signature(ident) is not None
    assert bls.failures([bls.aggregate_check([k.pk], b"m", ident)], ARK) == [0]


def test_keys_that_sum_to_the_identity_fail_as_in_py_ecc() -> None:
    k = _Key(1234)
    neg = bytes((-G1Point.from_compressed_bytes(k.pk)).to_compressed_bytes())
    ident = b"\xc0" + bytes(95)
    assert not Reference.FastAggregateVerify([k.pk, neg], b"m", ident)
    assert bls.failures([bls.aggregate_check([k.pk, neg], b"m", ident)], ARK) == [0]


def test_an_unknown_backend_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bls.ENV, "blst")
    with pytest.raises(bls.CurveError, match="SITELEDGER_BLS: unknown BLS backend 'blst'"):
        bls.default_curve()
    monkeypatch.setenv(bls.ENV, "py-ecc")
    assert bls.default_curve().name == "py-ecc"
    monkeypatch.delenv(bls.ENV)
    assert bls.default_curve().name == "arkworks"


# ---------------------------------------------------------------------------- the signer's side


@pytest.mark.parametrize("seed", range(16))
def test_key_gen_is_py_eccs(seed: int) -> None:
    rng = random.Random(seed)
    ikm, info = rng.randbytes(rng.randint(32, 80)), rng.randbytes(rng.choice([0, 0, 5]))
    assert bls.key_gen(ikm, info) == Reference.KeyGen(ikm, info)


def _signer_case(seed: int) -> tuple[int, bytes]:
    rng = random.Random(seed)
    sk = rng.choice([1, 2, bls.ORDER - 1, rng.randrange(1, bls.ORDER), bls.key_gen(rng.randbytes(32))])
    return sk, rng.randbytes(rng.randint(0, 300))


@pytest.mark.parametrize("seed", range(24))
def test_native_keys_signatures_and_pops_are_py_eccs_bytes(seed: int) -> None:
    sk, msg = _signer_case(seed)
    pk = bls.public_key(sk, ARK)
    assert pk == bytes(Reference.SkToPk(sk))
    assert bls.sign(sk, msg, curve=ARK) == bytes(Reference.Sign(sk, msg))
    assert bls.sign(sk, pk, bls.POP_DST, ARK) == bytes(Reference.PopProve(sk))


@pytest.mark.parametrize("seed", [1000, 1001])
def test_the_py_ecc_backend_signs_the_same_bytes(seed: int) -> None:
    sk, msg = _signer_case(seed)
    pk = bls.public_key(sk, PYECC)
    assert pk == bls.public_key(sk, ARK)
    assert bls.sign(sk, msg, curve=PYECC) == bls.sign(sk, msg, curve=ARK) == bytes(Reference.Sign(sk, msg))
    assert bls.sign(sk, pk, bls.POP_DST, PYECC) == bytes(Reference.PopProve(sk))


@pytest.mark.parametrize("secret", [0, -1, bls.ORDER, bls.ORDER + 1, 2**255, True])
def test_a_secret_out_of_range_is_refused_on_both_backends(secret: int) -> None:
    for c in (ARK, PYECC):
        with pytest.raises(ValueError, match="secret key"):
            bls.public_key(secret, c)
        with pytest.raises(ValueError, match="secret key"):
            bls.sign(secret, b"m", curve=c)


@pytest.mark.parametrize("seed", range(4))
def test_coordinates_agree_and_round_trip_on_both_backends(seed: int) -> None:
    k = _Key(random.Random(seed).randrange(1, bls.ORDER))
    sig = k.sign(b"m")
    xy = ARK.g2_xy(ARK.signature(sig))
    assert xy == PYECC.g2_xy(PYECC.signature(sig)) and len(xy) == 192
    assert ARK.g1_xy(ARK.public_key(k.pk)) == PYECC.g1_xy(PYECC.public_key(k.pk))
    for c in (ARK, PYECC):
        assert c.g2_sum([c.g2_from_xy(xy)]) == sig
    ident = b"\xc0" + bytes(95)
    assert ARK.g2_xy(ARK.signature(ident)) == PYECC.g2_xy(PYECC.signature(ident)) == bytes(192)
    assert ARK.g2_sum([ARK.g2_from_xy(bytes(192))]) == PYECC.g2_sum([PYECC.g2_from_xy(bytes(192))]) == ident


def _xy_bad() -> dict[str, bytes]:
    good = ARK.g2_xy(ARK.signature(_Key(7).sign(b"m")))
    off_curve = bytearray(good)
    off_curve[-1] ^= 1
    x_is_p = P.to_bytes(48, "big") + good[48:]
    plus_p = (int.from_bytes(good[:48], "big") + P).to_bytes(48, "big") + good[48:]  # < 2^382
    pt = map_to_curve_G2(FQ2([5, 7]))  # on the curve, off the subgroup
    x, y = pt[0] / pt[2], pt[1] / pt[2]
    off_group = b"".join(int(c).to_bytes(48, "big") for c in (*x.coeffs, *y.coeffs))
    return {"not on the curve": bytes(off_curve), "x.c0 = p": x_is_p,
            "x.c0 + p": plus_p,
            "off the subgroup": off_group, "all ones": b"\xff" * 192, "short": good[:-1]}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_xy_bad()))
def test_bad_coordinates_are_refused_by_both_backends(name: str) -> None:
    data = _xy_bad()[name]
    assert ARK.g2_from_xy(data) is None and PYECC.g2_from_xy(data) is None


# ---------------------------------------------------------------------------- anchor.witnesses


def _vector(name: str) -> dict[str, Any]:
    return json.loads((V2 / f"{name}.json").read_text())  # type: ignore[no-any-return]


def _verify(b: dict[str, Any]) -> Any:
    return Verifier(None, offline=True).verify(copy.deepcopy(b))


@pytest.mark.parametrize("backend", bls.BACKENDS)
@pytest.mark.parametrize("name", WITNESS_VECTORS)
def test_every_witness_vector_keeps_its_verdict_on_both_backends(
    name: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(bls.ENV, backend)
    v = _vector(name)
    r = _verify(v["bundle"])
    want = v["want_offline"]
    failed = [c.name for c in r.checks if c.status.value == "failed"]
    assert (r.verdict.value, failed[0] if failed else None) == (want["verdict"], want["check"])


@pytest.mark.parametrize("member", range(5))
def test_exactly_one_pop_wrong_names_that_witness(member: int) -> None:
    """Member ``member``'s proof replaced by the next member's (a valid point, the wrong proof)."""
    b = _vector("valid-witnessed-record-attendance")["bundle"]
    ws = b["witness_sets"][0]["witnesses"]
    ws[member]["pop"] = ws[(member + 1) % 5]["pop"]
    r = _verify(b)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "anchor.witnesses"
    detail = r.failed[0].detail
    assert f"witness_sets[0].witnesses[{member}].pop: proof of possession does not verify for key " \
           f"{ws[member]['public_key']}" in detail  # fmt: skip
    assert all(f"witnesses[{i}]" not in detail for i in range(5) if i != member)


def test_one_wrong_pop_on_the_py_ecc_backend_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bls.ENV, "py-ecc")
    b = _vector("valid-witnessed-record-attendance")["bundle"]
    ws = b["witness_sets"][0]["witnesses"]
    ws[3]["pop"] = ws[1]["pop"]
    r = _verify(b)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "anchor.witnesses"
    assert "witness_sets[0].witnesses[3].pop: proof of possession does not verify" in r.failed[0].detail


def _anchors_of(b: dict[str, Any], no: int) -> list[dict[str, Any]]:
    items = [b["record"], *b["keys"], *b["related"], *b["context"]]
    return [i["anchor"] for i in items if i["batch"]["batch_no"] == no]


def test_a_wrong_aggregate_names_its_batch_and_only_it() -> None:
    """Batch 1's aggregate replaced by batch 0's (a valid point, signed by a quorum, over
    another message): batch 1 fails, batch 0 still verifies but the check fails as a whole."""
    b = _vector("valid-witnessed-record-attendance")["bundle"]
    sig0 = _anchors_of(b, 0)[0]["witnesses"]["signature"]
    bitmap0 = _anchors_of(b, 0)[0]["witnesses"]["bitmap"]
    for a in _anchors_of(b, 1):
        a["witnesses"].update(signature=sig0, bitmap=bitmap0)
    r = _verify(b)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "anchor.witnesses"
    detail = r.failed[0].detail
    assert detail == "batch 1: aggregate signature does not verify under the 3 signers' keys"
    assert all("witnesses" not in x for x in r.facts["batches"])


def test_a_folder_of_bundles_checks_a_set_once() -> None:
    """The second bundle of the same set finds its proofs remembered: only its aggregates are
    decided again (the cache holds passes, never failures)."""
    good = _vector("valid-witnessed-record-attendance")["bundle"]
    assert _verify(good).verdict is Verdict.VALID
    pops = {c for c in vw._passed if c.dst == bls.POP_DST}
    assert len(pops) == 5
    bad = _vector("witnesses-other-batch")["bundle"]
    assert _verify(bad).verdict is Verdict.INVALID
    assert _verify(good).verdict is Verdict.VALID
    assert all(c in vw._passed for c in pops)


def test_the_cli_names_an_unknown_backend(tmp_path: Path) -> None:
    p = tmp_path / "b.json"
    p.write_text(json.dumps(_vector("valid-record-attendance")["bundle"]))
    env = {**os.environ, bls.ENV: "blst"}
    res = subprocess.run([sys.executable, "-m", "verifier", str(p), "--offline"], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert res.returncode == 2, res.stdout + res.stderr
    assert "siteledger-verify: SITELEDGER_BLS: unknown BLS backend 'blst'" in res.stderr
