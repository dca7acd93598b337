"""Request and response models: they validate what comes in and document what goes out.

Request models forbid unknown fields, so a typo is an error naming the field rather than a
silently ignored value. Response models describe the JSON the views build; the OpenAPI document
is generated from them, and with ``VALIDATE_RESPONSES`` on (the tests) every response is checked
against its model before it leaves, so the document cannot drift from the code.

Ledger values keep their ledger spelling: hashes and signatures are lowercase hex, times are RFC
3339 with offset, money is integer fen.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from ledger.core.errors import LedgerError
from ledger.core.fields import Str

MAX_SEQ = 2**63 - 1
MAX_PAGE = 1000

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="32 bytes, lowercase hex")]
Sig = Annotated[str, Field(pattern=r"^[0-9a-f]{128}$", description="Ed25519 signature, hex")]
KeyId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="signing key id")]
Code = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="project or team code")
]
SubjectId = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$", description="pseudonymous worker id"),
]
RecordId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
TIME_PATTERN = (
    r"^2[01][0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
)
_TIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": TIME_PATTERN,
    "description": "RFC 3339 time with offset",
    "examples": ["2026-10-01T07:30:00+08:00"],
}
Time = Annotated[str, WithJsonSchema(_TIME_SCHEMA)]


def _parse_time(value: Any) -> datetime:
    """An RFC 3339 time with offset, in any spelling (a query, unlike a record, is not hashed)."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value
    if not isinstance(value, str) or not re.fullmatch(TIME_PATTERN, value):
        raise ValueError("must be an RFC 3339 time with offset, e.g. 2026-10-01T07:30:00+08:00")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"not a valid time: {exc}") from exc


TimeIn = Annotated[datetime, PlainValidator(_parse_time), WithJsonSchema(_TIME_SCHEMA)]
Seq = Annotated[int, Field(ge=0, le=MAX_SEQ)]


def _plain(free_text: bool) -> AfterValidator:
    """The string rules of records (docs/records.md, "Strings"): no control character and no
    lone surrogate; with ``free_text``, no run of digits that looks like a phone, ID or bank
    card number either (kept in the access log and shown to others: never personal data)."""
    rule = Str(10_000, 0, None, free_text)

    def check(value: str) -> str:
        try:
            return rule.encode(value, "")
        except LedgerError as exc:
            raise ValueError(str(exc)) from exc

    return AfterValidator(check)


PlainText = Annotated[str, _plain(False)]
FreeText = Annotated[str, _plain(True)]
RecordType = Literal[
    "key", "project", "org", "enrollment", "exit", "attendance", "wage", "payment", "correction",
    "approval", "ack", "training", "publication",
]  # the keys of ledger.core.records.RECORD_TYPES (a test checks)
Role = Literal["admin", "contractor", "device", "auditor", "insurer", "worker"]
BatchState = Literal["sealed", "anchoring", "anchored", "reorged"]


class In(BaseModel):
    """Base of request models: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Out(BaseModel):
    """Base of response models (extra fields are errors too: they would be undocumented)."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- problems


class FieldError(Out):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details. Extension members may follow."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(examples=["https://siteledger.dev/problems/bad-signature"])
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    field: str | None = Field(None, description="path of the failing field, if one is to blame")
    errors: list[FieldError] | None = None


# ---------------------------------------------------------------- records and entries


class Record(BaseModel):
    """The common header of every record; the fields of its ``type`` follow (docs/records.md)."""

    model_config = ConfigDict(extra="allow")
    v: Literal[1, 2]  # the store appends only version 2 (unsupported-version for 1)
    type: RecordType
    id: RecordId
    signer: KeyId
    time: Time


class SignedRecord(In):
    """A record and its signer's Ed25519 signature over the record's canonical bytes."""

    record: Record
    sig: Sig


class Receipt(Out):
    """The operator's signed promise that the entry is in the log (like a CT SCT)."""

    v: int
    seq: Seq
    leaf_hash: Hash
    received_at: Time
    log: KeyId
    sig: Sig


class RecordResult(Out):
    """The outcome for one submitted record."""

    index: int = Field(ge=0, description="position in the submitted array (0 for one record)")
    status: Literal["accepted", "duplicate", "rejected"]
    seq: Seq | None = None
    leaf_hash: Hash | None = None
    receipt: Receipt | None = None
    problem: Problem | None = Field(None, description="why the record was rejected")


