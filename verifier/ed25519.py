"""Ed25519 verification for the verifier, with a cache of signatures already verified.

Signatures are checked by libsodium through PyNaCl when it is installed (about twice as fast as
``cryptography`` here, and stricter: it also refuses small-order public keys and points), and by
``ledger.core.keys.VerifyKey`` otherwise. Both implement RFC 8032 verification of signatures
over ``tag ‖ 0x00 ‖ message`` (``ledger.core.keys.signing_input``).

The cache remembers (public key, signature, SHA-256 of the signed bytes) triples that verified,
so that a batch of bundles from one site checks each key registration of the shared key chain
once per process. It never remembers failures.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from hashlib import sha256

from ledger.core.errors import SignatureError
from ledger.core.keys import VerifyKey, key_id, signing_input

_open: Callable[[bytes, bytes], bytes] | None
_BadSignature: type[Exception]
try:
    from nacl.bindings import crypto_sign_open as _nacl_open
    from nacl.exceptions import CryptoError as _NaclError

    _open = _nacl_open
    _BadSignature = _NaclError
except ImportError:  # pragma: no cover - PyNaCl is a dependency; this keeps the verifier portable
    _open = None
    _BadSignature = SignatureError

BACKEND = "libsodium (PyNaCl)" if _open is not None else "OpenSSL (cryptography)"


class SignatureCache:
    """Verified signatures, least recently used out first."""

    def __init__(self, size: int = 65_536) -> None:
        self.size = size
        self._data: OrderedDict[tuple[bytes, bytes], bytes] = OrderedDict()
        self.hits = 0

    def verify(self, public: bytes, tag: bytes, message: bytes, signature: bytes) -> None:
        """Return None if ``signature`` is ``public``'s over ``tag ‖ 0x00 ‖ message``; else raise
        SignatureError."""
        data = signing_input(tag, message)
        digest = sha256(data).digest()
        k = (public, signature)
        if self._data.get(k) == digest:
            self.hits += 1
            self._data.move_to_end(k)
            return
        verify_raw(public, data, signature)
        self._data[k] = digest
        if len(self._data) > self.size:
            self._data.popitem(last=False)


def verify_raw(public: bytes, data: bytes, signature: bytes) -> None:
    """Check an Ed25519 signature over exactly ``data``; raise SignatureError if it fails."""
    if len(public) != 32 or len(signature) != 64:
        raise SignatureError(
            f"public key is {len(public)} bytes and signature {len(signature)}, want 32 and 64"
        )
    if _open is None:  # pragma: no cover
        tag, _, message = data.partition(b"\x00")
        VerifyKey(public).verify(tag, message, signature)
        return
    try:
        _open(signature + data, public)
    except _BadSignature as exc:
        raise SignatureError(f"signature does not verify under key {key_id(public)}") from exc
