"""The identity vault: the only place a worker's name, ID, phone and bank card exist.

Each worker's plaintext identity and the salt of its commitment are sealed with AES-256-GCM under
the vault key (the subject id is the associated data, so a sealed row cannot be moved to another
worker). The key comes from configuration or the environment, never from the database; its id is
stored with each row so keys can be rotated. Lookup by ID number goes through an HMAC keyed with
a separate lookup key, never a plain hash (an ID number has too little entropy to hide behind
one). Erasure (crypto-shredding) deletes the ciphertext, salt and lookup value and keeps the
commitment: every record and proof still verifies, but nothing links it to a person any more.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, insert, select, update

from ledger import db
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.commitment import IDENTITY_TAG, commit, new_salt
from ledger.core.errors import LedgerError
from ledger.core.fields import Enum, Str

IDENTITY_FIELDS = {
    "name": Str(64),
    "id_type": Enum(("01", "02", "03", "04", "05", "06", "99")),
    "id_number": Str(32, 6, r"[0-9A-Za-z]+"),
    "phone": Str(20, 5, r"\+?[0-9 -]+"),
    "bank_card": Str(32, 8, r"[0-9 ]+"),
    "bank_name": Str(64),
}
REQUIRED = ("name", "id_type", "id_number")


class VaultError(LedgerError):
    """A vault operation that cannot be done (unknown subject, erased identity, bad key)."""


class Erased(VaultError):
    """The identity was erased: the records stand, the person behind them is gone."""


@dataclass(frozen=True, slots=True)
class Keyring:
    """Vault encryption keys by id, the id of the current one, and the lookup HMAC key."""

    keys: dict[str, bytes]
    current: str
    lookup_key: bytes

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise VaultError(f"current vault key {self.current!r} is not in the keyring")
        for kid, k in self.keys.items():
            if len(k) != 32:
                raise VaultError(f"vault key {kid!r} is {len(k)} bytes, want 32 (AES-256)")
        if len(self.lookup_key) < 32:
            raise VaultError("vault lookup key must be at least 32 bytes")

    def __repr__(self) -> str:
        return f"Keyring(current={self.current!r}, keys={sorted(self.keys)})"

    @classmethod
    def generate(cls) -> Keyring:
        return cls({"k1": secrets.token_bytes(32)}, "k1", secrets.token_bytes(32))

    def to_json(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "keys": {k: v.hex() for k, v in self.keys.items()},
            "lookup": self.lookup_key.hex(),
        }

    @classmethod
    def from_json(cls, obj: Any) -> Keyring:
        try:
            return cls(
                {k: bytes.fromhex(v) for k, v in obj["keys"].items()},
                obj["current"],
                bytes.fromhex(obj["lookup"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise VaultError(f"unreadable vault keyring: {exc}") from exc

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            return cls.from_json(decode_json(path.read_bytes()))
        except OSError as exc:
            raise VaultError(f"cannot read vault key file {path}: {exc.strerror}") from exc

    def rotated(self) -> Keyring:
        """A keyring with a new current key; old keys stay to open old rows until re-sealed."""
        n = 1 + max(int(k[1:]) for k in self.keys if k[1:].isdigit())
        new_id = f"k{n}"
        return Keyring({**self.keys, new_id: secrets.token_bytes(32)}, new_id, self.lookup_key)


@dataclass(frozen=True, slots=True)
class Enrolled:
    subject: str
    commitment: bytes
    created: bool  # False: this ID number was already in the vault under ``subject``


def check_identity(identity: dict[str, Any]) -> dict[str, str]:
    """Validate the plaintext identity fields; errors name the field (``identity.id_number``)."""
    if not isinstance(identity, dict):
        raise VaultError("identity must be an object")
    out: dict[str, str] = {}
    for name, value in identity.items():
        conv = IDENTITY_FIELDS.get(name)
        if conv is None:
            from ledger.core.errors import EncodingError

            raise EncodingError("unknown field", f"identity.{name}")
        out[name] = conv.encode(value, f"identity.{name}")
    for name in REQUIRED:
        if name not in out:
            from ledger.core.errors import EncodingError

            raise EncodingError("required field is missing", f"identity.{name}")
    return out


class Vault:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.keyring = keyring

    def _lookup(self, id_type: str, id_number: str) -> bytes:
        msg = f"{id_type}:{id_number.upper()}".encode()
        return hmac.new(self.keyring.lookup_key, msg, sha256).digest()

    def _seal(self, subject: str, identity: dict[str, str], salt: bytes) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(12)
        plain = canonical_bytes({"identity": identity, "salt": salt.hex()})
        key = self.keyring.keys[self.keyring.current]
        return nonce, AESGCM(key).encrypt(nonce, plain, subject.encode())

    def _open(self, row: Any) -> tuple[dict[str, str], bytes]:
        if row.ciphertext is None:
            raise Erased(f"identity of {row.subject} was erased: {row.erase_reason}")
        key = self.keyring.keys.get(row.key_id)
        if key is None:
            raise VaultError(f"vault key {row.key_id!r} is not in the keyring")
        try:
            plain = AESGCM(key).decrypt(row.nonce, row.ciphertext, row.subject.encode())
        except InvalidTag as exc:
            raise VaultError(
                f"vault row of {row.subject} does not decrypt: wrong key or tampered"
            ) from exc
        obj = decode_json(plain)
        return obj["identity"], bytes.fromhex(obj["salt"])

    def enroll(self, project: str, identity: dict[str, Any], now: datetime) -> Enrolled:
        """Seal a worker's identity; returns the subject id and the commitment to put in records.

        The same ID number enrolled again (another project, a repeated request) returns the
        existing subject and commitment.
        """
        ident = check_identity(identity)
        lookup = self._lookup(ident["id_type"], ident["id_number"])
        with self.engine.begin() as conn:
            row = conn.execute(select(db.vault).where(db.vault.c.lookup == lookup)).first()
            if row is not None:
                return Enrolled(row.subject, row.commitment, False)
            subject = "w-" + secrets.token_hex(10)
            salt = new_salt()
            commitment = commit(IDENTITY_TAG, ident, salt)
            nonce, ct = self._seal(subject, ident, salt)
            conn.execute(
                insert(db.vault).values(
                    subject=subject, project=project, key_id=self.keyring.current, nonce=nonce,
                    ciphertext=ct, lookup=lookup, commitment=commitment,
                    created_at=db.to_us(now),
                )
            )  # fmt: skip
        return Enrolled(subject, commitment, True)

    def lookup(self, id_type: str, id_number: str) -> str | None:
        lookup = self._lookup(id_type, id_number)
        with self.engine.connect() as conn:
            return conn.execute(
                select(db.vault.c.subject).where(db.vault.c.lookup == lookup)
            ).scalar()

    def disclose(self, subject: str) -> tuple[dict[str, str], bytes, bytes]:
        """(identity, salt, commitment) of ``subject``; raises Erased or VaultError."""
        with self.engine.connect() as conn:
            row = conn.execute(select(db.vault).where(db.vault.c.subject == subject)).first()
        if row is None:
            raise VaultError(f"no identity for subject {subject}")
        identity, salt = self._open(row)
        return identity, salt, row.commitment

    def erase(self, subject: str, reason: str, now: datetime) -> None:
        """Crypto-shred ``subject``: plaintext, salt and lookup go; the commitment stays."""
        if not reason.strip():
            raise VaultError("erasure needs a reason")
        with self.engine.begin() as conn:
            row = conn.execute(select(db.vault).where(db.vault.c.subject == subject)).first()
            if row is None:
                raise VaultError(f"no identity for subject {subject}")
            if row.erased_at is not None:
                raise Erased(f"identity of {subject} was already erased")
            conn.execute(
                update(db.vault)
                .where(db.vault.c.subject == subject)
                .values(nonce=None, ciphertext=None, lookup=None, erased_at=db.to_us(now),
                        erase_reason=reason)
            )  # fmt: skip

    def reseal(self) -> int:
        """Re-encrypt every row not under the current key (after ``Keyring.rotated``)."""
        n = 0
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(db.vault).where(
                    db.vault.c.key_id != self.keyring.current, db.vault.c.ciphertext.is_not(None)
                )
            ).all()
            for row in rows:
                identity, salt = self._open(row)
                nonce, ct = self._seal(row.subject, identity, salt)
                conn.execute(
                    update(db.vault)
                    .where(db.vault.c.subject == row.subject)
                    .values(key_id=self.keyring.current, nonce=nonce, ciphertext=ct)
                )
                n += 1
        return n
