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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from ledger import db, packing
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
    """A subtree: kind 0 empty, 1 exactly one key, 2 more than one.

    A one-key subtree names its key by ``leaf`` or, when read back from a depth-16 row (stored
    as its hash only, to save 32 bytes a row), by the ``bucket`` whose one key it is.
    """

    kind: int
    hash: bytes
    leaf: Leaf | None = None
    bucket: int = -1

    def blob(self, depth: int) -> bytes:
        """The stored form: 0x02 ‖ hash; a one-key subtree 0x01 ‖ kh ‖ value hash at depth 8
        and 0x01 ‖ leaf node at depth 16 (its key is the bucket's only key)."""
        if self.kind == 1 and depth < BUCKET_DEPTH:
            if self.leaf is None:
                raise HeadsError(f"one-key subtree at depth {depth} without its key")
            return b"\x01" + self.leaf.key_hash + self.leaf.value_hash
        return bytes([self.kind]) + self.hash

    @classmethod
    def from_blob(cls, blob: bytes, node_id: int) -> Node:
        if len(blob) == 65 and blob[0] == 1:
            leaf = Leaf(blob[1:33], blob[33:65])
            return cls(1, leaf.node(), leaf)
        if len(blob) == 33 and blob[0] == 1 and node_id >= _BUCKETS:
            return cls(1, blob[1:], None, node_id - _BUCKETS)
        if len(blob) == 33 and blob[0] == 2:
            return cls(2, blob[1:])
        raise HeadsError(f"stored head map node {node_id} of {len(blob)} bytes is malformed")


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
    """Levels 0..16 of the map after batch ``batch_no`` (-1: before any batch), and the keys of
    the buckets this process has already read or written since (``known``: bucket -> sorted
    kh ‖ leaf node ‖ key number ‖ counter, 80 bytes a key), so that a seal reads from the
    database only the buckets it has not seen."""

    batch_no: int
    keys: int
    levels: list[list[Node]]  # levels[d] has 2**d nodes
    known: dict[int, bytes] = field(default_factory=dict)

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
            if levels[BUCKET_DEPTH][b].hash != n.hash:
                levels[BUCKET_DEPTH][b] = n
                changed.add(b)
        for d in range(BUCKET_DEPTH - 1, -1, -1):
            below, here = levels[d + 1], levels[d]
            parents = set()
            for i in {c >> 1 for c in changed}:
                n = _combine(below[2 * i], below[2 * i + 1])
                if here[i].hash != n.hash:
                    here[i] = n
                    parents.add(i)
            changed = parents
        return _State(batch_no, keys, levels)


_cache: weakref.WeakKeyDictionary[Store, _State] = weakref.WeakKeyDictionary()


def _as_of(conn: Connection, lo: int, hi: int, batch_no: int) -> dict[int, Node]:
    """The stored subtrees with node ids lo..hi as of ``batch_no``: one index seek each."""
    rows = _sql(
        conn,
        "WITH RECURSIVE ids(id) AS (SELECT CAST(? AS BIGINT) UNION ALL "
        "SELECT id + 1 FROM ids WHERE id < ?) "
        "SELECT id, (SELECT node FROM head_nodes WHERE node_id = ids.id AND batch_no <= ? "
        "ORDER BY batch_no DESC LIMIT 1) FROM ids",
        (lo, hi, batch_no),
    ).fetchall()
    return {r[0]: Node.from_blob(bytes(r[1]), r[0]) for r in rows if r[1] is not None}


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

    ``rows`` in seq order: (seq, type, project, subject, subject_seq, leaf_hash, body), where
    ``body`` is needed for attendance entries only.
    """
    best: dict[bytes, tuple[int, int, bytes]] = {}
    khs: dict[str, bytes] = {}
    for seq, kind, project, subject, subject_seq, leaf_hash, body in rows:
        if subject is not None:
            kh = khs.get(subject)
            if kh is None:
                kh = khs[subject] = key_hash(subject_key(subject))
            cur = best.get(kh)
            if cur is None or subject_seq > cur[0]:
                best[kh] = (subject_seq, seq, bytes(leaf_hash))
        if kind == "attendance":
            device, device_seq = _device_of(packing.unpack(body))
            kh = key_hash(device_key(project, device))
            cur = best.get(kh)
            if cur is None or device_seq > cur[0]:
                best[kh] = (device_seq, seq, bytes(leaf_hash))
    return {kh: HeadValue(c, s, leaf) for kh, (c, s, leaf) in best.items()}


def _offer(out: dict[bytes, HeadValue], kh: bytes, v: HeadValue) -> None:
    cur = out.get(kh)
    if cur is None or v.counter > cur.counter:
        out[kh] = v


def _sql(conn: Connection, sql: str, params: Any = None) -> Any:
    """Run ``sql`` (``?`` placeholders) on the driver directly: no per-row processing, which is
    most of the cost of a seal that writes tens of thousands of rows. A list of tuples runs as
    executemany."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return conn.exec_driver_sql(sql, params) if params is not None else conn.exec_driver_sql(sql)


