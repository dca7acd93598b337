"""BLS12-381 signature checks of the IETF proof-of-possession scheme, all of a bundle at once.

The scheme is ``BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`` (public keys compressed G1, 48
bytes; signatures compressed G2, 96 bytes), as ``py_ecc.bls.G2ProofOfPossession`` implements it
and the contract checks it through EIP-2537. Every check here is one equation
``e(apk, H(message, dst)) == e(g1, signature)``: a proof of possession (one key, its own bytes
under the PoP tag) or a fast aggregate (the sum of the signers' keys, the witness message under
the signature tag).

``failures(checks)`` decides many checks with one product of pairings and one final
exponentiation (see ``_batch`` for why that rejects whenever one check alone would), and only
when that product fails, decides each check alone to name the failing ones.

Two curve backends do the arithmetic, behind one algorithm written once: ``py_arkworks_bls12381``
(native, a dependency of the project, about a millisecond per check) and ``py_ecc`` (pure
Python, about 0.1 s per hash and per final exponentiation), used when the native library cannot
be imported or when ``SITELEDGER_BLS=py-ecc`` asks for it. Both decode points strictly (the
canonical compressed encoding only, on the curve, in the prime-order subgroup) and give the same
verdict on every input; ``tests/verifier/test_bls12381.py`` checks that against
``G2ProofOfPossession`` itself.

The backends also do the signer's arithmetic for ``witness.bls`` (``key_gen``, ``public_key``,
``sign``: IETF KeyGen, SkToPk and CoreSign, byte for byte what py-ecc gives) and the EIP-2537
point encodings the contract takes, so that witnesses and the anchorer sign, aggregate and check
through this one module. The verifier itself never calls the signing functions and never holds
a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final, Protocol

SIG_DST: Final = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
POP_DST: Final = b"BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
BACKENDS: Final = ("arkworks", "py-ecc")
ORDER: Final = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001  # r, of G1 and G2
ENV: Final = "SITELEDGER_BLS"


class CurveError(Exception):
    """The backend named by ``SITELEDGER_BLS`` is unknown or cannot be loaded."""


@dataclass(frozen=True, slots=True)
class Check:
    """``e(sum of public_keys, H(message, dst)) == e(g1, signature)``; requires at least one key.
    Holds only if every key is a valid public key (KeyValidate: a canonical encoding of a point of
    the subgroup, not the identity), their sum is not the identity, and the signature is a
    canonical encoding of a point of the G2 subgroup."""

    public_keys: tuple[bytes, ...]
    message: bytes
    dst: bytes
    signature: bytes


def pop_check(public_key: bytes, pop: bytes) -> Check:
    """PopVerify(public_key, pop): the key signed its own bytes under the PoP tag."""
    return Check((public_key,), public_key, POP_DST, pop)


def aggregate_check(public_keys: Sequence[bytes], message: bytes, signature: bytes) -> Check:
    """FastAggregateVerify(public_keys, message, signature), for keys with checked PoPs."""
    return Check(tuple(public_keys), message, SIG_DST, signature)


class Curve(Protocol):
    """The group operations the checks need; points are opaque to the algorithm."""

    name: str

    def public_key(self, data: bytes) -> Any | None: ...  # G1 point, None if not KeyValidate
    def signature(self, data: bytes) -> Any | None: ...  # G2 point, None if no subgroup point
    def hash(self, message: bytes, dst: bytes) -> Any: ...  # hash_to_G2 (RFC 9380, SSWU RO)
    def g1_sum(self, points: Sequence[Any]) -> Any | None: ...  # None if the identity
    def g1_mul(self, point: Any, k: int) -> Any: ...
    def g2_combination(self, points: Sequence[Any], ks: Sequence[int]) -> Any: ...
    def g2_sum(self, points: Sequence[Any]) -> bytes: ...  # compressed
    def neg_g1(self) -> Any: ...  # minus the generator of G1
    def product_is_one(self, g1s: Sequence[Any], g2s: Sequence[Any]) -> bool: ...
    # the signer's side and the contract's encodings (witness.bls)
    def g1_base_mul(self, k: int) -> bytes: ...  # k * g1, compressed; requires 0 < k < ORDER
    def g2_mul(self, point: Any, k: int) -> bytes: ...  # compressed; requires 0 < k < ORDER
    def g1_xy(self, point: Any) -> bytes: ...  # x ‖ y, 48 bytes each, big-endian
    def g2_xy(self, point: Any) -> bytes: ...  # x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, 48 bytes each
    def g2_from_xy(self, data: bytes) -> Any | None: ...  # None unless a canonical subgroup point


# ---------------------------------------------------------------------------- the algorithm


def failures(checks: Sequence[Check], curve: Curve | None = None) -> list[int]:
    """The indices of the checks that do not hold (empty when all hold)."""
    c = curve or default_curve()
    decoded = [_decode(c, ch) for ch in checks]
    good = [d for d in decoded if d is not None]
    if good and _batch(c, good, random=len(good) > 1):  # one check alone needs no scalar
        return [i for i, d in enumerate(decoded) if d is None]
    return [i for i, d in enumerate(decoded) if d is None or not _batch(c, [d], random=False)]


def holds(check: Check, curve: Curve | None = None) -> bool:
    return not failures([check], curve)


_Decoded = tuple[Any, Any, Any]  # (aggregate public key, H(message), signature)


def _decode(c: Curve, check: Check) -> _Decoded | None:
    """The check's points, or None if one of its encodings is no valid point (it fails)."""
    if not check.public_keys:
        return None
    keys = [c.public_key(k) for k in check.public_keys]
    if any(k is None for k in keys):
        return None
    apk = c.g1_sum(keys)
    sig = c.signature(check.signature)
    if apk is None or sig is None:
        return None
    return apk, c.hash(check.message, check.dst), sig


