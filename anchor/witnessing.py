"""Witness quorums for the anchorer (docs/witnesses.md, "Anchoring with witnesses").

Before batch N is anchored on a registry that holds a witness set, the anchorer asks every
witness service for its cosignature (``witness.collect``) and anchors with ``anchorWitnessed``
and the aggregate once at least ``threshold`` verify. Without a quorum the fault policy decides:

- ``wait``: the batch is not anchored (nor any after it: the contract takes batches in order);
  its ``last_error`` says why (``batcher.WITNESS_WAIT`` prefix, read by ``/metrics``), a warning
  is logged once per batch, and the next pass asks again. Sealing goes on meanwhile.
- ``timeout=<seconds>``: once the batch has been sealed that long, it is anchored with the plain
  ``anchor`` (the contract marks it ``AnchoredWithoutQuorum``), and the database records it as
  ``unwitnessed`` with the reason.

Either way the quorum (or the unwitnessed mark) is recorded in ``batch_witnesses`` in the same
database transaction that records the anchoring transaction (``batcher.mark_anchoring``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from anchor.errors import AnchorError
from anchor.reader import ChainReader, chain_errors, witness_set_digest
from ledger.batcher import Batch
from ledger.config import ConfigError, WitnessConfig
from ledger.store import BatchWitnesses
from witness.bls import g2_eip2537
from witness.collect import collect
from witness.errors import WitnessError
from witness.message import Commitment
from witness.quorum import WitnessSet

log = logging.getLogger("siteledger.anchor")


@dataclass(frozen=True, slots=True)
class Decision:
    """How batch ``batch_no`` is anchored: ``record`` is what ``batch_witnesses`` gets (None
    while waiting); ``reason`` says why there is no quorum (empty when witnessed)."""

    kind: str  # "witnessed" | "unwitnessed" | "wait"
    record: BatchWitnesses | None
    reason: str = ""

    def call(self, args: list[object]) -> tuple[str, list[object]]:
        """The contract function and its arguments for the anchor arguments ``args``."""
        if self.kind == "witnessed":
            assert self.record is not None and self.record.signature is not None
            return "anchorWitnessed", [*args, self.record.bitmap,
                                       g2_eip2537(self.record.signature)]  # fmt: skip
        if self.kind == "unwitnessed":
            return "anchor", args
        raise AnchorError("no quorum yet: nothing to send")


def load_witness_set(path: str | Path) -> WitnessSet:
    """The witness set in ``path`` (JSON as ``witness.quorum`` reads it), every proof of
    possession checked. Raises ConfigError naming the file and the problem."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"witness set {p} does not exist") from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"witness set {p} is not readable JSON: {exc}") from exc
    try:
        wset = WitnessSet.from_json(data)
        wset.verify_pops()
    except WitnessError as exc:
        raise ConfigError(f"witness set {p}: {exc}") from exc
    return wset


