"""The insurer's question: was worker W on project P at instant T?

Yes when the worker was enrolled on P (latest enrollment on or before T's local day), had not
exited before T's local day, punched IN at or before T, and punched no OUT between that IN and
T. Times are the record's own (device) times, not arrival times, because offline gates upload
late. Corrections are not applied here: this is a quick answer, and the presence proof bundle
(``GET /v1/presence/bundle``) is the evidence a claim handler keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ledger.core.records import AttendanceRecord, EnrollmentRecord, ExitRecord
from ledger.store import StoredEntry


@dataclass(frozen=True, slots=True)
class Presence:
    enrolled: bool
    exited: bool
    enrollment_seq: int | None
    exit_seq: int | None
    last_in_seq: int | None
    last_in_time: datetime | None
    out_after_in_seq: int | None

    @property
    def present(self) -> bool:
        return (
            self.enrolled
            and not self.exited
            and self.last_in_seq is not None
            and self.out_after_in_seq is None
        )


def presence(chain: list[StoredEntry], project: str, at: datetime) -> Presence:
    """Answer from one worker's entries (``Store.subject_chain``), in any order."""
    enrollment: StoredEntry | None = None
    exit_: StoredEntry | None = None
    last_in: StoredEntry | None = None
    punches: list[tuple[datetime, int, StoredEntry]] = []
    for s in chain:
        rec = s.entry.record
        if rec.project_code != project:
            continue
        if isinstance(rec, EnrollmentRecord) and rec.time <= at:
            if enrollment is None or rec.time >= enrollment.entry.record.time:
                enrollment = s
        elif isinstance(rec, AttendanceRecord) and rec.time <= at:
            punches.append((rec.time, s.seq, s))
    for s in chain:
        rec = s.entry.record
        if (
            isinstance(rec, ExitRecord) and rec.project == project and enrollment is not None
            and enrollment.entry.record.time <= rec.time <= at
        ):  # fmt: skip
            exit_ = s
    punches.sort(key=lambda p: (p[0], p[1]))
    out_after: StoredEntry | None = None
    for _, _, s in punches:
        rec = s.entry.record
        assert isinstance(rec, AttendanceRecord)
        if rec.direction == "in":
            last_in, out_after = s, None
        elif last_in is not None:
            out_after = s
    return Presence(
        enrolled=enrollment is not None,
        exited=exit_ is not None,
        enrollment_seq=enrollment.seq if enrollment else None,
        exit_seq=exit_.seq if exit_ else None,
        last_in_seq=last_in.seq if last_in else None,
        last_in_time=last_in.entry.record.time if last_in else None,
        out_after_in_seq=out_after.seq if out_after else None,
    )
