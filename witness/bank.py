"""The bank plug-in: the bank holding the wage special account (工资专用账户) refuses a batch in
which a payment record names a bank serial commitment it did not execute.

Its input is a file of executed serial commitments, one per line as 64 lowercase hex digits
(blank lines and lines starting with ``#`` ignored); the bank appends to it as it executes
transfers, and the check rereads it when it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ledger.core.entry import Entry
from ledger.core.records import PaymentRecord
from witness.errors import BatchRefused, WitnessError


def read_serials(path: Path) -> frozenset[bytes]:
    out = set()
    for n, line in enumerate(path.read_text().splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if len(text) != 64 or text != text.lower():
            raise WitnessError(f"{path}: line {n}: want 64 lowercase hex digits")
        try:
            out.add(bytes.fromhex(text))
        except ValueError as exc:
            raise WitnessError(f"{path}: line {n}: want 64 lowercase hex digits") from exc
    return frozenset(out)


class BankCheck:
    """A plug-in: ``check(entries)`` returns None or raises BatchRefused (``bank_serial``)."""

    name = "bank"

    def __init__(self, serials_file: Path) -> None:
        self.path = serials_file
        self._mtime: int | None = None
        self._serials: frozenset[bytes] = frozenset()

    def serials(self) -> frozenset[bytes]:
        mtime = self.path.stat().st_mtime_ns
        if mtime != self._mtime:
            self._serials = read_serials(self.path)
            self._mtime = mtime
        return self._serials

    def check(self, entries: Sequence[Entry]) -> None:
        known = self.serials()
        for e in entries:
            rec = e.record
            if isinstance(rec, PaymentRecord) and rec.bank_serial_commitment not in known:
                raise BatchRefused("bank_serial", f"payment {rec.id} names bank serial "
                                   f"commitment {rec.bank_serial_commitment.hex()}, which this "
                                   "bank did not execute", e.seq)  # fmt: skip
