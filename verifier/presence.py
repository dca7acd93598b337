"""The one presence computation: was worker W on project P at instant T?

Used by the presence bundle's findings (``verifier.dispute.presence``) and by the operator's
``GET /v1/presence`` (``api.presence``), so the quick answer and the evidence cannot disagree
about the same entries. The rule (``docs/proof-format.md``, findings: presence):

* only entries **in force** count (``verifier.effects``: voided or amended by an approved
  correction → out; a repair punch → only through an approved correction bringing it in);
* times are the records' own ``time`` (the device's or signer's clock, not the arrival time:
  gates sync late), ordered by (``time``, ``seq``);
* the **enrollment** is the latest enrollment of W on P at or before T; the worker **exited** if
  an exit on P follows it at or before T (an enrollment after an exit starts over);
* rule 2 (format version 2, and the API): the effective punches of W on P from the enrollment's
  time on are paired into shifts by ``ledger.core.shifts.pair_shifts`` (an IN closed by the first
  OUT within 16 hours); **present** when enrolled, not exited, and a shift covers T (IN ≤ T <
  OUT) or an IN with no OUT of its own lies at most 16 hours before T (``ShiftPlan.on_site``);
* rule 1 (version 1 bundles, as they were specified): the **last punch** is the latest punch at
  or after the enrollment's time and at or before T; present when it is an IN.

Pure: no store, no I/O; requires aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from ledger.core.entry import Entry
from ledger.core.records import AttendanceRecord, EnrollmentRecord, ExitRecord
from ledger.core.shifts import Punch, Shift, pair_shifts
from verifier.effects import Effects


@dataclass(frozen=True, slots=True)
class PresenceAnswer:
    at: datetime
    enrollment: Entry | None
    exit: Entry | None  # an exit after the enrollment, at or before ``at``
    last_punch: Entry | None  # the latest punch at or before ``at``, not before the enrollment
    last_in: Entry | None  # the latest IN among those punches
    out_after_in: Entry | None  # the first OUT after ``last_in`` at or before ``at``
    rule: int = 2
    on_site: Shift | Punch | None = None  # rule 2: the shift covering ``at``, or the open IN

    @property
    def present(self) -> bool:
        if self.enrollment is None or self.exit is not None:
            return False
        if self.rule >= 2:
            return self.on_site is not None
        return (
            self.last_punch is not None
            and getattr(self.last_punch.record, "direction", None) == "in"
        )


def presence_at(
    effects: Effects, subject: str, project: str, at: datetime, *, rule: int = 2,
    tz: timezone | None = None,
) -> PresenceAnswer:  # fmt: skip
    """The answer from the entries ``effects`` holds (see the module docstring). ``rule`` is 2
    (shift pairing; the API and version 2 bundles) or 1 (version 1 bundles); ``tz`` the
    project's time zone (local dates only: it does not change the answer)."""
    events: list[tuple[datetime, int, Entry]] = []
    later: list[tuple[int, AttendanceRecord]] = []  # effective punches after ``at`` (rule 2)
    for leaf, e in effects.entries.items():
        rec = e.record
        if rec.subject_id != subject or rec.project_code != project:
            continue
        if rec.time > at:
            if isinstance(rec, AttendanceRecord) and effects.in_force(leaf, rec):
                later.append((e.seq, rec))
            continue
        if not isinstance(rec, AttendanceRecord | EnrollmentRecord | ExitRecord):
            continue
        if effects.in_force(leaf, rec):
            events.append((rec.time, e.seq, e))
    events.sort(key=lambda x: (x[0], x[1]))
    enrollment: Entry | None = None
    exit_: Entry | None = None
    punches: list[Entry] = []
    for _, _, e in events:
        rec = e.record
        if isinstance(rec, EnrollmentRecord):
            enrollment, exit_, punches = e, None, []
        elif isinstance(rec, ExitRecord):
            if enrollment is not None:
                exit_ = exit_ or e
        elif enrollment is not None:
            punches.append(e)
    last_in: Entry | None = None
    out_after: Entry | None = None
    for e in punches:
        if getattr(e.record, "direction", None) == "in":
            last_in, out_after = e, None
        elif last_in is not None and out_after is None:
            out_after = e
    on_site: Shift | Punch | None = None
    if rule >= 2 and enrollment is not None:
        mine = [(e.seq, e.record) for e in punches if isinstance(e.record, AttendanceRecord)]
        plan = pair_shifts(mine + later, tz)
        on_site = plan.on_site(at)
    return PresenceAnswer(
        at=at,
        enrollment=enrollment,
        exit=exit_,
        last_punch=punches[-1] if punches else None,
        last_in=last_in,
        out_after_in=out_after,
        rule=rule,
        on_site=on_site,
    )


def effects_of(pairs: Iterable[tuple[bytes, Entry]]) -> Effects:
    """``Effects`` of (leaf hash, entry) pairs: the worker's entries and every entry naming them
    (corrections, approvals, and the replacements corrections bring in)."""
    return Effects.of(pairs)


__all__ = ["PresenceAnswer", "effects_of", "presence_at"]
