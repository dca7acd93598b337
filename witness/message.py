"""The bytes a witness signs for a batch (``docs/witnesses.md``, "Signed message").

    "siteledger/witness/v1" ‖ 0x00 ‖ chain_id (uint256, big-endian, 32 bytes)
    ‖ contract (20 bytes) ‖ batch_no (uint64 BE) ‖ root (32) ‖ heads_root (32)
    ‖ first_seq (uint64 BE) ‖ size (uint64 BE)

162 bytes, equal to Solidity's ``abi.encodePacked(bytes22(tag ‖ 0x00), uint256 chainId,
address registry, uint64 batchNo, bytes32 root, bytes32 headsRoot, uint64 firstSeq,
uint64 size)``. Binding the chain id and the contract address keeps a signature for one
deployment from being replayed on another; binding the batch number keeps it from being
replayed for another batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from witness.errors import WitnessError

TAG: Final = b"siteledger/witness/v1"
MESSAGE_SIZE: Final = len(TAG) + 1 + 32 + 20 + 8 + 32 + 32 + 8 + 8
_U64: Final = 2**64


@dataclass(frozen=True, slots=True)
class Commitment:
    """What a witness signs: a batch's commitment on one contract of one chain."""

    chain_id: int
    contract: bytes  # 20-byte address
    batch_no: int
    first_seq: int
    size: int
    root: bytes
    heads_root: bytes

    def __post_init__(self) -> None:
        if type(self.chain_id) is not int or not 0 < self.chain_id < 2**256:
            raise WitnessError("chain_id: must be an integer from 1 to 2^256 - 1")
        if len(self.contract) != 20:
            raise WitnessError(f"contract: must be 20 bytes, got {len(self.contract)}")
        for name in ("batch_no", "first_seq", "size"):
            v = getattr(self, name)
            if type(v) is not int or not 0 <= v < _U64:
                raise WitnessError(f"{name}: must be an integer from 0 to 2^64 - 1")
        if self.size < 1:
            raise WitnessError("size: a batch holds at least one entry")
        for name in ("root", "heads_root"):
            if len(getattr(self, name)) != 32:
                raise WitnessError(f"{name}: must be 32 bytes")

    def message(self) -> bytes:
        out = b"".join([
            TAG, b"\x00",
            self.chain_id.to_bytes(32, "big"),
            self.contract,
            self.batch_no.to_bytes(8, "big"),
            self.root,
            self.heads_root,
            self.first_seq.to_bytes(8, "big"),
            self.size.to_bytes(8, "big"),
        ])  # fmt: skip
        assert len(out) == MESSAGE_SIZE
        return out


def contract_address(text: str) -> bytes:
    """A ``0x``-prefixed 40-hex-digit address as 20 bytes (any letter case)."""
    if not isinstance(text, str) or len(text) != 42 or not text.startswith("0x"):
        raise WitnessError("contract: must be 0x followed by 40 hex digits")
    try:
        return bytes.fromhex(text[2:])
    except ValueError as exc:
        raise WitnessError("contract: must be 0x followed by 40 hex digits") from exc
