"""The one presence computation: was worker W on project P at instant T?

Used by the presence bundle's findings (``verifier.dispute.presence``) and by the operator's
``GET /v1/presence`` (``api.presence``), so the quick answer and the evidence cannot disagree
about the same entries. The rule (``docs/proof-format.md``, findings: presence):

* only entries **in force** count (``verifier.effects``: voided or amended by an approved
  correction → out; a repair punch → only through an approved correction bringing it in);
* only entries about W on P whose record ``time`` (the device's or signer's own time, not the
  arrival time: gates sync late) is at or before T; they are ordered by (``time``, ``seq``);
* the **enrollment** is the latest such enrollment; the worker **exited** if an exit follows it
  (an enrollment after an exit starts over);
* the **last punch** is the latest such attendance record at or after the enrollment's time;
* **present** when there is an enrollment, no exit after it, and the last punch is an IN.

Pure: no store, no I/O; requires aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ledger.core.entry import Entry
from ledger.core.records import AttendanceRecord, EnrollmentRecord, ExitRecord
from verifier.effects import Effects


@dataclass(frozen=True, slots=True)
class PresenceAnswer:
    at: datetime
    enrollment: Entry | None
    exit: Entry | None  # an exit after the enrollment, at or before ``at``
    last_punch: Entry | None  # the latest punch at or before ``at``, not before the enrollment
    last_in: Entry | None  # the latest IN among those punches
    out_after_in: Entry | None  # the first OUT after ``last_in`` at or before ``at``

    @property
    def present(self) -> bool:
        return (
            self.enrollment is not None
            and self.exit is None
            and self.last_punch is not None
            and getattr(self.last_punch.record, "direction", None) == "in"
        )


def presence_at(effects: Effects, subject: str, project: str, at: datetime) -> PresenceAnswer:
    """The answer from the entries ``effects`` holds (see the module docstring)."""
    events: list[tuple[datetime, int, Entry]] = []
    for leaf, e in effects.entries.items():
        rec = e.record
        if rec.subject_id != subject or rec.project_code != project or rec.time > at:
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
    return PresenceAnswer(
        at=at,
        enrollment=enrollment,
        exit=exit_,
        last_punch=punches[-1] if punches else None,
        last_in=last_in,
        out_after_in=out_after,
    )


def effects_of(pairs: Iterable[tuple[bytes, Entry]]) -> Effects:
    """``Effects`` of (leaf hash, entry) pairs: the worker's entries and every entry naming them
    (corrections, approvals, and the replacements corrections bring in)."""
    return Effects.of(pairs)


__all__ = ["PresenceAnswer", "effects_of", "presence_at"]