class BulkResult(Out):
    accepted: int
    duplicate: int
    rejected: int
    results: list[RecordResult]


class Entry(Out):
    """A log entry: the signed record plus what the server assigned. Its leaf hash is
    SHA-256(0x00 ‖ RFC 8785 bytes of this object)."""

    v: int
    seq: Seq
    received_at: Time
    record: Record
    sig: Sig
    subject_seq: int | None = None
    subject_prev: Hash | None = None


class EntryOut(Out):
    seq: Seq
    leaf_hash: Hash
    entry: Entry


class EntryPage(Out):
    entries: list[EntryOut]
    next_after_seq: int | None = Field(
        description="pass as after_seq for the next page; null on the last page"
    )


class EntriesQuery(In):
    project: Code | None = None
    subject: SubjectId | None = None
    type: RecordType | None = None
    since: TimeIn | None = Field(None, description="record time at or after (inclusive)")
    until: TimeIn | None = Field(None, description="record time before (exclusive)")
    after_seq: int = Field(-1, ge=-1, le=MAX_SEQ, description="cursor: entries after this seq")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


class WorkerRecordsQuery(In):
    project: Code | None = None
    type: RecordType | None = None
    after_seq: int = Field(-1, ge=-1, le=MAX_SEQ)
    limit: int = Field(100, ge=1, le=MAX_PAGE)


class SeqPath(In):
    seq: Seq


class SignerRecordPath(In):
    signer: KeyId
    record_id: RecordId


# ---------------------------------------------------------------- batches and proofs


class Anchor(Out):
    chain_id: int | None
    contract: str | None
    tx_hash: str | None
    block_number: int | None
    block_hash: str | None
    block_time: Time | None
    anchored_at: Time | None


class SignedHead(Out):
    """A batch head signed by the operator's receipt key under ``siteledger/batch-head/v1``
    (docs/proof-format.md, "Signed batch heads")."""

    v: Literal[2]
    batch_no: int = Field(ge=0)
    first_seq: Seq
    size: int = Field(ge=1)
    root: Hash
    heads_root: Hash
    sealed_at: Time
    log: str = Field(pattern=r"^[0-9a-f]{32}$", description="key id of the receipt key")
    sig: str = Field(pattern=r"^[0-9a-f]{128}$", description="Ed25519 signature, hex")


class Batch(Out):
    batch_no: int = Field(ge=0)
    first_seq: Seq
    size: int = Field(ge=1)
    end_seq: Seq = Field(description="first seq after the batch: the range is [first_seq, end_seq)")
    root: Hash
    state: BatchState
    sealed_at: Time
    attempts: int
    last_error: str | None
    anchor: Anchor | None = Field(description="the anchoring transaction, once there is one")
    heads_root: Hash | None = Field(
        None, description="root of the head map after this batch (docs/proof-format.md)"
    )
    head: SignedHead | None = Field(
        None, description="the batch head signed by the operator's receipt key (/v1/batches)"
    )


class BatchPage(Out):
    batches: list[Batch]
    next_after: int | None


class BatchesQuery(In):
    state: BatchState | None = None
    after: int = Field(-1, ge=-1, le=MAX_SEQ, description="cursor: batches after this number")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


class BatchPath(In):
    batch_no: Annotated[int, Field(ge=0, le=MAX_SEQ)]


class Inclusion(Out):
    """RFC 9162 inclusion proof of the leaf at ``index`` in a tree of ``size`` leaves."""

    index: int = Field(ge=0)
    size: int = Field(ge=1)
    path: list[Hash]
    root: Hash


class ProofPending(Out):
    """Returned with 202 until the entry's batch is anchored."""

    seq: Seq
    state: Literal["pending", "sealed", "anchoring", "reorged"] = Field(
        description="pending: not in a batch yet; otherwise the batch's state"
    )
    receipt: Receipt
    batch: Batch | None
    inclusion: Inclusion | None
    retry_after: int = Field(description="seconds after which to ask again")


class ProofAnchored(Out):
    """Fallback proof (when ledger.bundle is absent): inclusion proof plus anchor data."""

    seq: Seq
    state: Literal["anchored"]
    leaf_hash: Hash
    entry: Entry
    receipt: Receipt
    batch: Batch
    inclusion: Inclusion
    anchor: Anchor


