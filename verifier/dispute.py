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
from ledger.core.shifts import Shift, describe, pair_shifts, stray_finding, unclosed_finding
from ledger.core.times import format_time
from verifier.effects import Effects, paid_total, publication_state, yuan
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
        if (isinstance(e.record, EnrollmentRecord) and e.record.project == project
                and e.record.subject == b.subject):
            enrollment = e.record
    excluded = 0
    effective: list[tuple[int, AttendanceRecord]] = []
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
            effective.append((e.seq, rec))
            t = _local(rec.time, tz)
            if t.strftime("%Y-%m") == month:
                by_day[t.date()].append((t, rec.direction))
        elif isinstance(rec, WageRecord) and rec.pay_month == month:
            lines.append((leaf, e, rec))
        elif isinstance(rec, PaymentRecord) and rec.pay_month == month:
            payments.append((e, rec))
    if b.version >= 2:
        days, minutes, day_rows = _paired(b, effective, tz, month, findings)
    else:
        days, minutes, day_rows = _per_day(by_day, findings)
    facts: dict[str, Any] = {
        "month": month, "days": len(days), "minutes": minutes, "day_rows": day_rows,
        "excluded_by_corrections": excluded,
    }  # fmt: skip
    _wage_line(findings, facts, lines, payments, enrollment, eff, days, minutes, month,
               project or "", "the month's shifts sum to" if b.version >= 2 else "first IN to last OUT sums to")
    if b.version >= 2:
        _publications(b, eff, tz, findings, facts)
    return findings, facts


def _paired(b: Bundle, effective: list[tuple[int, AttendanceRecord]], tz: timezone | None,
            month: str, findings: list[Finding]) -> tuple[list[date], int, list[dict[str, Any]]]:  # fmt: skip
    """Rule 2 (version 2 bundles): shifts by ``ledger.core.shifts.pair_shifts``; a shift's
    minutes count on its IN's local date; unclosed INs and stray OUTs of the month are findings."""
    until = b.checkpoint.batch.sealed_at if b.checkpoint is not None else None
    plan = pair_shifts(effective, tz, until)

    def in_month(d: date) -> bool:
        return d.strftime("%Y-%m") == month

    days = [d for d in plan.days if in_month(d)]
    rows = []
    minutes = 0
    for sh in plan.shifts:
        if in_month(sh.day):
            minutes += sh.minutes
            rows.append({"date": sh.day.isoformat(), "first_in": _hhmm(_local(sh.first_in.time, tz)),
                         "last_out": _hhmm(_local(sh.out.time, tz)), "minutes": sh.minutes,
                         "punches": 2 + len(sh.repeats)})  # fmt: skip
    for p in plan.unclosed:
        if in_month(plan.local_date(p)):
            findings.append(Finding("unclosed", False, unclosed_finding(p, tz)))
            rows.append({"date": plan.local_date(p).isoformat(),
                         "first_in": _hhmm(_local(p.time, tz)), "last_out": None, "minutes": 0,
                         "punches": 1})  # fmt: skip
    for p in plan.open:
        if in_month(plan.local_date(p)):
            findings.append(Finding("unclosed", False, unclosed_finding(p, tz) + " yet (the "
                                    "checkpoint ends less than 16 h after it)"))  # fmt: skip
    for p in plan.stray_outs:
        if in_month(plan.local_date(p)):
            findings.append(Finding("stray_out", False, stray_finding(p, tz)))
    rows.sort(key=lambda r: (r["date"], r["first_in"] or ""))
    return days, minutes, rows


def _per_day(by_day: dict[date, list[tuple[datetime, str]]],
             findings: list[Finding]) -> tuple[list[date], int, list[dict[str, Any]]]:  # fmt: skip
    """Rule 1 (version 1 bundles, as they were specified): per local day, first IN to last OUT."""
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
    return days, minutes, day_rows


