"""A read-only view of the AnchorRegistry on some chain: what the verifier asks the chain.

Holds no key and sends nothing. Imports nothing from ``ledger`` but ``ledger.core`` (via
``anchor.errors``), and web3 only when a reader is made, so ``import anchor.reader`` is cheap.
Every failure is an ``AnchorError``: ``ChainUnavailable`` when the node cannot be reached
(a verifier's INCONCLUSIVE), a plain ``AnchorError`` when the chain answered and the answer is
wrong (unknown transaction, failed transaction, no ``Anchored`` event from that contract).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from anchor import artifacts
from anchor.errors import AnchorError, ChainUnavailable, WrongChain

if TYPE_CHECKING:
    from web3 import Web3
    from web3.contract import Contract

#: Seconds a reader made by ``from_url`` waits for one JSON-RPC answer.
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class OnChainBatch:
    """What the contract stores about one batch."""

    batch_no: int
    root: bytes
    first_seq: int
    size: int
    anchored_at: datetime  # block.timestamp of the anchoring block, UTC
    block_number: int


@dataclass(frozen=True, slots=True)
class AnchorEvent:
    """One ``Anchored`` event, located in its transaction, block and chain."""

    batch_no: int
    first_seq: int
    size: int
    root: bytes
    tx_hash: str
    block_number: int
    block_hash: str
    block_time: datetime  # UTC
    contract: str  # checksummed
    chain_id: int


def _revert_data(exc: BaseException) -> bytes | None:
    """The raw revert bytes carried by web3's or eth-tester's revert exception, if any."""
    data = getattr(exc, "data", None)
    if isinstance(data, str) and data.startswith("0x"):
        try:
            return bytes.fromhex(data[2:])
        except ValueError:
            return None
    if isinstance(data, bytes):
        return data
    # eth-tester: TransactionFailed("execution reverted: b'...'")
    text = str(exc.args[0]) if exc.args else ""
    prefix = "execution reverted: "
    if text.startswith(prefix):
        try:
            value = ast.literal_eval(text[len(prefix) :])
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, bytes) else None
    return None


def revert_reason(exc: BaseException) -> str | None:
    """``WrongBatchNo(got=3, want=4)`` for a revert of our contract; None if ``exc`` isn't one."""
    data = _revert_data(exc)
    return artifacts.decode_revert(data) if data is not None else None


@contextmanager
def chain_errors(what: str) -> Iterator[None]:
    """Translate web3, requests and eth-tester exceptions into the AnchorError tree.

    ``what`` says what was being done ("reading batch 3"), so the message names the operation.
    """
    import requests
    from web3 import exceptions as w3e

    reverts: tuple[type[BaseException], ...] = (w3e.ContractLogicError,)
    tester = sys.modules.get("eth_tester.exceptions")  # only the embedded chain raises these
    if tester is not None:
        reverts += (tester.TransactionFailed,)
    try:
        yield
    except AnchorError:
        raise
    except (
        requests.RequestException,
        ConnectionError,
        TimeoutError,
        w3e.ProviderConnectionError,
        w3e.RequestTimedOut,
        w3e.TooManyRequests,
        w3e.MultipleFailedRequests,
    ) as exc:
        raise ChainUnavailable(f"{what}: chain unreachable: {exc}") from exc
    except reverts as exc:
        raise AnchorError(f"{what}: reverted: {revert_reason(exc) or exc}") from exc
    except w3e.Web3Exception as exc:
        raise AnchorError(f"{what}: {exc}") from exc


def to_hex32(value: bytes | str) -> str:
    """A 32-byte hash as lowercase ``0x`` + 64 hex digits."""
    if isinstance(value, str):
        return value.lower() if value.startswith("0x") else "0x" + value.lower()
    return "0x" + bytes(value).hex()


def _utc(ts: int) -> datetime:
    return datetime.fromtimestamp(int(ts), UTC)


