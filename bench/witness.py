"""Witness benchmark: how fast a witness checks sealed batches, and what BLS costs per batch.

Builds a log on SQLite (the sample site, ``--workers`` workers enrolled, ``--records`` signed gate
punches sealed every ``--batch`` records by the real ``batcher.seal``), reads each batch's signed
head and entries back, then times a ``witness.follow.Follower`` replaying every batch from the
genesis with ``ledger.core`` alone (entries root, head-map root, seq range, each record's
Ed25519 signature and authorisation, subject chains) — the records per second a witness keeps
up with — and py-ecc's signing of one batch message and verification of a 3-signer aggregate.

    .venv/bin/python bench/witness.py [--workers 500] [--records 20000] [--batch 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger import batcher  # noqa: E402
from ledger.core.heads import BatchHead  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402
from witness.bls import WitnessKey, aggregate, verify_aggregate  # noqa: E402
from witness.follow import Follower  # noqa: E402
from witness.message import Commitment  # noqa: E402

ROOT = SigningKey(bytes(range(32)))
FAR = timedelta(days=3650)


def build(tmp: str, workers: int, records: int, batch: int) -> list[tuple[BatchHead, list]]:  # type: ignore[type-arg]
    store = Store(make_engine(f"sqlite:///{tmp}/witness.sqlite"), ROOT, skew=FAR)
    store.create_schema()
    store.genesis(ROOT, valid_from=datetime(2026, 1, 1, tzinfo=UTC))
    site = SampleSite(ROOT, seed=5)
    assert all(r.ok for r in store.append(site.setup(datetime(2026, 9, 30, tzinfo=UTC))))
    enroll = [site.enroll(f"w-{i:05d}", site.subs[0], "T-REBAR", date(2026, 10, 1))
              for i in range(workers)]  # fmt: skip
    for k in range(0, len(enroll), 1000):
        assert all(r.ok for r in store.append(enroll[k : k + 1000]))
    batcher.seal(store, max_size=50_000, force=True)
    t0 = datetime(2026, 10, 1, 6, 0, tzinfo=site.tz)
    devices = sorted(site.devices)
    for k in range(0, records, batch):
        recs = [site.punch(devices[i % len(devices)], f"w-{i % workers:05d}",
                           t0 + timedelta(seconds=i), "in" if (i // workers) % 2 == 0 else "out", i)
                for i in range(k, min(records, k + batch))]  # fmt: skip
        for j in range(0, len(recs), 1000):
            assert all(r.ok for r in store.append(recs[j : j + 1000]))
        batcher.seal(store, max_size=batch, force=True)
    out = []
    n = 0
    while (b := batcher.batch(store, n)) is not None:
        head = BatchHead.from_json(batcher.signed_head(store, n))
        entries = []
        after = b.first_seq - 1
        while len(entries) < b.size:
            got = store.entries(after_seq=after, limit=min(1000, b.size - len(entries)))
            entries += [s.entry for s in got]
            after = got[-1].seq
        out.append((head, entries))
        n += 1
    store.engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=500)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=2_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        batches = build(tmp, a.workers, a.records, a.batch)
        built = time.perf_counter() - t
    follower = Follower()
    total = sum(len(e) for _, e in batches)
    per_batch = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for head, entries in batches:
        t = time.perf_counter()
        follower.commit(follower.check(head, entries))
        per_batch.append((len(entries), time.perf_counter() - t))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    last_n, last_t = per_batch[-1]
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(3)]
    head = batches[-1][0]
    msg = Commitment(31337, b"\x11" * 20, head.batch_no, head.first_seq, head.size, head.root,
                     head.heads_root).message()  # fmt: skip
    t = time.perf_counter()
    sigs = [k.sign(msg) for k in keys]
    sign_s = (time.perf_counter() - t) / len(keys)
    t = time.perf_counter()
    verify_aggregate([k.public_key for k in keys], msg, aggregate(sigs))
    verify_s = time.perf_counter() - t
    print(f"log: {total:,} entries in {len(batches)} batches ({a.workers} workers, punches sealed "
          f"every {a.batch}), built in {built:.1f} s")  # fmt: skip
    print("| measure | result | target |\n|---|---|---|")
    print(f"| batch checks, every batch from the genesis, wall | **{total / wall:,.0f} records/s** "
          "| ≥ 5,000/s |")  # fmt: skip
    print(f"| the same, CPU time | {total / cpu:,.0f} records/s | — |")
    print(f"| last batch ({last_n:,} records, map of {len(follower.state.head_values):,} keys) | "
          f"{last_t * 1000:,.0f} ms ({last_n / last_t:,.0f} records/s) | — |")  # fmt: skip
    print(f"| py-ecc: sign one batch message | {sign_s:.2f} s | — |")
    print(f"| py-ecc: aggregate and verify 3 signatures | {verify_s:.2f} s | — |")


if __name__ == "__main__":
    main()
