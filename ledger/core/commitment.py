"""Salted commitments to personal data that never enters a record.

A commitment is SHA-256(tag ‖ 0x00 ‖ salt ‖ canonical(fields)) with a fresh 32-byte random salt.
The salt makes the commitment useless for guessing an ID number (an unsalted hash of one is
brute-forced in seconds, 个人信息保护法 §73). Destroying the salt and the plaintext (crypto-shredding)
leaves the commitment, and every proof over it, intact but meaningless.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from hashlib import sha256
from typing import Final

from ledger.core.canonical import canonical_bytes
from ledger.core.errors import CommitmentError

IDENTITY_TAG: Final = b"siteledger/identity/v1"
BANK_SERIAL_TAG: Final = b"siteledger/bank-serial/v1"
SALT_SIZE: Final = 32


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_SIZE)


def commit(tag: bytes, fields: Mapping[str, str], salt: bytes) -> bytes:
    """Return the 32-byte commitment of ``fields`` (str to str) under ``salt``."""
    if len(salt) != SALT_SIZE:
        raise CommitmentError(f"salt is {len(salt)} bytes, want {SALT_SIZE}")
    return sha256(tag + b"\x00" + salt + canonical_bytes(dict(fields))).digest()


def verify_disclosure(
    tag: bytes, commitment: bytes, fields: Mapping[str, str], salt: bytes
) -> None:
    """Return None if ``fields`` and ``salt`` open ``commitment``; else raise CommitmentError."""
    calculated = commit(tag, fields, salt)
    if not hmac.compare_digest(calculated, commitment):
        raise CommitmentError(
            f"disclosure does not match commitment {commitment.hex()} "
            f"(calculated {calculated.hex()})"
        )
