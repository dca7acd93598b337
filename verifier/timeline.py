"""The month timeline facts: what ``verifier/web/timeline.js`` draws, computed from verified entries.

One JSON object per bundle (``Report.facts["timeline"]``), specified in ``docs/verifying.md``
("The month timeline facts") so that the JavaScript verifier page can build the same object from
its own findings and hand it to the same drawing function. Everything here reads entries that
already passed their checks; nothing changes a verdict.

Times are given twice: ``at`` as RFC 3339 in the project's offset (the drawing reads the local
date and clock time straight from the string, no time-zone arithmetic in the browser) and
minutes as integers. Money is integer fen.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Protocol

from ledger.core.entry import Entry
from ledger.core.records import (
    AckRecord,
    AttendanceRecord,
    CorrectionRecord,
    KeyRecord,
    PaymentRecord,
    ProjectRecord,
    Record,
    WageRecord,
)
from ledger.core.shifts import Punch, pair_shifts
from ledger.core.times import format_time
from verifier.effects import publication_state
from verifier.format import Bundle

FORMAT: Final = "siteledger-timeline"
VERSION: Final = 1

LATE_SYNC: Final = timedelta(hours=24)
"""A punch received more than a day after the time it states is drawn as late-synced: the
ledger proves it existed only from its receipt, not from the time the device wrote on it."""

MAX_SUBSETS: Final = 200_000
"""Bound on the subsets of days tried when inferring which days a wage line left out."""


class EffectsLike(Protocol):
    """What the facts read of ``verifier``'s corrections-and-approvals view of the entries."""

    entries: dict[bytes, Entry]
    decisions: dict[bytes, tuple[int, str, Entry]]
    corrections: list[tuple[bytes, Entry, CorrectionRecord]]

    def in_force(self, leaf: bytes, rec: Record) -> bool: ...


def _tz(entries: Iterable[Entry], project: str | None) -> timezone | None:
    for e in entries:
        if isinstance(e.record, ProjectRecord) and e.record.project == project:
            return e.record.tz
    return None


def _local(t: datetime, tz: timezone | None) -> str:
    return format_time(t.astimezone(tz) if tz is not None else t)


