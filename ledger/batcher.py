"""Sealing the log into batches, and inclusion proofs for any entry.

A batch is the contiguous range ``[first_seq, first_seq + size)``. It is sealed when enough
entries wait (``max_size``) or the oldest waiting entry is older than ``max_age``. Sealing computes
the RFC 9162 tree once and stores every interior node, so a proof is one read per tree level
and never recomputes a hash. A sealed batch never changes; only its anchoring state moves:

    sealed -> anchoring -> anchored
                 |   ^         |
                 v   |         v
               (retry)      reorged -> anchoring (anchored again)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from ledger import db, packing
from ledger import heads as head_maps
from ledger.core import merkle
from ledger.core.errors import LedgerError, StoreError
from ledger.core.heads import BatchHead
from ledger.core.times import parse_time
from ledger.store import BatchWitnesses, Store

#: Prefix of a sealed batch's ``last_error`` while the anchorer's wait policy holds it back for
#: want of a witness quorum (``anchor.witnessing``); ``witness_wait`` and ``/metrics`` read it.
WITNESS_WAIT = "waiting for witnesses: "
DEFAULT_MAX_SIZE = 50_000
DEFAULT_MAX_AGE = timedelta(seconds=5)
STATES = ("sealed", "anchoring", "anchored", "reorged")


class NotSealed(StoreError):
    """The entry exists but its batch is not sealed yet: no proof is possible yet."""


@dataclass(frozen=True, slots=True)
class Batch:
    batch_no: int
    first_seq: int
    size: int
    root: bytes
    state: str
    sealed_at: datetime
    chain_id: int | None = None
    contract: str | None = None
    registry: int | None = None  # AnchorRegistry version of ``contract`` (docs/contract.md)
    tx_hash: str | None = None
    block_number: int | None = None
    block_hash: str | None = None
    block_time: datetime | None = None
    anchored_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    heads_root: bytes = b""  # root of the head map after this batch (ledger.heads)
    head_sig: bytes = b""  # the operator's receipt key's signature over ``head(log)``
    heads_keys: int = 0  # keys in the head map after this batch

    @property
    def end_seq(self) -> int:
        return self.first_seq + self.size

    def head(self, log: str) -> BatchHead:
        """The signed batch head (docs/proof-format.md, "Signed batch heads"); ``log`` is the
        key id of the receipt key that signed it."""
        return BatchHead(self.batch_no, self.first_seq, self.size, self.root, self.heads_root,
                         self.sealed_at, log, self.head_sig)  # fmt: skip

    @classmethod
    def from_row(cls, r: Any) -> Batch:
        return cls(
            batch_no=r.batch_no, first_seq=r.first_seq, size=r.size, root=r.root, state=r.state,
            sealed_at=db.from_us(r.sealed_at), chain_id=r.chain_id, contract=r.contract,
            registry=r.registry, tx_hash=r.tx_hash, block_number=r.block_number, block_hash=r.block_hash,
            block_time=db.from_us(r.block_time) if r.block_time is not None else None,
            anchored_at=db.from_us(r.anchored_at) if r.anchored_at is not None else None,
            attempts=r.attempts or 0, last_error=r.last_error,
            heads_root=bytes(r.heads_root or b""), head_sig=bytes(r.head_sig or b""),
            heads_keys=int(r.heads_keys or 0),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """Where an entry sits in its batch and the audit path to the batch root."""

    seq: int
    leaf_hash: bytes
    batch: Batch
    index: int
    path: list[bytes]


def seal(
    store: Store,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_age: timedelta = DEFAULT_MAX_AGE,
    now: datetime | None = None,
    force: bool = False,
) -> list[Batch]:
    """Seal every batch that is due; returns the new batches (possibly none).

    ``force`` seals whatever is waiting regardless of age (``siteledger anchor`` and tests).
    Safe to run from several processes: it holds the log lock while it decides and writes.
    Each batch's head map (``ledger.heads``) is computed and its head signed with the store's
    receipt key in the same transaction that writes the batch.
    """
    if max_size < 1:
        raise ValueError("max_size must be at least 1")
    now = now or store.clock()
    backfill(store)
    sealed: list[Batch] = []
    while True:
        with store._write() as conn:
            conn.execute(
                select(db.log_head.c.next_seq).where(db.log_head.c.id == 1).with_for_update()
            )
            head = conn.execute(select(db.log_head.c.next_seq)).scalar_one()
            last = conn.execute(
                select(db.batches.c.batch_no, db.batches.c.first_seq, db.batches.c.size)
                .order_by(db.batches.c.batch_no.desc())
                .limit(1)
            ).first()
            batch_no, first = (
                (0, 0) if last is None else (last.batch_no + 1, last.first_seq + last.size)
            )
            waiting = head - first
            if waiting <= 0:
                return sealed
            if waiting < max_size and not force:
                oldest = conn.execute(
                    select(db.entries.c.body).where(db.entries.c.seq == first)
                ).scalar_one()
                if now - _received_at(oldest) < max_age:
                    return sealed
            size = min(waiting, max_size)
            leaves = list(
                conn.execute(
                    select(db.entries.c.leaf_hash)
                    .where(db.entries.c.seq >= first, db.entries.c.seq < first + size)
                    .order_by(db.entries.c.seq)
                ).scalars()
            )
            if len(leaves) != size:
                raise StoreError(f"entries {first}..{first + size - 1} have gaps: log corrupt")
            levels = merkle.levels(leaves)
            rows = [  # the levels below NODE_LEVEL_MIN are recomputed from leaves when needed
                {"batch_no": batch_no, "level": lv, "idx": i, "hash": h}
                for lv in range(db.NODE_LEVEL_MIN, len(levels))
                for i, h in enumerate(levels[lv])
            ]
            if rows:
                conn.execute(insert(db.batch_nodes), rows)
            root = levels[-1][0]
            heads = head_maps.apply_batch(store, conn, batch_no, first, first + size)
            b = Batch(batch_no, first, size, root, "sealed", now, heads_root=heads.root,
                      heads_keys=heads.keys)  # fmt: skip
            b = replace(b, head_sig=b.head(store.operator_key.key_id).sign(store.operator_key).sig)
            conn.execute(
                insert(db.batches).values(
                    batch_no=batch_no, first_seq=first, size=size, root=root, state="sealed",
                    sealed_at=db.to_us(now), attempts=0, heads_root=b.heads_root,
                    heads_keys=b.heads_keys, head_sig=b.head_sig,
                )
            )  # fmt: skip
        head_maps.committed(store, heads)
        sealed.append(b)
        force = force and waiting > size


def backfill(store: Store) -> int:
    """Give batches sealed before head maps existed (database revision 0003) their head map and
    signed head, in batch order, one transaction per batch; returns how many were filled.

    The maps are computed from the log exactly as sealing computes them.
    """
    with store._read() as conn:
        last = conn.execute(
            select(db.batches.c.heads_root).order_by(db.batches.c.batch_no.desc()).limit(1)
        ).first()
    if last is None or last.heads_root is not None:
        return 0  # sealing fills every batch, and backfilling goes in order
    filled = 0
    while True:
        with store._write() as conn:
            conn.execute(
                select(db.log_head.c.next_seq).where(db.log_head.c.id == 1).with_for_update()
            )
            row = conn.execute(
                select(db.batches)
                .where(db.batches.c.heads_root.is_(None))
                .order_by(db.batches.c.batch_no)
                .limit(1)
            ).first()
            if row is None:
                return filled
            b = Batch.from_row(row)
            heads = head_maps.apply_batch(store, conn, b.batch_no, b.first_seq, b.end_seq)
            b = replace(b, heads_root=heads.root, heads_keys=heads.keys)
            sig = b.head(store.operator_key.key_id).sign(store.operator_key).sig
            conn.execute(
                update(db.batches)
                .where(db.batches.c.batch_no == b.batch_no)
                .values(heads_root=heads.root, heads_keys=heads.keys, head_sig=sig)
            )
        head_maps.committed(store, heads)
        filled += 1


_RECEIVED_AT = re.compile(rb'^\{"received_at":"([^"]+)"')


def _received_at(body: bytes) -> datetime:
    """An entry's ``received_at`` from its stored body (the first field of the canonical form)."""
    canonical = packing.unpack(body)
    m = _RECEIVED_AT.match(canonical)
    if m is None:
        raise StoreError("an entry body without received_at: log corrupt")
    return parse_time(m.group(1).decode(), "received_at")


