"""Verifier benchmarks: offline single-record bundles per second, and CLI start to verdict.

    .venv/bin/python bench/verify.py [--workers 40] [--runs 10]

Builds a site with ``--workers`` workers and a month of gate punches in a real Store (SQLite in
a temporary directory), seals it in batches of 1,000 and anchors them on the embedded chain with
the real anchoring worker, then builds one single-record bundle per punch (each a distinct
record, receipt and audit path; the key chains are shared, as for any site). It measures:

* ``verify_bytes`` over all bundles in one process, offline, from JSON text to report, one
  pass starting with empty caches; bundles/s by process CPU time (the figure that counts: it
  does not move when other processes share the two cores) and by wall time, with the load
  average; and one bundle with the caches cleared (what a one-off verification costs);
* ``python -m verifier BUNDLE --offline``, wall time from process start to exit, median of
  ``--runs`` runs (what an arbitrator waits for).

Targets (DESIGN.md): >= 2,000 bundles/s; CLI <= 0.5 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from anchor.backends import EmbeddedBackend  # noqa: E402
from anchor.worker import Anchorer  # noqa: E402
from ledger.bundle import build_bundle  # noqa: E402
from ledger.config import ChainConfig, Config  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402


def build_site(home: Path, workers: int) -> tuple[Store, list[int]]:
    now = [datetime(2026, 11, 20, 2, 0, tzinfo=UTC)]
    root = SigningKey(sha256(b"bench root").digest())
    url = f"sqlite:///{home / 'ledger.sqlite'}"
    store = Store(make_engine(url), root, clock=lambda: now[0])
    store.create_schema()
    store.genesis(root, valid_from=datetime(2026, 9, 1, tzinfo=UTC))
    site = SampleSite(root)
    setup = datetime(2026, 9, 30, 9, 0, tzinfo=site.tz)
    assert all(r.ok for r in store.append(site.setup(setup, devices=4)))
    org = site.subs[0]
    subjects = [f"w-{i:05d}" for i in range(workers)]
    assert all(r.ok for r in store.append(
        [site.enroll(s, org, "T-REBAR", date(2026, 10, 1)) for s in subjects]))  # fmt: skip
    punches = []
    n = 0
    for day in range(1, 31):
        for i, s in enumerate(subjects):
            n += 1
            gate = f"GATE-{1 + i % 4:02d}"
            punches.append(site.punch(gate, s, datetime(2026, 10, day, 7, i % 60, tzinfo=site.tz),
                                      "in", n))  # fmt: skip
    seqs = []
    for k in range(0, len(punches), 1000):
        now[0] += timedelta(seconds=1)
        res = store.append(punches[k : k + 1000])
        assert all(r.ok for r in res)
        seqs += [r.seq for r in res if r.seq is not None]
    cfg = Config(home=home, database_url=url, batch_max_size=1000,
                 chain=ChainConfig(backend="embedded", confirmations=1))  # fmt: skip
    anchorer = Anchorer(store, cfg, EmbeddedBackend())
    try:
        report = anchorer.run_until_anchored(120)
        assert report.waiting == 0, report.lines()
    finally:
        anchorer.close()
    return store, seqs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=100)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        store, seqs = build_site(home, args.workers)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        datas = [json.dumps(build_bundle(store, s)).encode() for s in seqs]
        t_bundles = time.perf_counter() - t0
        one = home / "one.json"
        one.write_bytes(datas[len(datas) // 2])

        import verifier.verify as vv
        from verifier.ed25519 import BACKEND, SignatureCache
        from verifier.format import ItemCache

        gc.collect()
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        for d in datas:
            r = vv.verify_bytes(d, offline=True)
            assert r.verdict.value == "VALID", r.failed
        wall = len(datas) / (time.perf_counter() - t0)
        cpu = len(datas) / (time.process_time() - c0)

        uncached = []
        for d in datas[:500]:
            v = vv.Verifier(offline=True, items=ItemCache(), sigs=SignatureCache())
            t0 = time.process_time()
            v.verify_bytes(d)
            uncached.append(time.process_time() - t0)

        cli = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            res = subprocess.run([sys.executable, "-m", "verifier", str(one), "--offline"],
                                 cwd=REPO, capture_output=True)  # fmt: skip
            cli.append(time.perf_counter() - t0)
            assert res.returncode == 0, res.stdout
    size = statistics.mean(len(d) for d in datas)
    print(f"## Verifier\n\nMeasured {time.strftime('%Y-%m-%d')} by `bench/verify.py --workers {args.workers}` on "
          f"{platform.machine()}, Python {platform.python_version()}, signatures by {BACKEND}.\n")
    print(f"Site: {args.workers} workers × 30 days of punches = {len(datas):,} single-record "
          f"bundles (mean {size:,.0f} bytes; each with 3 key entries, a receipt and an audit "
          f"path), anchored on the embedded chain (site built in {t_build:.1f} s, bundles "
          f"built in {t_bundles:.1f} s = {t_bundles / len(datas) * 1000:.2f} ms each).\n")
    print("| measure | result | target |\n|---|---|---|")
    print(f"| offline verification, one process, JSON text to report, CPU time | **{cpu:,.0f} "
          "bundles/s** | ≥ 2,000/s |")
    print(f"| the same, wall time (load average {load:.1f} on {os.cpu_count()} cores) | "
          f"{wall:,.0f} bundles/s | — |")
    med = statistics.median(uncached) * 1000
    print(f"| one bundle with empty caches (key chain verified too) | {med:.2f} ms "
          f"({1000 / med:,.0f}/s) | — |")
    print(f"| CLI start to verdict, `python -m verifier BUNDLE --offline`, median of "
          f"{args.runs} | **{statistics.median(cli):.3f} s** (min {min(cli):.3f}) | ≤ 0.5 s |")
    print("\nWhat is cached within a process: parsed key entries (by position and stated leaf "
          "hash, with an equality check on the item) with their recomputed leaf hash and "
          "inclusion result, and verified signatures (public key, signature, SHA-256 of the "
          "signed bytes). Each bundle's own record, receipt and audit path are always checked.")


if __name__ == "__main__":
    main()
