"""Exports in the field names of the national platform (全国建筑工人管理服务信息平台).

Rows for WorkerAttendance, PayRollDetail and ProjectWorker / WorkerEntryExit, built from the log.
Workers appear by their pseudonymous subject id; the identity fields the platform wants
(``workerName``, ``idCardType``, ``idCardNumber``) are filled only when a vault is given, and
the caller is responsible for logging that access. Records voided by an approved correction are
left out; amounts are yuan with two decimals, as the platform's forms show them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone
from typing import Any

from ledger.core.records import (
    ApprovalRecord,
    AttendanceRecord,
    CorrectionRecord,
    EnrollmentRecord,
    ExitRecord,
    ProjectRecord,
    WageRecord,
)
from ledger.store import Store, StoredEntry

KINDS = ("attendance", "payroll", "workers")
_DIRECTION = {"in": "01", "out": "02"}


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _voided(store: Store, leaf: bytes) -> bool:
    """True when an approved void or amend correction names ``leaf`` as its target."""
    for ref in store.referring(leaf):
        rec = ref.entry.record
        if isinstance(rec, CorrectionRecord) and rec.target == leaf and rec.action != "supplement":
            approvals = store.referring(ref.leaf_hash)
            if any(isinstance(a.entry.record, ApprovalRecord)
                   and a.entry.record.decision == "approve" for a in approvals):  # fmt: skip
                return True
    return False


def _tz(store: Store, project: str) -> timezone:
    for s in store.entries(project=project, type="project", limit=1):
        assert isinstance(s.entry.record, ProjectRecord)
        return s.entry.record.tz
    raise ValueError(f"no project {project!r} in the log")


def rows(
    store: Store, kind: str, project: str, month: str | None = None, vault: Any = None
) -> Iterator[dict[str, Any]]:
    """Export rows of ``kind`` (attendance, payroll, workers) for ``project`` and ``month``."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}, want one of {', '.join(KINDS)}")
    tz = _tz(store, project)
    identities: dict[str, dict[str, str]] = {}

    def person(subject: str) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": subject}
        if vault is not None:
            if subject not in identities:
                identities[subject] = vault.disclose(subject)[0]
            ident = identities[subject]
            out.update(workerName=ident.get("name"), idCardType=ident.get("id_type"),
                       idCardNumber=ident.get("id_number"))  # fmt: skip
        return out

    types = {"attendance": ("attendance",), "payroll": ("wage",), "workers": ("enrollment", "exit")}
    for t in types[kind]:
        for s in store.all_entries(project=project, type=t):
            yield from _row(store, s, kind, month, tz, person)


def _row(store: Store, s: StoredEntry, kind: str, month: str | None, tz: timezone,
         person: Any) -> Iterator[dict[str, Any]]:  # fmt: skip
    rec = s.entry.record
    if _voided(store, s.leaf_hash):
        return
    if isinstance(rec, AttendanceRecord):
        local = rec.time.astimezone(tz)
        if month and local.strftime("%Y-%m") != month:
            return
        yield {**person(rec.subject), "date": local.strftime("%Y-%m-%d %H:%M:%S"),
               "direction": _DIRECTION[rec.direction], "channel": rec.device,
               "attendType": rec.verify_mode, "source": rec.source, "seq": s.seq,
               **({"lat": rec.location.lat_e6 / 1e6, "lng": rec.location.lng_e6 / 1e6}
                  if rec.location else {})}  # fmt: skip
    elif isinstance(rec, WageRecord):
        if month and rec.pay_month != month:
            return
        yield {**person(rec.subject), "corpCode": rec.corp_code, "payMonth": rec.pay_month,
               "days": rec.days, "workHours": f"{rec.work_minutes / 60:.2f}",
               "totalPayAmount": _yuan(rec.gross), "actualAmount": _yuan(rec.net),
               "isBackPay": int(rec.back_pay), "balanceDate": rec.pay_date.isoformat(),
               "seq": s.seq}  # fmt: skip
    elif isinstance(rec, EnrollmentRecord | ExitRecord):
        if month and rec.date.strftime("%Y-%m") != month:
            return
        row = {**person(rec.subject), "corpCode": rec.corp_code, "date": rec.date.isoformat(),
               "type": 1 if isinstance(rec, EnrollmentRecord) else 0, "seq": s.seq}  # fmt: skip
        if isinstance(rec, EnrollmentRecord):
            row.update(teamSysNo=rec.team, workType=rec.work_type, workRole=int(rec.work_role),
                       isTeamLeader=int(rec.team_leader), hasBuyInsurance=int(rec.insured))  # fmt: skip
        yield row
