"""Corrections, approvals, acknowledgements and payments among verified entries: which entries
are in force. Shared by the bundle findings (``verifier.dispute``) and the presence answer
(``verifier.presence``, also used by the operator's API), so that one rule decides everywhere.

Rules (``docs/proof-format.md``, findings): a correction takes effect once an approval with
decision ``approve`` names its leaf hash (the latest decision by seq counts); ``void`` removes
its target, ``amend`` replaces it by the replacement, ``supplement`` adds the replacement (a
repair punch, 补卡); a punch with ``source`` ``repair`` counts only through an approved
correction bringing it in. Entries are taken once per seq, whatever the input repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ledger.core.entry import Entry
from ledger.core.records import (
    AckRecord,
    ApprovalRecord,
    AttendanceRecord,
    CorrectionRecord,
    PaymentRecord,
    Record,
    WageRecord,
)
from ledger.core.times import format_time
from verifier.result import Finding


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}" if fen >= 0 else "-" + yuan(-fen)



@dataclass
class Effects:
    """Corrections, approvals, acknowledgements and payments among verified entries."""

    entries: dict[bytes, Entry] = field(default_factory=dict)
    decisions: dict[bytes, tuple[int, str, Entry]] = field(default_factory=dict)
    corrections: list[tuple[bytes, Entry, CorrectionRecord]] = field(default_factory=list)
    acks: dict[bytes, list[tuple[Entry, AckRecord]]] = field(default_factory=dict)
    payments: dict[bytes, list[tuple[Entry, PaymentRecord]]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, pairs: Iterable[tuple[bytes, Entry]], _names: Callable[[str], Any] | None = None
    ) -> Effects:
        eff = cls()
        once: dict[int, tuple[bytes, Entry]] = {}
        for leaf, e in pairs:
            once.setdefault(e.seq, (leaf, e))  # an entry counts once, however often it is given
        for leaf, e in (once[k] for k in sorted(once)):
            eff.entries[leaf] = e
            rec = e.record
            if isinstance(rec, ApprovalRecord):
                eff.decisions[rec.target] = (e.seq, rec.decision, e)
            elif isinstance(rec, CorrectionRecord):
                eff.corrections.append((leaf, e, rec))
            elif isinstance(rec, AckRecord):
                eff.acks.setdefault(rec.target, []).append((e, rec))
            elif isinstance(rec, PaymentRecord) and rec.wage is not None:
                eff.payments.setdefault(rec.wage, []).append((e, rec))
        return eff

    def approved(self, leaf: bytes) -> bool:
        d = self.decisions.get(leaf)
        return d is not None and d[1] == "approve"

    def correction_of(self, leaf: bytes) -> tuple[bytes, Entry, CorrectionRecord] | None:
        """The latest correction that voids or amends ``leaf`` (approved or not)."""
        hits = [c for c in self.corrections if c[2].target == leaf]
        approved = [c for c in hits if self.approved(c[0])]
        chosen = approved or hits
        return chosen[-1] if chosen else None

    def status(self, leaf: bytes) -> dict[str, Any]:
        c = self.correction_of(leaf)
        if c is None:
            return {"state": "in_force"}
        cleaf, e, rec = c
        out: dict[str, Any] = {"correction_seq": e.seq, "action": rec.action, "reason": rec.reason}
        if not self.approved(cleaf):
            out["state"] = "correction_pending"
            return out
        out["approval_seq"] = self.decisions[cleaf][0]
        out["state"] = "voided" if rec.action == "void" else "amended"
        if rec.replacement is not None:
            out["replacement"] = rec.replacement.hex()
        return out

    def in_force(self, leaf: bytes, rec: Record) -> bool:
        """False for an entry voided or amended by an approved correction, and for a repair
        punch that no approved supplement brings in."""
        st = self.status(leaf)["state"]
        if st in ("voided", "amended"):
            return False
        if isinstance(rec, AttendanceRecord) and rec.source == "repair":
            return any(c[2].replacement == leaf and self.approved(c[0]) for c in self.corrections)
        return True

    def record_findings(self, leaf: bytes, entry: Entry) -> list[Finding]:
        out = []
        st = self.status(leaf)
        state = st["state"]
        if state == "in_force":
            out.append(Finding("status", True, "no correction voids or amends the record"))
        elif state == "correction_pending":
            out.append(Finding("status", False,
                               f"a correction (seq {st['correction_seq']}, {st['action']}: "
                               f"{st['reason']}) names the record but is not approved in the "
                               "bundle"))  # fmt: skip
        else:
            out.append(Finding("status", False,
                               f"the record is {state} by correction seq {st['correction_seq']} "
                               f"({st['reason']}), approved at seq {st['approval_seq']}"))  # fmt: skip
        d = self.decisions.get(leaf)
        if d is not None:
            out.append(Finding("approval", d[1] == "approve",
                               f"supervisor decision {d[1]} at seq {d[0]} "
                               f"({format_time(d[2].record.time)})"))  # fmt: skip
        for e, ack in self.acks.get(leaf, []):
            out.append(Finding("ack", ack.decision == "confirm",
                               f"the worker {ack.decision}s it at seq {e.seq} "
                               f"({format_time(ack.time)})" +
                               (f": {ack.reason}" if ack.reason else "")))  # fmt: skip
        rec = entry.record
        if isinstance(rec, WageRecord):
            paid = paid_total(self.payments.get(leaf, []))
            out.append(Finding("paid", paid == rec.net,
                               f"payments naming this wage line total {yuan(paid)} yuan, net "
                               f"wage {yuan(rec.net)} yuan", yuan(rec.net), yuan(paid)))  # fmt: skip
        return out


def publication_state(
    decisions: Sequence[tuple[int, str]], closes: datetime, sealed: datetime | None
) -> tuple[str, int | None]:
    """What became of a publication (``docs/proof-format.md``, finding ``publication``), from
    the worker's acks of it received within the window, as ``(seq, decision)`` in log order:
    ``objected`` when any is a ``dispute`` (the last one is named), ``acknowledged`` when there
    are others (the last one), ``silent`` when there are none and the checkpoint was sealed at or
    after the window's close ``closes`` (an ack in time would be in the run), else ``open``.
    Returns the state and the seq of the ack it names. The finding and the month timeline both
    use it, so the two never say different things about one publication."""
    disputes = [seq for seq, decision in decisions if decision == "dispute"]
    if disputes:
        return "objected", disputes[-1]
    if decisions:
        return "acknowledged", decisions[-1][0]
    if sealed is not None and sealed >= closes:
        return "silent", None
    return "open", None


def paid_total(payments: Iterable[tuple[Entry, PaymentRecord]]) -> int:
    total = 0
    for _, p in payments:
        if p.status == "paid":
            total += p.amount
        elif p.status == "returned":
            total -= p.amount
    return total