def signed_head(store: Store, batch_no: int) -> dict[str, Any]:
    """The signed head of a sealed batch as JSON (``{"v": 2, …, "sig"}``), checked against the
    store's receipt key. Raises StoreError if the batch is unknown or its signature is not that
    key's (the receipt key changed since the batch was sealed)."""
    b = batch(store, batch_no)
    if b is None:
        raise StoreError(f"no batch {batch_no}")
    head = b.head(store.operator_key.key_id)
    try:
        head.verify(store.operator_key.verify_key)
    except LedgerError as exc:
        raise StoreError(
            f"batch {batch_no}'s head does not verify under the receipt key: {exc}"
        ) from exc
    return head.to_json()


def batch(store: Store, batch_no: int) -> Batch | None:
    with store._read() as conn:
        row = conn.execute(select(db.batches).where(db.batches.c.batch_no == batch_no)).first()
    return Batch.from_row(row) if row else None


def batches(
    store: Store, *, state: str | None = None, after: int = -1, limit: int = 100
) -> list[Batch]:
    q = select(db.batches).where(db.batches.c.batch_no > after)
    if state is not None:
        q = q.where(db.batches.c.state == state)
    with store._read() as conn:
        rows = conn.execute(q.order_by(db.batches.c.batch_no).limit(limit)).all()
    return [Batch.from_row(r) for r in rows]


