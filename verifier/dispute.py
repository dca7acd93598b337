"""What verified entries mean together: corrections and approvals, and the recomputations of the
wage and presence bundles. Everything here reads entries that already passed their checks; the
results are ``Finding``s, which inform the reader and never change the verdict.

Rules (also in ``docs/proof-format.md``):

* A correction takes effect once an approval with decision ``approve`` names its leaf hash (the
  latest decision by seq counts). ``void`` removes its target; ``amend`` replaces its target by
  the replacement; ``supplement`` adds the replacement, a repair punch (补卡).
* A punch with ``source`` ``repair`` counts only through an approved supplement.
* Local days are taken in the project's time zone (its ``project`` record's ``tz_offset``).
* Days worked: local dates of the month with an effective IN punch on the project. Minutes: per
  day, from the first IN to the last OUT after it; a day with no such OUT adds nothing and is
  flagged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from ledger.core.entry import Entry
from ledger.core.records import (
    AttendanceRecord,
    EnrollmentRecord,
    PaymentRecord,
    ProjectRecord,
    WageRecord,
)
from ledger.core.times import format_time
from verifier.effects import Effects, paid_total, yuan
from verifier.format import Bundle
from verifier.presence import presence_at
from verifier.result import Finding, Status

MONTH_MARGIN = timedelta(hours=38)
"""A wage run must start with an entry received before the month's first instant at UTC+14
minus one day (or at the worker's first entry): the ledger refuses records dated in the future,
so no entry about the month can have been received earlier."""


def month_boundary(pay_month: str) -> datetime:
    return datetime(int(pay_month[:4]), int(pay_month[5:7]), 1, tzinfo=UTC) - MONTH_MARGIN


def _hm(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


def run_start(b: Bundle) -> tuple[str, Status, str]:
    first = b.run[0].entry
    if b.kind == "wage":
        assert b.pay_month is not None
        boundary = month_boundary(b.pay_month)
        if first.subject_seq == 0:
            return ("run.start", Status.PASSED, "the run starts at the worker's first entry")
        if first.received_at < boundary:
            return ("run.start", Status.PASSED,
                    f"the run starts at subject_seq {first.subject_seq}, received "
                    f"{format_time(first.received_at)}, before {format_time(boundary)}: no entry "
                    f"about {b.pay_month} can precede it")  # fmt: skip
        return ("run.start", Status.FAILED,
                f"the run starts at subject_seq {first.subject_seq}, received "
                f"{format_time(first.received_at)}, not before {format_time(boundary)}: entries "
                f"about {b.pay_month} could be missing before it")  # fmt: skip
    assert b.at is not None
    rec = first.record
    if isinstance(rec, EnrollmentRecord) and rec.project == b.project and rec.time <= b.at:
        return ("run.start", Status.PASSED,
                f"the run starts at the enrollment on {rec.project} of {rec.date.isoformat()}")  # fmt: skip
    return ("run.start", Status.FAILED,
            f"the run starts with a {rec.TYPE} record, not an enrollment on {b.project} made "
            f"before {format_time(b.at)}")  # fmt: skip


def project_tz(entries: Iterable[Entry], project: str) -> timezone | None:
    for e in entries:
        rec = e.record
        if isinstance(rec, ProjectRecord) and rec.project == project:
            return rec.tz
    return None


def _local(t: datetime, tz: timezone | None) -> datetime:
    return t.astimezone(tz) if tz is not None else t


def wage(b: Bundle, eff: Effects, tz: timezone | None) -> tuple[list[Finding], dict[str, Any]]:
    """Recompute days, minutes, gross, net and paid for the bundle's worker, project and month."""
    month, project = b.pay_month or "", b.project
    findings: list[Finding] = []
    if tz is None:
        findings.append(Finding("timezone", False, f"no project record of {project} in the bundle:"
                                " local days are taken in each punch's own offset"))  # fmt: skip
    by_day: dict[date, list[tuple[datetime, str]]] = defaultdict(list)
    lines: list[tuple[bytes, Entry, WageRecord]] = []
    payments: list[tuple[Entry, PaymentRecord]] = []
    enrollment: EnrollmentRecord | None = None
    for e in [i.entry for i in b.context]:
        if isinstance(e.record, EnrollmentRecord) and e.record.project == project:
            enrollment = e.record
    excluded = 0
    for leaf, e in eff.entries.items():
        rec = e.record
        if rec.project_code != project or rec.subject_id not in (b.subject, None):
            continue
        if not eff.in_force(leaf, rec):
            excluded += 1 if isinstance(rec, AttendanceRecord | WageRecord | PaymentRecord) else 0
            continue
        if isinstance(rec, EnrollmentRecord):
            enrollment = rec
        elif isinstance(rec, AttendanceRecord):
            t = _local(rec.time, tz)
            if t.strftime("%Y-%m") == month:
                by_day[t.date()].append((t, rec.direction))
        elif isinstance(rec, WageRecord) and rec.pay_month == month:
            lines.append((leaf, e, rec))
        elif isinstance(rec, PaymentRecord) and rec.pay_month == month:
            payments.append((e, rec))
    days = sorted(d for d, punches in by_day.items() if any(p[1] == "in" for p in punches))
    minutes = 0
    day_rows = []
    for d in sorted(by_day):
        punches = sorted(by_day[d])
        ins = [t for t, dirn in punches if dirn == "in"]
        first_in = ins[0] if ins else None
        outs = [t for t, dirn in punches if dirn == "out" and first_in and t > first_in]
        m = int((outs[-1] - first_in).total_seconds() // 60) if first_in and outs else 0
        minutes += m
        day_rows.append({"date": d.isoformat(), "first_in": _hhmm(first_in),
                         "last_out": _hhmm(outs[-1] if outs else None), "minutes": m,
                         "punches": len(punches)})  # fmt: skip
        if first_in and not outs:
            findings.append(Finding("unpaired", False, f"{d.isoformat()}: IN at "
                                    f"{_hhmm(first_in)} with no OUT after it"))  # fmt: skip
    facts: dict[str, Any] = {
        "month": month, "days": len(days), "minutes": minutes, "day_rows": day_rows,
        "excluded_by_corrections": excluded,
    }  # fmt: skip
    main = [x for x in lines if not x[2].back_pay]
    if not main:
        findings.append(Finding("wage_line", False, f"no wage line for {month} on {project} in the "
                                "run"))  # fmt: skip
    else:
        if len(main) > 1:
            findings.append(Finding("wage_line", False, f"{len(main)} regular wage lines for "
                                    f"{month}; the first is compared"))  # fmt: skip
        leaf, e, w = main[0]
        findings.append(Finding("days", w.days == len(days),
                                f"the wage line counts {w.days} days; the punches show "
                                f"{len(days)} days with an IN", str(len(days)), str(w.days)))  # fmt: skip
        findings.append(Finding("hours", w.work_minutes == minutes,
                                f"the wage line counts {_hm(w.work_minutes)}; first IN to last OUT "
                                f"sums to {_hm(minutes)}", _hm(minutes), _hm(w.work_minutes)))  # fmt: skip
        if enrollment is not None:
            c = enrollment.contract
            expected = None
            if c.unit == "day":
                expected = c.unit_price * len(days)
            elif c.unit == "hour":
                expected = c.unit_price * minutes // 60
            if expected is not None:
                findings.append(Finding("gross", w.gross == expected,
                                        f"contract {yuan(c.unit_price)} yuan per {c.unit}: "
                                        f"{yuan(expected)} yuan; the wage line says "
                                        f"{yuan(w.gross)}", yuan(expected), yuan(w.gross)))  # fmt: skip
        deducted = sum(d.amount for d in w.deductions)
        findings.append(Finding("net", w.gross - deducted == w.net,
                                f"gross {yuan(w.gross)} − deductions {yuan(deducted)} = "
                                f"{yuan(w.gross - deducted)}; net {yuan(w.net)}",
                                yuan(w.gross - deducted), yuan(w.net)))  # fmt: skip
        facts["wage"] = {"seq": e.seq, "days": w.days, "minutes": w.work_minutes,
                         "gross": w.gross, "deductions": deducted, "net": w.net,
                         "pay_date": w.pay_date.isoformat()}  # fmt: skip
        dec = eff.decisions.get(leaf)
        approved = dec is not None and dec[1] == "approve"
        findings.append(Finding("approval", approved,
                                f"approved by the supervisor at seq {dec[0]}" if dec and approved
                                else "no supervisor approval of the wage line in the bundle"))  # fmt: skip
        for ae, ack in eff.acks.get(leaf, []):
            findings.append(Finding("ack", ack.decision == "confirm",
                                    f"the worker {ack.decision}s the wage line at seq {ae.seq}" +
                                    (f": {ack.reason}" if ack.reason else "")))  # fmt: skip
    net_total = sum(x[2].net for x in lines)
    paid = paid_total(payments)
    findings.append(Finding("paid", paid == net_total,
                            f"payments for {month} total {yuan(paid)} yuan; net wages "
                            f"{yuan(net_total)} yuan", yuan(net_total), yuan(paid)))  # fmt: skip
    facts["paid"] = paid
    facts["net_total"] = net_total
    return findings, facts


def _hhmm(t: datetime | None) -> str | None:
    return t.strftime("%H:%M") if t is not None else None


def presence(b: Bundle, eff: Effects, tz: timezone | None) -> tuple[list[Finding], dict[str, Any]]:
    """The findings of ``verifier.presence.presence_at`` for the bundle's worker, project, instant."""
    at, project = b.at, b.project or ""
    assert at is not None and b.subject is not None
    ans = presence_at(eff, b.subject, project, at)
    enrolled, exited, last = ans.enrollment, ans.exit, ans.last_punch
    t_local = format_time(_local(at, tz))
    findings = [
        Finding("enrolled", enrolled is not None,
                f"enrolled on {project} by seq {enrolled.seq}" if enrolled else
                f"no enrollment on {project} before {t_local}"),
        Finding("not_exited", exited is None,
                "no exit before the instant" if exited is None else
                f"exited at {format_time(_local(exited.record.time, tz))} (seq {exited.seq})"),
    ]  # fmt: skip
    if last is None:
        findings.append(Finding("in_before", False, f"no punch on {project} before {t_local}"))
    else:
        direction = str(getattr(last.record, "direction", "?"))
        findings.append(Finding("in_before", direction == "in",
                                f"the last punch before {t_local} is {direction.upper()} at "
                                f"{format_time(_local(last.record.time, tz))} (seq {last.seq}, "
                                f"device {getattr(last.record, 'device', '?')})" +
                                ("; no OUT between it and the instant" if direction == "in"
                                 else "")))  # fmt: skip
    present = ans.present
    findings.append(Finding("present", present,
                            f"on site at {t_local}" if present else f"not shown on site at {t_local}"))  # fmt: skip
    facts = {"at": t_local, "present": present,
             "last_punch": format_time(_local(last.record.time, tz)) if last else None}  # fmt: skip
    return findings, facts
