"""Head maps in the database: the map after every sealed batch, and head proofs at any batch.

The construction is ``ledger.core.heads`` (spec: docs/proof-format.md, "Head maps"). Storage keeps
what changes and shares what does not (docs/storage.md, "Head maps"):

* ``head_keys``: one row per key ever seen, with its current counter, value hash and leaf node
  (what the next seal needs), and a key number;
* ``head_versions``: one row per key per batch in which its value changed: (key number, batch,
  counter, seq); the value's leaf hash is the entry ``seq``'s leaf hash, so it is not stored again;
* ``head_nodes``: the map's subtree at depth 8 and at depth 16 under each prefix, one row per
  batch in which it changed (an empty subtree has no row; a subtree holding one key stores that
  key's hash and value hash, any other its hash).

A proof at batch N reads the 256 depth-8 subtrees as of N, the 256 depth-16 subtrees under the
key's 8-bit prefix as of N, and the keys under its 16-bit prefix as of N: each "as of N" read is
one index seek per subtree or key (the latest row with batch ≤ N).

Sealing (``ledger.batcher.seal``) applies a batch's entries in the same transaction that writes
the batch, so the map of batch N exists exactly when batch N does. Each process keeps the map's
levels 0..16 of the latest batch it saw in memory (about 2 MB) and checks them against the latest
batch's stored heads root before use; a stale or missing copy is reloaded from ``head_nodes``.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, text, update

from ledger import db
from ledger.core.errors import ProofError, StoreError
from ledger.core.heads import (
    ZERO,
    HeadProof,
    HeadValue,
    Leaf,
    device_key,
    key_hash,
    leaf_node,
    node,
    path,
    subject_key,
    subtree,
    verify_head_proof,
)
from ledger.store import Store

STRIDE = 8
BUCKET_DEPTH = 16
_BUCKETS = 1 << BUCKET_DEPTH
_CHUNK = 2_000


class HeadsError(StoreError):
    """The stored head map is missing or inconsistent."""


# ------------------------------------------------------------------ subtree nodes


@dataclass(frozen=True, slots=True)
class Node:
    """A subtree: kind 0 empty, 1 exactly one key (``leaf`` names it), 2 more than one."""

    kind: int
    hash: bytes
    leaf: Leaf | None = None

    def blob(self) -> bytes:
        if self.kind == 1:
            assert self.leaf is not None
            return b"\x01" + self.leaf.key_hash + self.leaf.value_hash
        return b"\x02" + self.hash

    @classmethod
    def from_blob(cls, blob: bytes) -> Node:
        if len(blob) == 65 and blob[0] == 1:
            leaf = Leaf(blob[1:33], blob[33:65])
            return cls(1, leaf.node(), leaf)
        if len(blob) == 33 and blob[0] == 2:
            return cls(2, blob[1:])
        raise HeadsError(f"stored head map node of {len(blob)} bytes is malformed")


EMPTY = Node(0, ZERO)


def _combine(left: Node, right: Node) -> Node:
    """The parent of two sibling subtrees: a subtree of at most one key is that key's leaf."""
    if left.kind == 0 and right.kind <= 1:
        return right
    if right.kind == 0 and left.kind == 1:
        return left
    return Node(2, node(left.hash, right.hash))


def _bucket_node(items: Sequence[tuple[bytes, bytes, bytes]]) -> Node:
    """The depth-16 subtree holding ``items`` = sorted (kh, value hash, leaf node)."""
    if not items:
        return EMPTY
    if len(items) == 1:
        kh, vh, leaf = items[0]
        return Node(1, leaf, Leaf(kh, vh))
    return Node(2, subtree([(kh, leaf) for kh, _, leaf in items], BUCKET_DEPTH))


def _bucket(kh: bytes) -> int:
    return (kh[0] << 8) | kh[1]


# ------------------------------------------------------------------ the map's upper levels


@dataclass(slots=True)
class _State:
    """Levels 0..16 of the map after batch ``batch_no`` (-1: before any batch)."""

    batch_no: int
    keys: int
    levels: list[list[Node]]  # levels[d] has 2**d nodes

    @property
    def root(self) -> bytes:
        return self.levels[0][0].hash

    @classmethod
    def empty(cls) -> _State:
        return cls(-1, 0, [[EMPTY] * (1 << d) for d in range(BUCKET_DEPTH + 1)])

    @classmethod
    def from_buckets(cls, batch_no: int, keys: int, buckets: list[Node]) -> _State:
        levels = [buckets]
        while len(levels[-1]) > 1:
            c = levels[-1]
            levels.append([_combine(c[i], c[i + 1]) for i in range(0, len(c), 2)])
        levels.reverse()
        return cls(batch_no, keys, levels)

    def updated(self, batch_no: int, keys: int, buckets: dict[int, Node]) -> _State:
        """A new state with the given depth-16 subtrees replaced (this one is left unchanged)."""
        levels = [list(level) for level in self.levels]
        changed = set()
        for b, n in buckets.items():
            if levels[BUCKET_DEPTH][b] != n:
                levels[BUCKET_DEPTH][b] = n
                changed.add(b)
        for d in range(BUCKET_DEPTH - 1, -1, -1):
            below, here = levels[d + 1], levels[d]
            parents = set()
            for i in {c >> 1 for c in changed}:
                n = _combine(below[2 * i], below[2 * i + 1])
                if here[i] != n:
                    here[i] = n
                    parents.add(i)
            changed = parents
        return _State(batch_no, keys, levels)