def _offset(tz: timezone | None) -> str | None:
    if tz is None:
        return None
    off = tz.utcoffset(None)
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def build(b: Bundle, eff: EffectsLike, leaf_of: dict[int, bytes]) -> dict[str, Any]:
    """The timeline facts of bundle ``b``; ``eff`` holds its verified entries (run or record and
    the related entries that verified), ``leaf_of`` the calculated leaf hash of every item by
    seq (context entries included)."""
    context = [i.entry for i in b.context]
    entries = {leaf: e for leaf, e in eff.entries.items()}
    head = b.record.entry.record if b.record is not None else None
    subject = b.subject if b.subject is not None else (head.subject_id if head else None)
    project = b.project if b.project is not None else (head.project_code if head else None)
    tz = _tz(context + list(entries.values()), project)
    if tz is None and head is not None and isinstance(head.time.tzinfo, timezone):
        tz = head.time.tzinfo  # no project record in the bundle: the record's own offset
    month = _month(b, head, tz)
    holders: dict[str, str] = {}

    def holder(signer: str) -> str:
        # Built on the first approval only: a key id is a SHA-256 per key item, and most
        # bundles (single punches) name no approval.
        if not holders:
            holders.update({i.entry.record.subject_key_id: i.entry.record.holder for i in b.keys
                            if isinstance(i.entry.record, KeyRecord)})  # fmt: skip
        return holders.get(signer, signer)

    seq_of = {leaf: e.seq for leaf, e in entries.items()}
    seq_of.update({leaf: seq for seq, leaf in leaf_of.items()})

    def approval(leaf: bytes) -> dict[str, Any] | None:
        d = eff.decisions.get(leaf)
        if d is None:
            return None
        seq, decision, e = d
        return {"seq": seq, "decision": decision, "at": _local(e.record.time, tz),
                "by": holder(e.record.signer)}  # fmt: skip

    punches: list[dict[str, Any]] = []
    wage: dict[str, Any] | None = None
    payments: list[dict[str, Any]] = []
    acks: list[dict[str, Any]] = []
    ack_targets: dict[bytes, list[dict[str, Any]]] = {}
    received: dict[int, datetime] = {}
    publications: list[dict[str, Any]] = []
    published: list[tuple[bytes | None, dict[str, Any]]] = []
    for e in sorted(entries.values(), key=lambda e: e.seq):
        rec = e.record
        if isinstance(rec, AckRecord) and rec.subject == subject:
            a = {"seq": e.seq, "at": _local(rec.time, tz), "decision": rec.decision,
                 "reason": rec.reason, "target_seq": seq_of.get(rec.target),
                 "target_type": _type_of(entries.get(rec.target))}  # fmt: skip
            acks.append(a)
            ack_targets.setdefault(rec.target, []).append(a)
            received[e.seq] = e.received_at
    for leaf, e in sorted(entries.items(), key=lambda p: p[1].seq):
        rec = e.record
        if rec.project_code != project or rec.subject_id not in (subject, None):
            continue
        if isinstance(rec, AttendanceRecord):
            if _local(rec.time, tz)[:7] != month:
                continue
            late = int((e.received_at - rec.time).total_seconds() // 60)
            punches.append({
                "seq": e.seq, "dir": rec.direction, "at": _local(rec.time, tz),
                "received_at": _local(e.received_at, tz), "late_minutes": late,
                "late": late > LATE_SYNC.total_seconds() // 60, "device": rec.device,
                "device_seq": rec.device_seq, "source": rec.source,
                "in_force": eff.in_force(leaf, rec), "repair": _repair(leaf, rec, eff, tz, approval),
                "leaf": leaf, "record": rec,
            })  # fmt: skip
        elif isinstance(rec, WageRecord) and rec.pay_month == month and not rec.back_pay:
            if wage is None and eff.in_force(leaf, rec):
                wage = {"seq": e.seq, "at": _local(rec.time, tz), "days": rec.days,
                        "minutes": rec.work_minutes, "gross": rec.gross,
                        "deductions": sum(d.amount for d in rec.deductions), "net": rec.net,
                        "pay_date": rec.pay_date.isoformat(), "approval": approval(leaf),
                        "disputed": any(a["decision"] == "dispute"
                                        for a in ack_targets.get(leaf, [])),
                        "leaf": leaf}  # fmt: skip
        elif isinstance(rec, PaymentRecord) and rec.pay_month == month:
            disputed = any(a["decision"] == "dispute" for a in ack_targets.get(leaf, []))
            if rec.wage is not None:
                disputed |= any(a["decision"] == "dispute" for a in ack_targets.get(rec.wage, []))
            payments.append({"seq": e.seq, "at": _local(rec.time, tz), "date": rec.date.isoformat(), "amount": rec.amount,
                             "status": rec.status, "wage_seq": seq_of.get(rec.wage)
                             if rec.wage is not None else None, "disputed": disputed,
                             "in_force": eff.in_force(leaf, rec)})  # fmt: skip
        elif rec.TYPE == "publication" and getattr(rec, "pay_month", None) == month:
            sealed = b.checkpoint.batch.sealed_at if b.checkpoint is not None else None
            pub = _publication(e, rec, ack_targets.get(leaf, []), received, sealed, tz)
            publications.append(pub)
            published.append((getattr(rec, "wage", None), pub))
    if wage is not None:
        for wage_leaf, pub in published:
            if pub["state"] == "objected" and wage_leaf == wage["leaf"]:
                wage["disputed"] = True
    shifts, open_ins, stray_outs = shift_facts(
        [(p["seq"], p["record"]) for p in punches if p["in_force"]], tz)
    if b.kind == "record":  # one punch alone pairs with nothing: its partner is not in the bundle
        shifts, open_ins, stray_outs = [], [], []
    days_worked = sorted({s["date"] for s in shifts} | {o["date"] for o in open_ins})
    punched_minutes = sum(s["minutes"] for s in shifts)
    gap: dict[str, Any] | None = None
    if wage is not None and b.kind == "wage":
        wage["punched_days"] = len(days_worked)
        wage["punched_minutes"] = punched_minutes
        named = sorted({d for a in acks if a["decision"] == "dispute"
                        for d in named_dates(a["reason"] or "", month)})  # fmt: skip
        gap = payroll_gap(shifts, open_ins, wage["days"], wage["minutes"], named)
    disputed_days = sorted({d for a in acks if a["decision"] == "dispute"
                            for d in named_dates(a["reason"] or "", month)}
                           | (set(gap["dates"]) if gap and wage and wage["disputed"] else set()))  # fmt: skip
    for p in punches:
        p.pop("leaf")
        p.pop("record")
    if wage is not None:
        wage.pop("leaf")
    highlight = [b.record.seq] if b.record is not None else []
    return {
        "format": FORMAT, "version": VERSION, "kind": b.kind, "subject": subject,
        "project": project, "month": month, "tz": _offset(tz), "punches": punches,
        "shifts": shifts, "open_ins": open_ins, "stray_outs": stray_outs, "wage": wage,
        "payroll_gap": gap, "payments": payments, "acks": acks, "publications": publications,
        "disputed_days": disputed_days, "highlight": highlight,
    }  # fmt: skip


def _month(b: Bundle, head: Record | None, tz: timezone | None) -> str:
    if b.pay_month is not None:
        return b.pay_month
    if b.at is not None:
        return _local(b.at, tz)[:7]
    if isinstance(head, WageRecord | PaymentRecord):
        return head.pay_month
    pay_month = getattr(head, "pay_month", None)  # a publication (format v2)
    if isinstance(pay_month, str):
        return pay_month
    assert head is not None
    return _local(head.time, tz)[:7]


def _publication(
    e: Entry, rec: Record, acks: list[dict[str, Any]], received: dict[int, datetime],
    sealed: datetime | None, tz: timezone | None,
) -> dict[str, Any]:  # fmt: skip
    """A publication of the month to the worker and what became of it, by the rule of the
    ``publication`` finding (``verifier.effects.publication_state``)."""
    closes = rec.time + timedelta(days=int(getattr(rec, "objection_days", 0)))
    in_time = [a for a in acks if received[a["seq"]] <= closes]
    state, named = publication_state([(a["seq"], a["decision"]) for a in in_time], closes, sealed)
    reason = next((a["reason"] for a in in_time if a["seq"] == named), None)
    return {"seq": e.seq, "at": _local(rec.time, tz), "days": getattr(rec, "days", None),
            "minutes": getattr(rec, "work_minutes", None), "closes": _local(closes, tz),
            "state": state, "ack_seq": named, "reason": reason}  # fmt: skip


def _type_of(e: Entry | None) -> str | None:
    return e.record.TYPE if e is not None else None


def _repair(
    leaf: bytes, rec: AttendanceRecord, eff: EffectsLike, tz: timezone | None,
    approval: Callable[[bytes], dict[str, Any] | None],
) -> dict[str, Any] | None:
    """The correction that brings a punch in (补卡) and the supervisor's decision on it."""
    hits = [c for c in eff.corrections if c[2].replacement == leaf and c[2].action == "supplement"]
    if not hits and rec.source != "repair":
        return None
    if not hits:
        return {"correction_seq": None, "reason": None, "at": None, "approval": None}
    cleaf, ce, crec = hits[-1]
    return {"correction_seq": ce.seq, "reason": crec.reason, "at": _local(crec.time, tz),
            "approval": approval(cleaf)}  # fmt: skip


def shift_facts(
    punches: list[tuple[int, AttendanceRecord]], tz: timezone | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """Shifts, INs no OUT closes and OUTs that close no IN, by the one pairing rule
    (``ledger.core.shifts.pair_shifts``, ``docs/records.md``), as timeline facts."""
    plan = pair_shifts(punches, tz)

    def one(p: Punch) -> dict[str, Any]:
        return {"date": plan.local_date(p).isoformat(), "at": _local(p.time, tz), "seq": p.seq}

    shifts = [{"date": s.day.isoformat(), "in": _local(s.first_in.time, tz),
               "out": _local(s.out.time, tz), "minutes": s.minutes, "in_seq": s.first_in.seq,
               "out_seq": s.out.seq} for s in plan.shifts]  # fmt: skip
    return shifts, [one(p) for p in (*plan.unclosed, *plan.open)], [one(p) for p in plan.stray_outs]


def _utc(s: str) -> datetime:
    return datetime.fromisoformat(s)


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ZH = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})日")


