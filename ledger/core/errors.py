"""The project's single error tree. Every error the ledger raises derives from LedgerError."""

from __future__ import annotations


class LedgerError(Exception):
    """Root of every error raised by siteledger code."""


class EncodingError(LedgerError):
    """Bytes or JSON that are not a valid encoding of a ledger value.

    ``field`` names the failing field as a dotted path (``body.deductions[2].amount``) when known.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class ValidationError(EncodingError):
    """Well-formed input that breaks a rule of the record type (a code, a sum, a length)."""


class SignatureError(LedgerError):
    """A signature that does not verify, or a key that cannot be used."""


class ProofError(LedgerError):
    """A Merkle proof that does not verify. Carries what was expected and what was calculated."""

    def __init__(
        self, message: str, expected: bytes | None = None, calculated: bytes | None = None
    ) -> None:
        detail = message
        if expected is not None and calculated is not None:
            detail = f"{message}: calculated {calculated.hex()}, expected {expected.hex()}"
        super().__init__(detail)
        self.expected = expected
        self.calculated = calculated


class CommitmentError(LedgerError):
    """An identity disclosure that does not match its commitment."""


class AnchorError(LedgerError):
    """A failure talking to, or a mismatch found on, the anchoring chain."""


class StoreError(LedgerError):
    """A failure of the append-only store."""


class AuthorisationError(LedgerError):
    """A key that exists but may not sign this record (role, project, validity, revocation)."""


class RecordRejected(LedgerError):
    """A well-formed, correctly signed record that the ledger refuses, with a stable ``code``.

    Codes (also the last part of the HTTP problem ``type``): unknown-key, unauthorised,
    conflict, future-time, unknown-project, unknown-org, unknown-team, not-enrolled,
    already-enrolled, already-exited, out-of-order, unknown-target, wrong-subject, wrong-device,
    already-registered, already-revoked; from format version 2: unsupported-version,
    subject-required, key-expired, window-closed, publication-mismatch.
    """

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.code = code
        self.field = field
        self.reason = message