_cache: weakref.WeakKeyDictionary[Store, _State] = weakref.WeakKeyDictionary()


def _as_of(conn: Connection, lo: int, hi: int, batch_no: int) -> dict[int, Node]:
    """The stored subtrees with node ids lo..hi as of ``batch_no``: one index seek each."""
    rows = conn.execute(
        text(
            "WITH RECURSIVE ids(id) AS (SELECT CAST(:lo AS BIGINT) UNION ALL "
            "SELECT id + 1 FROM ids WHERE id < :hi) "
            "SELECT id, (SELECT node FROM head_nodes WHERE node_id = ids.id AND batch_no <= :n "
            "ORDER BY batch_no DESC LIMIT 1) FROM ids"
        ),
        {"lo": lo, "hi": hi, "n": batch_no},
    ).all()
    return {int(r[0]): Node.from_blob(bytes(r[1])) for r in rows if r[1] is not None}


def _load(conn: Connection, batch_no: int, keys: int, heads_root: bytes) -> _State:
    """Levels 0..16 after ``batch_no`` from ``head_nodes``, checked against the stored root."""
    if batch_no < 0:
        return _State.empty()
    found = _as_of(conn, _BUCKETS, 2 * _BUCKETS - 1, batch_no)
    buckets = [found.get(_BUCKETS + b, EMPTY) for b in range(_BUCKETS)]
    state = _State.from_buckets(batch_no, keys, buckets)
    if state.root != heads_root:
        raise HeadsError(
            f"head map of batch {batch_no} rebuilt from its nodes has root {state.root.hex()}, "
            f"the batch says {heads_root.hex()}"
        )
    return state


def _state(store: Store, conn: Connection, batch_no: int) -> _State:
    """The map's levels after ``batch_no`` (the latest batch), from this process's copy if it is
    that batch's, else from the database."""
    if batch_no < 0:
        return _State.empty()
    row = conn.execute(
        select(db.batches.c.heads_root, db.batches.c.heads_keys).where(
            db.batches.c.batch_no == batch_no
        )
    ).first()
    if row is None or row.heads_root is None:
        raise HeadsError(f"batch {batch_no} has no head map")
    cached = _cache.get(store)
    if cached is not None and cached.batch_no == batch_no and cached.root == row.heads_root:
        return cached
    return _load(conn, batch_no, int(row.heads_keys or 0), bytes(row.heads_root))


# ------------------------------------------------------------------ applying a batch

_DEVICE = re.compile(rb'"record":\{"device":"([^"\\]*)","device_seq":(\d+)[,}]')


def _device_of(body: bytes) -> tuple[str, int]:
    """(device, device_seq) of an attendance entry's canonical bytes.

    The record's keys are in JCS order, so ``device`` and ``device_seq`` come first; a string
    cannot hold an unescaped quote, so the pattern matches nothing but the record's own fields.
    Anything else is parsed in full.
    """
    m = _DEVICE.search(body)
    if m is not None:
        return m.group(1).decode(), int(m.group(2))
    rec = json.loads(body)["record"]
    return str(rec["device"]), int(rec["device_seq"])


def changes(rows: Iterable[Any]) -> dict[bytes, HeadValue]:
    """The head values a run of entries sets, by key hash: for each key the value with the
    highest counter (an entry with a counter not above the key's current one changes nothing).

    ``rows`` in seq order, with ``seq``, ``type``, ``project``, ``subject``, ``subject_seq``,
    ``leaf_hash`` and ``body`` (``body`` is read for attendance entries only).
    """
    out: dict[bytes, HeadValue] = {}
    for r in rows:
        leaf = bytes(r.leaf_hash)
        if r.subject is not None:
            _offer(out, key_hash(subject_key(r.subject)), HeadValue(r.subject_seq, r.seq, leaf))
        if r.type == "attendance":
            device, device_seq = _device_of(bytes(r.body))
            kh = key_hash(device_key(r.project, device))
            _offer(out, kh, HeadValue(device_seq, r.seq, leaf))
    return out


