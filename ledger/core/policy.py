"""Who may sign what, and when: the rules the store applies on append and the verifier applies
again from a bundle alone (the same functions, so the two cannot drift apart).

A key's grant comes from its ``key`` record. Revocation is not retroactive: it takes effect at
the sequence number of the revoking entry, so every entry logged before it stays valid, and an
offline verifier can check it from the bundle alone.

Format version 2 adds two rules judged on the operator's receipt time (the entry's
``received_at``), which the signer cannot backdate: a record received after its key's
``valid_until`` plus the project's sync allowance is refused (``verify_received_in_time``),
and an ``ack`` of a publication received after the objection window closed is refused
(``verify_ack_in_window``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from ledger.core.errors import AuthorisationError, RecordRejected
from ledger.core.records import (
    DEFAULT_SYNC_ALLOWANCE_DAYS,
    ROLE_TYPES,
    AckRecord,
    AttendanceRecord,
    KeyRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
)
from ledger.core.times import format_time

DELEGABLE_BY_ADMIN: Final = frozenset(
    {"contractor", "payroll", "supervisor", "device", "worker", "bank"}
)


@dataclass(frozen=True, slots=True)
class Grant:
    """What a registered key may do, as its key record (and any revocation) says."""

    key_id: str
    public_key: bytes
    holder: str
    roles: frozenset[str]
    projects: frozenset[str]  # empty: every project
    valid_from: datetime
    valid_until: datetime | None
    registered_seq: int
    revoked_seq: int | None = None

    @classmethod
    def from_record(cls, rec: KeyRecord, seq: int) -> Grant:
        assert rec.valid_from is not None  # a registration always has one (KeyRecord._rules)
        return cls(
            key_id=rec.subject_key_id,
            public_key=rec.public_key,
            holder=rec.holder,
            roles=frozenset(rec.roles),
            projects=frozenset(rec.projects),
            valid_from=rec.valid_from,
            valid_until=rec.valid_until,
            registered_seq=seq,
        )

    def covers(self, project: str | None) -> bool:
        return not self.projects or (project is not None and project in self.projects)


def authorise(grant: Grant, record: Record, seq: int) -> None:
    """Return None if ``grant`` lets its key sign ``record`` logged at ``seq``; else raise."""
    kid = grant.key_id
    if seq <= grant.registered_seq:
        raise AuthorisationError(f"key {kid} is used at seq {seq}, before it was registered")
    if grant.revoked_seq is not None and seq > grant.revoked_seq:
        raise AuthorisationError(f"key {kid} was revoked at seq {grant.revoked_seq}")
    if record.time < grant.valid_from:
        raise AuthorisationError(f"key {kid} is not valid before {grant.valid_from.isoformat()}")
    if grant.valid_until is not None and record.time >= grant.valid_until:
        raise AuthorisationError(f"key {kid} expired at {grant.valid_until.isoformat()}")
    if not any(record.TYPE in ROLE_TYPES[r] for r in grant.roles):
        raise AuthorisationError(
            f"key {kid} has roles {', '.join(sorted(grant.roles))}; none may sign "
            f"{record.TYPE} records"
        )
    if isinstance(record, KeyRecord):
        _authorise_key_record(grant, record)
    elif not grant.covers(record.project_code):
        raise AuthorisationError(f"key {kid} is not authorised for project {record.project_code}")
    _holder_binding(grant, record)


def _holder_binding(grant: Grant, record: Record) -> None:
    """A device key signs only its own device's punches; a worker key only its own acks."""
    if (
        isinstance(record, AttendanceRecord)
        and "device" in grant.roles
        and grant.holder != record.device
    ):
        raise AuthorisationError(
            f"key belongs to device {grant.holder}, the punch names device {record.device}"
        )
    if isinstance(record, AckRecord) and "worker" in grant.roles and grant.holder != record.subject:
        raise AuthorisationError(f"key holder {grant.holder} is not worker {record.subject}")


def authorise_revocation(signer: Grant, target: Grant) -> None:
    """An operator key revokes any key; an admin key only keys confined to projects (a
    non-empty list) inside its own (an admin's empty list covers every project)."""
    if "operator" in signer.roles:
        return
    inside = not signer.projects or target.projects <= signer.projects
    if not target.projects or not inside:
        raise AuthorisationError(
            f"key {signer.key_id} may not revoke key {target.key_id} (outside its projects)"
        )


def _authorise_key_record(grant: Grant, rec: KeyRecord) -> None:
    if "operator" in grant.roles:
        return
    if rec.action == "revoke":
        return  # the store also checks that an admin revokes only keys inside its projects
    extra = set(rec.roles) - DELEGABLE_BY_ADMIN
    if extra:
        raise AuthorisationError(f"an admin key may not grant {', '.join(sorted(extra))}")
    if not rec.projects:
        raise AuthorisationError("an admin key may not grant access to every project")
    outside = set(rec.projects) - grant.projects if grant.projects else set()
    if outside:
        raise AuthorisationError(
            f"an admin key may not grant projects {', '.join(sorted(outside))}"
        )


def sync_allowance_days(project: ProjectRecord | None) -> int:
    """The sync allowance that applies to a record: its project's (``project`` is the project
    record the record's ``project`` member names, registered before it), or 7 days for a record
    without a project or whose project is not registered yet (the ``project`` record itself)."""
    return DEFAULT_SYNC_ALLOWANCE_DAYS if project is None else project.allowance_days


def receive_deadline(grant: Grant, allowance_days: int) -> datetime | None:
    """The last instant at which a record signed by ``grant``'s key may be received, or None if
    the key has no ``valid_until``: ``valid_until`` + ``allowance_days`` × 24 h, inclusive."""
    if grant.valid_until is None:
        return None
    return grant.valid_until + timedelta(days=allowance_days)


def verify_received_in_time(
    grant: Grant, record: Record, received_at: datetime, allowance_days: int
) -> None:
    """Return None if a version 2 ``record`` received at ``received_at`` is within its key's
    validity plus the allowance; else raise RecordRejected ``key-expired`` (field ``signer``).

    Rule 3 (``authorise``) judges the signer's own ``time``, which the signer chooses; this
    judges the operator's receipt time, so a key that expired cannot sign records dated back
    inside its validity after the allowance for gates that were offline has passed. Version 1
    records did not have this rule and are not judged by it.
    """
    if record.v < 2:
        return
    deadline = receive_deadline(grant, allowance_days)
    if deadline is not None and received_at > deadline:
        assert grant.valid_until is not None
        raise RecordRejected(
            "key-expired",
            f"key {grant.key_id} expired at {format_time(grant.valid_until)}; with the sync "
            f"allowance of {allowance_days} days its records had to be received by "
            f"{format_time(deadline)}, this one was received at {format_time(received_at)}",
            "signer",
        )


def verify_ack_in_window(publication: PublicationRecord, received_at: datetime) -> None:
    """Return None if an ack of ``publication`` received at ``received_at`` is inside the
    objection window (``received_at`` ≤ ``publication.closes_at``); else raise RecordRejected
    ``window-closed`` (field ``target``)."""
    if received_at > publication.closes_at:
        raise RecordRejected(
            "window-closed",
            f"the objection window of publication {publication.id!r} ({publication.objection_days}"
            f" days) closed at {format_time(publication.closes_at)}; the ack was received at "
            f"{format_time(received_at)}",
            "target",
        )
