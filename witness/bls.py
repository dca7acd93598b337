"""BLS12-381 keys of witnesses (py-ecc, IETF BLS signatures, ``G2ProofOfPossession``).

Public keys are 48-byte compressed G1 points, signatures 96-byte compressed G2 points. Signing
is here; verification (proofs of possession, signatures, aggregates) is ``verifier.witnesses``,
shared with the verifier and re-exported under the same names. Every
public key in a witness set comes with its proof of possession (``pop``), a signature by the
key over its own public key under the PoP domain: without it, a rogue key chosen as a function
of the others could forge an aggregate.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Final

from eth_typing import BLSPubkey, BLSSignature
from py_ecc.bls.ciphersuites import G2ProofOfPossession as _Bls

from verifier.witnesses import (
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    WitnessError,
    aggregate,
    verify_aggregate,
    verify_pop,
    verify_signature,
)

__all__ = ["PUBLIC_KEY_SIZE", "SECRET_SIZE", "SIGNATURE_SIZE", "WitnessKey", "aggregate",
           "g1_eip2537", "g2_eip2537", "verify_aggregate", "verify_pop", "verify_signature"]  # fmt: skip

SECRET_SIZE: Final = 32


class WitnessKey:
    """A witness's secret key. Its repr never shows the secret."""

    __slots__ = ("_sk", "public_key")

    def __init__(self, secret: int) -> None:
        if not 0 < secret < 2**255:
            raise WitnessError("secret key out of range")
        self._sk = secret
        self.public_key: bytes = bytes(_Bls.SkToPk(secret))

    @classmethod
    def generate(cls) -> WitnessKey:
        return cls.from_seed(secrets.token_bytes(32))

    @classmethod
    def from_seed(cls, ikm: bytes) -> WitnessKey:
        """Derive the key from at least 32 bytes of input keying material (IETF KeyGen)."""
        if len(ikm) < 32:
            raise WitnessError("key seed must be at least 32 bytes")
        return cls(int(_Bls.KeyGen(ikm)))

    def sign(self, message: bytes) -> bytes:
        return bytes(_Bls.Sign(self._sk, message))

    def pop(self) -> bytes:
        """The proof of possession of this key."""
        return bytes(_Bls.PopProve(self._sk))

    def save(self, path: Path) -> None:
        """Write the secret as 64 hex digits to a new file only its owner may read."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self._sk.to_bytes(SECRET_SIZE, "big").hex() + "\n")
            f.flush()
            os.fsync(f.fileno())

    @classmethod
    def load(cls, path: Path) -> WitnessKey:
        text = path.read_text().strip()
        if len(text) != 2 * SECRET_SIZE:
            raise WitnessError(f"{path}: want {2 * SECRET_SIZE} hex digits")
        try:
            return cls(int.from_bytes(bytes.fromhex(text), "big"))
        except ValueError as exc:
            raise WitnessError(f"{path}: not hex") from exc

    def __repr__(self) -> str:
        return f"WitnessKey(public_key={self.public_key.hex()[:16]}…)"


def _fp_eip2537(x: int) -> bytes:
    return int(x).to_bytes(64, "big")


def g1_eip2537(public_key: bytes) -> bytes:
    """The 48-byte compressed public key as the 128-byte EIP-2537 G1 point ``x ‖ y`` (each
    coordinate 16 zero bytes then 48 big-endian), the form the contract's ``setWitnesses`` takes."""
    from py_ecc.bls.g2_primitives import pubkey_to_G1
    from py_ecc.optimized_bls12_381.optimized_curve import normalize

    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_SIZE:
        raise WitnessError(f"public_key: must be {PUBLIC_KEY_SIZE} bytes")
    try:
        x, y = normalize(pubkey_to_G1(BLSPubkey(public_key)))
    except Exception as exc:  # py-ecc raises ValueError/AssertionError on bad points
        raise WitnessError(f"public_key: not a valid G1 point ({exc})") from exc
    return _fp_eip2537(x.n) + _fp_eip2537(y.n)


def g2_eip2537(signature: bytes) -> bytes:
    """The 96-byte compressed signature as the 256-byte EIP-2537 G2 point
    ``x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1``, the form ``anchorWitnessed`` and ``setWitnesses`` take."""
    from py_ecc.bls.g2_primitives import signature_to_G2
    from py_ecc.optimized_bls12_381.optimized_curve import normalize

    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_SIZE:
        raise WitnessError(f"signature: must be {SIGNATURE_SIZE} bytes")
    try:
        x, y = normalize(signature_to_G2(BLSSignature(signature)))
    except Exception as exc:
        raise WitnessError(f"signature: not a valid G2 point ({exc})") from exc
    return b"".join(_fp_eip2537(int(c)) for c in (*x.coeffs, *y.coeffs))


def g2_from_eip2537(point: bytes) -> bytes:
    """The 96-byte compressed signature of a 256-byte EIP-2537 G2 point (the inverse of
    ``g2_eip2537``, e.g. for an aggregate read back from an ``anchorWitnessed`` call); raises if
    the bytes are not a point of the G2 subgroup."""
    from py_ecc.bls.g2_primitives import G2_to_signature, signature_to_G2
    from py_ecc.fields import optimized_bls12_381_FQ2 as FQ2

    if not isinstance(point, bytes) or len(point) != 256:
        raise WitnessError("signature: an EIP-2537 G2 point is 256 bytes")
    words = [point[i : i + 64] for i in range(0, 256, 64)]
    if any(w[:16] != bytes(16) for w in words):
        raise WitnessError("signature: each coordinate must start with 16 zero bytes")
    c = [int.from_bytes(w, "big") for w in words]
    try:
        compressed = bytes(G2_to_signature((FQ2([c[0], c[1]]), FQ2([c[2], c[3]]), FQ2.one())))
        signature_to_G2(BLSSignature(compressed))  # on the curve and in the subgroup
    except Exception as exc:  # py-ecc raises ValueError/AssertionError on bad points
        raise WitnessError(f"signature: not a valid G2 point ({exc})") from exc
    return compressed