def named_dates(text: str, month: str) -> list[str]:
    """Dates of ``month`` that a free-text reason names: ``2026-10-30`` or ``10月30日``; a bare
    ``31日`` takes the month named before it (``10月30日、31日``), else the month in dispute."""
    out = [f"{y}-{m}-{d}" for y, m, d in _ISO.findall(text) if f"{y}-{m}" == month]
    current: int | None = int(month[5:])
    for m, d in _ZH.findall(text):
        if m:
            current = int(m)
        if current is not None and current == int(month[5:]) and 1 <= int(d) <= 31:
            out.append(f"{month}-{int(d):02d}")
    return sorted(set(out))


def payroll_gap(
    shifts: list[dict[str, Any]], open_ins: list[dict[str, Any]], days: int, minutes: int,
    named: list[str],
) -> dict[str, Any] | None:  # fmt: skip
    """The days a wage line leaves out, and how far the records single them out.

    A wage line states a count of days and minutes, not which days. When it counts k days fewer
    than the punches show and the minutes differ by g: if the worker's dispute names exactly k
    punched days whose minutes add up to g, those are the days (``basis`` ``named``); else if
    exactly one set of k punched days adds up to g, those (``basis`` ``hours``); otherwise
    ``dates`` is empty and ``candidates`` says how many sets would fit.
    """
    per_day: dict[str, int] = {}
    for s in shifts:
        per_day[s["date"]] = per_day.get(s["date"], 0) + s["minutes"]
    for o in open_ins:
        per_day.setdefault(o["date"], 0)
    k = len(per_day) - days
    g = sum(per_day.values()) - minutes
    if k <= 0:
        return None
    out: dict[str, Any] = {"days": k, "minutes": g, "dates": [], "basis": None,
                           "candidates": 0}  # fmt: skip
    hits = [d for d in named if d in per_day]
    if len(hits) == k and sum(per_day[d] for d in hits) == g:
        out.update(dates=hits, basis="named", candidates=1)
        return out
    found: list[tuple[str, ...]] = []
    for n, combo in enumerate(itertools.combinations(sorted(per_day), k)):
        if n >= MAX_SUBSETS:
            return out
        if sum(per_day[d] for d in combo) == g:
            found.append(combo)
    out["candidates"] = len(found)
    if len(found) == 1:
        out.update(dates=list(found[0]), basis="hours")
    return out
