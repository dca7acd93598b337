"""Errors of the witness: each derives from ``WitnessError`` (``verifier.witnesses``, shared with
the verifier), a ``ledger.core.errors.LedgerError``."""

from __future__ import annotations

from verifier.witnesses import WitnessError

__all__ = ["BatchRefused", "EquivocationRefused", "WitnessError"]


class BatchRefused(WitnessError):
    """A batch failed a check. ``check`` names the check (``entries_root``, ``heads_root``,
    ``seq_range``, ``batch_no``, ``signature``, ``authorisation``, ``subject_chain``,
    ``bank_serial``…); ``seq`` is the entry at fault when there is one."""

    def __init__(self, check: str, message: str, seq: int | None = None) -> None:
        where = f" (seq {seq})" if seq is not None else ""
        super().__init__(f"{check}: {message}{where}")
        self.check = check
        self.seq = seq
        self.reason = message


class EquivocationRefused(WitnessError):
    """The witness already signed a different message for this batch number."""