class ProofBundle(BaseModel):
    """A single-record proof bundle, format ``siteledger-bundle`` (docs/proof-format.md)."""

    model_config = ConfigDict(extra="allow")
    format: Literal["siteledger-bundle"]
    version: int
    kind: Literal["record", "wage", "presence"]


class ProofQuery(In):
    disclose: bool = Field(
        False,
        description="add the worker's identity disclosure (admin, the worker, or an auditor)",
    )


# ---------------------------------------------------------------- workers and the vault


class IdentityIn(In):
    """Plaintext identity: goes into the encrypted vault only, never into a record."""

    name: PlainText = Field(min_length=1, max_length=64)
    id_type: Literal["01", "02", "03", "04", "05", "06", "99"]
    id_number: str = Field(min_length=6, max_length=32, pattern=r"^[0-9A-Za-z]+$")
    phone: str | None = Field(None, min_length=5, max_length=20, pattern=r"^\+?[0-9 -]+$")
    bank_card: str | None = Field(None, min_length=8, max_length=32, pattern=r"^[0-9 ]+$")
    bank_name: PlainText | None = Field(None, min_length=1, max_length=64)


class EnrollIn(In):
    project: Code
    identity: IdentityIn


class EnrolledOut(Out):
    subject: SubjectId = Field(description="the worker's pseudonymous id, one per person")
    commitment: Hash = Field(
        description="salted commitment to the identity (hex); put it in the enrollment record"
    )
    created: bool = Field(
        description="true: new to the caller (new to the vault, or enrolled only on projects "
        "the caller may not see); false: the caller can already find this worker by lookup"
    )


class LookupIn(In):
    id_type: Literal["01", "02", "03", "04", "05", "06", "99"]
    id_number: str = Field(min_length=6, max_length=32, pattern=r"^[0-9A-Za-z]+$")


class LookupOut(Out):
    subject: SubjectId


class SubjectPath(In):
    subject: SubjectId


class IdentityOut(Out):
    subject: SubjectId
    identity: dict[str, str]
    salt: Hash
    commitment: Hash


class EraseIn(In):
    reason: FreeText = Field(min_length=1, max_length=500)


class ErasedOut(Out):
    subject: SubjectId
    erased: Literal[True]


class PresenceQuery(In):
    project: Code
    subject: SubjectId
    at: TimeIn


AsOfBatch = Annotated[int | None, Field(
    default=None, ge=0, le=2**53 - 1,
    description="the checkpoint batch (anchored); default the latest anchored batch",
)]  # fmt: skip


class PresenceBundleQuery(PresenceQuery):
    as_of_batch: AsOfBatch = None


class WageBundleQuery(In):
    project: Code
    pay_month: Annotated[str, Field(pattern=r"^(20[0-9]{2}|21[0-9]{2})-(0[1-9]|1[0-2])$")]
    as_of_batch: AsOfBatch = None


class PresenceOut(Out):
    """Was the worker on site at ``at``: enrolled and not exited, and a shift covers ``at``.

    Computed by ``verifier.presence.presence_at``, as the presence bundle's findings are:
    approved corrections and repairs are applied. The presence proof bundle is the evidence."""

    project: Code
    subject: SubjectId
    at: Time
    enrolled: bool
    exited: bool
    present: bool
    enrollment_seq: int | None
    exit_seq: int | None
    last_in_seq: int | None
    last_in_time: Time | None
    out_after_in_seq: int | None


# ---------------------------------------------------------------- projects and principals


class ProjectOut(Out):
    project: Code
    name: str
    tz_offset: str
    general_contractor: str
    start_date: str
    end_date: str | None
    seq: Seq


class ProjectList(Out):
    projects: list[ProjectOut]


class Team(Out):
    team: Code
    name: str


class OrgOut(Out):
    corp_code: str
    corp_name: str
    corp_type: str
    teams: list[Team]
    seq: Seq


class OrgList(Out):
    project: Code
    orgs: list[OrgOut]


class ProjectPath(In):
    project: Code


class PrincipalIn(In):
    name: FreeText = Field(min_length=1, max_length=128)
    role: Role
    projects: list[Code] = Field(default_factory=list, max_length=100)
    subject: SubjectId | None = None


