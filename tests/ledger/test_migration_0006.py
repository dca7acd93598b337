"""Migration 0006 (compact entries) on a database holding data: down to the previous layout and
up again, every entry's bytes, every inclusion proof and the bundles still verify."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import text, update

from ledger import batcher, db
from ledger.bundle import build_bundle
from ledger.check import check
from ledger.core import merkle
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.migrate import alembic_config, upgrade
from ledger.packing import PACKED_V1
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import T0, Clock
from verifier import Verdict, verify_bundle


def _fill(store: Store, root: SigningKey, clock: Clock) -> SampleSite:
    site = SampleSite(root)
    assert all(r.ok for r in store.append(site.setup(T0)))
    org = site.subs[0]
    workers = [f"w-{i:04d}" for i in range(6)]
    assert all(r.ok for r in store.append(
        [site.enroll(w, org, "T-REBAR", date(2026, 10, 1)) for w in workers]))  # fmt: skip
    at = datetime(2026, 10, 5, 7, 0, tzinfo=site.tz)
    n = 0
    for size in (7, 1, 40, 19):  # batches of several sizes, blocks of 16 cut at their ends
        punches = []
        for _ in range(size):
            punches.append(site.punch("GATE-01", workers[n % 6], at + timedelta(minutes=n),
                                      "in" if n % 2 == 0 else "out", n))  # fmt: skip
            n += 1
        assert all(r.ok for r in store.append(punches))
        batcher.seal(store, max_size=25, force=True)
    wage = store.append(
        [
            site.wage(
                workers[0],
                org,
                "2026-10",
                1,
                600,
                35000,
                {},
                date(2026, 11, 10),
                datetime(2026, 11, 10, 9, 0, tzinfo=site.tz),
            )
        ]
    )
    assert wage[0].ok
    batcher.seal(store, max_size=1000, force=True)
    with store.engine.begin() as conn:  # as the anchor worker records it, a transaction a batch
        for b in batcher.batches(store, limit=1000):
            conn.execute(update(db.batches).where(db.batches.c.batch_no == b.batch_no).values(
                state="anchored", chain_id=31337, tx_hash=f"0x{b.batch_no + 1:064x}",
                contract="0x5fbdb2315678afecb367f032d93f642f64180aa3", block_number=7 + b.batch_no,
                block_hash=f"0x{b.batch_no + 7:064x}", block_time=db.to_us(clock()),
                anchored_at=db.to_us(clock()),
            ))  # fmt: skip
    return site


def _snapshot(store: Store) -> dict[int, tuple[bytes, bytes, list[bytes]]]:
    out = {}
    for seq in range(store.head()):
        e = store.entry(seq)
        assert e is not None
        p = batcher.inclusion_proof(store, seq)
        merkle.verify_inclusion(p.leaf_hash, p.index, p.batch.size, p.path, p.batch.root)
        out[seq] = (e.entry.canonical(), e.leaf_hash, p.path)
    return out


def test_migration_0006_down_and_up_keeps_every_proof(
    db_url: str, root_key: SigningKey, clock: Clock
) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        store = Store(engine, root_key, clock=clock)
        assert store.genesis(root_key, valid_from=T0 - timedelta(days=30)).ok
        site = _fill(store, root_key, clock)
        before = _snapshot(store)
        assert len(before) > 80
        bundle_before = build_bundle(store, store.head() - 1)

        command.downgrade(alembic_config(db_url), "0005")
        with engine.connect() as conn:  # the previous layout, with the data in it
            rows = conn.execute(text("SELECT seq, type, signer, received_at, body FROM entries "
                                     "ORDER BY seq")).all()  # fmt: skip
            assert len(rows) == len(before)
            for r in rows:
                assert bytes(r.body) == before[r.seq][0]  # the canonical JSON itself
                assert isinstance(r.signer, str) and len(r.signer) == 32
                assert r.type in db.RECORD_TYPES
                assert r.received_at > 0
            low = conn.execute(text("SELECT count(*) FROM batch_nodes WHERE level < 4")).scalar()
            assert low and low > 0

        upgrade(db_url)
        engine.dispose()
        store = Store(engine, root_key, clock=clock)
        with engine.connect() as conn:
            bodies = conn.execute(text("SELECT body FROM entries")).scalars().all()
            assert all(bytes(b)[0] == PACKED_V1 for b in bodies)
            assert conn.execute(text("SELECT min(level) FROM batch_nodes")).scalar() >= 4
        assert _snapshot(store) == before
        report = check(store)
        assert report.ok, report.lines()
        bundle = build_bundle(store, store.head() - 1)
        rep = verify_bundle(bundle, offline=True)
        assert rep.verdict is Verdict.VALID, [c for c in rep.checks if c.status.value != "passed"]
        assert {k: v for k, v in bundle.items() if k != "issued_at"} == {
            k: v for k, v in bundle_before.items() if k != "issued_at"
        }
        # and the log goes on: a new record is appended, sealed and proven
        at = datetime(2026, 10, 9, 7, 0, tzinfo=UTC)
        r = store.append([site.punch("GATE-01", "w-0001", at, "in", 1000)])
        assert r[0].ok, r
        batcher.seal(store, max_size=1000, force=True)
        p = batcher.inclusion_proof(store, r[0].seq or 0)
        merkle.verify_inclusion(p.leaf_hash, p.index, p.batch.size, p.path, p.batch.root)
        assert check(store).ok
    finally:
        engine.dispose()
