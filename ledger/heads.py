"""Head maps in the database: the map after every sealed batch, and head proofs at any batch.

The construction is ``ledger.core.heads`` (spec: docs/proof-format.md, "Head maps"). Storage keeps
what changes and shares what does not (docs/storage.md, "Head maps"):

* ``head_keys``: one row per key ever seen: its bucket (first 16 bits), key hash and key
  number, written once (revision 0008: its current value was updated in place by every seal,
  60 MB of SQLite pages a batch touching 10,000 of 1,000,000 keys);
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
The sealing process also keeps, under the same check, each bucket it has read or written: its
keys (key hash, leaf node, key number, counter) and the hashes of its four depth-18 subtrees,
so that a changed key costs the hashing of its quarter of the bucket; a bucket not kept is read
from each of its keys' latest ``head_versions`` row. A seal that fails leaves the copy of the
last committed batch in place (a seal builds a new copy; ``committed`` installs it).
"""

from __future__ import annotations

import gc
import json
import re
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from ledger import db, packing
from ledger.core.errors import EncodingError, ProofError, StoreError
from ledger.core.heads import (
    MAX_KEY_BYTES,
    ZERO,
    HeadProof,
    HeadValue,
    Leaf,
    build_levels,
    fold_up,
    key_hash,
    leaf_node,
    path,
    subtree,
    value_hash,
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


class Node(NamedTuple):
    """A subtree: kind 0 empty, 1 exactly one key, 2 more than one.

    A one-key subtree names its key by ``leaf`` or, when read back from a depth-16 row (stored
    as its hash only, to save 32 bytes a row), by the ``bucket`` whose one key it is. (A named
    tuple, not a dataclass: a seal makes tens of thousands of them.)
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


def _inner(h: bytes) -> Node:
    """A subtree of two keys or more with hash ``h`` (``Node(2, h)``, without the call of
    ``Node.__new__``: a seal makes tens of thousands)."""
    return tuple.__new__(Node, (2, h, None, -1))


_sha = sha256
_Z = ZERO


def _sorted_hash(ks: list[int], leaves: list[bytes], depth: int) -> bytes:
    """Hash of the subtree at ``depth`` holding the keys ``ks`` (at least two: key hashes as
    integers, sorted, sharing their first ``depth`` bits) with leaf nodes ``leaves``: the tree of
    ``ledger.core.heads.subtree``, built in one pass. Two neighbours first differ at bit q,
    where their lowest common node splits; ``spine`` holds the nodes on the right edge of the
    tree built so far that still wait for their right child, as (q, left child's hash at depth
    q + 1). A node whose keys all share bit j above it sits under a node with an empty side at
    depth j (``lift``)."""
    z = _Z
    spine: list[tuple[int, bytes]] = []
    cur, cur_q, cur_k = leaves[0], 0, ks[0]  # cur_q 0 for a leaf: its own hash at any depth
    prev = cur_k
    for idx in range(1, len(ks)):
        k = ks[idx]
        q = 256 - (prev ^ k).bit_length()
        while spine and spine[-1][0] > q:
            pq, left = spine.pop()
            for j in range(cur_q - 1, pq, -1):  # lift cur to depth pq + 1
                cur = (_sha(b"\x03" + z + cur) if (cur_k >> (255 - j)) & 1
                       else _sha(b"\x03" + cur + z)).digest()  # fmt: skip
            cur, cur_q = _sha(b"\x03" + left + cur).digest(), pq
        for j in range(cur_q - 1, q, -1):  # lift cur to depth q + 1
            cur = (_sha(b"\x03" + z + cur) if (cur_k >> (255 - j)) & 1
                   else _sha(b"\x03" + cur + z)).digest()  # fmt: skip
        spine.append((q, cur))
        cur, cur_q, cur_k = leaves[idx], 0, k
        prev = k
    while spine:
        pq, left = spine.pop()
        for j in range(cur_q - 1, pq, -1):
            cur = (_sha(b"\x03" + z + cur) if (cur_k >> (255 - j)) & 1
                   else _sha(b"\x03" + cur + z)).digest()  # fmt: skip
        cur, cur_q = _sha(b"\x03" + left + cur).digest(), pq
    for j in range(cur_q - 1, depth - 1, -1):
        cur = (_sha(b"\x03" + z + cur) if (cur_k >> (255 - j)) & 1
               else _sha(b"\x03" + cur + z)).digest()  # fmt: skip
    return cur


QUARTER_DEPTH = BUCKET_DEPTH + 2
"""Each bucket's four subtrees at this depth are kept with its keys in the sealer's memory, so a
changed key costs the hashing of its quarter, not of its whole bucket."""
_HEAD = 4 * 32


def _quarter_hash(recs: list[bytes], lo: int, hi: int) -> bytes:
    """Hash of the depth-18 subtree holding recs[lo:hi] (sorted 80-byte records kh ‖ leaf node
    ‖ key number ‖ counter, all under one 18-bit prefix)."""
    if hi - lo > 1:
        part = recs[lo:hi]
        return _sorted_hash([int.from_bytes(r[:32], "big") for r in part],
                            [r[32:64] for r in part], QUARTER_DEPTH)  # fmt: skip
    return recs[lo][32:64] if hi > lo else _Z


def _quarters_node(bounds: list[int], hashes: list[bytes]) -> bytes:
    """Hash of a bucket holding at least two keys, from its quarters (quarter q holds records
    bounds[q] to bounds[q + 1], its hash is hashes[q]): two quarters holding at most one key
    between them fold to that key's leaf (or to nothing)."""
    b0, b1, b2, b3, b4 = bounds
    h0, h1, h2, h3 = hashes[0], hashes[1], hashes[2], hashes[3]
    left = _sha(b"\x03" + h0 + h1).digest() if b2 - b0 > 1 else h1 if b2 > b1 else h0
    right = _sha(b"\x03" + h2 + h3).digest() if b4 - b2 > 1 else h3 if b4 > b3 else h2
    return _sha(b"\x03" + left + right).digest()


def _bucket_node(items: Sequence[tuple[bytes, bytes, bytes]]) -> Node:
    """The depth-16 subtree holding ``items`` = sorted (kh, value hash, leaf node)."""
    if not items:
        return EMPTY
    if len(items) == 1:
        kh, vh, leaf = items[0]
        return Node(1, leaf, Leaf(kh, vh))
    ks = [int.from_bytes(kh, "big") for kh, _, _ in items]
    return Node(2, _sorted_hash(ks, [leaf for _, _, leaf in items], BUCKET_DEPTH))


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
    known_bytes: int = 0

    @property
    def root(self) -> bytes:
        return self.levels[0][0].hash

    @classmethod
    def empty(cls) -> _State:
        return cls(-1, 0, [[EMPTY] * (1 << d) for d in range(BUCKET_DEPTH + 1)])

    @classmethod
    def from_buckets(cls, batch_no: int, keys: int, buckets: list[Node]) -> _State:
        return cls(batch_no, keys, build_levels(buckets, _inner))

    def updated(self, batch_no: int, keys: int, buckets: dict[int, Node]) -> _State:
        """A new state with the given depth-16 subtrees replaced (this one is left unchanged)."""
        levels = [list(level) for level in self.levels]
        bottom = levels[BUCKET_DEPTH]
        changed = []
        for b, n in buckets.items():
            if bottom[b].hash != n.hash:
                bottom[b] = n
                changed.append(b)
        fold_up(levels, changed, _inner)
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


Change = tuple[int, int, bytes]
"""A head value offered by an entry: (counter, seq, leaf hash)."""


def _kh(key: bytes) -> bytes:
    if len(key) > MAX_KEY_BYTES:
        raise EncodingError(f"map key is longer than {MAX_KEY_BYTES} bytes", "key")
    return _sha(key).digest()


def changes(rows: Iterable[Any]) -> dict[bytes, Change]:
    """The head values a run of entries sets, by key hash: for each key the value with the
    highest counter (an entry with a counter not above the key's current one changes nothing).

    ``rows`` in seq order: (seq, type, project, subject, subject_seq, leaf_hash, body), where
    ``body`` is needed for attendance entries only.
    """
    best: dict[bytes, Change] = {}
    khs: dict[str, bytes] = {}
    gates: dict[tuple[str, str], bytes] = {}  # a few gates punch many times a batch
    for seq, kind, project, subject, subject_seq, leaf_hash, body in rows:
        if subject is not None:
            kh = khs.get(subject)
            if kh is None:
                kh = khs[subject] = _kh(b"subject/" + subject.encode())
            cur = best.get(kh)
            if cur is None or subject_seq > cur[0]:
                best[kh] = (subject_seq, seq, bytes(leaf_hash))
        if kind == "attendance":
            device, device_seq = _device_of(packing.unpack(body))
            kh = gates.get((project, device))
            if kh is None:
                kh = gates[project, device] = _kh(f"device/{project}/{device}".encode())
            cur = best.get(kh)
            if cur is None or device_seq > cur[0]:
                best[kh] = (device_seq, seq, bytes(leaf_hash))
    return best


def _offer(out: dict[bytes, Change], kh: bytes, v: Change) -> None:
    cur = out.get(kh)
    if cur is None or v[0] > cur[0]:
        out[kh] = v


def _sql(conn: Connection, sql: str, params: Any = None) -> Any:
    """Run ``sql`` (``?`` placeholders) on the driver directly: no per-row processing, which is
    most of the cost of a seal that writes tens of thousands of rows. A list of tuples runs as
    executemany."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return conn.exec_driver_sql(sql, params) if params is not None else conn.exec_driver_sql(sql)


def _insert(conn: Connection, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` into ``table`` inside the caller's transaction: on PostgreSQL with COPY
    (10,000 rows cost the client 4 ms of CPU, against 90 ms as executemany), elsewhere with
    executemany."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        with conn.connection.dbapi_connection.cursor() as cur, cur.copy(  # type: ignore[union-attr]
            f"COPY {table} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    _sql(conn, f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows[0]))})", rows)


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


_CURRENT = (
    "SELECT hk.bucket, hk.kh, hk.key_no, hv.counter, hv.seq, e.leaf_hash FROM head_keys hk "
    "JOIN head_versions hv ON hv.key_no = hk.key_no "
    "JOIN entries e ON e.seq = hv.seq "
    "WHERE hk.bucket IN ({marks}) AND hv.batch_no = (SELECT max(v2.batch_no) "
    "FROM head_versions v2 WHERE v2.key_no = hk.key_no AND v2.batch_no <= ?)"
)
"""The keys of some buckets with their values in the latest map: each key's latest version."""
_CURRENT_PG = (
    "SELECT hk.bucket, hk.kh, hk.key_no, hv.counter, hv.seq, e.leaf_hash FROM head_keys hk "
    "CROSS JOIN LATERAL (SELECT v.counter, v.seq FROM head_versions v WHERE v.key_no = hk.key_no "
    "AND v.batch_no <= ? ORDER BY v.batch_no DESC LIMIT 1) hv "
    "JOIN entries e ON e.seq = hv.seq WHERE hk.bucket IN ({marks})"
)
"""The same on PostgreSQL, whose planner joins ``_CURRENT``'s subquery by hashing all of
``head_versions``: here one index seek a key."""


def _apply(conn: Connection, state: _State, batch_no: int, new: dict[bytes, Change]) -> _State:
    """Write batch ``batch_no``'s changes to the head tables; returns the map after it.

    Each touched bucket's keys are its sorted 80-byte records kh ‖ leaf node ‖ key number ‖
    counter (from this process's ``known`` copy, else read from ``head_keys``); a changed key's
    record is replaced or inserted in place. ``known`` keeps, before a bucket's records, the
    hashes of its four depth-18 subtrees: only the quarters holding a changed key are hashed
    again from their records, and the bucket's hash is folded from its four quarters.
    """
    by_bucket: dict[int, list[bytes]] = {}
    for kh in sorted(new):
        by_bucket.setdefault((kh[0] << 8) | kh[1], []).append(kh)
    known = state.known
    fetched: dict[int, list[bytes]] = {b: [] for b in by_bucket if b not in known}
    missing = list(fetched)
    for k in range(0, len(missing), _CHUNK):
        part = missing[k : k + _CHUNK]
        marks = ",".join("?" * len(part))
        if conn.dialect.name == "postgresql":
            sql, params = _CURRENT_PG.format(marks=marks), (state.batch_no, *part)
        else:
            sql, params = _CURRENT.format(marks=marks), (*part, state.batch_no)
        rows = _sql(conn, sql, params).fetchall()
        for b, kh, key_no, counter, seq, leaf_hash in rows:
            kh = bytes(kh)
            leaf = _sha(b"\x02" + kh + value_hash(counter, seq, bytes(leaf_hash))).digest()
            fetched[b].append(kh + leaf + key_no.to_bytes(8, "big") + counter.to_bytes(8, "big"))
    inserts: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
    keys = state.keys
    fresh: dict[int, Node] = {}
    packed: dict[int, bytes] = {}
    vhs: dict[bytes, bytes] = {}
    for b, khs in by_bucket.items():
        blob = known.get(b)
        if blob is None:
            recs = sorted(fetched[b])
            hashes = [_Z] * 4
            dirty = 15  # every quarter is hashed once, then kept
        else:
            recs = [blob[i : i + 80] for i in range(_HEAD, len(blob), 80)]
            hashes = [blob[0:32], blob[32:64], blob[64:96], blob[96:128]]
            dirty = 0
        for kh in khs:
            counter, seq, leaf_hash = new[kh]
            i = bisect_left(recs, kh)
            old = recs[i] if i < len(recs) and recs[i][:32] == kh else None
            if old is not None and counter <= int.from_bytes(old[72:80], "big"):
                continue
            vh = vhs[kh] = value_hash(counter, seq, leaf_hash)
            leaf = _sha(b"\x02" + kh + vh).digest()
            if old is None:
                key_no = keys
                keys += 1
                inserts.append((b, kh, key_no))
                recs.insert(i, kh + leaf + key_no.to_bytes(8, "big") + counter.to_bytes(8, "big"))
            else:
                key_no = int.from_bytes(old[64:72], "big")
                recs[i] = kh + leaf + old[64:72] + counter.to_bytes(8, "big")
            versions.append((key_no, batch_no, counter, seq))
            dirty |= 16 | (1 << (kh[2] >> 6))
        if not dirty:
            continue
        pre = kh[:2]
        n = len(recs)
        bounds = [0, bisect_left(recs, pre + b"\x40"), bisect_left(recs, pre + b"\x80"),
                  bisect_left(recs, pre + b"\xc0"), n]  # fmt: skip
        for q in range(4):
            if dirty >> q & 1:
                hashes[q] = _quarter_hash(recs, bounds[q], bounds[q + 1])
        hashes.extend(recs)
        packed[b] = b"".join(hashes)
        if dirty & 16:  # a key's value changed
            if n == 1:
                kh = recs[0][:32]
                fresh[b] = Node(1, recs[0][32:64], Leaf(kh, vhs[kh]))
            else:
                fresh[b] = Node(2, _quarters_node(bounds, hashes))
    _insert(conn, "head_keys", "bucket, kh, key_no", inserts)
    _insert(conn, "head_versions", "key_no, batch_no, counter, seq", versions)
    after = state.updated(batch_no, keys, fresh)
    rows = [
        ((1 << d) + i, batch_no, after.levels[d][i].blob(d))
        for d in (STRIDE, BUCKET_DEPTH)
        for i in _changed(state.levels[d], after.levels[d], fresh, BUCKET_DEPTH - d)
    ]
    _insert(conn, "head_nodes", "node_id, batch_no, node", rows)
    size = state.known_bytes + sum(len(v) - len(known.get(b, b"")) for b, v in packed.items())
    if size <= _MAX_KNOWN_BYTES:
        after.known = {**known, **packed}
        after.known_bytes = size
    return after


_MAX_KNOWN_BYTES = 2_000_000 * 80 + _BUCKETS * _HEAD
"""Bucket contents kept per process: 2,000,000 keys at 80 bytes and every bucket's quarter
hashes (8.4 MB); beyond, the seal reads them."""


def _changed(
    before: list[Node], after: list[Node], buckets: Iterable[int], shift: int
) -> list[int]:
    return sorted(i for i in {b >> shift for b in buckets} if before[i].hash != after[i].hash)


def apply_batch(store: Store, conn: Connection, batch_no: int, first: int, end: int) -> _State:
    """Apply entries [first, end) as batch ``batch_no`` on top of batch ``batch_no - 1``'s map,
    inside the caller's sealing transaction. Call ``committed`` with the result after commit."""
    state = _state(store, conn, batch_no - 1)
    # A seal allocates tens of thousands of short-lived objects and no cycles: with the garbage
    # collector on, each allocation burst walks the whole heap (a third of the seal's time with
    # a million keys). It is switched back on afterwards unless something else had it off.
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _apply(conn, state, batch_no, changes(_entries(conn, first, end)))
    finally:
        if was_on:
            gc.enable()


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
            top = build_levels([found.get((1 << STRIDE) + i, EMPTY)
                                for i in range(1 << STRIDE)], _inner)  # fmt: skip
            mid = []
        siblings, end, depth = _walk(top, kh, 0)
        if end.kind == 2 and depth == STRIDE:
            if not mid:
                lo = _BUCKETS + (kh[0] << STRIDE)
                found = _as_of(conn, lo, lo + (1 << STRIDE) - 1, batch_no)
                mid = build_levels([found.get(lo + i, EMPTY) for i in range(1 << STRIDE)], _inner)
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
        for kh, (counter, seq, leaf_hash) in changes(_entries(conn, first, end)).items():
            b = _bucket(kh)
            mates = buckets.setdefault(b, {})
            old = mates.get(kh)
            if old is not None and counter <= old[0]:
                continue
            keys += old is None
            vh = value_hash(counter, seq, leaf_hash)
            mates[kh] = (counter, vh, leaf_node(kh, vh))
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
    values: dict[bytes, Change] = {}
    for k in range(0, end_seq, 50_000):
        for kh, v in changes(_entries(conn, k, min(end_seq, k + 50_000))).items():
            _offer(values, kh, v)
    items = sorted((kh, leaf_node(kh, value_hash(*v))) for kh, v in values.items())
    return subtree(items), len(items)