def _batch(c: Curve, items: Sequence[_Decoded], random: bool = True) -> bool:
    """Whether ``prod_i e(r_i apk_i, H_i) * e(-g1, sum_i r_i sig_i) == 1``, with r_i uniform
    in [1, 2^64) from ``os.urandom`` (or all 1 for a single unrandomised check).

    Why this rejects whenever one check alone would: every point here is in a subgroup of prime
    order r (``_decode`` refused any key or signature outside it, and H maps into it by clearing
    the cofactor), so each check's ratio ``e(apk_i, H_i) / e(g1, sig_i)`` is ``g^d_i`` for a
    generator g of the order-r target group and some d_i mod r, and check i holds exactly when
    d_i = 0. By bilinearity the product is ``g^(sum r_i d_i)``. If some d_j != 0, then for any
    fixed values of the other scalars at most one residue of r_j mod r makes the sum vanish;
    r_j takes 2^64 - 1 values below r, so a bundle with a failing check passes with probability
    at most 1 / (2^64 - 1). The scalars are drawn fresh on every call, after the bundle was
    read, so its author cannot choose signatures that cancel. (Without the subgroup checks a
    point with a small-order component could cancel for a predictable share of scalars; that is
    why they are done point by point, never skipped for speed.)
    """
    ks = [_scalar() if random else 1 for _ in items]
    g1s = [c.g1_mul(apk, k) for (apk, _, _), k in zip(items, ks, strict=True)]
    g2s = [h for _, h, _ in items]
    sig = c.g2_combination([s for _, _, s in items], ks)
    return c.product_is_one([*g1s, c.neg_g1()], [*g2s, sig])


def _scalar() -> int:
    while True:
        k = int.from_bytes(os.urandom(8), "big")
        if k:
            return k


# ---------------------------------------------------------------------------- the signer's side


_KEYGEN_SALT: Final = b"BLS-SIG-KEYGEN-SALT-"
_KEYGEN_LEN: Final = 48  # ceil(1.5 * ceil(log2(ORDER)) / 8)