def batch_of(store: Store, seq: int) -> Batch | None:
    """The batch that holds ``seq``, or None if ``seq`` is not sealed yet."""
    with store._read() as conn:
        row = conn.execute(
            select(db.batches)
            .where(db.batches.c.first_seq <= seq)
            .order_by(db.batches.c.first_seq.desc())
            .limit(1)
        ).first()
    if row is None or seq >= row.first_seq + row.size:
        return None
    return Batch.from_row(row)


def inclusion_proof(store: Store, seq: int) -> InclusionProof:
    """The audit path of entry ``seq`` in its batch: one read of the batch, one of the leaf
    hashes of its aligned block of 16 entries and one of the interior nodes above them.

    Raises NotSealed when the entry is not in a sealed batch, StoreError if ``seq`` is unknown.
    """
    b = batch_of(store, seq)
    if b is None:
        if store.entry(seq) is None:
            raise StoreError(f"no entry with seq {seq}")
        raise NotSealed(f"entry {seq} is not in a sealed batch yet")
    with store._read() as conn:
        return proofs_in_batch(conn, b, [seq])[seq]


def audit_nodes(size: int, index: int) -> list[tuple[int, int]]:
    """The (level, index) of each node of the audit path of leaf ``index`` in a tree of
    ``size`` leaves, bottom up (level 0 is the leaves; a last node without a sibling is
    promoted unchanged, which gives RFC 9162's tree)."""
    wanted: list[tuple[int, int]] = []
    width, i, level = size, index, 0
    while width > 1:
        if (i ^ 1) < width:
            wanted.append((level, i ^ 1))
        i >>= 1
        width = (width + 1) // 2
        level += 1
    return wanted


_IN_CHUNK = 4096
_EXACT_PAIRS = 64


