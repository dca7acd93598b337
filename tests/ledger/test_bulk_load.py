"""The benchmarks' bulk loader (bench/load.py) writes exactly what Store.append writes.

The same records go into one database through the loader (generator processes, binary COPY on
PostgreSQL) and into another through ``Store.append`` with every rule checked; every table is
then compared row by row, after sealing both the same way. The loaded log also passes
``siteledger db check`` and its proof bundles verify VALID.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from bench import load
from ledger import batcher, db
from ledger.bundle import build_bundle
from ledger.check import check
from ledger.core.entry import SignedRecord
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.store import Store
from tests.conftest import Clock
from verifier.result import Verdict
from verifier.verify import verify_bundle

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
SHAPE = load.Shape(projects=2, gates=2, workers=200)
PUNCHES = 3_000
SET_UP = 1 + 2 * 11 + SHAPE.workers  # genesis; per site project, admin, 3 orgs and their keys,
# supervisor, 2 gates; the enrollments
STORED = SET_UP + PUNCHES


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ordered by primary key (bytes for binary columns on any driver)."""
    out = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            out[table.name] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows
            ]
    return out


def _reference(url: str) -> Store:
    """The same log through Store.append, every rule checked, in bulks of the store's limit."""
    upgrade(url)
    store = Store(make_engine(url), load.ROOT, clock=Clock(NOW))
    sites = load.set_up(store, SHAPE)
    first = store.head()
    punches = [SHAPE.punch(sites, i) for i in range(PUNCHES)]
    for k in range(0, PUNCHES, 1_000):
        results = store.append(punches[k : k + 1_000])
        assert [r.status for r in results] == ["accepted"] * len(results), [
            r for r in results if not r.ok
        ][:1]
        assert [r.seq for r in results] == list(range(first + k, first + k + len(results)))
    return store


def test_loader_writes_what_append_writes(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = load.load(db_url, STORED, SHAPE, procs=2, rounds_per_commit=4, seal=False,
                    clock=Clock(NOW))  # fmt: skip
    ref = _reference(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    fast = Store(make_engine(db_url), load.ROOT, clock=Clock(NOW))
    assert res["stored"] == fast.head() == ref.head() == STORED
    for s in (fast, ref):  # several batches, the last one partial
        batcher.seal(s, max_size=1_000, force=True, now=NOW)
    want, got = _tables(ref.engine), _tables(fast.engine)
    assert set(got) == set(want)
    for name in want:
        assert len(got[name]) == len(want[name]), name
        for a, b in zip(got[name], want[name], strict=True):
            assert a == b, (name, a, b)
    assert len(got["entries"]) == ref.head() and len(got["batches"]) == 4

    report = check(fast)
    assert report.ok, report.lines()
    assert load.mark_anchored(fast.engine, NOW) == 4
    rng = random.Random(3)
    for seq in [ref.head() - 1, *rng.sample(range(ref.head() - PUNCHES, ref.head()), 3)]:
        rep = verify_bundle(build_bundle(fast, seq), offline=True)
        assert rep.verdict is Verdict.VALID, [c for c in rep.checks if c.status.value != "passed"]
    fast.engine.dispose()
    ref.engine.dispose()


def test_loader_signature_is_the_records_own() -> None:
    """The loader signs with libsodium; the bytes are SignedRecord.sign's (Ed25519 is
    deterministic), so a loaded record is the one a gate would have sent."""
    sites = load.ready_sites(SHAPE)
    for i in (0, 1, 457, 2_999):
        fast = SHAPE.punch(sites, i)
        site = sites[(i % SHAPE.workers) % SHAPE.projects]
        key = site.devices[fast.record.to_json()["device"]]
        assert fast == SignedRecord.sign(fast.record, key)


def test_loader_continues_a_stopped_load(sqlite_url: str) -> None:
    """A second run continues where the first stopped and ends with the same log as one run."""
    load.load(sqlite_url, 1_000, SHAPE, procs=1, rounds_per_commit=2, seal=False, clock=Clock(NOW))
    res = load.load(sqlite_url, STORED, SHAPE, procs=2, rounds_per_commit=3, seal=False,
                    clock=Clock(NOW))  # fmt: skip
    engine = make_engine(sqlite_url)
    store = Store(engine, load.ROOT, clock=Clock(NOW))
    first, done, _ = load.state(engine, SHAPE)
    assert (res["stored"], done) == (store.head(), PUNCHES) and first + done == store.head()
    report = check(store)
    assert report.ok, report.lines()
    engine.dispose()