def _entries(conn: Connection, first: int, end: int) -> list[Any]:
    return list(
        _sql(
            conn,
            "SELECT seq, CASE WHEN type = ? THEN 'attendance' END, project, subject, "
            "subject_seq, leaf_hash, CASE WHEN type = ? THEN body END FROM entries "
            "WHERE seq >= ? AND seq < ? ORDER BY seq",
            (db.RECORD_TYPES["attendance"], db.RECORD_TYPES["attendance"], first, end),
        ).fetchall()
    )


def _apply(conn: Connection, state: _State, batch_no: int, new: dict[bytes, HeadValue]) -> _State:
    """Write batch ``batch_no``'s changes to the head tables; returns the map after it."""
    buckets = sorted({_bucket(kh) for kh in new})
    # every key of every touched bucket: kh -> (key number, counter, value hash, leaf node); the
    # value hash of a key not in this batch is never needed (a bucket of one key holds a key of
    # this batch), so it is not read. The driver returns bytes for binary columns.
    current = {b: _unpack(state.known[b]) for b in buckets if b in state.known}
    missing = [b for b in buckets if b not in current]
    current.update((b, {}) for b in missing)
    for k in range(0, len(missing), _CHUNK):
        part = missing[k : k + _CHUNK]
        marks = ",".join("?" * len(part))
        rows = _sql(
            conn,
            f"SELECT bucket, kh, key_no, counter, leaf FROM head_keys WHERE bucket IN ({marks})",
            tuple(part),
        ).fetchall()
        for b, kh, key_no, counter, leaf in rows:
            current[b][kh] = (key_no, counter, b"", leaf)
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
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
            inserts.append((b, kh, key_no, v.counter, vh, leaf))
        else:
            key_no = old[0]
            updates.append((v.counter, vh, leaf, b, kh))
        mates[kh] = (key_no, v.counter, vh, leaf)
        versions.append((key_no, batch_no, v.counter, v.seq))
        touched.add(b)
    if inserts:
        _sql(conn, "INSERT INTO head_keys (bucket, kh, key_no, counter, vh, leaf) "
                   "VALUES (?, ?, ?, ?, ?, ?)", inserts)  # fmt: skip
    if updates:
        _sql(conn, "UPDATE head_keys SET counter = ?, vh = ?, leaf = ? "
                   "WHERE bucket = ? AND kh = ?", updates)  # fmt: skip
    if versions:
        _sql(conn, "INSERT INTO head_versions (key_no, batch_no, counter, seq) "
                   "VALUES (?, ?, ?, ?)", versions)  # fmt: skip
    fresh = {
        b: _bucket_node(sorted((kh, m[2], m[3]) for kh, m in current[b].items())) for b in touched
    }
    after = state.updated(batch_no, keys, fresh)
    rows = [
        ((1 << d) + i, batch_no, after.levels[d][i].blob(d))
        for d in (STRIDE, BUCKET_DEPTH)
        for i in _changed(state.levels[d], after.levels[d], touched, BUCKET_DEPTH - d)
    ]
    if rows:
        _sql(conn, "INSERT INTO head_nodes (node_id, batch_no, node) VALUES (?, ?, ?)", rows)
    known = {**state.known, **{b: _pack(current[b]) for b in buckets}}
    if sum(map(len, known.values())) <= _MAX_KNOWN_BYTES:
        after.known = known
    return after


_MAX_KNOWN_BYTES = 160_000_000
"""Bucket contents kept per process: 2,000,000 keys at 80 bytes; beyond, the seal reads them."""