def _offer(out: dict[bytes, HeadValue], kh: bytes, v: HeadValue) -> None:
    cur = out.get(kh)
    if cur is None or v.counter > cur.counter:
        out[kh] = v


def _entries(conn: Connection, first: int, end: int) -> list[Any]:
    e = db.entries.c
    return list(
        conn.execute(
            select(e.seq, e.type, e.project, e.subject, e.subject_seq, e.leaf_hash, e.body)
            .where(e.seq >= first, e.seq < end)
            .order_by(e.seq)
        )
    )


def _apply(conn: Connection, state: _State, batch_no: int, new: dict[bytes, HeadValue]) -> _State:
    """Write batch ``batch_no``'s changes to the head tables; returns the map after it."""
    hk = db.head_keys.c
    buckets = sorted({_bucket(kh) for kh in new})
    current: dict[int, dict[bytes, tuple[int, int, bytes, bytes]]] = {b: {} for b in buckets}
    for k in range(0, len(buckets), _CHUNK):
        part = buckets[k : k + _CHUNK]
        for r in conn.execute(
            select(hk.bucket, hk.kh, hk.key_no, hk.counter, hk.vh, hk.leaf).where(
                hk.bucket.in_(part)
            )
        ):
            current[r.bucket][bytes(r.kh)] = (r.key_no, r.counter, bytes(r.vh), bytes(r.leaf))
    inserts, updates, versions = [], [], []
    keys = state.keys
    touched: set[int] = set()
    for kh in sorted(new):
        v = new[kh]
        b = _bucket(kh)
        mates = current[b]
        old = mates.get(kh)
        if old is not None and v.counter <= old[1]:
            continue
        vh = v.value_hash()
        leaf = leaf_node(kh, vh)
        if old is None:
            key_no = keys
            keys += 1
            inserts.append({"bucket": b, "kh": kh, "key_no": key_no, "counter": v.counter,
                            "vh": vh, "leaf": leaf})  # fmt: skip
        else:
            key_no = old[0]
            updates.append({"b": b, "k": kh, "counter": v.counter, "vh": vh, "leaf": leaf})
        mates[kh] = (key_no, v.counter, vh, leaf)
        versions.append({"key_no": key_no, "batch_no": batch_no, "counter": v.counter,
                         "seq": v.seq})  # fmt: skip
        touched.add(b)
    if inserts:
        conn.execute(insert(db.head_keys), inserts)
    if updates:
        conn.execute(
            update(db.head_keys)
            .where(hk.bucket == bindparam("b"), hk.kh == bindparam("k"))
            .values(counter=bindparam("counter"), vh=bindparam("vh"), leaf=bindparam("leaf")),
            updates,
        )
    if versions:
        conn.execute(insert(db.head_versions), versions)
    fresh = {
        b: _bucket_node(sorted((kh, m[2], m[3]) for kh, m in current[b].items())) for b in touched
    }
    after = state.updated(batch_no, keys, fresh)
    rows = [
        {"node_id": (1 << d) + i, "batch_no": batch_no, "node": after.levels[d][i].blob()}
        for d in (STRIDE, BUCKET_DEPTH)
        for i in _changed(state.levels[d], after.levels[d], touched, BUCKET_DEPTH - d)
    ]
    if rows:
        conn.execute(insert(db.head_nodes), rows)
    return after


def _changed(before: list[Node], after: list[Node], buckets: set[int], shift: int) -> list[int]:
    return sorted(i for i in {b >> shift for b in buckets} if before[i] != after[i])


def apply_batch(store: Store, conn: Connection, batch_no: int, first: int, end: int) -> _State:
    """Apply entries [first, end) as batch ``batch_no`` on top of batch ``batch_no - 1``'s map,
    inside the caller's sealing transaction. Call ``committed`` with the result after commit."""
    state = _state(store, conn, batch_no - 1)
    return _apply(conn, state, batch_no, changes(_entries(conn, first, end)))


def committed(store: Store, state: _State) -> None:
    """Remember the map of a committed seal for this process's next seal and proofs."""
    _cache[store] = state


# ------------------------------------------------------------------ reading


def heads_root(store: Store, batch_no: int) -> bytes:
    """The root of the head map after batch ``batch_no``."""
    with store._read() as conn:
        root = conn.execute(
            select(db.batches.c.heads_root).where(db.batches.c.batch_no == batch_no)
        ).scalar()
    if root is None:
        raise HeadsError(f"batch {batch_no} is not sealed or has no head map")
    return bytes(root)


def _walk(levels: list[list[Node]], kh: bytes, depth: int) -> tuple[list[bytes], Node, int]:
    """Descend from ``levels[0][0]`` (at ``depth``) along ``kh`` while the subtree holds more
    than one key; returns the siblings passed, the subtree reached and its depth."""
    idx = 0
    siblings: list[bytes] = []
    for j in range(len(levels) - 1):
        here = levels[j][idx]
        if here.kind <= 1:
            return siblings, here, depth + j
        idx = 2 * idx + ((kh[(depth + j) >> 3] >> (7 - ((depth + j) & 7))) & 1)
        siblings.append(levels[j + 1][idx ^ 1].hash)
    return siblings, levels[-1][idx], depth + len(levels) - 1