def _wage_line(findings: list[Finding], facts: dict[str, Any],
               lines: list[tuple[bytes, Entry, WageRecord]],
               payments: list[tuple[Entry, PaymentRecord]], enrollment: EnrollmentRecord | None,
               eff: Effects, days: list[date], minutes: int, month: str, project: str,
               how: str) -> None:  # fmt: skip
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
                                f"the wage line counts {_hm(w.work_minutes)}; {how} "
                                f"{_hm(minutes)}", _hm(minutes), _hm(w.work_minutes)))  # fmt: skip
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


def _publications(b: Bundle, eff: Effects, tz: timezone | None, findings: list[Finding],
                  facts: dict[str, Any]) -> None:  # fmt: skip
    """Version 2: the month as published to the worker, and what the worker did about it:
    acknowledged, objected (with the reason), silent after the objection window (closed before
    the checkpoint was sealed, so any ack in time would be in the run), or window still open."""
    month, project = b.pay_month, b.project
    sealed = b.checkpoint.batch.sealed_at if b.checkpoint is not None else None
    rows = []
    for leaf, e in sorted(eff.entries.items(), key=lambda p: p[1].seq):
        rec = e.record
        if rec.TYPE != "publication" or rec.project_code != project or \
                getattr(rec, "pay_month", None) != month or rec.subject_id != b.subject:  # fmt: skip
            continue
        closes: datetime = rec.time + timedelta(days=int(getattr(rec, "objection_days", 0)))
        acks = [(ae, a) for ae, a in eff.acks.get(leaf, []) if ae.received_at <= closes]
        when = format_time(_local(closes, tz))
        head = (f"{month} published at seq {e.seq} ({format_time(_local(rec.time, tz))}: "
                f"{getattr(rec, 'days', '?')} days, {_hm(int(getattr(rec, 'work_minutes', 0)))})")  # fmt: skip
        state, named = publication_state([(ae.seq, a.decision) for ae, a in acks], closes, sealed)
        reason = next((a.reason for ae, a in acks if ae.seq == named), None)
        ok = state in ("acknowledged", "silent")
        if state == "objected":
            text = f"{head}: the worker objected at seq {named}: {reason or '(no reason)'}"
        elif state == "acknowledged":
            text = f"{head}: the worker acknowledged it at seq {named}"
        elif state == "silent":
            text = (f"{head}: no objection within the window, which closed at {when} (the "
                    "checkpoint was sealed after it)")  # fmt: skip
        else:
            text = f"{head}: the objection window is still open until {when}"
        findings.append(Finding("publication", ok, text))
        rows.append({"seq": e.seq, "state": state, "closes_at": when,
                     "wage": getattr(rec, "wage", b"").hex()})  # fmt: skip
    if not rows:
        findings.append(Finding("publication", False, f"{month} was not published to the worker "
                                "in the bundle"))  # fmt: skip
    facts["publications"] = rows


def _hhmm(t: datetime | None) -> str | None:
    return t.strftime("%H:%M") if t is not None else None


def presence(b: Bundle, eff: Effects, tz: timezone | None) -> tuple[list[Finding], dict[str, Any]]:
    """The findings of ``verifier.presence.presence_at`` for the bundle's worker, project, instant."""
    at, project = b.at, b.project or ""
    assert at is not None and b.subject is not None
    ans = presence_at(eff, b.subject, project, at, rule=2 if b.version >= 2 else 1, tz=tz)
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
    if ans.rule >= 2:
        site = ans.on_site
        if isinstance(site, Shift):
            findings.append(Finding("shift", True, f"the shift from IN at {describe(site.first_in, tz)} "
                                    f"to OUT at {describe(site.out, tz)} covers {t_local}"))  # fmt: skip
        elif site is not None:
            findings.append(Finding("shift", True, f"IN at {describe(site, tz)} with no OUT of "
                                    f"its own, less than 16 h before {t_local}"))  # fmt: skip
        else:
            findings.append(Finding("shift", False, f"no shift on {project} covers {t_local} "
                                    "(an IN before it closed by an OUT after it, or an IN less "
                                    "than 16 h before it with no OUT)"))  # fmt: skip
    elif last is None:
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
