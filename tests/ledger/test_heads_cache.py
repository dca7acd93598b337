"""The sealer's copy of the head map in memory (levels 0..16, and per bucket its keys and the
hashes of its four depth-18 quarters) against the map's definition, through restarts, a second
sealing process taking over, and seals that fail and roll back.

The log here is written with SQL (no signatures: the map reads only an entry's seq, type,
project, subject, subject_seq, leaf hash and a punch's device and device_seq), so that buckets
can be filled with many keys: subjects are chosen whose key hashes share their first 16 bits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from hashlib import sha256
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from ledger import batcher, db
from ledger import heads as head_maps
from ledger.core import heads
from ledger.core.errors import StoreError
from ledger.core.heads import BatchHead
from ledger.store import Store

PROJECT = "P-CACHE-001"
GATES = [f"GATE-{i:02d}" for i in range(6)]


def _crowded(buckets: int, per_bucket: int) -> list[str]:
    """Subjects filling ``buckets`` buckets with ``per_bucket`` keys each (found by search)."""
    groups: dict[bytes, list[str]] = {}
    out: list[str] = []
    n = 0
    while len(out) < buckets * per_bucket:
        s = f"w-crowd-{n}"
        n += 1
        group = groups.setdefault(heads.key_hash(heads.subject_key(s))[:2], [])
        group.append(s)
        if len(group) == per_bucket:
            out += group
    return out


class Log:
    """Entries written straight into the entries table, with their heads as the map defines
    them."""

    def __init__(self, store: Store, subjects: list[str]) -> None:
        self.store = store
        self.subjects = subjects
        self.seq = 0
        self.counters = dict.fromkeys(subjects, 0)
        self.gate_seq = dict.fromkeys(GATES, 0)

    def write(self, rng: random.Random, n: int) -> None:
        rows = []
        for _ in range(n):
            s = rng.choice(self.subjects)
            self.counters[s] += 1
            row: dict[str, Any] = {
                "seq": self.seq, "leaf_hash": sha256(b"leaf %d" % self.seq).digest(),
                "type": "enrollment", "project": PROJECT, "subject": s,
                "subject_seq": self.counters[s], "signer": "0" * 32, "record_id": str(self.seq),
                "record_time": 0, "target": None, "replacement": None, "body": b"{}",
            }  # fmt: skip
            if rng.random() < 0.6:
                gate = rng.choice(GATES)
                self.gate_seq[gate] += 2
                dseq = self.gate_seq[gate] - (3 if rng.random() < 0.2 else 0)  # some arrive late
                row["type"] = "attendance"
                row["body"] = (f'{{"received_at":"2026-10-01T00:00:00Z","record":{{"device":'
                               f'"{gate}","device_seq":{dseq},"direction":"in"}}}}').encode()  # fmt: skip
            rows.append(row)
            self.seq += 1
        with self.store._write() as conn:
            conn.execute(insert(db.entries), rows)
            conn.execute(update(db.log_head).where(db.log_head.c.id == 1)
                         .values(next_seq=self.seq))  # fmt: skip


def _expected_known(store: Store, batch_no: int, end_seq: int) -> dict[int, bytes]:
    """Every bucket's cached form after ``batch_no`` (its four quarter hashes, then its sorted
    records kh ‖ leaf node ‖ key number ‖ counter), from the definition: the entries' heads,
    the plain subtree hash of ``ledger.core.heads`` and the key numbers of ``head_keys``."""
    with store._read() as conn:
        values = head_maps.changes(head_maps._entries(conn, 0, end_seq))
        numbers = {bytes(kh): n for kh, n in conn.execute(
            select(db.head_keys.c.kh, db.head_keys.c.key_no)).all()}  # fmt: skip
    buckets: dict[int, list[tuple[bytes, bytes, int, int]]] = {}
    for kh, (counter, seq, leaf_hash) in values.items():
        leaf = heads.leaf_node(kh, heads.value_hash(counter, seq, leaf_hash))
        buckets.setdefault((kh[0] << 8) | kh[1], []).append((kh, leaf, numbers[kh], counter))
    out = {}
    for b, keys in buckets.items():
        keys.sort()
        quarters = [heads.subtree([(kh, leaf) for kh, leaf, _, _ in keys if kh[2] >> 6 == q],
                                  head_maps.QUARTER_DEPTH) for q in range(4)]  # fmt: skip
        recs = [kh + leaf + n.to_bytes(8, "big") + c.to_bytes(8, "big") for kh, leaf, n, c in keys]
        out[b] = b"".join(quarters + recs)
    return out


def test_the_sealers_copy_equals_the_definition_through_restarts_takeovers_and_rollbacks(
    db_url: str, make_store: Callable[[str], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    sealer = make_store(db_url)
    sealer.create_schema()
    standby = make_store(db_url)  # a second process on the same database: its own copy
    crowded = _crowded(3, 9)
    log = Log(sealer, crowded + [f"w-lone-{i}" for i in range(40)])
    rng = random.Random(2026)
    sealed: list[batcher.Batch] = []
    for step in range(30):
        log.write(rng, rng.randint(1, 30))
        how = step % 6
        if how == 1:  # the sealer restarts
            head_maps._cache.pop(sealer, None)
        if how == 2:  # the standby takes over for a batch, then the sealer goes on
            sealed += batcher.seal(standby, max_size=1000, force=True)
            log.write(rng, rng.randint(1, 30))
        if how == 4:  # a seal fails after the map is computed, and is rolled back
            before = head_maps._cache.get(sealer)
            with monkeypatch.context() as m:
                m.setattr(BatchHead, "sign", _broken_sign)
                with pytest.raises(StoreError, match="signing device"):
                    batcher.seal(sealer, max_size=1000, force=True)
            assert head_maps._cache.get(sealer) is before
            with sealer._read() as conn:
                last = sealed[-1].batch_no if sealed else -1
                for t in (db.head_versions, db.head_nodes):
                    assert conn.execute(select(func.max(t.c.batch_no))).scalar() == last
        sealed += batcher.seal(sealer, max_size=1000, force=True)
        b = sealed[-1]
        with sealer._read() as conn:
            assert (b.heads_root, b.heads_keys) == head_maps.rebuild_root(conn, b.end_seq)
        state = head_maps._cache[sealer]
        assert state.batch_no == b.batch_no and state.root == b.heads_root
        want = _expected_known(sealer, b.batch_no, b.end_seq)
        assert set(state.known) <= set(want)
        assert {k: v for k, v in state.known.items() if v != want[k]} == {}
        assert state.known_bytes == sum(len(v) for v in state.known.values())
    # the crowded buckets were cut into quarters holding several keys, and every key proves
    state = head_maps._cache[sealer]
    assert max(len(v) for v in state.known.values()) >= head_maps._HEAD + 9 * 80
    for b in (sealed[-1], sealed[len(sealed) // 2]):
        for s in crowded[:9] + ["w-absent"]:
            k = heads.subject_key(s)
            value, proof = head_maps.prove(sealer, b.batch_no, k)
            heads.verify_head_proof(b.heads_root, k, value, proof)


class _Undone(Exception):
    """Rolls a transaction back."""


def _broken_sign(self: BatchHead, key: object) -> BatchHead:
    raise StoreError("the signing device is gone")


def test_a_cold_seal_reads_each_keys_latest_version(
    db_url: str, make_store: Callable[[str], Store]
) -> None:
    """After a restart the touched buckets' keys come from their latest ``head_versions`` rows
    (``head_keys`` is written once per key): the next map is the same as a warm sealer's."""
    warm = make_store(db_url)
    warm.create_schema()
    log = Log(warm, _crowded(2, 6))
    rng = random.Random(7)
    for _ in range(5):
        log.write(rng, 20)
        batcher.seal(warm, max_size=1000, force=True)
    log.write(rng, 25)
    cold = make_store(db_url)
    with pytest.raises(_Undone), cold._write() as conn:
        assert head_maps._state(cold, conn, 4).known == {}
        after_cold = head_maps.apply_batch(cold, conn, 5, log.seq - 25, log.seq)
        raise _Undone
    (b,) = batcher.seal(warm, max_size=1000, force=True)
    assert after_cold.root == b.heads_root and after_cold.keys == b.heads_keys
    cached = head_maps._cache[warm].known
    assert after_cold.known and all(cached[k] == v for k, v in after_cold.known.items())
    with warm._read() as conn:
        assert conn.execute(select(func.count()).select_from(db.head_keys)).scalar() == len(
            log.subjects) + len(GATES)  # fmt: skip