def proofs_in_batch(conn: Any, b: Batch, seqs: list[int]) -> dict[int, InclusionProof]:
    """The inclusion proofs of ``seqs`` (all in batch ``b``): the leaf hashes of the aligned
    blocks of 2^NODE_LEVEL_MIN entries that hold them (the nodes below NODE_LEVEL_MIN are
    recomputed from those) and the stored interior nodes above, a few reads in all."""
    low = db.NODE_LEVEL_MIN
    want = {s: audit_nodes(b.size, s - b.first_seq) for s in seqs}
    blocks = sorted({(s - b.first_seq) >> low for s in seqs})
    leaf_seqs = [b.first_seq + j for blk in blocks
                 for j in range(blk << low, min((blk + 1) << low, b.size))]  # fmt: skip
    ec, nc = db.entries.c, db.batch_nodes.c
    leaves: dict[int, bytes] = {}
    for k in range(0, len(leaf_seqs), _IN_CHUNK):
        part = leaf_seqs[k : k + _IN_CHUNK]
        rows = conn.execute(
            select(ec.seq, ec.leaf_hash).where(ec.seq >= part[0], ec.seq <= part[-1],
                                               ec.seq.in_(part))  # fmt: skip
        )
        leaves.update((r.seq, bytes(r.leaf_hash)) for r in rows)
    keys = {(lv, j) for w in want.values() for lv, j in w if lv >= low}
    nodes: dict[tuple[int, int], bytes] = {}
    if keys and len(keys) <= _EXACT_PAIRS:
        # one proof or a few (every proof GET): an OR of exact (level, idx) pairs is one primary
        # key probe per pair (PostgreSQL: a BitmapOr), where level IN × idx IN probes every
        # combination (12 × 11 for one path in a batch of 50,000: ten times the index pages)
        for r in conn.execute(select(nc.level, nc.idx, nc.hash).where(
            nc.batch_no == b.batch_no,
            or_(*[and_(nc.level == lv, nc.idx == j) for lv, j in sorted(keys)]),
        )):  # fmt: skip
            nodes[(r.level, r.idx)] = bytes(r.hash)
    elif keys:
        # level IN and idx IN use the primary key (a row-value IN scans the batch); the few
        # extra (level, idx) pairs it returns are dropped
        idx = sorted({j for _, j in keys})
        for k in range(0, len(idx), _IN_CHUNK):
            for r in conn.execute(select(nc.level, nc.idx, nc.hash).where(
                nc.batch_no == b.batch_no, nc.level.in_(sorted({lv for lv, _ in keys})),
                nc.idx.in_(idx[k : k + _IN_CHUNK]),
            )):  # fmt: skip
                if (r.level, r.idx) in keys:
                    nodes[(r.level, r.idx)] = bytes(r.hash)
    lower: dict[int, list[list[bytes]]] = {}  # block -> its levels 0 .. low (from its leaves)
    out = {}
    for s, w in want.items():
        index = s - b.first_seq
        blk = index >> low
        if blk not in lower:
            span = [leaves.get(b.first_seq + j) for j in range(blk << low,
                                                              min((blk + 1) << low, b.size))]  # fmt: skip
            if any(h is None for h in span):
                raise StoreError(f"batch {b.batch_no} is missing leaves of block {blk}: log corrupt")
            lower[blk] = merkle.levels([h for h in span if h is not None])
        path = []
        for lv, j in w:
            if lv < low:
                level = lower[blk][lv] if lv < len(lower[blk]) else []
                pos = j - (blk << (low - lv))
                h = level[pos] if 0 <= pos < len(level) else None
            else:
                h = nodes.get((lv, j))
            if h is None:
                raise StoreError(f"batch {b.batch_no} is missing node ({lv}, {j}): log corrupt")
            path.append(h)
        out[s] = InclusionProof(s, leaves[s], b, index, path)
    return out


def pending_count(store: Store) -> int:
    """Entries not yet in any sealed batch."""
    with store._read() as conn:
        head = conn.execute(select(db.log_head.c.next_seq)).scalar_one()
        end = conn.execute(select(func.max(db.batches.c.first_seq + db.batches.c.size))).scalar()
    return int(head - (end or 0))