def _group(children: list[Node]) -> list[list[Node]]:
    levels = [children]
    while len(levels[-1]) > 1:
        c = levels[-1]
        levels.append([_combine(c[i], c[i + 1]) for i in range(0, len(c), 2)])
    levels.reverse()
    return levels


_LEAVES_AS_OF = text(
    "SELECT hk.kh, hv.counter, hv.seq, e.leaf_hash FROM head_keys hk "
    "JOIN head_versions hv ON hv.key_no = hk.key_no "
    "JOIN entries e ON e.seq = hv.seq "
    "WHERE hk.bucket = :b AND hv.batch_no = (SELECT max(v2.batch_no) FROM head_versions v2 "
    "WHERE v2.key_no = hk.key_no AND v2.batch_no <= :n)"
)


def _leaves_as_of(conn: Connection, bucket: int, batch_no: int) -> dict[bytes, HeadValue]:
    rows = conn.execute(_LEAVES_AS_OF, {"b": bucket, "n": batch_no}).all()
    return {bytes(r[0]): HeadValue(int(r[1]), int(r[2]), bytes(r[3])) for r in rows}


def prove(store: Store, batch_no: int, key: str) -> tuple[HeadValue | None, HeadProof]:
    """The value of ``key`` in the head map after batch ``batch_no`` (None: absent) and its
    proof. The proof is checked against the batch's stored heads root before it is returned."""
    kh = key_hash(key)
    with store._read() as conn:
        row = conn.execute(
            select(db.batches.c.heads_root).where(db.batches.c.batch_no == batch_no)
        ).first()
        if row is None or row.heads_root is None:
            raise HeadsError(f"batch {batch_no} is not sealed or has no head map")
        root = bytes(row.heads_root)
        cached = _cache.get(store)
        if cached is not None and cached.batch_no == batch_no and cached.root == root:
            top = cached.levels[: STRIDE + 1]
            mid = [cached.levels[STRIDE + j][(kh[0] << j) : (kh[0] + 1) << j]
                   for j in range(STRIDE + 1)]  # fmt: skip
        else:
            found = _as_of(conn, 1 << STRIDE, (2 << STRIDE) - 1, batch_no)
            top = _group([found.get((1 << STRIDE) + i, EMPTY) for i in range(1 << STRIDE)])
            mid = []
        siblings, end, depth = _walk(top, kh, 0)
        if end.kind == 2 and depth == STRIDE:
            if not mid:
                lo = _BUCKETS + (kh[0] << STRIDE)
                found = _as_of(conn, lo, lo + (1 << STRIDE) - 1, batch_no)
                mid = _group([found.get(lo + i, EMPTY) for i in range(1 << STRIDE)])
            more, end, depth = _walk(mid, kh, STRIDE)
            siblings += more
        value: HeadValue | None = None
        leaf = end.leaf
        if end.kind == 2:  # depth 16: the keys under kh's 16-bit prefix
            values = _leaves_as_of(conn, _bucket(kh), batch_no)
            items = sorted((k, leaf_node(k, v.value_hash())) for k, v in values.items())
            more, item = path(items, kh, BUCKET_DEPTH)
            siblings += more
            leaf = None if item is None else Leaf(item[0], values[item[0]].value_hash())
            value = values.get(kh) if item is not None and item[0] == kh else None
        elif leaf is not None and leaf.key_hash == kh:
            value = _leaves_as_of(conn, _bucket(kh), batch_no).get(kh)
            if value is None:
                raise HeadsError(f"head map of batch {batch_no} names {key!r} without a value")
    proof = HeadProof(tuple(siblings), leaf)
    try:
        verify_head_proof(root, key, value, proof)
    except ProofError as exc:
        raise HeadsError(f"head map of batch {batch_no} is inconsistent: {exc}") from exc
    return value, proof


# ------------------------------------------------------------------ rebuilding and checking


def rebuild_root(conn: Connection, end_seq: int) -> tuple[bytes, int]:
    """The heads root and key count of the log's prefix [0, end_seq), computed from the entries
    alone (no head table is read): what ``siteledger db check`` compares with each batch."""
    values: dict[bytes, HeadValue] = {}
    for k in range(0, end_seq, 50_000):
        for kh, v in changes(_entries(conn, k, min(end_seq, k + 50_000))).items():
            _offer(values, kh, v)
    items = sorted((kh, leaf_node(kh, v.value_hash())) for kh, v in values.items())
    return subtree(items), len(items)