class ChainReader:
    """Read-only queries against the AnchorRegistry on the chain behind ``w3``."""

    def __init__(self, w3: Web3) -> None:
        self.w3 = w3
        self._chain_id: int | None = None
        self._contracts: dict[str, Contract] = {}

    @classmethod
    def from_url(cls, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> ChainReader:
        """A reader over HTTP(S) JSON-RPC. Connects lazily: nothing is sent until a query."""
        return cls(http_web3(url, timeout=timeout))

    # ------------------------------------------------------------------ chain

    def chain_id(self) -> int:
        if self._chain_id is None:
            with chain_errors("reading the chain id"):
                self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    def head(self) -> int:
        """The number of the newest block."""
        with chain_errors("reading the block number"):
            return int(self.w3.eth.block_number)

    def block_hash(self, block_number: int) -> str | None:
        """The canonical hash at height ``block_number``, None if the chain is not that long."""
        from web3.exceptions import BlockNotFound

        with chain_errors(f"reading block {block_number}"):
            try:
                block = self.w3.eth.get_block(block_number)
            except BlockNotFound:
                return None
        return to_hex32(block["hash"])

    def confirmations(self, block_number: int, block_hash: str) -> int:
        """How many blocks, counting its own, are built on ``block_hash`` (1 = just mined);
        0 if that block is no longer canonical (a reorg replaced it) or not yet reached."""
        canonical = self.block_hash(block_number)
        if canonical is None or canonical != to_hex32(block_hash):
            return 0
        return self.head() - block_number + 1

    # ------------------------------------------------------------------ contract

    def contract(self, address: str) -> Contract:
        from web3 import Web3

        try:
            checksum = Web3.to_checksum_address(address)
        except ValueError as exc:
            raise AnchorError(f"{address!r} is not a contract address") from exc
        c = self._contracts.get(checksum)
        if c is None:
            c = self.w3.eth.contract(address=checksum, abi=artifacts.load().abi)
            self._contracts[checksum] = c
        return c

    def check_code(self, address: str) -> None:
        """Raise WrongChain unless the code at ``address`` is the committed AnchorRegistry.

        The contract's guarantees (one root per batch number, contiguous ranges) hold only for
        this code, so a verifier should call this before trusting any event from ``address``.
        """
        c = self.contract(address)
        with chain_errors(f"reading the code at {c.address}"):
            code = bytes(self.w3.eth.get_code(c.address))
        want = bytes.fromhex(artifacts.load().deployed_bytecode[2:])
        if not code:
            raise WrongChain(f"no contract at {c.address} on chain {self.chain_id()}")
        if code != want:
            raise WrongChain(
                f"the code at {c.address} on chain {self.chain_id()} is not the AnchorRegistry "
                f"of {artifacts.load().path.name} ({len(code)} bytes, want {len(want)})"
            )

    def batch_count(self, contract: str) -> int:
        c = self.contract(contract)
        with chain_errors(f"reading batchCount() of {c.address}"):
            return int(c.functions.batchCount().call())

    def next_seq(self, contract: str) -> int:
        c = self.contract(contract)
        with chain_errors(f"reading nextSeq() of {c.address}"):
            return int(c.functions.nextSeq().call())

    def batch(self, contract: str, batch_no: int) -> OnChainBatch | None:
        """What the contract stores for ``batch_no``, None if it is not anchored (yet)."""
        if batch_no < 0 or batch_no >= self.batch_count(contract):
            return None
        c = self.contract(contract)
        with chain_errors(f"reading batch {batch_no} of {c.address}"):
            root, first, size, at, block = c.functions.batch(batch_no).call()
        return OnChainBatch(batch_no, bytes(root), int(first), int(size), _utc(at), int(block))

    def anchor_event(self, contract: str, tx_hash: str, batch_no: int | None = None) -> AnchorEvent:
        """The ``Anchored`` event that transaction ``tx_hash`` emitted from ``contract``.

        Raises AnchorError if the chain does not know the transaction, if it failed, or if it
        emitted no ``Anchored`` event from that contract (for ``batch_no``, when given).
        """
        from web3.exceptions import TransactionNotFound

        c = self.contract(contract)
        with chain_errors(f"reading transaction {tx_hash}"):
            try:
                receipt = self.w3.eth.get_transaction_receipt(to_hex32(tx_hash))  # type: ignore[arg-type]
            except TransactionNotFound as exc:
                raise AnchorError(
                    f"transaction {tx_hash} is unknown on chain {self.chain_id()} (never sent, "
                    "not mined yet, or dropped by a reorg)"
                ) from exc
        if receipt["status"] != 1:
            raise AnchorError(f"transaction {tx_hash} failed (status 0) in block "
                              f"{receipt['blockNumber']}")  # fmt: skip
        events = [e for e in self._anchored_logs(c, receipt["logs"])
                  if batch_no is None or e["args"]["batchNo"] == batch_no]  # fmt: skip
        if not events:
            which = "" if batch_no is None else f" for batch {batch_no}"
            raise AnchorError(f"transaction {tx_hash} emitted no Anchored event{which} "
                              f"from {c.address}")  # fmt: skip
        return self._event(c, events[0], receipt["blockHash"], receipt["blockNumber"])

    def find_anchor(self, contract: str, batch_no: int) -> AnchorEvent | None:
        """The event that anchored ``batch_no``, found from the block the contract recorded;
        None if the batch is not anchored."""
        on_chain = self.batch(contract, batch_no)
        if on_chain is None:
            return None
        c = self.contract(contract)
        topic = "0x" + batch_no.to_bytes(32, "big").hex()
        with chain_errors(f"reading the Anchored event of batch {batch_no}"):
            logs = self.w3.eth.get_logs({
                "address": c.address, "fromBlock": on_chain.block_number,
                "toBlock": on_chain.block_number, "topics": [artifacts.ANCHORED_TOPIC, topic],
            })  # fmt: skip
        events = self._anchored_logs(c, logs)
        if not events:
            raise AnchorError(
                f"batch {batch_no} is anchored in block {on_chain.block_number} of {c.address} "
                "but that block has no Anchored event for it (node without logs?)"
            )
        log = events[-1]
        return self._event(c, log, log["blockHash"], log["blockNumber"])

    # ------------------------------------------------------------------ internals

    def _anchored_logs(self, c: Contract, logs: Any) -> list[Any]:
        from web3.exceptions import Web3Exception

        out = []
        for log in logs:
            if log["address"].lower() != c.address.lower() or not log["topics"]:
                continue
            if to_hex32(log["topics"][0]) != artifacts.ANCHORED_TOPIC:
                continue
            try:
                out.append(c.events.Anchored().process_log(log))
            except Web3Exception as exc:
                raise AnchorError(f"undecodable Anchored event from {c.address}: {exc}") from exc
        return out

    def _event(self, c: Contract, ev: Any, block_hash: Any, block_number: int) -> AnchorEvent:
        with chain_errors(f"reading block {to_hex32(block_hash)}"):
            block = self.w3.eth.get_block(block_hash)
        args = ev["args"]
        return AnchorEvent(
            batch_no=int(args["batchNo"]), first_seq=int(args["firstSeq"]), size=int(args["size"]),
            root=bytes(args["root"]), tx_hash=to_hex32(ev["transactionHash"]),
            block_number=int(block_number), block_hash=to_hex32(block["hash"]),
            block_time=_utc(block["timestamp"]), contract=c.address, chain_id=self.chain_id(),
        )  # fmt: skip


def http_web3(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Web3:
    """A Web3 over HTTP(S) with a request timeout and without web3's own retries (callers
    decide how to retry; the worker backs off, a verifier reports INCONCLUSIVE)."""
    from web3 import HTTPProvider, Web3

    if not url.startswith(("http://", "https://")):
        raise AnchorError(f"RPC URL {url!r} must start with http:// or https://")
    provider = HTTPProvider(url, request_kwargs={"timeout": timeout},
                            exception_retry_configuration=None)  # fmt: skip
    return Web3(provider)
