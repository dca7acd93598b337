"""A chain reader that replays answers recorded from a real chain.

The tamper corpus in ``tests/vectors/bundles`` was anchored on the embedded chain, which lives
only as long as the process that made it. ``generate.py`` asked that chain, through
``anchor.reader.ChainReader``, everything the verifier can ask about the corpus (chain id, the
contract's code check, every batch, every anchoring transaction's event, every block's
confirmations) and wrote the answers to ``chain.json``. ``RecordedChain`` answers from that file
exactly as the reader did, including its errors for what the chain does not have, so the
on-chain checks run on the corpus in any later process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from anchor.errors import AnchorError, ChainUnavailable, WrongChain
from anchor.reader import AnchorEvent, OnChainBatch, to_hex32
from ledger.core.times import format_time, parse_time


def record(reader: Any, contract: str, batches: list[Any]) -> dict[str, Any]:
    """Ask ``reader`` everything about ``batches`` (ledger.batcher.Batch, anchored)."""
    out: dict[str, Any] = {
        "chain_id": reader.chain_id(),
        "contract": contract.lower(),
        "batches": {},
        "events": {},
        "confirmations": {},
    }
    reader.check_code(contract)
    for b in batches:
        on = reader.batch(contract, b.batch_no)
        out["batches"][str(b.batch_no)] = {
            "root": on.root.hex(), "first_seq": on.first_seq, "size": on.size,
            "anchored_at": format_time(on.anchored_at), "block_number": on.block_number,
        }  # fmt: skip
        ev = reader.anchor_event(contract, b.tx_hash)
        out["events"][to_hex32(b.tx_hash)] = {
            "batch_no": ev.batch_no, "first_seq": ev.first_seq, "size": ev.size,
            "root": ev.root.hex(), "tx_hash": ev.tx_hash, "block_number": ev.block_number,
            "block_hash": ev.block_hash, "block_time": format_time(ev.block_time),
            "contract": ev.contract, "chain_id": ev.chain_id,
        }  # fmt: skip
        out["confirmations"][to_hex32(b.block_hash)] = {
            "block_number": b.block_number,
            "confirmations": reader.confirmations(b.block_number, b.block_hash),
        }
    return out


@dataclass
class RecordedChain:
    data: dict[str, Any]
    unreachable: bool = False

    @classmethod
    def load(cls, path: Path) -> RecordedChain:
        return cls(json.loads(path.read_text()))

    def _up(self) -> None:
        if self.unreachable:
            raise ChainUnavailable("recorded chain set unreachable")

    def chain_id(self) -> int:
        self._up()
        return int(self.data["chain_id"])

    def check_code(self, address: str, registry: int | None = None) -> int:
        self._up()
        if address.lower() != self.data["contract"]:
            raise WrongChain(f"no contract at {address} on chain {self.data['chain_id']}")
        recorded = int(self.data.get("registry", 1))  # the corpus was anchored on version 1
        if registry is not None and registry != recorded:
            raise WrongChain(f"the contract at {address} is AnchorRegistry version {recorded}, "
                             f"not version {registry}")  # fmt: skip
        return recorded

    def batch(self, contract: str, batch_no: int) -> OnChainBatch | None:
        self._up()
        if contract.lower() != self.data["contract"]:
            raise AnchorError(f"{contract} has no batchCount(): not an AnchorRegistry")
        b = self.data["batches"].get(str(batch_no))
        if b is None:
            return None
        return OnChainBatch(batch_no, bytes.fromhex(b["root"]), b["first_seq"], b["size"],
                            parse_time(b["anchored_at"]), b["block_number"])  # fmt: skip

    def anchor_event(self, contract: str, tx_hash: str, batch_no: int | None = None) -> AnchorEvent:
        self._up()
        ev = self.data["events"].get(to_hex32(tx_hash))
        if ev is None:
            raise AnchorError(f"transaction {tx_hash} is unknown on chain {self.data['chain_id']}")
        if contract.lower() != ev["contract"].lower():
            raise AnchorError(f"transaction {tx_hash} emitted no Anchored event from {contract}")
        return AnchorEvent(
            ev["batch_no"], ev["first_seq"], ev["size"], bytes.fromhex(ev["root"]), ev["tx_hash"],
            ev["block_number"], ev["block_hash"], _t(ev["block_time"]), ev["contract"],
            ev["chain_id"],
        )

    def witness_capable(self, contract: str) -> bool:
        """The recorded registry's code: the corpus was anchored on a registry without witness
        sets unless the recording says otherwise."""
        self._up()
        return bool(self.data.get("witness_capable", False))

    def witness_log(self, contract: str, tx_hash: str, batch_no: int) -> Any:
        self._up()
        return None  # a registry without witness sets emits no witness events

    def witness_set_hash(self, contract: str, version: int) -> bytes:
        self._up()
        raise AnchorError(f"{contract} is an AnchorRegistry without witness sets")

    def confirmations(self, block_number: int, block_hash: str) -> int:
        self._up()
        c = self.data["confirmations"].get(to_hex32(block_hash))
        if c is None or c["block_number"] != block_number:
            return 0
        return int(c["confirmations"])


def _t(text: str) -> datetime:
    return parse_time(text)
