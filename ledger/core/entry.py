"""Signed records, log entries, leaf hashes and receipts.

* A signed record is ``{"record": <record>, "sig": <hex>}``; the signature is the signer's
  Ed25519 signature over ``"siteledger/record/v1" ‖ 0x00 ‖ canonical(record)``.
* An entry is what the log stores and hashes: the signed record plus what the server assigns,
  ``{"v", "seq", "received_at", "subject_seq", "subject_prev", "record", "sig"}``;
  ``subject_seq`` and ``subject_prev`` are present only for records about one worker.
  An entry's ``v`` is its record's ``v`` (version 1 entries hold version 1 records, version 2
  entries version 2 records). ``leaf_hash = SHA-256(0x00 ‖ canonical(entry))``.
* A receipt is the operator's signed promise that an entry was accepted, like a Certificate
  Transparency SCT: ``{"v", "seq", "leaf_hash", "received_at", "log"}`` signed under
  ``"siteledger/receipt/v1"``. New receipts carry ``"v": 2``; version 1 receipts still decode
  and verify.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ledger.core import FORMAT_VERSION, FORMAT_VERSIONS
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.errors import EncodingError, SignatureError
from ledger.core.keys import RECEIPT_TAG, RECORD_TAG, SigningKey, VerifyKey, signing_input
from ledger.core.merkle import hash_leaf
from ledger.core.records import Record, record_from_json
from ledger.core.times import format_time, parse_time

MAX_INT: Final = 2**53 - 1
"""Every integer of an entry or receipt lies in 0 … 2⁵³ − 1 (the JSON integers every verifier,
a browser's included, reads exactly)."""

_SIG_HEX = 128


def _hex(value: Any, size: int, path: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size or value != value.lower():
        raise EncodingError(f"must be {size} bytes of lowercase hex", path)
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise EncodingError(f"must be {size} bytes of lowercase hex", path) from exc


def _only(obj: Any, allowed: set[str], required: set[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise EncodingError(f"must be an object, got {type(obj).__name__}", where or None)
    prefix = f"{where}." if where else ""
    for key in obj:
        if key not in allowed:
            raise EncodingError("unknown field", f"{prefix}{key}")
    for key in sorted(required):
        if key not in obj:
            raise EncodingError("required field is missing", f"{prefix}{key}")
    return obj


@dataclass(frozen=True, slots=True)
class SignedRecord:
    """A record with its signer's signature. ``canonical`` holds the bytes that were signed.

    ``canonical`` is always computed from ``record`` and is not a constructor argument, so that
    no caller (nor ``dataclasses.replace``) can pair a record with bytes of another one.
    """

    record: Record
    sig: bytes
    canonical: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.sig) != 64:
            raise EncodingError(f"signature is {len(self.sig)} bytes, want 64", "sig")
        object.__setattr__(self, "canonical", self.record.canonical())

    @classmethod
    def sign(cls, record: Record, key: SigningKey) -> SignedRecord:
        """Sign ``record``; requires ``record.signer == key.key_id``."""
        if record.signer != key.key_id:
            raise SignatureError(f"record names signer {record.signer}, key is {key.key_id}")
        signed = cls(record, bytes(64))
        object.__setattr__(signed, "sig", key.sign(RECORD_TAG, signed.canonical))
        return signed

    def verify(self, key: VerifyKey) -> None:
        """Return None if the signature is ``key``'s and ``key`` is the named signer; else raise."""
        if key.key_id != self.record.signer:
            raise SignatureError(f"record names signer {self.record.signer}, key is {key.key_id}")
        key.verify(RECORD_TAG, self.canonical, self.sig)

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record.to_json(), "sig": self.sig.hex()}

    @classmethod
    def from_json(cls, obj: Any, where: str = "") -> SignedRecord:
        prefix = f"{where}." if where else ""
        _only(obj, {"record", "sig"}, {"record", "sig"}, where)
        try:
            record = record_from_json(obj["record"])
        except EncodingError as exc:
            path = f"{prefix}record" + (f".{exc.field}" if exc.field else "")
            raise type(exc)(exc.reason, path) from exc
        return cls(record, _hex(obj["sig"], 64, f"{prefix}sig"))

    @classmethod
    def from_bytes(cls, data: bytes) -> SignedRecord:
        return cls.from_json(decode_json(data))


@dataclass(frozen=True, slots=True)
class Entry:
    """One log entry: a signed record and the position the server gave it."""

    seq: int
    received_at: datetime
    signed: SignedRecord
    subject_seq: int | None = None
    subject_prev: bytes | None = None

    def __post_init__(self) -> None:
        if self.seq < 0:
            raise EncodingError(f"negative seq {self.seq}", "seq")
        has_subject = self.signed.record.subject_id is not None
        if has_subject != (self.subject_seq is not None):
            raise EncodingError(
                "subject_seq is required exactly for records about a worker", "subject_seq"
            )
        if self.subject_seq is None and self.subject_prev is not None:
            raise EncodingError("only records about a worker have a predecessor", "subject_prev")
        if self.subject_seq is not None and self.subject_seq < 0:
            raise EncodingError(f"negative subject_seq {self.subject_seq}", "subject_seq")
        if (self.subject_seq or 0) > 0 and self.subject_prev is None:
            raise EncodingError("required after a worker's first entry", "subject_prev")
        if self.subject_seq == 0 and self.subject_prev is not None:
            raise EncodingError("a worker's first entry has no predecessor", "subject_prev")
        if self.subject_prev is not None and len(self.subject_prev) != 32:
            raise EncodingError("must be 32 bytes", "subject_prev")

    @property
    def record(self) -> Record:
        return self.signed.record

    @property
    def v(self) -> int:
        """The entry's format version: always its record's."""
        return self.signed.record.v

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "v": self.signed.record.v,
            "seq": self.seq,
            "received_at": format_time(self.received_at),
            "record": self.signed.record.to_json(),
            "sig": self.signed.sig.hex(),
        }
        if self.subject_seq is not None:
            out["subject_seq"] = self.subject_seq
        if self.subject_prev is not None:
            out["subject_prev"] = self.subject_prev.hex()
        return out

    def canonical(self) -> bytes:
        """RFC 8785 bytes of the entry, assembled around the record's already-canonical bytes.

        JCS sorts keys by UTF-16 code units and nests canonical values unchanged, so splicing the
        signed record's bytes in gives the same result as canonicalising the whole object (a test
        checks this against ``canonical_bytes(self.to_json())``) without encoding the record twice.
        """
        parts = [
            b'{"received_at":"', format_time(self.received_at).encode(),
            b'","record":', self.signed.canonical,
            b',"seq":', str(self.seq).encode(),
            b',"sig":"', self.signed.sig.hex().encode(), b'"',
        ]  # fmt: skip
        if self.subject_prev is not None:
            parts += [b',"subject_prev":"', self.subject_prev.hex().encode(), b'"']
        if self.subject_seq is not None:
            parts += [b',"subject_seq":', str(self.subject_seq).encode()]
        parts += [b',"v":', str(self.signed.record.v).encode(), b"}"]
        return b"".join(parts)

    def leaf_hash(self) -> bytes:
        return leaf_hash(self)

    @classmethod
    def from_json(cls, obj: Any) -> Entry:
        allowed = {"v", "seq", "received_at", "subject_seq", "subject_prev", "record", "sig"}
        _only(obj, allowed, {"v", "seq", "received_at", "record", "sig"}, "entry")
        if type(obj["v"]) is not int or obj["v"] not in FORMAT_VERSIONS:
            raise EncodingError(f"unknown format version {obj['v']!r}", "entry.v")
        signed = SignedRecord.from_json({"record": obj["record"], "sig": obj["sig"]}, "entry")
        if signed.record.v != obj["v"]:
            raise EncodingError(
                f"entry version {obj['v']} holds a version {signed.record.v} record", "entry.v"
            )
        seq = obj["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise EncodingError("must be an integer", "entry.seq")
        if seq > MAX_INT:
            raise EncodingError(f"{seq} beyond the largest integer {MAX_INT}", "entry.seq")
        sseq = obj.get("subject_seq")
        if sseq is not None and (not isinstance(sseq, int) or isinstance(sseq, bool)):
            raise EncodingError("must be an integer", "entry.subject_seq")
        if sseq is not None and sseq > MAX_INT:
            raise EncodingError(f"{sseq} beyond the largest integer {MAX_INT}",
                                "entry.subject_seq")  # fmt: skip
        prev = obj.get("subject_prev")
        received_at = parse_time(obj["received_at"], "entry.received_at")
        prev_bytes = _hex(prev, 32, "entry.subject_prev") if prev is not None else None
        try:
            return cls(seq, received_at, signed, sseq, prev_bytes)
        except EncodingError as exc:
            raise type(exc)(exc.reason, f"entry.{exc.field}" if exc.field else "entry") from exc


def leaf_hash(entry: Entry) -> bytes:
    """SHA-256(0x00 ‖ canonical(entry)): the entry's leaf in its batch's Merkle tree."""
    return hash_leaf(entry.canonical())


@dataclass(frozen=True, slots=True)
class Receipt:
    """The operator's signed promise that ``leaf_hash`` was accepted at ``seq``."""

    seq: int
    leaf_hash: bytes
    received_at: datetime
    log: str  # key id of the operator's receipt key
    sig: bytes = b""
    v: int = FORMAT_VERSION

    def body(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "seq": self.seq,
            "leaf_hash": self.leaf_hash.hex(),
            "received_at": format_time(self.received_at),
            "log": self.log,
        }

    def signed_bytes(self) -> bytes:
        """What the operator signs: ``"siteledger/receipt/v1" ‖ 0x00 ‖ canonical(body)``.

        The body's canonical bytes are spliced by hand (keys in JCS order; every value is ASCII
        with nothing to escape); a test checks them against ``canonical_bytes(self.body())``.
        """
        body = (
            f'{{"leaf_hash":"{self.leaf_hash.hex()}","log":"{self.log}",'
            f'"received_at":"{format_time(self.received_at)}","seq":{int(self.seq)},'
            f'"v":{int(self.v)}}}'
        )
        return signing_input(RECEIPT_TAG, body.encode())

    @classmethod
    def issue(cls, entry: Entry, leaf: bytes, key: SigningKey) -> Receipt:
        """The receipt of ``entry``, in the entry's own format version (so that a receipt
        issued again for an old entry has the bytes it had when it was first issued)."""
        unsigned = cls(entry.seq, leaf, entry.received_at, key.key_id, v=entry.v)
        sig = key.sign(RECEIPT_TAG, canonical_bytes(unsigned.body()))
        return cls(entry.seq, leaf, entry.received_at, key.key_id, sig, entry.v)

    def verify(self, key: VerifyKey) -> None:
        if key.key_id != self.log:
            raise SignatureError(f"receipt names log key {self.log}, key is {key.key_id}")
        key.verify(RECEIPT_TAG, canonical_bytes(self.body()), self.sig)

    def to_json(self) -> dict[str, Any]:
        return {**self.body(), "sig": self.sig.hex()}

    @classmethod
    def from_json(cls, obj: Any) -> Receipt:
        keys = {"v", "seq", "leaf_hash", "received_at", "log", "sig"}
        _only(obj, keys, keys, "receipt")
        if type(obj["v"]) is not int or obj["v"] not in FORMAT_VERSIONS:
            raise EncodingError(f"unknown format version {obj['v']!r}", "receipt.v")
        seq = obj["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq <= MAX_INT:
            raise EncodingError(f"must be an integer from 0 to {MAX_INT}", "receipt.seq")
        if not isinstance(obj["log"], str):
            raise EncodingError("must be a key id", "receipt.log")
        return cls(
            seq=obj["seq"],
            leaf_hash=_hex(obj["leaf_hash"], 32, "receipt.leaf_hash"),
            received_at=parse_time(obj["received_at"], "receipt.received_at"),
            log=obj["log"],
            sig=_hex(obj["sig"], 64, "receipt.sig"),
            v=obj["v"],
        )
