"""BLS12-381 keys of witnesses (IETF BLS signatures, the proof-of-possession scheme of
``py_ecc.bls.G2ProofOfPossession``).

Public keys are 48-byte compressed G1 points, signatures 96-byte compressed G2 points. The
arithmetic is ``verifier.bls12381``'s (native arkworks, py-ecc as the fallback; the same bytes
either way); verification (proofs of possession, signatures, aggregates) is
``verifier.witnesses``, shared with the verifier and re-exported under the same names. Every
public key in a witness set comes with its proof of possession (``pop``), a signature by the
key over its own public key under the PoP domain: without it, a rogue key chosen as a function
of the others could forge an aggregate.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Final

from verifier import bls12381 as bls
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
        if type(secret) is not int or not 0 < secret < bls.ORDER:
            raise WitnessError("secret key: must be from 1 to the BLS12-381 group order - 1")
        self._sk = secret
        self.public_key: bytes = bls.public_key(secret)

    @classmethod
    def generate(cls) -> WitnessKey:
        return cls.from_seed(secrets.token_bytes(32))

    @classmethod
    def from_seed(cls, ikm: bytes) -> WitnessKey:
        """Derive the key from at least 32 bytes of input keying material (IETF KeyGen)."""
        if len(ikm) < 32:
            raise WitnessError("key seed must be at least 32 bytes")
        return cls(bls.key_gen(ikm))

    def sign(self, message: bytes) -> bytes:
        return bls.sign(self._sk, message)

    def pop(self) -> bytes:
        """The proof of possession of this key (PopProve)."""
        return bls.sign(self._sk, self.public_key, bls.POP_DST)

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


def _eip2537(xy: bytes) -> bytes:
    """48-byte big-endian coordinates as EIP-2537 writes them: 16 zero bytes, then the 48."""
    return b"".join(bytes(16) + xy[i : i + 48] for i in range(0, len(xy), 48))


def g1_eip2537(public_key: bytes) -> bytes:
    """The 48-byte compressed public key as the 128-byte EIP-2537 G1 point ``x ‖ y`` (each
    coordinate 16 zero bytes then 48 big-endian), the form the contract's ``setWitnesses`` takes;
    raises unless ``public_key`` is a valid key (a canonical subgroup point, not the identity)."""
    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_SIZE:
        raise WitnessError(f"public_key: must be {PUBLIC_KEY_SIZE} bytes")
    curve = bls.default_curve()
    point = curve.public_key(public_key)
    if point is None:
        raise WitnessError("public_key: not a valid G1 point of the subgroup")
    return _eip2537(curve.g1_xy(point))


def g2_eip2537(signature: bytes) -> bytes:
    """The 96-byte compressed signature as the 256-byte EIP-2537 G2 point
    ``x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1``, the form ``anchorWitnessed`` and ``setWitnesses`` take."""
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_SIZE:
        raise WitnessError(f"signature: must be {SIGNATURE_SIZE} bytes")
    curve = bls.default_curve()
    point = curve.signature(signature)
    if point is None:
        raise WitnessError("signature: not a valid G2 point of the subgroup")
    return _eip2537(curve.g2_xy(point))


def g2_from_eip2537(point: bytes) -> bytes:
    """The 96-byte compressed signature of a 256-byte EIP-2537 G2 point (the inverse of
    ``g2_eip2537``, e.g. for an aggregate read back from an ``anchorWitnessed`` call); raises if
    the bytes are not a point of the G2 subgroup."""
    if not isinstance(point, bytes) or len(point) != 256:
        raise WitnessError("signature: an EIP-2537 G2 point is 256 bytes")
    words = [point[i : i + 64] for i in range(0, 256, 64)]
    if any(w[:16] != bytes(16) for w in words):
        raise WitnessError("signature: each coordinate must start with 16 zero bytes")
    curve = bls.default_curve()
    p = curve.g2_from_xy(b"".join(w[16:] for w in words))
    if p is None:
        raise WitnessError("signature: not a valid G2 point of the subgroup")
    return curve.g2_sum([p])
