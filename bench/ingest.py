"""Ingest benchmark at library level (no HTTP): signed records as bytes → Store.append on SQLite.

Measures, in one run:
* records/s appended with signatures verified and committed (SQLite WAL, synchronous=FULL), with
  one process and with two processes appending to the same database (both cores);
* bytes stored per attendance record;
* an inclusion proof for one record with N records stored (default 1,000,000);
* pymerkle's SQLite-backed tree appending the same entries, as the peer.

    .venv/bin/python bench/ingest.py [--records 40000] [--proof-records 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger import batcher  # noqa: E402
from ledger.core.canonical import canonical_bytes  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402

ROOT = SigningKey(bytes(range(32)))
WORKERS = 500
BULK = 1_000
FAR = timedelta(days=3650)


def _site() -> SampleSite:
    return SampleSite(ROOT, seed=11)


def _setup(url: str) -> SampleSite:
    store = Store(make_engine(url), ROOT, skew=FAR)
    store.create_schema()
    store.genesis(ROOT, valid_from=datetime(2026, 1, 1, tzinfo=UTC))
    site = _site()
    assert all(r.ok for r in store.append(site.setup(datetime(2026, 9, 30, tzinfo=UTC))))
    enroll = [site.enroll(f"w-{i:05d}", site.subs[0], "T-REBAR", date(2026, 10, 1))
              for i in range(WORKERS)]  # fmt: skip
    assert all(r.ok for r in store.append(enroll))
    store.engine.dispose()
    return site


def _punches(site: SampleSite, start: int, n: int, device: str) -> list[bytes]:
    t0 = datetime(2026, 10, 1, 6, 0, tzinfo=site.tz)
    return [
        canonical_bytes(site.punch(device, f"w-{i % WORKERS:05d}", t0 + timedelta(seconds=i),
                                   "in" if (i // WORKERS) % 2 == 0 else "out", i).to_json())
        for i in range(start, start + n)
    ]  # fmt: skip


def _append_all(url: str, records: list[bytes]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, every thread) to append ``records``."""
    store = Store(make_engine(url), ROOT, skew=FAR)
    t, c = time.perf_counter(), time.process_time()
    for k in range(0, len(records), BULK):
        results = store.append(records[k : k + BULK])
        if not all(r.status == "accepted" for r in results):
            bad = next(r for r in results if r.status != "accepted")
            raise SystemExit(f"append failed: {bad}")
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    store.engine.dispose()
    return elapsed, cpu


def _child(url: str, records: list[bytes], ready: Any, go: Any, out: Any) -> None:
    ready.set()
    go.wait()
    out.put(_append_all(url, records)[1])


def ingest(n: int, processes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/ingest.sqlite"
        site = _setup(url)
        devices = sorted(site.devices)
        share = n // processes
        batches = [
            _punches(site, p * share, share, devices[p % len(devices)]) for p in range(processes)
        ]
        before = os.path.getsize(f"{tmp}/ingest.sqlite")
        if processes == 1:
            elapsed, cpu = _append_all(url, batches[0])
        else:
            ctx = mp.get_context("fork")
            go, out = ctx.Event(), ctx.Queue()
            readies = [ctx.Event() for _ in range(processes)]
            procs = [ctx.Process(target=_child, args=(url, b, r, go, out))
                     for b, r in zip(batches, readies, strict=True)]  # fmt: skip
            for p in procs:
                p.start()
            for r in readies:
                r.wait()
            t = time.perf_counter()
            go.set()
            cpu = sum(out.get() for _ in procs)
            elapsed = time.perf_counter() - t
            for p in procs:
                p.join()
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        after = os.path.getsize(f"{tmp}/ingest.sqlite")
        total = share * processes
        return {"records": total, "seconds": elapsed, "per_s": total / elapsed,
                "cpu_us_per_record": 1e6 * cpu / total, "load": os.getloadavg()[0],
                "bytes_per_record": (after - before) / total}  # fmt: skip


def proof_latency(n: int, samples: int = 1_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/proof.sqlite"
        site = _setup(url)
        store = Store(make_engine(url), ROOT, skew=FAR)
        done = 0
        t = time.perf_counter()
        while done < n:
            chunk = min(20_000, n - done)
            recs = _punches(site, done, chunk, "GATE-01")
            for k in range(0, chunk, BULK):
                store.append(recs[k : k + BULK])
            done += chunk
        load_s = time.perf_counter() - t
        batcher.seal(store, max_size=50_000, force=True)
        head = store.head()
        rng = random.Random(3)
        times = []
        for seq in (rng.randrange(head) for _ in range(samples)):
            t = time.perf_counter()
            batcher.inclusion_proof(store, seq)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return {"stored": head, "load_s": load_s, "p50_ms": statistics.median(times),
                "p99_ms": times[int(len(times) * 0.99) - 1]}  # fmt: skip


def pymerkle_peer(n: int) -> dict[str, float] | None:
    try:
        from pymerkle import SqliteTree
    except ImportError:
        return None
    site = _site()
    site.setup(datetime(2026, 9, 30, tzinfo=UTC))
    records = _punches(site, 0, n, "GATE-01")
    with tempfile.TemporaryDirectory() as tmp:
        tree = SqliteTree(f"{tmp}/pymerkle.db", algorithm="sha256")
        t = time.perf_counter()
        for k in range(0, n, BULK):
            tree.append_entries(records[k : k + BULK])
        elapsed = time.perf_counter() - t
        tree.con.close()
    return {"records": n, "seconds": elapsed, "per_s": n / elapsed}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--records", type=int, default=40_000)
    ap.add_argument("--proof-records", type=int, default=1_000_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res: dict[str, Any] = {
        "one_process": ingest(args.records, 1),
        "two_processes": ingest(args.records, 2),
        "pymerkle_sqlite": pymerkle_peer(args.records),
    }
    if args.proof_records:
        res["proof"] = proof_latency(args.proof_records)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    one, two, peer = res["one_process"], res["two_processes"], res["pymerkle_sqlite"]
    print("| ingest (SQLite, signatures verified, durable) | records | records/s | CPU µs/record "
          "(load average) |")
    print("|---|---:|---:|---:|")
    for name, r in (("1 process", one), ("2 processes", two)):
        print(f"| siteledger, {name} | {r['records']:,} | {r['per_s']:,.0f} | "
              f"{r['cpu_us_per_record']:.0f} ({r['load']:.1f}) |")
    if peer:
        print(f"| pymerkle SqliteTree (hashing only, no checks) | {peer['records']:,} | "
              f"{peer['per_s']:,.0f} | |")  # fmt: skip
    print(f"\nBytes stored per attendance record: {one['bytes_per_record']:,.0f}")
    if "proof" in res:
        p = res["proof"]
        print(f"Inclusion proof with {p['stored']:,} records stored: p50 {p['p50_ms']:.2f} ms, "
              f"p99 {p['p99_ms']:.2f} ms (loaded in {p['load_s']:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