# --- anchoring state (used by anchor.worker)
#
# The worker is the only writer of these columns (it holds the anchoring lock). "anchoring" covers
# both "sent, not mined" (block_number NULL) and "mined, waiting for confirmations"; "anchored"
# means the configured confirmations were reached. Nothing here touches first_seq, size or root.

_NOT_ANCHORED = ("sealed", "anchoring", "reorged")


@dataclass(frozen=True, slots=True)
class AnchorTx:
    """An anchoring transaction that was signed and recorded but not seen mined yet."""

    batch_no: int
    tx_hash: str
    nonce: int


def _set(store: Store, batch_no: int, **values: Any) -> None:
    with store._write() as conn:
        _set_in(conn, batch_no, **values)


def _set_in(conn: Any, batch_no: int, **values: Any) -> None:
    n = conn.execute(
        update(db.batches).where(db.batches.c.batch_no == batch_no).values(**values)
    ).rowcount
    if n != 1:
        raise StoreError(f"no batch {batch_no}")


def _witnesses_for(w: BatchWitnesses, batch_no: int, contract: str) -> None:
    if w.batch_no != batch_no:
        raise StoreError(f"witnesses: recorded for batch {w.batch_no}, not batch {batch_no}")
    if w.registry.lower() != contract.lower():
        raise StoreError(f"witnesses: recorded for registry {w.registry}, not {contract}")


_NO_TX = {"tx_hash": None, "tx_nonce": None, "block_number": None, "block_hash": None,
          "block_time": None, "anchored_at": None}  # fmt: skip


def next_to_anchor(store: Store, limit: int = 100) -> list[Batch]:
    """Batches not anchored yet (sealed, anchoring or reorged), lowest batch number first."""
    with store._read() as conn:
        rows = conn.execute(
            select(db.batches)
            .where(db.batches.c.state.in_(_NOT_ANCHORED))
            .order_by(db.batches.c.batch_no)
            .limit(limit)
        ).all()
    return [Batch.from_row(r) for r in rows]


def witness_wait(store: Store) -> Batch | None:
    """The batch the anchorer holds back for want of a witness quorum (wait policy), if any:
    not anchored, and its ``last_error`` begins with ``WITNESS_WAIT``."""
    with store._read() as conn:
        row = conn.execute(
            select(db.batches)
            .where(db.batches.c.state.in_(("sealed", "reorged")),
                   db.batches.c.last_error.startswith(WITNESS_WAIT, autoescape=True))
            .order_by(db.batches.c.batch_no)
            .limit(1)
        ).first()  # fmt: skip
    return Batch.from_row(row) if row is not None else None


def pending_txs(store: Store) -> list[AnchorTx]:
    """Recorded anchoring transactions not seen mined, lowest batch number first."""
    with store._read() as conn:
        rows = conn.execute(
            select(db.batches.c.batch_no, db.batches.c.tx_hash, db.batches.c.tx_nonce)
            .where(
                db.batches.c.state == "anchoring",
                db.batches.c.tx_hash.is_not(None),
                db.batches.c.block_number.is_(None),
            )
            .order_by(db.batches.c.batch_no)
        ).all()
    return [AnchorTx(r.batch_no, r.tx_hash, r.tx_nonce) for r in rows]


def mined_batches(
    store: Store, *, min_block: int = 0, min_batch_no: int = 0, state: str | None = None,
    limit: int | None = None,
) -> list[Batch]:  # fmt: skip
    """Batches with a recorded anchoring block (anchoring-and-mined, or anchored; only ``state``
    if given) whose block is at least ``min_block`` and number at least ``min_batch_no``,
    newest first."""
    states = ("anchoring", "anchored") if state is None else (state,)
    with store._read() as conn:
        rows = conn.execute(
            select(db.batches)
            .where(
                db.batches.c.state.in_(states),
                db.batches.c.block_number.is_not(None),
                db.batches.c.block_number >= min_block,
                db.batches.c.batch_no >= min_batch_no,
            )
            .order_by(db.batches.c.batch_no.desc())
            .limit(limit)
        ).all()
    return [Batch.from_row(r) for r in rows]