class TokenOut(Out):
    token_id: str
    label: str | None
    created_at: Time
    expires_at: Time | None
    revoked_at: Time | None


class PrincipalOut(Out):
    principal_id: str
    name: str
    role: Role
    projects: list[str]
    subject: str | None
    created_at: Time
    disabled_at: Time | None
    tokens: list[TokenOut] | None = None


class PrincipalList(Out):
    principals: list[PrincipalOut]


class PrincipalPath(In):
    principal_id: Annotated[str, Field(pattern=r"^pr-[0-9a-f]{16}$")]


class TokenPath(In):
    token_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]


class TokenIn(In):
    label: FreeText | None = Field(None, max_length=128)
    expires_at: TimeIn | None = None


class TokenIssued(Out):
    token_id: str
    token: str = Field(description="the bearer token: shown once, stored only hashed")
    principal_id: str
    expires_at: Time | None


class AccessOut(Out):
    id: int
    at: Time
    principal_id: str
    action: str
    subject: str | None
    project: str | None
    case_ref: str | None
    detail: str | None


class AccessPage(Out):
    accesses: list[AccessOut]
    next_after_id: int | None


class AccessQuery(In):
    subject: SubjectId | None = None
    after_id: int = Field(0, ge=0, le=MAX_SEQ)
    limit: int = Field(100, ge=1, le=MAX_PAGE)


# ---------------------------------------------------------------- health


class Health(Out):
    status: Literal["ok"]


class Ready(Out):
    status: Literal["ready"]
    database: str
    chain: str
    head: int
    unsealed_entries: int
    batch_lag_seconds: float
    anchor_lag_seconds: float


def record_body_schema(max_bulk: int) -> dict[str, Any]:
    """Schema of POST /v1/records: one signed record, or an array of 1..max_bulk items.

    Items of an array are results of their own: an item that is not a signed record is rejected
    alone (``malformed``) and the others go on, so the array accepts any item.
    """
    return {
        "anyOf": [
            {"$ref": "#/components/schemas/SignedRecord"},
            {
                "type": "array",
                "items": {"description": "a SignedRecord; anything else is rejected on its own "
                                         "as `malformed`"},
                "minItems": 1,
                "maxItems": max_bulk,
            },
        ]
    }  # fmt: skip


# ---------------------------------------------------------------- the worker page (docs/worker-page.md)

LinkId = Annotated[str, Field(pattern=r"^wl-[0-9a-f]{16}$", description="enrollment request id")]
LinkState = Literal["open", "pending", "approved", "rejected"]
PublicKey = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="raw Ed25519 public key, hex")]


class LinkCodeIn(In):
    project: Code
    ttl_minutes: int = Field(1440, ge=5, le=10080,
                             description="how long the code may be redeemed (5 min to 7 days)")


class LinkCodeOut(Out):
    link_id: LinkId
    code: str = Field(description="the one-time code: shown once, stored only hashed")
    link: str = Field(description="the worker page with the code in its fragment")
    qr_svg: str = Field(description="the link as a QR code, an SVG document, to print")
    project: Code
    subject: SubjectId
    expires_at: Time


class LinkOut(Out):
    link_id: LinkId
    project: Code
    subject: SubjectId
    state: LinkState
    created_by: str
    created_at: Time
    expires_at: Time
    redeemed_at: Time | None
    public_key: PublicKey | None
    key_id: KeyId | None
    decided_by: str | None
    decided_at: Time | None
    key_seq: int | None = Field(description="the entry of the worker's key record, once approved")


class LinkList(Out):
    requests: list[LinkOut]


class LinkQuery(In):
    project: Code | None = None
    state: LinkState | None = None
    subject: SubjectId | None = None
    limit: int = Field(100, ge=1, le=MAX_PAGE)


class LinkPath(In):
    link_id: LinkId


class RedeemIn(In):
    code: str = Field(min_length=1, max_length=64)
    public_key: PublicKey


class ChallengeIn(In):
    key_id: KeyId


class ChallengeOut(Out):
    key_id: KeyId
    challenge: Hash
    expires_at: Time


class SessionIn(In):
    key_id: KeyId
    challenge: Hash
    sig: Sig


class SessionOut(Out):
    token: str = Field(description="a bearer token of the worker's principal, short-lived")
    expires_at: Time
    principal_id: str
    subject: SubjectId
    project: Code
    key_id: KeyId
