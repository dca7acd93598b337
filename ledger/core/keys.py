"""Ed25519 keys, key ids and domain-separated signatures.

Every signature in siteledger is Ed25519 over ``tag ‖ 0x00 ‖ message``, where the tag names what
is signed (``siteledger/record/v1``, ``siteledger/receipt/v1``). The tag keeps a signature made
for one purpose from being replayed as another. A key id is the first 16 bytes of SHA-256 of the
raw 32-byte public key, written as 32 lowercase hex characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from ledger.core.errors import SignatureError

RECORD_TAG: Final = b"siteledger/record/v1"
RECEIPT_TAG: Final = b"siteledger/receipt/v1"
PUBLIC_KEY_SIZE: Final = 32
SIGNATURE_SIZE: Final = 64


def key_id(public_key: bytes) -> str:
    """Return the key id of a raw Ed25519 public key."""
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise SignatureError(f"public key is {len(public_key)} bytes, want {PUBLIC_KEY_SIZE}")
    return sha256(public_key).digest()[:16].hex()


def signing_input(tag: bytes, message: bytes) -> bytes:
    """The exact bytes an Ed25519 signature covers."""
    return tag + b"\x00" + message


@dataclass(frozen=True, slots=True)
class VerifyKey:
    """A raw Ed25519 public key."""

    public: bytes

    def __post_init__(self) -> None:
        key_id(self.public)  # checks the length

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def verify(self, tag: bytes, message: bytes, signature: bytes) -> None:
        """Return None if ``signature`` is this key's over ``tag ‖ 0x00 ‖ message``; else raise."""
        if len(signature) != SIGNATURE_SIZE:
            raise SignatureError(f"signature is {len(signature)} bytes, want {SIGNATURE_SIZE}")
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(
                signature, signing_input(tag, message)
            )
        except InvalidSignature as exc:
            raise SignatureError(f"signature does not verify under key {self.key_id}") from exc
        except ValueError as exc:
            raise SignatureError(f"unusable public key {self.key_id}: {exc}") from exc


class SigningKey:
    """An Ed25519 private key. Its repr never shows the secret.

    The key object and public key are derived once: signing receipts is on the append path.
    """

    __slots__ = ("seed", "_private", "_verify_key")

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise SignatureError(f"private key seed is {len(seed)} bytes, want 32")
        self.seed = seed
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._verify_key = VerifyKey(public)

    def __repr__(self) -> str:
        return f"SigningKey(key_id={self.key_id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SigningKey) and other.seed == self.seed

    def __hash__(self) -> int:
        return hash(self.seed)

    @classmethod
    def generate(cls) -> SigningKey:
        raw = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        return cls(raw)

    @property
    def verify_key(self) -> VerifyKey:
        return self._verify_key

    @property
    def key_id(self) -> str:
        return self._verify_key.key_id

    def sign(self, tag: bytes, message: bytes) -> bytes:
        return self._private.sign(signing_input(tag, message))
