"""Dispute-bundle build time with many records stored: the wage bundle of a 30-day month and the
presence bundle of one instant, version 2 (signed batch heads, checkpoint with head proofs and
gate counter statements).

    .venv/bin/python bench/bundle.py [--stored 1000000] [--runs 20]

Builds a real Store (SQLite in a temporary directory) holding ``--stored`` records: one project
with 60 workers who punch IN and OUT at four gates every day of October 2026 (the month asked
about, 3,600 punches, with each worker's wage line, payment and publication), and the rest as
earlier months' punches of 2,000 other workers at the same gates (so the gates' counters and
the head map hold every worker). Everything is sealed in batches of 1,000 with head maps; the
batches are then marked anchored with made-up transaction fields written straight into the
batches table (what the anchoring worker records; no chain is involved in building a bundle).
It measures ``ledger.bundle.build_wage_bundle`` and ``build_presence_bundle`` for one of the 60
workers, median and p95 over ``--runs`` builds with the store's caches warm, and checks each
bundle verifies VALID offline.

Target (issue "Evidence v2"): the wage bundle of a 30-day month builds in <= 50 ms with
1,000,000 records stored.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from hashlib import sha256
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import update  # noqa: E402

from ledger import batcher, db  # noqa: E402
from ledger.bundle import build_presence_bundle, build_wage_bundle  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402
from verifier import Verifier  # noqa: E402

MONTH_WORKERS = 60
OTHERS = 2_000
GATES = 4
CHUNK = 1_000


def _append(store: Store, records: list) -> list:  # type: ignore[type-arg]
    out = []
    for k in range(0, len(records), CHUNK):
        res = store.append(records[k : k + CHUNK])
        bad = [r for r in res if not r.ok]
        if bad:
            raise SystemExit(f"append refused: {bad[0]}")
        out += res
    return out


def build(home: Path, stored: int) -> tuple[Store, SampleSite, list[str]]:
    root = SigningKey(sha256(b"bench bundle root").digest())
    store = Store(make_engine(f"sqlite:///{home / 'ledger.sqlite'}"), root)
    store.create_schema()
    store.genesis(root, valid_from=datetime(2025, 12, 1, tzinfo=UTC))
    site = SampleSite(root)
    setup = datetime(2025, 12, 31, 9, 0, tzinfo=site.tz)
    _append(store, site.setup(setup, devices=GATES))
    org = site.subs[0]
    month = [f"w-m{i:04d}" for i in range(MONTH_WORKERS)]
    others = [f"w-o{i:05d}" for i in range(OTHERS)]
    _append(store, [site.enroll(s, org, "T-REBAR", date(2026, 1, 1)) for s in month + others])
    counters = dict.fromkeys(site.devices, 0)
    gates = sorted(site.devices)

    def punch(s: str, i: int, at: datetime, direction: str) -> object:
        g = gates[i % GATES]
        counters[g] += 1
        return site.punch(g, s, at, direction, counters[g])

    # October for the 60 workers: 30 days × IN and OUT, then wage line, payment, publication.
    october = []
    for day in range(1, 31):
        for i, s in enumerate(month):
            october.append(punch(s, i, datetime(2026, 10, day, 7, i % 60, tzinfo=site.tz), "in"))
            october.append(punch(s, i, datetime(2026, 10, day, 17, i % 60, tzinfo=site.tz), "out"))
    background = stored - len(october) - 5 * MONTH_WORKERS - store.head()
    # Earlier months: the other workers' punches, spread evenly from January to September.
    start = datetime(2026, 1, 2, 6, 0, tzinfo=site.tz)
    step = (datetime(2026, 9, 30, tzinfo=site.tz) - start) / max(background, 1)
    batch: list = []  # type: ignore[type-arg]
    for n in range(max(background, 0)):
        s = others[n % OTHERS]
        batch.append(punch(s, n, start + step * n, "in" if (n // OTHERS) % 2 == 0 else "out"))
        if len(batch) == 20_000:
            _append(store, batch)
            batch = []
    _append(store, batch + october)
    lines = []
    for s in month:
        lines.append(site.wage(s, org, "2026-10", 30, 30 * 600, 30 * 35000,
                               {"social_insurance": 20000}, date(2026, 11, 10),
                               datetime(2026, 11, 5, 10, 0, tzinfo=site.tz)))  # fmt: skip
    wage_res = _append(store, lines)
    follow = []
    for s, r in zip(month, wage_res, strict=True):
        follow.append(site.payment(s, org, "2026-10", 30 * 35000 - 20000, date(2026, 11, 10),
                                   r.leaf_hash, datetime(2026, 11, 10, 10, 0, tzinfo=site.tz)))  # fmt: skip
        if hasattr(site, "publication"):
            follow.append(site.publication(s, org, "2026-10", 30, 30 * 600, r.leaf_hash,
                                           datetime(2026, 11, 6, 10, 0, tzinfo=site.tz)))  # fmt: skip
    _append(store, follow)
    batcher.seal(store, max_size=CHUNK, force=True)
    now = datetime.now(UTC).replace(microsecond=0)
    with store.engine.begin() as conn:
        for b in batcher.batches(store, limit=10**9):
            h = sha256(b.root).hexdigest()
            conn.execute(update(db.batches).where(db.batches.c.batch_no == b.batch_no).values(
                state="anchored", chain_id=31337, contract="0x" + "5f" * 20, tx_hash="0x" + h,
                block_number=100 + b.batch_no, block_hash="0x" + h[::-1],
                block_time=db.to_us(now), anchored_at=db.to_us(now),
            ))  # fmt: skip
    return store, site, month


def _times(fn: object, runs: int) -> tuple[list[float], list[float]]:
    """Wall and process CPU milliseconds per call, each sorted (CPU time does not move when
    other processes share the cores)."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return sorted(wall), sorted(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, site, month = build(Path(tmp), args.stored)
        t_build = time.perf_counter() - t0
        w = month[17]
        at = datetime(2026, 10, 14, 10, 0, tzinfo=site.tz)
        wage = build_wage_bundle(store, w, site.project, "2026-10")
        pres = build_presence_bundle(store, w, site.project, at)
        v = Verifier(None, offline=True)
        for b in (wage, pres):
            r = v.verify(b)
            assert r.verdict.value == "VALID", r.failed
        load = os.getloadavg()[0]
        tw = _times(lambda: build_wage_bundle(store, w, site.project, "2026-10"), args.runs)
        tp = _times(lambda: build_presence_bundle(store, w, site.project, at), args.runs)
        head = store.head()
    p95 = max(0, int(len(tw[0]) * 0.95) - 1)
    print(f"## Dispute bundles (`bench/bundle.py --stored {args.stored}`)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python "
          f"{platform.python_version()}, SQLite; {head:,} records stored (site built, sealed in "
          f"batches of {CHUNK:,} with head maps, in {t_build:.0f} s); load average {load:.1f} on "
          f"{os.cpu_count()} cores. One worker's October: {len(wage['run'])} run entries, "
          f"{len(wage['checkpoint']['gates'])} gate statement(s).\n")
    print("| measure | CPU median | wall median | wall p95 | target |\n|---|---:|---:|---:|---|")
    for what, (wall, cpu), target in (
        ("wage bundle of a 30-day month (version 2, with checkpoint)", tw, "≤ 50 ms"),
        ("presence bundle of one instant", tp, "—"),
    ):
        print(f"| {what} | **{statistics.median(cpu):.1f} ms** | {statistics.median(wall):.1f} ms "
              f"| {wall[p95]:.1f} ms | {target} |")

if __name__ == "__main__":
    main()
