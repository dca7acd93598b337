"""Shift pairing: which effective punches make a shift, and what is left over.

One rule, used by everything that counts time on site (the verifier's wage and presence
findings, the API's presence answer, the pages), written in ``docs/records.md`` (*Shifts*):

* Punches are paired per project, in time order (ties by log ``seq``). Only **effective**
  punches take part: the caller removes punches voided or amended by an approved correction and
  repair punches that no approved supplement brings in, and adds the approved replacements.
* An IN is **closed** by the first OUT after it on the same project that is at most
  ``MAX_SHIFT`` (16 hours) after it, across midnight. Several INs closed by the same OUT make
  one shift from the earliest of them; the later ones are **repeats** and add nothing.
* A shift's minutes (whole minutes, rounded down) go to the **local date of its IN** in the
  project's time zone, however late the OUT.
* An IN that no OUT closes is **unclosed** (a finding: "IN at … has no OUT within 16 h"),
  unless the data ends less than 16 hours after it (``until``): then it is still **open**.
* An OUT that closes no IN is **stray** (a finding: "OUT at … closes no IN").
* The days worked are the local dates of the shifts' INs and of the unclosed and open INs.

Pure: no clock, no I/O. ``pair_shifts`` takes the punches and returns a ``ShiftPlan``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Final

from ledger.core.records import AttendanceRecord

MAX_SHIFT: Final = timedelta(hours=16)
"""The longest time from an IN to the OUT that closes it."""


@dataclass(frozen=True, slots=True, order=True)
class Punch:
    """One effective punch: when, its log ``seq`` (the tie-break and the reference) and the
    record. Ordered by (time, seq)."""

    time: datetime
    seq: int
    record: AttendanceRecord = field(compare=False)

    @property
    def direction(self) -> str:
        return self.record.direction

    @property
    def project(self) -> str:
        return self.record.project


@dataclass(frozen=True, slots=True)
class Shift:
    """An IN closed by an OUT: ``first_in`` to ``out``, counted on ``day`` (the IN's local
    date). ``repeats`` are the later INs the same OUT closed."""

    first_in: Punch
    out: Punch
    day: date
    repeats: tuple[Punch, ...] = ()

    @property
    def minutes(self) -> int:
        return int((self.out.time - self.first_in.time).total_seconds() // 60)

    def covers(self, t: datetime) -> bool:
        """True when ``t`` is in [IN, OUT): the worker was on site at ``t``."""
        return self.first_in.time <= t < self.out.time


@dataclass(frozen=True, slots=True)
class ShiftPlan:
    """What ``pair_shifts`` found, each tuple in (time, seq) order."""

    shifts: tuple[Shift, ...]
    unclosed: tuple[Punch, ...]  # INs with no OUT within 16 h: findings
    open: tuple[Punch, ...]  # INs less than 16 h before ``until``: not (yet) findings
    stray_outs: tuple[Punch, ...]  # OUTs that close no IN: findings
    tz: timezone | None

    def local_date(self, p: Punch) -> date:
        return _local(p.time, self.tz).date()

    @property
    def minutes_by_day(self) -> dict[date, int]:
        out: dict[date, int] = {}
        for s in self.shifts:
            out[s.day] = out.get(s.day, 0) + s.minutes
        return out

    @property
    def days(self) -> tuple[date, ...]:
        """Local dates of the shifts' INs and of the unclosed and open INs, sorted."""
        found = {s.day for s in self.shifts}
        found |= {self.local_date(p) for p in (*self.unclosed, *self.open)}
        return tuple(sorted(found))

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.shifts)

    def on_site(self, t: datetime) -> Shift | Punch | None:
        """The shift that covers ``t``, or the open or unclosed IN at most 16 h before ``t``
        with no OUT of its own, or None. (An unclosed IN says the worker came in and nothing
        says they left before ``t``; the 16 hours bound how long that is believed.)"""
        for s in self.shifts:
            if s.covers(t):
                return s
        best: Punch | None = None
        for p in (*self.unclosed, *self.open):
            if p.time <= t < p.time + MAX_SHIFT and (best is None or p > best):
                best = p
        return best


def _local(t: datetime, tz: timezone | None) -> datetime:
    return t.astimezone(tz) if tz is not None else t


def pair_shifts(
    punches: Iterable[tuple[int, AttendanceRecord]],
    tz: timezone | None,
    until: datetime | None = None,
) -> ShiftPlan:
    """Pair effective punches into shifts (see the module docstring for the rule).

    ``punches`` are (log seq, record) of one worker's effective punches; several projects may
    be mixed (each is paired on its own). ``tz`` is the project's time zone for local dates
    (None: each punch's own offset). ``until`` is where the data ends (for example the
    checkpoint's time): an IN less than 16 h before it with no OUT yet is ``open``, not
    ``unclosed``; None means the data is complete.
    """
    by_project: dict[str, list[Punch]] = {}
    for seq, rec in punches:
        by_project.setdefault(rec.project, []).append(Punch(rec.time, seq, rec))
    shifts: list[Shift] = []
    unclosed: list[Punch] = []
    still_open: list[Punch] = []
    stray: list[Punch] = []
    for project in sorted(by_project):
        ordered = sorted(by_project[project])
        outs = [p for p in ordered if p.direction == "out"]
        closing: dict[int, list[Punch]] = {}  # index in outs -> the INs it closes
        for p in ordered:
            if p.direction != "in":
                continue
            k = bisect_right(outs, p)  # the first OUT after p in (time, seq) order
            if k < len(outs) and outs[k].time - p.time <= MAX_SHIFT:
                closing.setdefault(k, []).append(p)
            elif until is not None and until - p.time < MAX_SHIFT:
                still_open.append(p)
            else:
                unclosed.append(p)
        for k, out in enumerate(outs):
            ins = closing.get(k)
            if ins is None:
                stray.append(out)
                continue
            first = ins[0]
            shifts.append(Shift(first, out, _local(first.time, tz).date(), tuple(ins[1:])))
    return ShiftPlan(
        shifts=tuple(sorted(shifts, key=lambda s: s.first_in)),
        unclosed=tuple(sorted(unclosed)),
        open=tuple(sorted(still_open)),
        stray_outs=tuple(sorted(stray)),
        tz=tz,
    )


def describe(p: Punch, tz: timezone | None) -> str:
    """A punch as findings name it: ``2026-10-05 07:30 (+08:00, GATE-01, seq 42)``."""
    t = _local(p.time, tz)
    offset = t.strftime("%z")
    return (
        f"{t.strftime('%Y-%m-%d %H:%M')} ({offset[:3]}:{offset[3:]}, {p.record.device}, "
        f"seq {p.seq})"
    )


def unclosed_finding(p: Punch, tz: timezone | None) -> str:
    return f"IN at {describe(p, tz)} has no OUT within 16 h"


def stray_finding(p: Punch, tz: timezone | None) -> str:
    return f"OUT at {describe(p, tz)} closes no IN"
