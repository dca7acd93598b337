"""Completeness to a checkpoint (version 2 dispute bundles): head proofs, gate counter statements
and the coverage rule. Pure functions over decoded values; ``verifier.verify`` turns their
results into the ``checkpoint.*`` checks and the gate-gap findings (``docs/proof-format.md``,
checkpoint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from ledger.core.errors import EncodingError, ProofError
from ledger.core.heads import HeadProof, HeadValue, Leaf, device_key, subject_key, verify_head_proof
from ledger.core.policy import sync_allowance_days
from ledger.core.records import AttendanceRecord, ProjectRecord
from ledger.core.times import format_time
from verifier.format import GateStatement, HeadClaim, Item

GATES_TAG: Final = b"siteledger/gates/v1"
"""Signature tag of a gate counter statement (``tag ‖ 0x00 ‖ canonical(statement)``)."""
SHIFT: Final = timedelta(hours=16)
"""The longest shift: an IN is closed by an OUT within 16 hours (``docs/records.md``)."""


def head_problem(root: bytes, claim: HeadClaim) -> str | None:
    """None if ``claim``'s proof shows its value (or absence) under ``root``; else why not."""
    try:
        value = None
        if claim.counter is not None:
            assert claim.seq is not None and claim.leaf_hash is not None
            value = HeadValue(claim.counter, claim.seq, claim.leaf_hash)
        leaf = Leaf(*claim.leaf) if claim.leaf is not None else None
        verify_head_proof(root, claim.key, value, HeadProof(claim.siblings, leaf))
    except (ProofError, EncodingError) as exc:
        return f"{claim.where} ({claim.key}): {exc}"
    return None


def subject_claim(claims: Iterable[HeadClaim], subject: str) -> HeadClaim | None:
    key = subject_key(subject)
    return next((c for c in claims if c.key == key), None)


def device_claim(claims: Iterable[HeadClaim], project: str, device: str) -> HeadClaim | None:
    key = device_key(project, device)
    return next((c for c in claims if c.key == key), None)


def stray_claims(claims: Iterable[HeadClaim], subject: str, project: str,
                 devices: Iterable[str]) -> list[str]:  # fmt: skip
    """What the head proofs hold beyond one for the worker and one for each gate the bundle
    uses: a key given twice, or a key the bundle does not use. A check reads the first proof
    of a key, so a second one (true or false) must not be there to be read by another."""
    want = {subject_key(subject)} | {device_key(project, d) for d in devices}
    out, seen = [], set()
    for c in claims:
        if c.key in seen:
            out.append(f"{c.where}: a second head proof for {c.key}")
        elif c.key not in want:
            out.append(f"{c.where}: a head proof for {c.key}, which the bundle does not use")
        seen.add(c.key)
    return out


def used_gates(run: Iterable[Item], project: str) -> dict[str, list[Item]]:
    """The worker's punches on ``project`` by gate (device serial), in seq order."""
    out: dict[str, list[Item]] = {}
    for it in run:
        rec = it.entry.record
        if isinstance(rec, AttendanceRecord) and rec.project == project:
            out.setdefault(rec.device, []).append(it)
    return out


def allowance(context: Iterable[Item], project: str) -> timedelta:
    """The project's sync allowance (``sync_allowance_days`` of its project record in
    ``context``, 7 days when absent: ``ledger.core.policy.sync_allowance_days``)."""
    for it in context:
        rec = it.entry.record
        if isinstance(rec, ProjectRecord) and rec.project == project:
            return timedelta(days=sync_allowance_days(rec))
    return timedelta(days=sync_allowance_days(None))


def month_end(pay_month: str, tz: timezone | None) -> datetime:
    """The first instant after ``pay_month`` in the project's time zone (UTC without one)."""
    y, m = int(pay_month[:4]), int(pay_month[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return datetime(y, m, 1, tzinfo=tz or UTC)


def month_start(pay_month: str, tz: timezone | None) -> datetime:
    return datetime(int(pay_month[:4]), int(pay_month[5:7]), 1, tzinfo=tz or UTC)


@dataclass(frozen=True, slots=True)
class Gap:
    device: str
    first: int  # first missing device_seq
    last: int  # last missing device_seq
    after: datetime  # record time of the event before the gap
    before: datetime  # record time of the event after it

    def text(self, tz: timezone | None) -> str:
        events = f"event {self.first}" if self.first == self.last else \
            f"events {self.first}–{self.last}"  # fmt: skip
        return (f"gate {self.device} {events} missing between "
                f"{format_time(self.after.astimezone(tz) if tz else self.after)} and "
                f"{format_time(self.before.astimezone(tz) if tz else self.before)}")  # fmt: skip


def gaps(st: GateStatement) -> list[Gap]:
    out = []
    for a, b in zip(st.ranges, st.ranges[1:], strict=False):
        out.append(Gap(st.device, a[2] + 1, b[0] - 1, a[3], b[1]))
    return out


def statement_problems(st: GateStatement, punches: list[Item], head_counter: int | None) -> list[str]:
    """What a gate's statement fails to account for: a used punch (in the window) whose
    ``device_seq`` it does not hold, or a top above the gate's head counter at the checkpoint."""
    out = []
    for it in punches:
        rec = it.entry.record
        assert isinstance(rec, AttendanceRecord)
        if not st.window_from <= rec.time <= st.window_until:  # both ends included
            continue
        if not any(r[0] <= rec.device_seq <= r[2] for r in st.ranges):
            out.append(f"{st.where}: {it.where} (seq {it.seq}) is event {rec.device_seq} of "
                       f"{st.device}, which the statement does not hold")  # fmt: skip
    top = st.ranges[-1][2] if st.ranges else None
    if top is not None and (head_counter is None or top > head_counter):
        out.append(f"{st.where}: the statement holds event {top} of {st.device}, beyond the "
                   f"gate's head counter {head_counter} at the checkpoint")  # fmt: skip
    return out


__all__ = [
    "GATES_TAG",
    "Gap",
    "allowance",
    "device_claim",
    "gaps",
    "head_problem",
    "month_end",
    "month_start",
    "statement_problems",
    "stray_claims",
    "subject_claim",
    "used_gates",
]
