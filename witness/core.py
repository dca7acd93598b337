"""A witness: the batch checks, the institution's plug-ins, the sign log and the key together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ledger.core.entry import Entry
from ledger.core.heads import BatchHead
from witness.bls import WitnessKey
from witness.follow import Follower
from witness.message import Commitment
from witness.signlog import SignLog


class InstitutionCheck(Protocol):
    """A plug-in: an institution's own check of a batch's entries (e.g. ``witness.bank``)."""

    name: str

    def check(self, entries: Sequence[Entry]) -> None: ...


@dataclass(frozen=True, slots=True)
class Cosignature:
    batch_no: int
    public_key: bytes
    signature: bytes
    message: bytes


class Witness:
    """Checks each sealed batch in order and signs its commitment for one deployment
    (``chain_id``, ``contract``). Refuses with BatchRefused or EquivocationRefused."""

    def __init__(self, key: WitnessKey, data_dir: Path, chain_id: int, contract: bytes,
                 checks: Sequence[InstitutionCheck] = (),
                 follower: Follower | None = None) -> None:  # fmt: skip
        self.key = key
        self.chain_id = chain_id
        self.contract = contract
        self.checks = list(checks)
        self.follower = follower or Follower()
        self.log = SignLog(data_dir)

    def commitment(self, head: BatchHead) -> Commitment:
        return Commitment(self.chain_id, self.contract, head.batch_no, head.first_seq,
                          head.size, head.root, head.heads_root)  # fmt: skip

    def sign_batch(self, head: BatchHead, entries: Sequence[Entry]) -> Cosignature:
        message = self.commitment(head).message()
        self.log.check(head.batch_no, message)  # an equivocation is refused before any work
        pending = self.follower.check(head, entries)
        for plugin in self.checks:
            plugin.check(entries)  # raises BatchRefused
        self.log.record(head.batch_no, message)  # durable before the signature exists
        signature = self.key.sign(message)
        self.follower.commit(pending)
        return Cosignature(head.batch_no, self.key.public_key, signature, message)