def count_by_state(store: Store) -> dict[str, int]:
    """How many batches are in each state (states without batches are 0)."""
    with store._read() as conn:
        rows = conn.execute(
            select(db.batches.c.state, func.count()).group_by(db.batches.c.state)
        ).all()
    counts = dict.fromkeys(STATES, 0)
    counts.update({r[0]: int(r[1]) for r in rows})
    return counts


def mark_anchoring(
    store: Store, batch_no: int, *, tx_hash: str, nonce: int, chain_id: int, contract: str,
    registry: int, witnesses: BatchWitnesses | None = None,
) -> None:  # fmt: skip
    """Record a signed anchoring transaction before it is broadcast, so a crash right after the
    broadcast still leaves its hash and nonce behind. ``registry`` is the AnchorRegistry
    version of ``contract``. ``witnesses`` is the quorum (or the unwitnessed mark) this
    transaction anchors with, recorded in the same database transaction; None (a registry
    without a witness set) drops any witness record of an earlier anchoring of the batch."""
    if witnesses is not None:
        _witnesses_for(witnesses, batch_no, contract)
    with store._write() as conn:
        _set_in(conn, batch_no, **{**_NO_TX, "tx_hash": tx_hash, "tx_nonce": nonce},
                state="anchoring", chain_id=chain_id, contract=contract, registry=registry,
                attempts=db.batches.c.attempts + 1, last_error=None)  # fmt: skip
        if witnesses is None:
            store.forget_batch_witnesses(batch_no, conn=conn)
        else:
            store.record_batch_witnesses(witnesses, conn=conn)


def mark_mined(
    store: Store, batch_no: int, *, tx_hash: str, block_number: int, block_hash: str,
    block_time: datetime, chain_id: int, contract: str, registry: int,
    witnesses: BatchWitnesses | None = None,
) -> None:  # fmt: skip
    """The batch's anchor is in a block; it waits there for its confirmations. Also used to
    adopt an anchor found on chain that this database did not know (or knew under another
    transaction hash, e.g. the replaced one). ``witnesses``, when given (an adopted anchor's
    quorum read from chain), is recorded in the same transaction; None keeps what is recorded."""
    if witnesses is not None:
        _witnesses_for(witnesses, batch_no, contract)
    with store._write() as conn:
        _set_in(conn, batch_no, state="anchoring", tx_hash=tx_hash, block_number=block_number,
                block_hash=block_hash, block_time=db.to_us(block_time), chain_id=chain_id,
                contract=contract, registry=registry, anchored_at=None, last_error=None)  # fmt: skip
        if witnesses is not None:
            store.record_batch_witnesses(witnesses, conn=conn)


def mark_anchored(store: Store, batch_no: int, *, at: datetime | None = None) -> None:
    """The anchoring block reached the configured confirmations."""
    _set(store, batch_no, state="anchored", anchored_at=db.to_us(at or store.clock()),
         last_error=None)  # fmt: skip


def mark_reorged(store: Store, batch_no: int, reason: str) -> None:
    """The recorded anchor is no longer on the canonical chain; the batch must be anchored again."""
    _set(store, batch_no, **_NO_TX, state="reorged", last_error=reason[:2000])


def mark_unsent(store: Store, batch_no: int, reason: str) -> None:
    """A recorded transaction will never anchor the batch (it failed, or its nonce went to
    another transaction): forget it; the batch is sent again."""
    _set(store, batch_no, **_NO_TX, state="sealed", last_error=reason[:2000])


def record_error(store: Store, batch_no: int, message: str) -> None:
    """Keep a batch's latest anchoring problem (for `siteledger chain status`); state unchanged."""
    _set(store, batch_no, last_error=message[:2000])
