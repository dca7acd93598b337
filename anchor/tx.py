"""Signing and sending transactions from the anchoring account: fees, replacement, receipts.

Fees are EIP-1559 (type 2) where the chain has a base fee: ``maxFeePerGas = 2 × baseFee + tip``
(room for six full blocks of base-fee growth), the tip from ``eth_maxPriorityFeePerGas``.
A chain without a base fee (some consortium chains) gets a legacy ``gasPrice`` transaction.
A replacement (same nonce) raises both fee fields by ``bump`` (at least the 10 % geth and
most nodes require) and never goes below what a fresh transaction would pay.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NewType

from anchor.errors import AnchorError, InsufficientFunds
from anchor.reader import chain_errors, to_hex32

if TYPE_CHECKING:
    from web3 import Web3

    from anchor.backends import Chain

Wei = NewType("Wei", int)
GWEI = 10**9
DEFAULT_TIP = Wei(1 * GWEI)  # when the node has no eth_maxPriorityFeePerGas


@dataclass(frozen=True, slots=True)
class Fees:
    """Either EIP-1559 (``max_fee`` and ``tip``) or legacy (``gas_price``) fee fields."""

    max_fee: Wei | None = None
    tip: Wei | None = None
    gas_price: Wei | None = None

    @property
    def ceiling(self) -> Wei:
        """The most one unit of gas can cost under these fees."""
        return Wei(self.gas_price if self.gas_price is not None else self.max_fee or 0)

    def fields(self) -> dict[str, Any]:
        if self.gas_price is not None:
            return {"gasPrice": self.gas_price}
        return {"type": 2, "maxFeePerGas": self.max_fee, "maxPriorityFeePerGas": self.tip}

    def bumped(self, factor: float, floor: Fees, cap: Wei | None = None) -> Fees:
        """Fees for a replacement: ``factor`` times these, and at least ``floor``."""

        def up(old: int | None, fresh: int | None) -> Wei:
            value = max(math.ceil((old or 0) * factor), fresh or 0)
            return Wei(min(value, cap) if cap is not None else value)

        if self.gas_price is not None or floor.gas_price is not None:
            return Fees(gas_price=up(self.gas_price, floor.gas_price))
        max_fee = up(self.max_fee, floor.max_fee)
        return Fees(max_fee=max_fee, tip=Wei(min(up(self.tip, floor.tip), max_fee)))

    @classmethod
    def of_tx(cls, tx: Any) -> Fees:
        """The fee fields of a transaction as the node returns it."""
        if tx.get("maxFeePerGas") is not None:
            return cls(max_fee=Wei(int(tx["maxFeePerGas"])),
                       tip=Wei(int(tx["maxPriorityFeePerGas"])))  # fmt: skip
        return cls(gas_price=Wei(int(tx["gasPrice"])))


def suggest_fees(w3: Web3, *, tip: Wei | None = None, cap: Wei | None = None) -> Fees:
    """Fees for a transaction sent now. ``cap`` limits ``maxFeePerGas`` (or ``gasPrice``)."""
    from web3.exceptions import Web3RPCError

    with chain_errors("reading fees"):
        block = w3.eth.get_block("latest")
        base = block.get("baseFeePerGas")
        if base is None:
            price = int(w3.eth.gas_price)
            return Fees(gas_price=Wei(min(price, cap) if cap is not None else price))
        if tip is None:
            try:
                tip = Wei(int(w3.eth.max_priority_fee))
            except Web3RPCError:
                tip = DEFAULT_TIP
    max_fee = 2 * int(base) + tip
    if cap is not None:
        max_fee = min(max_fee, cap)
    return Fees(max_fee=Wei(max_fee), tip=Wei(min(tip, max_fee)))


def check_funds(chain: Chain, gas: int, fees: Fees, what: str) -> None:
    """Raise InsufficientFunds unless the account can pay ``gas`` at the fee ceiling."""
    with chain_errors(f"reading the balance of {chain.address}"):
        balance = int(chain.w3.eth.get_balance(chain.address))  # type: ignore[arg-type]
    need = gas * fees.ceiling
    if balance < need:
        raise InsufficientFunds(
            f"the anchoring account {chain.address} holds {balance} wei on chain "
            f"{chain.chain_id}; {what} needs up to {need} wei ({gas} gas at "
            f"{fees.ceiling} wei): fund the account"
        )


@dataclass(frozen=True, slots=True)
class Signed:
    tx_hash: str
    raw: bytes
    nonce: int
    gas: int
    fees: Fees


def sign(chain: Chain, *, to: str | None, data: str, nonce: int, gas: int, fees: Fees) -> Signed:
    tx: dict[str, Any] = {"data": data, "value": 0, "nonce": nonce, "gas": gas,
                          "chainId": chain.chain_id, **fees.fields()}  # fmt: skip
    if to is not None:
        tx["to"] = to
    signed = chain.account.sign_transaction(tx)
    return Signed(to_hex32(signed.hash), bytes(signed.raw_transaction), nonce, gas, fees)


class NonceUsed(AnchorError):
    """The node refused the transaction because its nonce was already used."""


class Underpriced(AnchorError):
    """The node refused a replacement whose fees were not high enough."""


def broadcast(w3: Web3, signed: Signed) -> None:
    """``eth_sendRawTransaction``. A transaction the node already has counts as sent.

    Raises NonceUsed, Underpriced, InsufficientFunds, ChainUnavailable or AnchorError.
    """
    from web3.exceptions import Web3RPCError

    with chain_errors(f"sending transaction {signed.tx_hash}"):
        try:
            w3.eth.send_raw_transaction(signed.raw)
        except (Web3RPCError, ValueError) as exc:
            msg = str(exc).lower()
            if "already known" in msg or "known transaction" in msg or "already imported" in msg:
                return
            if "nonce too low" in msg or "nonce is too low" in msg or "already used" in msg:
                raise NonceUsed(f"nonce {signed.nonce} is already used: {exc}") from exc
            if "underpriced" in msg or "fee too low" in msg:
                raise Underpriced(f"replacement of nonce {signed.nonce} refused: {exc}") from exc
            if "insufficient funds" in msg:
                raise InsufficientFunds(f"transaction {signed.tx_hash}: {exc}") from exc
            raise AnchorError(f"sending transaction {signed.tx_hash}: {exc}") from exc


def receipt(w3: Web3, tx_hash: str) -> Any | None:
    """The receipt of ``tx_hash``, or None while it is not mined (or unknown)."""
    from web3.exceptions import TransactionNotFound

    with chain_errors(f"reading the receipt of {tx_hash}"):
        try:
            return w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None


def pending_tx(w3: Web3, tx_hash: str) -> Any | None:
    """The transaction as the node knows it (mempool or chain), None if it does not."""
    from web3.exceptions import TransactionNotFound

    with chain_errors(f"reading transaction {tx_hash}"):
        try:
            return w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None


def nonce(w3: Web3, address: str, block: str = "pending") -> int:
    with chain_errors(f"reading the nonce of {address}"):
        return int(w3.eth.get_transaction_count(address, block))  # type: ignore[arg-type]


def wait_receipt(w3: Web3, tx_hash: str, timeout: float, poll: float = 0.2) -> Any:
    """Block until ``tx_hash`` is mined; AnchorError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        r = receipt(w3, tx_hash)
        if r is not None:
            return r
        if time.monotonic() > deadline:
            raise AnchorError(f"transaction {tx_hash} not mined after {timeout:.0f} s")
        time.sleep(poll)
