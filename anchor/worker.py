"""Sealing and anchoring: two workers that never wait for each other.

``Sealer`` seals due batches (``ledger.batcher.seal``, by ``batch.max_size`` and
``batch.max_age``) on its own schedule and never touches the chain, so the maximum batch age
holds whatever the chain does (a frozen node, an unreachable RPC, a back-off after failures).
Sealing is safe from any number of processes (it holds the log lock while it decides).

``Anchorer`` puts sealed batches on chain, in order, once, when the chain answers: it calls
``anchor(batchNo, firstSeq, size, root, headsRoot)`` on the registry version 2 contract
(docs/contract.md). Each has ``run_forever(stop)``; run them in two threads (or processes).

One anchoring pass (``Anchorer.run_once``) does, in this order:

1. (only when asked, for one-shot callers such as ``siteledger anchor``: one ``Sealer`` pass);
2. take the anchoring lock (``anchor.lock``); without it, stop here (another process anchors);
3. if the chain head moved, check that every anchor recorded within ``reorg_window`` blocks is
   still in a canonical block; one that is not is either found re-included (its record is
   updated) or the batch is marked ``reorged`` and will be anchored again;
4. read the contract's ``batchCount()``: a local anchor the contract no longer has is marked
   ``reorged``; a batch the contract already has is *adopted* (its ``Anchored`` event gives the
   transaction and block) if its roots and range agree and the event rebuilds the stored
   commitment, and is a fatal ``ChainMismatch`` if not;
5. look after transactions in flight: mined (record the block), reverted or nonce taken by
   another transaction (forget it, send again), dropped from the mempool (broadcast again),
   pending longer than ``stuck_after`` (replace: same nonce, fees raised by ``fee_bump``);
6. send the next batches (at most ``max_pending`` in flight), each recorded in the database
   with its hash and nonce *before* it is broadcast; on a registry with a witness set, each
   batch first gets its witness quorum (``anchor.witnessing``: ``anchorWitnessed`` with the
   aggregate) or, under the timeout fault policy, its unwitnessed mark; without either (the
   wait policy) sending stops at that batch until a later pass finds the quorum;
7. mark ``anchored`` every batch whose block has ``confirmations`` confirmations.

Because step 4 reads the contract before step 6 sends, and the contract accepts only the next
batch number, a restart at any point can never anchor a batch twice: the worst case is a
duplicate transaction that reverts with ``WrongBatchNo`` and costs its gas.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from anchor import artifacts, tx
from anchor.backends import Backend, Chain, from_config
from anchor.errors import (
    AnchorError,
    ChainMismatch,
    ChainUnavailable,
    InsufficientFunds,
    NotAnchorer,
    WrongChain,
)
from anchor.lock import AnchorLock
from anchor.reader import ChainReader, chain_errors
from anchor.witnessing import Decision, Witnessing
from ledger import batcher
from ledger.batcher import Batch
from ledger.config import Config
from ledger.core.errors import LedgerError
from ledger.store import BatchWitnesses, Store

if TYPE_CHECKING:
    from web3.contract import Contract

log = logging.getLogger("siteledger.anchor")


class Sealer:
    """Seals due batches of ``store`` by size and age, on its own schedule; never touches the
    chain. One per thread; any number per database.

    ``interval`` is the pause between passes: by default a tenth of ``batch.max_age``, between
    0.05 and 0.5 s, so a batch is sealed at most that long after its oldest entry became due.
    """

    def __init__(self, store: Store, cfg: Config, *, interval: float | None = None) -> None:
        self.store = store
        self.cfg = cfg
        if interval is None:
            interval = min(0.5, max(0.05, cfg.batch_max_age.total_seconds() / 10))
        self.interval = interval
        self.failures = 0  # consecutive failed passes (run_forever)
        self.last_error: str | None = None

    def run_once(self, *, force: bool = False) -> list[Batch]:
        """Seal every due batch now (``force``: whatever waits, due or not); returns them."""
        return batcher.seal(self.store, max_size=self.cfg.batch_max_size,
                            max_age=self.cfg.batch_max_age, force=force)  # fmt: skip

    def run_forever(self, stop: threading.Event) -> None:
        """Passes every ``interval`` seconds until ``stop`` is set. A database failure is logged
        and retried with back-off (up to 5 s); nothing here waits for the chain."""
        delay = self.interval
        while not stop.is_set():
            try:
                sealed = self.run_once()
            except (LedgerError, SQLAlchemyError) as exc:
                self.failures += 1
                self.last_error = str(exc)
                delay = min(max(delay, self.interval) * 2, 5.0)
                log.error("sealing failed (attempt %d, next in %.1f s): %s",
                          self.failures, delay, exc)  # fmt: skip
            else:
                if self.failures:
                    log.info("sealing recovered after %d failed attempts", self.failures)
                self.failures, self.last_error, delay = 0, None, self.interval
                for b in sealed:
                    log.info("sealed batch %d: seq %d..%d (%d entries)", b.batch_no, b.first_seq,
                             b.end_seq - 1, b.size)  # fmt: skip
            stop.wait(delay)


@dataclass(frozen=True, slots=True)
class AnchorSettings:
    """How the worker behaves. ``from_config`` takes what ``config.toml`` sets; the rest are
    defaults that suit public chains and local nodes alike."""

    confirmations: int = 1  # blocks, counting the anchoring block; 1 = mined
    poll_seconds: float = 1.0  # pause between passes of run_forever
    backoff_max: float = 60.0  # longest pause after repeated failures
    max_pending: int = 4  # anchoring transactions in flight at once
    stuck_after: float = 90.0  # seconds in the mempool before a fee-raising replacement
    fee_bump: float = 1.25  # replacement fees = this × the previous fees (nodes want ≥ 1.1)
    tip: tx.Wei | None = None  # priority fee; None asks the node (eth_maxPriorityFeePerGas)
    max_fee: tx.Wei | None = None  # refuse to offer more than this per gas (None: no cap)
    gas_margin: float = 1.25  # gas limit = estimate × this
    reorg_window: int = 128  # blocks below the head in which recorded anchors are rechecked
    settle_seconds: float = 2.0  # after sending, wait this long at most for the receipts

    @classmethod
    def from_config(cls, cfg: Config, **overrides: object) -> AnchorSettings:
        base = cls(confirmations=max(1, cfg.chain.confirmations),
                   poll_seconds=cfg.chain.poll_seconds)  # fmt: skip
        return replace(base, **overrides) if overrides else base  # type: ignore[arg-type]


@dataclass(slots=True)
class PassReport:
    """What one pass did."""

    sealed: list[Batch] = field(default_factory=list)
    sent: list[tuple[int, str]] = field(default_factory=list)  # (batch_no, tx hash)
    rebroadcast: list[tuple[int, str]] = field(default_factory=list)
    replaced: list[tuple[int, str]] = field(default_factory=list)
    adopted: list[tuple[int, str]] = field(default_factory=list)  # found on chain, not sent by us
    mined: list[tuple[int, int]] = field(default_factory=list)  # (batch_no, block)
    anchored: list[int] = field(default_factory=list)
    reorged: list[int] = field(default_factory=list)
    unsent: list[int] = field(default_factory=list)  # a transaction that will never anchor
    waiting: int = 0  # batches not anchored after the pass
    standby: bool = False  # another process holds the anchoring lock
    witness_wait: int | None = None  # the batch that waits for its witness quorum (wait policy)

    @property
    def did_something(self) -> bool:
        return bool(self.sealed or self.sent or self.rebroadcast or self.replaced
                    or self.adopted or self.mined or self.anchored or self.reorged
                    or self.unsent)  # fmt: skip

    def lines(self) -> list[str]:
        out = [f"sealed batch {b.batch_no}: seq {b.first_seq}..{b.end_seq - 1} "
               f"({b.size} entries), root {b.root.hex()}" for b in self.sealed]  # fmt: skip
        if self.standby:
            out.append("another process holds the anchoring lock: not anchoring")
        out += [f"reorged batch {n}: its anchor left the canonical chain" for n in self.reorged]
        out += [f"adopted batch {n}: already on chain, tx {h}" for n, h in self.adopted]
        out += [f"dropped tx of batch {n}: it can no longer anchor; sending again"
                for n in self.unsent]  # fmt: skip
        out += [f"sent batch {n}: tx {h}" for n, h in self.sent]
        out += [f"rebroadcast batch {n}: tx {h}" for n, h in self.rebroadcast]
        out += [f"replaced tx of batch {n} (higher fee): tx {h}" for n, h in self.replaced]
        out += [f"mined batch {n} in block {b}" for n, b in self.mined]
        out += [f"anchored batch {n}" for n in self.anchored]
        if self.witness_wait is not None:
            out.append(f"batch {self.witness_wait}: waiting for its witness quorum")
        out.append(f"{self.waiting} batch(es) waiting to be anchored")
        return out


@dataclass(slots=True)
class _InFlight:
    """What this process remembers of a transaction it sent (lost on restart, rebuilt)."""

    first_seen: float  # time.monotonic()
    signed: tx.Signed | None = None


class Anchorer:
    """Anchors the store's sealed batches on the configured chain. One per process; it never
    seals in ``run_forever`` (run a ``Sealer`` beside it).

    ``backend``, ``settings`` and ``lock`` default to what ``cfg`` names; ``contract``
    defaults to ``cfg.chain.contract`` (the embedded backend deploys one if none is set). The
    contract's code decides how batches are anchored: version 2 with the heads root, version 1
    (a contract deployed before version 2) with the entries root only, which leaves the head
    maps unanchored (a warning says so; ``siteledger chain deploy --force`` moves to version 2).
    """

    def __init__(
        self,
        store: Store,
        cfg: Config,
        backend: Backend | None = None,
        *,
        settings: AnchorSettings | None = None,
        lock: AnchorLock | None = None,
        contract: str | None = None,
    ) -> None:
        self.store = store
        self.cfg = cfg
        self.backend = backend if backend is not None else from_config(cfg)
        self.settings = settings or AnchorSettings.from_config(cfg)
        self.lock = lock or AnchorLock(store.engine)
        self._contract = contract or cfg.chain.contract
        self._version = artifacts.CURRENT  # AnchorRegistry version of the contract (connect)
        self._chain: Chain | None = None
        self._reader: ChainReader | None = None
        self._checked = False
        self._seen_head: tuple[int, str | None] | None = None
        self._in_flight: dict[str, _InFlight] = {}
        self._gas: dict[str, int] = {}  # estimated gas limit per contract function
        self.witnessing = Witnessing(cfg.witnesses) if cfg.witnesses.enabled else None
        self.failures = 0  # consecutive failed passes (run_forever)
        self.last_error: str | None = None

    # ------------------------------------------------------------------ connection

    @property
    def contract(self) -> str | None:
        return self._contract

    def connect(self) -> tuple[Chain, ChainReader]:
        """Connect (starting anvil if needed), check the chain and the contract once."""
        chain = self.backend.connect()
        if chain is not self._chain or self._reader is None:
            self._chain, self._reader, self._checked = chain, ChainReader(chain.w3), False
            self._seen_head = None
        reader = self._reader
        if self._checked:
            return chain, reader
        if self._contract is None:
            if self.backend.name != "embedded":
                raise AnchorError("no contract configured (chain.contract): run "
                                  "`siteledger chain deploy`")  # fmt: skip
            from anchor.deploy import deploy

            self._contract = deploy(chain).contract
            log.info("deployed AnchorRegistry at %s on the embedded chain", self._contract)
        last = batcher.mined_batches(self.store, state="anchored", limit=1)
        if last and last[0].contract == self._contract and last[0].chain_id != chain.chain_id:
            raise WrongChain(f"contract {self._contract} anchored batches on chain "
                             f"{last[0].chain_id}, but the backend serves chain "
                             f"{chain.chain_id}")  # fmt: skip
        self._version = reader.check_code(self._contract)
        if self._version < artifacts.CURRENT:
            log.warning(
                "contract %s is AnchorRegistry version %d: batches are anchored without their "
                "head-map roots; `siteledger chain deploy --force` deploys version %d (every "
                "batch is then anchored again on it; the anchors on the old contract stay valid "
                "there)", self._contract, self._version, artifacts.CURRENT)  # fmt: skip
        c = reader.contract(self._contract)
        with chain_errors("reading the anchorer role"):
            is_anchorer = bool(c.functions.isAnchorer(chain.address).call())
        if not is_anchorer:
            raise NotAnchorer(f"account {chain.address} is not an anchorer of {c.address}: the "
                              "admin must call grantAnchorer for it")  # fmt: skip
        if self.witnessing is not None:
            self.witnessing.check_contract(reader, self._contract)
        else:
            current = reader.witness_set(self._contract) if self._version >= 2 else None
            if current is not None and current[2] > 0:
                raise AnchorError(f"{c.address} holds witness set version {current[0]} "
                                  f"({current[1]} of {current[2]}): configure [witnesses] (set, "
                                  "urls, fault_policy) to anchor with its quorum")  # fmt: skip
        self._checked = True
        return chain, reader

    def _drop_connection(self) -> None:
        self._chain, self._reader, self._checked = None, None, False
        self.backend.close()

    def close(self) -> None:
        self._drop_connection()
        self.lock.release()

    # ------------------------------------------------------------------ passes

    def run_once(self, *, seal: bool = False, force_seal: bool = False) -> PassReport:
        """One anchoring pass (see the module docstring). ``seal`` first runs one ``Sealer``
        pass in this thread (``force_seal``: sealing whatever waits, due or not), for one-shot
        callers; ``run_forever`` never does.

        Raises AnchorError (ChainUnavailable when the node cannot be reached); the batches keep
        their state and the next pass continues from the database and the chain.
        """
        report = PassReport()
        if seal or force_seal:
            report.sealed = Sealer(self.store, self.cfg).run_once(force=force_seal)
        try:
            if not self.lock.acquire():
                report.standby = True
                return report
            try:
                self._pass(report)
            except ChainUnavailable:
                self._drop_connection()
                raise
        finally:
            report.waiting = sum(n for s, n in batcher.count_by_state(self.store).items()
                                 if s != "anchored")  # fmt: skip
        return report

    def run_until_anchored(self, timeout: float, *, force_seal: bool = True) -> PassReport:
        """Seal and anchor, pass after pass, until nothing waits (or ``timeout`` seconds);
        returns the merged report. For one-shot callers (``siteledger anchor``, the demo)."""
        deadline = time.monotonic() + timeout
        total = PassReport()
        force = force_seal
        while True:
            r = self.run_once(seal=True, force_seal=force)
            force = False
            for name in ("sealed", "sent", "rebroadcast", "replaced", "adopted", "mined",
                         "anchored", "reorged", "unsent"):  # fmt: skip
                getattr(total, name).extend(getattr(r, name))
            total.waiting, total.standby, total.witness_wait = r.waiting, r.standby, r.witness_wait
            if r.waiting == 0 or r.standby or time.monotonic() > deadline:
                return total
            time.sleep(min(self.settings.poll_seconds, 0.2))

    def run_forever(self, stop: threading.Event) -> None:
        """Anchoring passes every ``poll_seconds`` until ``stop`` is set (``siteledger serve``
        runs it beside ``Sealer.run_forever``). Seals nothing.

        Failures are logged and retried with exponential backoff up to ``backoff_max``; they
        never affect ingestion or sealing, which do not wait for the chain.
        """
        delay = self.settings.poll_seconds
        try:
            while not stop.is_set():
                try:
                    report = self.run_once()
                except (LedgerError, SQLAlchemyError) as exc:
                    self.failures += 1
                    self.last_error = str(exc)
                    delay = min(max(delay, self.settings.poll_seconds) * 2,
                                self.settings.backoff_max)  # fmt: skip
                    level = logging.WARNING if isinstance(exc, ChainUnavailable) else logging.ERROR
                    log.log(level, "anchoring failed (attempt %d, next in %.1f s): %s",
                            self.failures, delay, exc)  # fmt: skip
                else:
                    if self.failures:
                        log.info("anchoring recovered after %d failed attempts", self.failures)
                    self.failures, self.last_error = 0, None
                    delay = self.settings.poll_seconds
                    if report.did_something:
                        for line in report.lines():
                            log.info("%s", line)
                stop.wait(delay)
        finally:
            self.close()

    # ------------------------------------------------------------------ one pass

    def _pass(self, report: PassReport) -> None:
        chain, reader = self.connect()
        assert self._contract is not None
        head = reader.head()
        self._check_reorgs(reader, head, report)
        count = reader.batch_count(self._contract)
        for b in batcher.mined_batches(self.store, min_batch_no=count):
            batcher.mark_reorged(self.store, b.batch_no,
                                 f"the contract has {count} batches, so the anchor of batch "
                                 f"{b.batch_no} (tx {b.tx_hash}, block {b.block_number}) is "
                                 "gone: reorg or chain reset")  # fmt: skip
            report.reorged.append(b.batch_no)
        todo = batcher.next_to_anchor(self.store, limit=self.settings.max_pending + 64)
        for b in todo:
            if b.batch_no < count:
                self._adopt(chain, reader, b, report)
        self._receipts(chain, reader, report)
        in_flight = self._look_after_in_flight(chain, report)
        self._send(chain, reader, in_flight, report)
        self._receipts(chain, reader, report)
        if report.sent or report.rebroadcast or report.replaced:
            # a local node mines at once, but its receipt may trail the send by a moment:
            # waiting briefly here saves a whole poll interval of latency
            deadline = time.monotonic() + self.settings.settle_seconds
            while batcher.pending_txs(self.store) and time.monotonic() < deadline:
                time.sleep(0.05)
                self._receipts(chain, reader, report)
        self._confirm(reader, report)

    def _check_reorgs(self, reader: ChainReader, head: int, report: PassReport) -> None:
        top = (head, reader.block_hash(head))
        if top == self._seen_head:
            return
        assert self._contract is not None
        window = max(self.settings.reorg_window, self.settings.confirmations)
        min_block = max(0, head - window)
        seen = self._seen_head
        if seen is not None and seen[0] <= head and reader.block_hash(seen[0]) == seen[1]:
            # the head we saw last is still canonical, so are all the blocks below it: only
            # anchors recorded in later blocks need a look (one read per pass, not per batch)
            min_block = max(min_block, seen[0] + 1)
        for b in batcher.mined_batches(self.store, min_block=min_block):
            assert b.block_number is not None and b.block_hash is not None
            if reader.block_hash(b.block_number) == b.block_hash:
                continue
            moved = None
            if b.tx_hash is not None:
                try:
                    moved = reader.anchor_event(self._contract, b.tx_hash, b.batch_no)
                except ChainUnavailable:
                    raise
                except AnchorError:
                    moved = None
            if moved is not None and reader.block_hash(moved.block_number) == moved.block_hash:
                log.warning("batch %d: anchor tx %s moved from block %d to %d by a reorg",
                            b.batch_no, b.tx_hash, b.block_number, moved.block_number)  # fmt: skip
                batcher.mark_mined(self.store, b.batch_no, tx_hash=moved.tx_hash,
                                   block_number=moved.block_number, block_hash=moved.block_hash,
                                   block_time=moved.block_time, chain_id=moved.chain_id,
                                   contract=moved.contract, registry=self._version)  # fmt: skip
                continue
            reason = (f"anchor tx {b.tx_hash} in block {b.block_number} ({b.block_hash}) is no "
                      "longer on the canonical chain")  # fmt: skip
            log.warning("batch %d reorged: %s", b.batch_no, reason)
            batcher.mark_reorged(self.store, b.batch_no, reason)
            report.reorged.append(b.batch_no)
        self._seen_head = top

    def _adopt(self, chain: Chain, reader: ChainReader, b: Batch, report: PassReport) -> None:
        """``b`` is on chain already: check it is the same batch and record where it is."""
        assert self._contract is not None
        ev = reader.find_anchor(self._contract, b.batch_no)  # rebuilds the stored commitment
        if ev is None:
            return  # a reorg between reads; the next pass sees it
        heads = _heads_root(b) if self._version >= 2 else None
        if (ev.root, ev.heads_root, ev.first_seq, ev.size) != (b.root, heads, b.first_seq, b.size):
            got = "none" if ev.heads_root is None else ev.heads_root.hex()
            msg = (f"batch {b.batch_no}: the contract {self._contract} anchored root "
                   f"{ev.root.hex()} and heads root {got} for seq "
                   f"{ev.first_seq}..{ev.first_seq + ev.size - 1} (tx {ev.tx_hash}), the log has "
                   f"root {b.root.hex()} and heads root {heads.hex() if heads else 'none'} for seq "
                   f"{b.first_seq}..{b.end_seq - 1}: this database and this contract do not "
                   "belong together")  # fmt: skip
            batcher.record_error(self.store, b.batch_no, msg)
            raise ChainMismatch(msg)
        witnesses = None
        if self.witnessing is not None and self.store.batch_witnesses(b.batch_no) is None:
            witnesses = self.witnessing.from_chain(reader, self._contract, ev.tx_hash, b,
                                                   _heads_root(b))  # fmt: skip
        batcher.mark_mined(self.store, b.batch_no, tx_hash=ev.tx_hash,
                           block_number=ev.block_number, block_hash=ev.block_hash,
                           block_time=ev.block_time, chain_id=chain.chain_id,
                           contract=ev.contract, registry=self._version,
                           witnesses=witnesses)  # fmt: skip
        self._in_flight.pop(b.tx_hash or "", None)
        if b.tx_hash == ev.tx_hash:
            report.mined.append((b.batch_no, ev.block_number))
        else:
            log.info("batch %d adopted: already anchored by tx %s", b.batch_no, ev.tx_hash)
            report.adopted.append((b.batch_no, ev.tx_hash))

    def _receipts(self, chain: Chain, reader: ChainReader, report: PassReport) -> None:
        """Record the block of every in-flight transaction that was mined; forget reverted ones."""
        assert self._contract is not None
        for p in batcher.pending_txs(self.store):
            r = tx.receipt(chain.w3, p.tx_hash)
            if r is None:
                continue
            self._in_flight.pop(p.tx_hash, None)
            if r["status"] == 1:
                ev = reader.anchor_event(self._contract, p.tx_hash, p.batch_no)
                batcher.mark_mined(self.store, p.batch_no, tx_hash=ev.tx_hash,
                                   block_number=ev.block_number, block_hash=ev.block_hash,
                                   block_time=ev.block_time, chain_id=chain.chain_id,
                                   contract=ev.contract, registry=self._version)  # fmt: skip
                report.mined.append((p.batch_no, ev.block_number))
            else:
                reason = f"tx {p.tx_hash} reverted in block {r['blockNumber']}"
                log.warning("batch %d: %s; will send again", p.batch_no, reason)
                batcher.mark_unsent(self.store, p.batch_no, reason)
                report.unsent.append(p.batch_no)

    def _look_after_in_flight(self, chain: Chain, report: PassReport) -> list[batcher.AnchorTx]:
        """Unmined transactions: forget those whose nonce went elsewhere, rebroadcast dropped
        ones, replace stuck ones. Returns those still in flight, in batch order."""
        pending = batcher.pending_txs(self.store)
        if not pending:
            return []
        w3 = chain.w3
        mined_nonce = tx.nonce(w3, chain.address, "latest")
        still: list[batcher.AnchorTx] = []
        now = time.monotonic()
        for p in pending:
            if mined_nonce > p.nonce:
                reason = (f"nonce {p.nonce} of tx {p.tx_hash} was used by another transaction "
                          "and the batch is not on chain")  # fmt: skip
                log.warning("batch %d: %s; will send again", p.batch_no, reason)
                batcher.mark_unsent(self.store, p.batch_no, reason)
                self._in_flight.pop(p.tx_hash, None)
                report.unsent.append(p.batch_no)
                continue
            mem = self._in_flight.setdefault(p.tx_hash, _InFlight(first_seen=now))
            known = tx.pending_tx(w3, p.tx_hash)
            if known is None:
                # dropped by the node, or never broadcast (a crash between record and send)
                signed = mem.signed or self._sign_anchor(chain, p.batch_no, p.nonce)
                p = self._rebroadcast(chain, p, signed)
                report.rebroadcast.append((p.batch_no, p.tx_hash))
            elif now - mem.first_seen > self.settings.stuck_after:
                old = mem.signed.fees if mem.signed else tx.Fees.of_tx(known)
                fresh = tx.suggest_fees(w3, tip=self.settings.tip, cap=self.settings.max_fee)
                fees = old.bumped(self.settings.fee_bump, fresh, cap=self.settings.max_fee)
                signed = self._sign_anchor(chain, p.batch_no, p.nonce, fees=fees)
                try:
                    p = self._rebroadcast(chain, p, signed)
                except tx.Underpriced as exc:
                    batcher.record_error(self.store, p.batch_no, str(exc))
                    log.warning("batch %d: %s", p.batch_no, exc)
                    mem.first_seen = now  # try again after another stuck_after
                else:
                    log.info("batch %d: replaced stuck tx (nonce %d) with %s, max fee %d wei",
                             p.batch_no, p.nonce, p.tx_hash, fees.ceiling)  # fmt: skip
                    report.replaced.append((p.batch_no, p.tx_hash))
            still.append(p)
        return still

    def _rebroadcast(self, chain: Chain, p: batcher.AnchorTx, signed: tx.Signed) -> batcher.AnchorTx:
        """Broadcast ``signed`` (same nonce as ``p``), then record it if its hash is new."""
        assert self._contract is not None
        try:
            tx.broadcast(chain.w3, signed)
        except tx.NonceUsed:
            return p  # mined meanwhile, or taken: the next pass sorts it out from the chain
        if signed.tx_hash != p.tx_hash:
            batcher.mark_anchoring(self.store, p.batch_no, tx_hash=signed.tx_hash,
                                   nonce=signed.nonce, chain_id=chain.chain_id,
                                   contract=self._contract, registry=self._version)  # fmt: skip
            self._in_flight.pop(p.tx_hash, None)
        self._in_flight[signed.tx_hash] = _InFlight(time.monotonic(), signed)
        return batcher.AnchorTx(p.batch_no, signed.tx_hash, signed.nonce)

    def _registry(self) -> Contract:
        assert self._reader is not None and self._contract is not None
        return self._reader.contract(self._contract)

    def _sign_anchor(self, chain: Chain, batch_no: int, nonce: int, *,
                     fees: tx.Fees | None = None) -> tx.Signed:  # fmt: skip
        b = batcher.batch(self.store, batch_no)
        if b is None:
            raise AnchorError(f"batch {batch_no} vanished from the database")
        c = self._registry()
        fn, args = self._anchor_call(b, self._recorded(b))
        data = c.encode_abi(fn, args=args)
        fees = fees or tx.suggest_fees(chain.w3, tip=self.settings.tip, cap=self.settings.max_fee)
        fallback = artifacts.WITNESSED_ANCHOR_GAS if fn == "anchorWitnessed" else (
            artifacts.ANCHOR_GAS[self._version])  # fmt: skip
        gas = self._gas.get(fn) or math.ceil(fallback * self.settings.gas_margin)
        return tx.sign(chain, to=c.address, data=data, nonce=nonce, gas=gas, fees=fees)

    def _recorded(self, b: Batch) -> Decision | None:
        """The witness decision recorded with the batch's anchoring transaction (to sign the same
        call again: a rebroadcast, a replacement); None without witnesses."""
        if self.witnessing is None:
            return None
        rec = self.store.batch_witnesses(b.batch_no)
        if rec is not None and self._contract is not None and (
                rec.registry.lower() == self._contract.lower()):  # fmt: skip
            return Witnessing.from_record(rec)
        raise AnchorError(f"batch {b.batch_no}: no witness record for its anchoring transaction")

    def _anchor_call(self, b: Batch, decision: Decision | None) -> tuple[str, list[object]]:
        """The contract function and arguments that anchor ``b`` (with ``decision``'s quorum)."""
        args = _anchor_args(b, self._version)
        return ("anchor", args) if decision is None else decision.call(args)

    def _decide(self, chain: Chain, b: Batch) -> Decision | None:
        """The witness decision for sending ``b`` now (None without witnesses); a "wait" decision
        is recorded on the batch (``last_error``), which ``/metrics`` reports."""
        if self.witnessing is None:
            return None
        assert self._contract is not None
        d = self.witnessing.decide(b, _heads_root(b), chain.chain_id, self._contract,
                                   now=self.store.clock())  # fmt: skip
        if d.kind == "wait":
            note = (batcher.WITNESS_WAIT + d.reason)[:2000]
            if b.last_error != note:
                batcher.record_error(self.store, b.batch_no, note)
        return d

    def _send(self, chain: Chain, reader: ChainReader, in_flight: list[batcher.AnchorTx],
              report: PassReport) -> None:  # fmt: skip
        """Send the batches after those in flight, up to ``max_pending`` transactions."""
        assert self._contract is not None
        slots = self.settings.max_pending - len(in_flight)
        if slots <= 0:
            return
        count = reader.batch_count(self._contract)
        if [p.batch_no for p in in_flight] != list(range(count, count + len(in_flight))):
            return  # out of order in flight: wait until those resolve (mined, reverted, dropped)
        todo = [b for b in batcher.next_to_anchor(self.store, limit=slots + len(in_flight) + 8)
                if b.batch_no >= count + len(in_flight)][:slots]  # fmt: skip
        if not todo:
            return
        w3 = chain.w3
        next_nonce = max(tx.nonce(w3, chain.address, "pending"),
                         max((p.nonce + 1 for p in in_flight), default=0))  # fmt: skip
        expected = count + len(in_flight)
        for b in todo:
            if b.batch_no != expected:
                break  # a gap in the local batches cannot be sent past
            decision = self._decide(chain, b)
            if decision is not None and decision.kind == "wait":
                report.witness_wait = b.batch_no
                break  # no quorum: the batches after it wait too (the contract takes them in order)
            if b.batch_no == count:
                self._preflight(chain, reader, b, decision)
            signed = self._sign(chain, b, decision, next_nonce)
            try:
                tx.check_funds(chain, signed.gas, signed.fees, f"anchoring batch {b.batch_no}")
            except InsufficientFunds as exc:
                batcher.record_error(self.store, b.batch_no, str(exc))
                raise
            batcher.mark_anchoring(self.store, b.batch_no, tx_hash=signed.tx_hash,
                                   nonce=signed.nonce, chain_id=chain.chain_id,
                                   contract=self._contract, registry=self._version,
                                   witnesses=_record(decision))  # fmt: skip
            self._in_flight[signed.tx_hash] = _InFlight(time.monotonic(), signed)
            try:
                tx.broadcast(w3, signed)
            except (tx.NonceUsed, InsufficientFunds) as exc:
                batcher.mark_unsent(self.store, b.batch_no, str(exc))
                self._in_flight.pop(signed.tx_hash, None)
                if isinstance(exc, InsufficientFunds):
                    raise
                report.unsent.append(b.batch_no)
                return
            log.info("batch %d: sent tx %s (nonce %d)", b.batch_no, signed.tx_hash, signed.nonce)
            report.sent.append((b.batch_no, signed.tx_hash))
            next_nonce += 1
            expected += 1

    def _sign(self, chain: Chain, b: Batch, decision: Decision | None, nonce: int) -> tx.Signed:
        """Sign the first transaction that anchors ``b`` (with ``decision``'s quorum)."""
        c = self._registry()
        fn, args = self._anchor_call(b, decision)
        fees = tx.suggest_fees(chain.w3, tip=self.settings.tip, cap=self.settings.max_fee)
        fallback = artifacts.WITNESSED_ANCHOR_GAS if fn == "anchorWitnessed" else (
            artifacts.ANCHOR_GAS[self._version])  # fmt: skip
        gas = self._gas.get(fn) or math.ceil(fallback * self.settings.gas_margin)
        return tx.sign(chain, to=c.address, data=c.encode_abi(fn, args=args), nonce=nonce,
                       gas=gas, fees=fees)  # fmt: skip

    def _preflight(self, chain: Chain, reader: ChainReader, b: Batch,
                   decision: Decision | None = None) -> None:  # fmt: skip
        """Before sending the next batch: the contract must expect exactly this range, and a
        dry run tells the gas and any revert (role, numbering) before money is spent."""
        assert self._contract is not None
        want = reader.next_seq(self._contract)
        if want != b.first_seq:
            msg = (f"batch {b.batch_no} starts at seq {b.first_seq}, but the contract "
                   f"{self._contract} expects the next batch to start at {want}: this database "
                   "and this contract do not belong together")  # fmt: skip
            batcher.record_error(self.store, b.batch_no, msg)
            raise ChainMismatch(msg)
        c = self._registry()
        fn, args = self._anchor_call(b, decision)
        call = getattr(c.functions, fn)(*args)
        try:
            with chain_errors(f"dry run of anchoring batch {b.batch_no}"):
                estimate = int(call.estimate_gas({"from": chain.address}))
        except ChainUnavailable:
            raise
        except AnchorError as exc:
            if "NotAnchorer(" in str(exc):
                exc = NotAnchorer(f"account {chain.address} is not an anchorer of "
                                  f"{self._contract} (any more): the admin must call "
                                  "grantAnchorer for it")  # fmt: skip
            batcher.record_error(self.store, b.batch_no, str(exc))
            self._checked = False  # look at the role and the code again next pass
            raise exc from None
        self._gas[fn] = math.ceil(estimate * self.settings.gas_margin)

    def _confirm(self, reader: ChainReader, report: PassReport) -> None:
        waiting = batcher.mined_batches(self.store, state="anchoring")
        if not waiting:
            return
        head = reader.head()
        for b in sorted(waiting, key=lambda b: b.batch_no):
            assert b.block_number is not None and b.block_hash is not None
            if head - b.block_number + 1 < self.settings.confirmations:
                continue
            if reader.block_hash(b.block_number) != b.block_hash:
                self._seen_head = None  # recheck for a reorg next pass
                continue
            batcher.mark_anchored(self.store, b.batch_no)
            report.anchored.append(b.batch_no)


def _heads_root(b: Batch) -> bytes:
    """The batch's head-map root, which registry version 2 anchors beside the entries root."""
    heads = b.heads_root
    if len(heads) != 32:
        raise AnchorError(f"batch {b.batch_no} has no heads root yet (sealed before head maps; "
                          "the next seal computes it): not anchoring it")  # fmt: skip
    return bytes(heads)


def _record(decision: Decision | None) -> BatchWitnesses | None:
    return decision.record if decision is not None else None


def _anchor_args(b: Batch, registry: int) -> list[object]:
    """The arguments of ``anchor`` for ``b``: ``(batchNo, firstSeq, size, root, headsRoot)`` on
    registry version 2, ``(batchNo, firstSeq, size, root)`` on version 1."""
    args: list[object] = [b.batch_no, b.first_seq, b.size, b.root]
    return args + [_heads_root(b)] if registry >= 2 else args