def _pack(mates: dict[bytes, tuple[int, int, bytes, bytes]]) -> bytes:
    return b"".join(
        kh + m[3] + m[0].to_bytes(8, "big") + m[1].to_bytes(8, "big")
        for kh, m in sorted(mates.items())
    )


def _unpack(blob: bytes) -> dict[bytes, tuple[int, int, bytes, bytes]]:
    return {
        blob[i : i + 32]: (
            int.from_bytes(blob[i + 64 : i + 72], "big"),
            int.from_bytes(blob[i + 72 : i + 80], "big"),
            b"",
            blob[i + 32 : i + 64],
        )
        for i in range(0, len(blob), 80)
    }


def _changed(before: list[Node], after: list[Node], buckets: set[int], shift: int) -> list[int]:
    return sorted(i for i in {b >> shift for b in buckets} if before[i].hash != after[i].hash)


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


_LEAVES_AS_OF = (
    "SELECT hk.kh, hv.counter, hv.seq, e.leaf_hash FROM head_keys hk "
    "JOIN head_versions hv ON hv.key_no = hk.key_no "
    "JOIN entries e ON e.seq = hv.seq "
    "WHERE hk.bucket = ? AND hv.batch_no = (SELECT max(v2.batch_no) FROM head_versions v2 "
    "WHERE v2.key_no = hk.key_no AND v2.batch_no <= ?)"
)


def _leaves_as_of(conn: Connection, bucket: int, batch_no: int) -> dict[bytes, HeadValue]:
    rows = _sql(conn, _LEAVES_AS_OF, (bucket, batch_no)).fetchall()
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
        if end.kind == 2 or (end.kind == 1 and leaf is None):
            # the keys of the bucket under kh's 16-bit prefix, or of the one-key bucket
            bucket = _bucket(kh) if end.kind == 2 else end.bucket
            values = _leaves_as_of(conn, bucket, batch_no)
            if end.kind == 1 and len(values) != 1:
                raise HeadsError(f"bucket {bucket} holds {len(values)} keys at batch {batch_no}")
            items = sorted((k, leaf_node(k, v.value_hash())) for k, v in values.items())
            more, item = path(items, kh, max(depth, BUCKET_DEPTH))
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


def replay(
    conn: Connection, spans: Iterable[tuple[int, int, int]]
) -> Iterator[tuple[int, bytes, int]]:
    """Recompute the map batch by batch from the entries alone (no head table is read), in
    memory: yields (batch number, heads root, key count) for each (batch number, first seq,
    end seq) of ``spans``, which must cover the log from seq 0 in order. For ``db check``."""
    state = _State.empty()
    buckets: dict[int, dict[bytes, tuple[int, bytes, bytes]]] = {}
    keys = 0
    for batch_no, first, end in spans:
        touched = set()
        for kh, v in changes(_entries(conn, first, end)).items():
            b = _bucket(kh)
            mates = buckets.setdefault(b, {})
            old = mates.get(kh)
            if old is not None and v.counter <= old[0]:
                continue
            keys += old is None
            vh = v.value_hash()
            mates[kh] = (v.counter, vh, leaf_node(kh, vh))
            touched.add(b)
        fresh = {
            b: _bucket_node(sorted((kh, m[1], m[2]) for kh, m in buckets[b].items()))
            for b in touched
        }
        state = state.updated(batch_no, keys, fresh)
        yield batch_no, state.root, keys


def check_stored(conn: Connection, batch_no: int, heads_root: bytes) -> None:
    """Raise HeadsError unless the stored subtrees of batch ``batch_no`` fold to its root."""
    _load(conn, batch_no, 0, heads_root)


def rebuild_root(conn: Connection, end_seq: int) -> tuple[bytes, int]:
    """The heads root and key count of the log's prefix [0, end_seq), from the entries alone
    by the plain recursive definition (tests compare it with the incremental computation)."""
    values: dict[bytes, HeadValue] = {}
    for k in range(0, end_seq, 50_000):
        for kh, v in changes(_entries(conn, k, min(end_seq, k + 50_000))).items():
            _offer(values, kh, v)
    items = sorted((kh, leaf_node(kh, v.value_hash())) for kh, v in values.items())
    return subtree(items), len(items)