class Witnessing:
    """The anchorer's witness side: one per ``Anchorer``, for the ``[witnesses]`` configuration."""

    def __init__(self, cfg: WitnessConfig, wset: WitnessSet | None = None) -> None:
        if cfg.set_file is None and wset is None:
            raise ConfigError("witnesses.set is not configured")
        self.cfg = cfg
        self.wset = wset if wset is not None else load_witness_set(str(cfg.set_file))
        if len(cfg.urls) != len(self.wset.members):
            raise ConfigError(f"witnesses.urls: {len(cfg.urls)} URLs for a set of "
                              f"{len(self.wset.members)} witnesses (urls[i] serves member i)")  # fmt: skip
        self.set_version: int | None = None
        self._decided: dict[int, Decision] = {}
        self._warned: set[int] = set()

    def check_contract(self, reader: ChainReader, contract: str) -> None:
        """Raise AnchorError unless ``contract`` holds exactly this witness set and allows what
        the fault policy needs."""
        current = reader.witness_set(contract)
        if current is None:
            raise AnchorError(f"{contract} is an AnchorRegistry without witness sets, but "
                              "[witnesses] is configured: deploy the current registry "
                              "(`siteledger chain deploy --force --witnesses FILE`)")  # fmt: skip
        version, k, n, allow = current
        if n == 0:
            raise AnchorError(f"{contract} has no witness set, but [witnesses] is configured: "
                              "`siteledger chain deploy --witnesses FILE` sets one")  # fmt: skip
        digest = witness_set_digest(self.wset.threshold, [m.public_key for m in self.wset.members])
        if reader.witness_set_hash(contract, version) != digest:
            raise AnchorError(
                f"the witness set in {self.cfg.set_file} (threshold {self.wset.threshold}, "
                f"{len(self.wset.members)} keys) is not the set {contract} holds (version "
                f"{version}: threshold {k}, {n} keys)"
            )
        if self.cfg.policy == "timeout" and not allow:
            raise AnchorError(f"witnesses.fault_policy is timeout, but {contract} was set up with "
                              "the wait policy: it refuses anchors without a quorum")  # fmt: skip
        self.set_version = version

    def forget(self) -> None:
        """Drop the decisions kept in memory (another contract, a reorg of the chain)."""
        self._decided.clear()

    def decide(self, b: Batch, heads_root: bytes, chain_id: int, contract: str,
               now: datetime | None = None) -> Decision:  # fmt: skip
        """Witnessed (a quorum), unwitnessed (the timeout policy's time is up) or wait."""
        known = self._decided.get(b.batch_no)
        if known is not None and known.record is not None and (
                known.record.registry.lower() == contract.lower()):  # fmt: skip
            return known
        commitment = Commitment(chain_id, bytes.fromhex(contract[2:]), b.batch_no, b.first_seq,
                                b.size, bytes(b.root), heads_root)  # fmt: skip
        got = collect(self.wset, list(self.cfg.urls), commitment, timeout=self.cfg.request_timeout)
        wjson = self.wset.to_json()
        if got.quorum is not None:
            q = got.quorum
            rec = BatchWitnesses(b.batch_no, contract, "witnessed", wjson, bitmap=q.bitmap,
                                 signature=q.signature)  # fmt: skip
            decision = Decision("witnessed", rec)
            self._decided[b.batch_no] = decision
            if b.batch_no in self._warned:
                log.info("batch %d: witness quorum reached (%s)", b.batch_no, ", ".join(q.signers))
            return decision
        n = len(self.wset.members)
        signed = n - len(got.missing)
        why = "; ".join(f"{name}: {reason}" for name, reason in got.missing.items())
        reason = (f"{signed} of {n} witnesses signed, threshold {self.wset.threshold} "
                  f"({why})")  # fmt: skip
        now = now or datetime.now(UTC)
        waited = (now - b.sealed_at).total_seconds()
        limit = self.cfg.timeout_seconds
        if self.cfg.policy == "timeout" and limit is not None and waited >= limit:
            rec = BatchWitnesses(b.batch_no, contract, "unwitnessed", wjson,
                                 reason=f"timeout after {limit:g} s: {reason}"[:2000])  # fmt: skip
            decision = Decision("unwitnessed", rec, reason)
            self._decided[b.batch_no] = decision
            log.warning("batch %d: anchoring without a witness quorum after %.0f s (timeout "
                        "policy): %s", b.batch_no, waited, reason)  # fmt: skip
            return decision
        if b.batch_no not in self._warned:
            self._warned.add(b.batch_no)
            policy = "wait" if self.cfg.policy == "wait" else f"timeout={limit:g}"
            log.warning("batch %d: no witness quorum yet, not anchoring (fault policy %s): %s",
                        b.batch_no, policy, reason)  # fmt: skip
        return Decision("wait", None, reason)

    def from_chain(self, reader: ChainReader, contract: str, tx_hash: str, b: Batch,
                   heads_root: bytes) -> BatchWitnesses | None:  # fmt: skip
        """The witness record of a batch found anchored on chain that this database has none
        for (adoption): the ``Witnessed`` or ``AnchoredWithoutQuorum`` log of its transaction,
        the aggregate decoded from the call and checked against the configured set. None if the
        transaction names no witnesses or another set version than the configured one."""
        from witness.bls import g2_from_eip2537

        got = reader.witness_log(contract, tx_hash, b.batch_no)
        if got is None or got.set_version != self.set_version:
            if got is not None:
                log.warning("batch %d was anchored under witness set version %d, not the "
                            "configured version %s: its witnesses are not recorded", b.batch_no,
                            got.set_version, self.set_version)  # fmt: skip
            return None
        wjson = self.wset.to_json()
        if got.status == "unwitnessed":
            return BatchWitnesses(b.batch_no, contract, "unwitnessed", wjson,
                                  reason=f"anchored without a witness quorum (tx {tx_hash}, "
                                         "found on chain; the reason was not recorded here)")  # fmt: skip
        c = reader.contract(contract, 2)
        with chain_errors(f"reading transaction {tx_hash}"):
            call = reader.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        try:
            fn, args = c.decode_function_input(call["input"])
        except ValueError as exc:
            raise AnchorError(f"transaction {tx_hash} is not a call of {contract}: {exc}") from exc
        if fn.fn_name != "anchorWitnessed" or args["bitmap"] != got.bitmap:
            raise AnchorError(f"transaction {tx_hash} emitted Witnessed for batch {b.batch_no} "
                              "but is not its anchorWitnessed call")  # fmt: skip
        try:
            signature = g2_from_eip2537(bytes(args["signature"]))
            commitment = Commitment(reader.chain_id(), bytes.fromhex(contract[2:]), b.batch_no,
                                    b.first_seq, b.size, bytes(b.root), heads_root)  # fmt: skip
            self.wset.verify_quorum(commitment, int(args["bitmap"]), signature)
        except WitnessError as exc:
            raise AnchorError(f"batch {b.batch_no}: the quorum in tx {tx_hash} does not verify "
                              f"against the configured set: {exc}") from exc  # fmt: skip
        return BatchWitnesses(b.batch_no, contract, "witnessed", wjson, bitmap=int(args["bitmap"]),
                              signature=signature)  # fmt: skip

    @staticmethod
    def from_record(rec: BatchWitnesses) -> Decision:
        """The decision an earlier pass recorded (``batch_witnesses``), to sign the same call."""
        if rec.status not in ("witnessed", "unwitnessed"):
            raise AnchorError(f"batch {rec.batch_no}: unknown witness status {rec.status!r}")
        return Decision(rec.status, rec, rec.reason or "")
