"""Head maps in the store: sealing computes them, proofs at any batch verify against a map
rebuilt from the log alone, storage keeps only what changed, and a failed seal leaves nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from ledger import batcher, db
from ledger import heads as head_maps
from ledger.core import heads
from ledger.core.errors import StoreError
from ledger.core.heads import BatchHead, HeadValue
from ledger.sample import SampleSite
from ledger.store import Store

WORKERS = [f"w-{i:04d}" for i in range(12)]
_USED: set[tuple[str, int]] = set()


def _enroll(store: Store, site: SampleSite) -> None:
    recs = [site.enroll(w, site.subs[0], "T-REBAR", date(2026, 10, 1)) for w in WORKERS]
    assert all(r.ok for r in store.append(recs))


def _punches(site: SampleSite, rng: random.Random, n: int, seqs: dict[str, int]) -> list:
    """Punches whose device counters mostly rise, with gaps that older punches fill late."""
    out = []
    for _ in range(n):
        device = rng.choice(sorted(site.devices))
        seqs[device] += 1
        dseq = 10 * seqs[device]
        if seqs[device] > 3 and rng.random() < 0.2:
            late = dseq - rng.randint(11, 29)  # a late one, below the head
            dseq = late if late % 10 and (device, late) not in _USED else dseq
        _USED.add((device, dseq))
        at = datetime(2026, 10, 2, 7, tzinfo=site.tz) + timedelta(minutes=rng.randint(0, 5000))
        out.append(site.punch(device, rng.choice(WORKERS), at, rng.choice(["in", "out"]), dseq))
    return out


def _expected(store: Store, end_seq: int) -> dict[str, HeadValue]:
    """The map after entries [0, end_seq), from the entries read back through the store."""
    out: dict[str, HeadValue] = {}
    for seq in range(end_seq):
        stored = store.entry(seq)
        assert stored is not None
        e, rec = stored.entry, stored.entry.record
        if rec.subject_id is not None:
            assert e.subject_seq is not None
            out[heads.subject_key(rec.subject_id)] = HeadValue(e.subject_seq, seq, stored.leaf_hash)
        if rec.TYPE == "attendance":
            k = heads.device_key(rec.project, rec.device)  # type: ignore[attr-defined]
            cur = out.get(k)
            if cur is None or rec.device_seq > cur.counter:  # type: ignore[attr-defined]
                out[k] = HeadValue(rec.device_seq, seq, stored.leaf_hash)  # type: ignore[attr-defined]
    return out


def _forget_cache(store: Store) -> None:
    head_maps._cache.pop(store, None)


def _keys() -> list[str]:
    return ([heads.subject_key(w) for w in WORKERS]
            + [heads.device_key("P-DEMO-001", f"GATE-{i:02d}") for i in (1, 2, 3)]
            + [heads.subject_key("nobody"), heads.device_key("P-OTHER", "GATE-01")])  # fmt: skip


def test_every_batch_map_matches_the_log_and_proves_every_key(
    store: Store, site: SampleSite
) -> None:
    rng = random.Random(5)
    seqs = dict.fromkeys(site.devices, 0)
    sealed = batcher.seal(store, force=True)  # the setup records: no worker, no device
    _enroll(store, site)
    for n in (1, 7, 30, 3, 60):
        assert all(r.ok for r in store.append(_punches(site, rng, n, seqs)))
        sealed += batcher.seal(store, max_size=25, force=True)
    assert len(sealed) >= 6
    assert sealed[0].heads_root == heads.ZERO and sealed[0].heads_keys == 0
    for b in sealed:
        want = _expected(store, b.end_seq)
        assert b.heads_root == heads.root(want) == head_maps.heads_root(store, b.batch_no)
        assert b.heads_keys == len(want)
        with store._read() as conn:
            assert head_maps.rebuild_root(conn, b.end_seq) == (b.heads_root, len(want))
        for cached in (True, False):
            if not cached:
                _forget_cache(store)
            for k in _keys():
                value, proof = head_maps.prove(store, b.batch_no, k)
                assert value == want.get(k)
                heads.verify_head_proof(b.heads_root, k, value, proof)
                # the same proof against any other batch's root fails
                for other in sealed:
                    if other.heads_root != b.heads_root:
                        with pytest.raises(heads.ProofError):
                            heads.verify_head_proof(other.heads_root, k, value, proof)
                        break


def test_signed_heads_verify_and_are_served(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    (b,) = batcher.seal(store, force=True)
    head = BatchHead.from_json(batcher.signed_head(store, b.batch_no))
    head.verify(store.operator_key.verify_key)
    assert (head.batch_no, head.first_seq, head.size, head.root, head.heads_root) == (
        b.batch_no, b.first_seq, b.size, b.root, b.heads_root)  # fmt: skip
    assert head.sealed_at == b.sealed_at and head.log == store.operator_key.key_id
    assert batcher.batch(store, b.batch_no) == b
    with pytest.raises(StoreError, match="no batch 9"):
        batcher.signed_head(store, 9)


def test_a_late_lower_device_counter_does_not_move_the_device_head(
    store: Store, site: SampleSite
) -> None:
    _enroll(store, site)
    t = datetime(2026, 10, 2, 7, tzinfo=site.tz)
    assert all(r.ok for r in store.append([site.punch("GATE-01", WORKERS[0], t, "in", 50)]))
    (b1,) = batcher.seal(store, force=True)
    assert all(r.ok for r in store.append([site.punch("GATE-01", WORKERS[1], t, "in", 40)]))
    (b2,) = batcher.seal(store, force=True)
    key = heads.device_key(site.project, "GATE-01")
    v1, _ = head_maps.prove(store, b1.batch_no, key)
    v2, _ = head_maps.prove(store, b2.batch_no, key)
    assert v1 == v2 and v1 is not None and v1.counter == 50
    w1, _ = head_maps.prove(store, b2.batch_no, heads.subject_key(WORKERS[1]))
    assert w1 is not None and w1.seq == b2.first_seq  # the worker's head did move


def test_storage_keeps_only_what_changed(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    (b0,) = batcher.seal(store, force=True)
    with store._read() as conn:
        versions0 = conn.execute(select(func.count()).select_from(db.head_versions)).scalar()
        nodes0 = conn.execute(select(func.count()).select_from(db.head_nodes)).scalar()
    assert versions0 == len(WORKERS)
    t = datetime(2026, 10, 2, 7, tzinfo=site.tz)
    assert all(r.ok for r in store.append([site.punch("GATE-02", WORKERS[3], t, "in", 1)]))
    (b1,) = batcher.seal(store, force=True)
    with store._read() as conn:
        new_versions = conn.execute(
            select(func.count()).select_from(db.head_versions)
            .where(db.head_versions.c.batch_no == b1.batch_no)
        ).scalar()  # fmt: skip
        new_nodes = conn.execute(
            select(func.count()).select_from(db.head_nodes)
            .where(db.head_nodes.c.batch_no == b1.batch_no)
        ).scalar()  # fmt: skip
    assert new_versions == 2  # the worker and the gate
    assert 0 < new_nodes <= 4  # at most their depth-8 and depth-16 subtrees
    assert nodes0 and b0.heads_root != b1.heads_root


def test_a_failed_seal_writes_no_head_rows(
    store: Store, site: SampleSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enroll(store, site)
    batcher.seal(store, force=True)
    t = datetime(2026, 10, 2, 7, tzinfo=site.tz)
    assert all(r.ok for r in store.append([site.punch("GATE-01", WORKERS[2], t, "in", 7)]))

    def broken_sign(self: BatchHead, key: object) -> BatchHead:
        raise StoreError("the signing device is gone")

    monkeypatch.setattr(BatchHead, "sign", broken_sign)
    with pytest.raises(StoreError, match="signing device"):
        batcher.seal(store, force=True)
    monkeypatch.undo()
    with store._read() as conn:
        assert conn.execute(select(func.max(db.head_versions.c.batch_no))).scalar() == 0
        assert conn.execute(select(func.max(db.head_nodes.c.batch_no))).scalar() == 0
    (b,) = batcher.seal(store, force=True)
    assert b.heads_root == heads.root(_expected(store, b.end_seq))


def test_backfill_gives_old_batches_the_same_maps(store: Store, site: SampleSite) -> None:
    rng = random.Random(9)
    seqs = dict.fromkeys(site.devices, 0)
    _enroll(store, site)
    assert all(r.ok for r in store.append(_punches(site, rng, 40, seqs)))
    before = batcher.seal(store, max_size=15, force=True)
    with store._write() as conn:  # a database from before revision 0003
        for t in (db.head_nodes, db.head_versions, db.head_keys):
            conn.execute(delete(t))
        conn.execute(update(db.batches).values(heads_root=None, heads_keys=None, head_sig=None))
    _forget_cache(store)
    assert batcher.seal(store, force=True) == []
    after = batcher.batches(store)
    assert [(b.heads_root, b.head_sig) for b in after] == [
        (b.heads_root, b.head_sig) for b in before
    ]
    k = heads.subject_key(WORKERS[0])
    value, proof = head_maps.prove(store, before[1].batch_no, k)
    heads.verify_head_proof(before[1].heads_root, k, value, proof)


def test_tampered_head_rows_are_caught(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    (b,) = batcher.seal(store, force=True)
    with store._write() as conn:
        conn.execute(update(db.head_versions).values(counter=db.head_versions.c.counter + 1))
    _forget_cache(store)
    with pytest.raises(head_maps.HeadsError, match="inconsistent"):
        head_maps.prove(store, b.batch_no, heads.subject_key(WORKERS[0]))
    with pytest.raises(head_maps.HeadsError, match="not sealed"):
        head_maps.prove(store, b.batch_no + 1, heads.subject_key(WORKERS[0]))


def test_db_check_replays_every_head_map(store: Store, site: SampleSite) -> None:
    from ledger.check import check

    rng = random.Random(3)
    seqs = dict.fromkeys(site.devices, 0)
    _enroll(store, site)
    assert all(r.ok for r in store.append(_punches(site, rng, 50, seqs)))
    sealed = batcher.seal(store, max_size=12, force=True)
    report = check(store)
    assert report.ok, report.lines()
    spans = [(b.batch_no, b.first_seq, b.end_seq) for b in sealed]
    with store._read() as conn:
        replayed = list(head_maps.replay(conn, spans))
    assert replayed == [(b.batch_no, b.heads_root, b.heads_keys) for b in sealed]
    with store._write() as conn:
        conn.execute(update(db.batches).where(db.batches.c.batch_no == sealed[2].batch_no)
                     .values(heads_root=bytes(32)))  # fmt: skip
        conn.execute(update(db.batches).where(db.batches.c.batch_no == sealed[3].batch_no)
                     .values(size=sealed[3].size))  # unchanged: the range stays whole
        conn.execute(delete(db.head_nodes).where(db.head_nodes.c.batch_no == sealed[-1].batch_no))
    kinds = {(f.kind, f.batch_no) for f in check(store).findings}
    assert ("heads-root", sealed[2].batch_no) in kinds
    assert ("head-sig", sealed[2].batch_no) in kinds
    assert ("heads-nodes", sealed[-1].batch_no) in kinds


def _sharing(bits: int, count: int) -> list[str]:
    """``count`` subjects whose key hashes share their first ``bits`` bits, found by search."""
    groups: dict[int, list[str]] = {}
    n = 0
    while True:
        s = f"w-share-{n}"
        kh = heads.key_hash(heads.subject_key(s))
        group = groups.setdefault(int.from_bytes(kh, "big") >> (256 - bits), [])
        group.append(s)
        if len(group) == count:
            return group
        n += 1


@pytest.mark.parametrize("bits", [8, 16])
def test_proofs_through_shared_prefixes(store: Store, site: SampleSite, bits: int) -> None:
    """Keys sharing 8 bits end their paths at one-key depth-16 subtrees (stored as a hash
    only); keys sharing 16 bits go down into a bucket."""
    workers = _sharing(bits, 3)
    recs = [site.enroll(w, site.subs[0], "T-REBAR", date(2026, 10, 1)) for w in workers]
    assert all(r.ok for r in store.append(recs[:2]))
    (b1,) = batcher.seal(store, force=True)
    assert all(r.ok for r in store.append(recs[2:]))
    (b2,) = batcher.seal(store, force=True)
    for cached in (True, False):
        if not cached:
            _forget_cache(store)
        for b, present in ((b1, workers[:2]), (b2, workers)):
            for w in workers + ["w-share-absent"]:
                k = heads.subject_key(w)
                value, proof = head_maps.prove(store, b.batch_no, k)
                assert (value is not None) == (w in present)
                assert proof.depth >= (bits if w != "w-share-absent" else 0)
                heads.verify_head_proof(b.heads_root, k, value, proof)