def key_gen(ikm: bytes, key_info: bytes = b"") -> int:
    """KeyGen of the IETF BLS draft (version 4 on, as py-ecc has it): HKDF-SHA-256 of the input
    keying material, the salt hashed again until the key is not zero. Requires ``len(ikm) >= 32``
    (the caller says so in its own terms)."""
    salt, sk = _KEYGEN_SALT, 0
    while sk == 0:
        salt = hashlib.sha256(salt).digest()
        prk = hmac.digest(salt, ikm + b"\x00", "sha256")  # HKDF-Extract
        info = key_info + _KEYGEN_LEN.to_bytes(2, "big")
        okm, block = b"", b""
        for i in range(1, -(-_KEYGEN_LEN // 32) + 1):  # HKDF-Expand
            block = hmac.digest(prk, block + info + bytes([i]), "sha256")
            okm += block
        sk = int.from_bytes(okm[:_KEYGEN_LEN], "big") % ORDER
    return sk


def public_key(secret: int, curve: Curve | None = None) -> bytes:
    """SkToPk: the 48-byte compressed public key of ``secret``; requires 0 < secret < ORDER."""
    _secret(secret)
    return (curve or default_curve()).g1_base_mul(secret)


def sign(secret: int, message: bytes, dst: bytes = SIG_DST, curve: Curve | None = None) -> bytes:
    """CoreSign: ``secret * H(message, dst)``, 96 bytes compressed; requires 0 < secret < ORDER.
    With ``POP_DST`` over the key's own public key it is PopProve."""
    _secret(secret)
    c = curve or default_curve()
    return c.g2_mul(c.hash(message, dst), secret)


def _secret(k: int) -> None:
    if type(k) is not int or not 0 < k < ORDER:
        raise ValueError("a secret key is an integer from 1 to the group order - 1")


# ---------------------------------------------------------------------------- the backends


def default_curve() -> Curve:
    """The backend ``SITELEDGER_BLS`` names (``arkworks`` or ``py-ecc``); unset, the native one
    when it imports, else py-ecc."""
    return _curve(requested())


def requested() -> str:
    """``SITELEDGER_BLS`` if it names a backend, "" if unset; raises CurveError for another name
    or when it insists on arkworks and that cannot be imported (a CLI checks this up front)."""
    want = os.environ.get(ENV, "")
    if want and want not in BACKENDS:
        raise CurveError(f"{ENV}: unknown BLS backend {want!r}, want one of {', '.join(BACKENDS)}")
    if want == "arkworks":
        _curve(want)
    return want


@cache
def _curve(want: str) -> Curve:
    if want != "py-ecc":
        try:
            return Arkworks()
        except ImportError as exc:
            if want == "arkworks":
                raise CurveError(f"{ENV}: the arkworks backend cannot be loaded ({exc})") from exc
    return PyEcc()


def curve(name: str) -> Curve:
    """The backend called ``name`` (for tests and benchmarks)."""
    if name not in BACKENDS:
        raise CurveError(f"unknown BLS backend {name!r}, want one of {', '.join(BACKENDS)}")
    return _curve(name)


class Arkworks:
    """``py_arkworks_bls12381`` (Rust, arkworks): decoding, hashing and a multi-pairing."""

    name = "arkworks"

    def __init__(self) -> None:
        import py_arkworks_bls12381 as ark

        self._ark = ark
        self._neg_g1 = -ark.G1Point()
        self._hash = lru_cache(maxsize=1024)(ark.G2Point.hash_to_curve)

    @staticmethod
    def _strict(data: bytes, read: Any, write: Any) -> Any | None:
        """The point ``read`` makes of ``data`` if ``write`` gives ``data`` back and the point is
        in the subgroup, else None. arkworks reads the identity from any bytes with the infinity
        flag, and coordinates of p or more modulo p: only the canonical spelling re-encodes."""
        try:
            p = read(data)
        except ValueError:
            return None
        if write(p) != data:
            return None
        return p if p.is_in_subgroup() else None

    def public_key(self, data: bytes) -> Any | None:
        G1 = self._ark.G1Point
        p = self._strict(data, G1.from_compressed_bytes, G1.to_compressed_bytes)
        return None if p is None or p == G1.identity() else p

    def signature(self, data: bytes) -> Any | None:
        G2 = self._ark.G2Point
        return self._strict(data, G2.from_compressed_bytes, G2.to_compressed_bytes)

    def hash(self, message: bytes, dst: bytes) -> Any:
        return self._hash(message, dst)

    def g1_sum(self, points: Sequence[Any]) -> Any | None:
        total = points[0]
        for p in points[1:]:
            total = total + p
        return None if total == self._ark.G1Point.identity() else total

    def g1_mul(self, point: Any, k: int) -> Any:
        return point if k == 1 else point * self._ark.Scalar(k)

    def g2_combination(self, points: Sequence[Any], ks: Sequence[int]) -> Any:
        total = self._ark.G2Point.identity()
        for p, k in zip(points, ks, strict=True):
            total = total + (p if k == 1 else p * self._ark.Scalar(k))
        return total

    def g2_sum(self, points: Sequence[Any]) -> bytes:
        return bytes(self.g2_combination(points, [1] * len(points)).to_compressed_bytes())

    def neg_g1(self) -> Any:
        return self._neg_g1

    def product_is_one(self, g1s: Sequence[Any], g2s: Sequence[Any]) -> bool:
        return bool(self._ark.GT.pairing_check(list(g1s), list(g2s)))

    def g1_base_mul(self, k: int) -> bytes:
        return bytes((self._ark.G1Point() * self._ark.Scalar(k)).to_compressed_bytes())

    def g2_mul(self, point: Any, k: int) -> bytes:
        return bytes((point * self._ark.Scalar(k)).to_compressed_bytes())

    def g1_xy(self, point: Any) -> bytes:
        return bytes(point.to_xy_bytes_be())

    def g2_xy(self, point: Any) -> bytes:
        return bytes(point.to_xy_bytes_be())

    def g2_from_xy(self, data: bytes) -> Any | None:
        G2 = self._ark.G2Point
        return self._strict(data, G2.from_xy_bytes_be, G2.to_xy_bytes_be)


class PyEcc:
    """``py_ecc`` (pure Python): Miller loops without final exponentiation, multiplied, then one
    final exponentiation for the whole product."""

    name = "py-ecc"

    def __init__(self) -> None:
        from eth_utils.exceptions import ValidationError
        from py_ecc.bls import g2_primitives, hash_to_curve
        from py_ecc.fields import optimized_bls12_381_FQ2, optimized_bls12_381_FQ12
        from py_ecc.optimized_bls12_381 import optimized_curve as oc
        from py_ecc.optimized_bls12_381 import optimized_pairing as op

        htc: Any = hash_to_curve  # typed for one hash object, called here with the constructor
        self._prim: Any = g2_primitives  # its re-exported names (is_inf) lack __all__
        self._fq12 = optimized_bls12_381_FQ12
        self._bad = (ValueError, AssertionError, ValidationError)  # py-ecc's "bad bytes"
        self._z2, self._neg_g1 = oc.Z2, oc.neg(oc.G1)
        self._add, self._mul = oc.add, oc.multiply
        self._pairing, self._fexp = op.pairing, op.final_exponentiate
        self._g1, self._b2, self._p = oc.G1, oc.b2, oc.field_modulus
        self._fq2 = optimized_bls12_381_FQ2
        self._normalize, self._on_curve = oc.normalize, oc.is_on_curve
        self._hash = lru_cache(maxsize=1024)(
            lambda message, dst: htc.hash_to_G2(message, dst, hashlib.sha256)
        )

    def public_key(self, data: bytes) -> Any | None:
        try:
            p = self._prim.pubkey_to_G1(data)
        except self._bad:
            return None
        if self._prim.is_inf(p) or not self._prim.subgroup_check(p):
            return None
        return p

    def signature(self, data: bytes) -> Any | None:
        try:
            p = self._prim.signature_to_G2(data)
        except self._bad:
            return None
        return p if self._prim.subgroup_check(p) else None

    def hash(self, message: bytes, dst: bytes) -> Any:
        return self._hash(message, dst)

    def g1_sum(self, points: Sequence[Any]) -> Any | None:
        total = points[0]
        for p in points[1:]:
            total = self._add(total, p)
        return None if self._prim.is_inf(total) else total

    def g1_mul(self, point: Any, k: int) -> Any:
        return point if k == 1 else self._mul(point, k)

    def g2_combination(self, points: Sequence[Any], ks: Sequence[int]) -> Any:
        total = self._z2
        for p, k in zip(points, ks, strict=True):
            total = self._add(total, p if k == 1 else self._mul(p, k))
        return total

    def g2_sum(self, points: Sequence[Any]) -> bytes:
        return bytes(self._prim.G2_to_signature(self.g2_combination(points, [1] * len(points))))

    def neg_g1(self) -> Any:
        return self._neg_g1

    def product_is_one(self, g1s: Sequence[Any], g2s: Sequence[Any]) -> bool:
        f = self._fq12.one()
        for p, q in zip(g1s, g2s, strict=True):
            f = f * self._pairing(q, p, final_exponentiate=False)
        return bool(self._fexp(f) == self._fq12.one())

    def g1_base_mul(self, k: int) -> bytes:
        return bytes(self._prim.G1_to_pubkey(self._mul(self._g1, k)))

    def g2_mul(self, point: Any, k: int) -> bytes:
        return bytes(self._prim.G2_to_signature(self._mul(point, k)))

    def g1_xy(self, point: Any) -> bytes:
        x, y = self._normalize(point)
        return int(x.n).to_bytes(48, "big") + int(y.n).to_bytes(48, "big")

    def g2_xy(self, point: Any) -> bytes:
        if self._prim.is_inf(point):
            return bytes(192)  # as arkworks and EIP-2537 write the point at infinity
        x, y = self._normalize(point)
        return b"".join(int(c).to_bytes(48, "big") for c in (*x.coeffs, *y.coeffs))

    def g2_from_xy(self, data: bytes) -> Any | None:
        if len(data) != 192:
            return None
        if data == bytes(192):
            return self._z2
        c = [int.from_bytes(data[i : i + 48], "big") for i in range(0, 192, 48)]
        if any(v >= self._p for v in c):
            return None
        p = (self._fq2([c[0], c[1]]), self._fq2([c[2], c[3]]), self._fq2.one())
        if not self._on_curve(p, self._b2) or not self._prim.subgroup_check(p):
            return None
        return p
