"""Witness benchmark: how fast a witness checks sealed batches, and what BLS costs per batch.

Builds a log on SQLite (the sample site, ``--workers`` workers enrolled, ``--records`` signed gate
punches sealed every ``--batch`` records by the real ``batcher.seal``), reads each batch's signed
head and entries back, then times a ``witness.follow.Follower`` replaying every batch from the
genesis with ``ledger.core`` alone (entries root, head-map root, seq range, each record's
Ed25519 signature and authorisation, subject chains) — the records per second a witness keeps
up with — and what BLS costs per batch in CPU time: signing one batch message (the old code,
py-ecc's ``G2ProofOfPossession.Sign``, and ``WitnessKey.sign`` on each ``verifier.bls12381``
backend) and aggregating and verifying 3 signatures, old and new in the same run.

    .venv/bin/python bench/witness.py [--workers 500] [--records 20000] [--batch 2000] [--bls-only]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger import batcher  # noqa: E402
from ledger.core.heads import BatchHead  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402
from verifier import bls12381  # noqa: E402
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


def _cpu(f: Callable[[int], object], n: int) -> float:
    """CPU seconds per call of ``f(i)``, i = 0..n-1 (the machine is shared: wall time is not
    the figure to read)."""
    t = time.process_time()
    for i in range(n):
        f(i)
    return (time.process_time() - t) / n


def bls_rows(commitment: Commitment) -> list[tuple[str, float]]:
    """CPU per call: old (py-ecc's own ciphersuite) and new (each backend of verifier.bls12381).
    Every call gets another batch number, hence another message: the backends keep recent
    hashes-to-curve and ``verifier.witnesses`` remembers checks that held, and neither may
    flatter the figures."""
    from py_ecc.bls.ciphersuites import G2ProofOfPossession as Old

    from verifier import witnesses

    def msg(i: int) -> bytes:
        return replace(commitment, batch_no=commitment.batch_no + i).message()

    sks = [bls12381.key_gen(bytes([i + 1]) * 32) for i in range(3)]
    pks = [bls12381.public_key(sk) for sk in sks]
    n = {"old": 3, "arkworks": 200, "py-ecc": 3}
    rounds = iter(range(0, 10**6, 1000))  # a fresh range of messages for every row

    def signed(k: int) -> list[tuple[bytes, list[bytes]]]:
        base = next(rounds)
        return [(msg(base + i), [bls12381.sign(sk, msg(base + i)) for sk in sks]) for i in range(k)]

    def keygen(i: int) -> None:
        Old.PopProve(Old.KeyGen(i.to_bytes(32, "big")))
        Old.SkToPk(Old.KeyGen(i.to_bytes(32, "big")))

    base = next(rounds)
    rows = [("old: py-ecc `G2ProofOfPossession.Sign`, one batch message",
             _cpu(lambda i: Old.Sign(sks[0], msg(base + i)), n["old"]))]  # fmt: skip
    todo = signed(n["old"])
    rows.append(("old: py-ecc `Aggregate` + `FastAggregateVerify`, 3 signatures",
                 _cpu(lambda i: Old.FastAggregateVerify(pks, todo[i][0], Old.Aggregate(todo[i][1])),
                      n["old"])))  # fmt: skip
    rows.append(("old: py-ecc `KeyGen` + `SkToPk` + `PopProve` (a new key)", _cpu(keygen, n["old"])))
    for name in bls12381.BACKENDS:
        c = bls12381.curve(name)
        base = next(rounds)
        rows.append((f"new, {name}: `WitnessKey.sign`, one batch message",
                     _cpu(lambda i, c=c, b=base: bls12381.sign(sks[0], msg(b + i), curve=c),
                          n[name])))  # fmt: skip
        os.environ[bls12381.ENV] = name
        try:
            todo = signed(n[name])
            witnesses._passed.clear()
            rows.append((f"new, {name}: `aggregate` + `verify_aggregate`, 3 signatures",
                         _cpu(lambda i, t=todo: verify_aggregate(pks, t[i][0], aggregate(t[i][1])),
                              n[name])))  # fmt: skip
            rows.append((f"new, {name}: `WitnessKey.from_seed` + `pop()` (a new key)",
                         _cpu(lambda i: WitnessKey.from_seed(i.to_bytes(32, "big")).pop(), n[name])))  # fmt: skip
            keys = [WitnessKey(sk) for sk in sks]
            m = msg(next(rounds))
            assert [k.sign(m) for k in keys] == [bytes(Old.Sign(sk, m)) for sk in sks]  # same bytes
        finally:
            del os.environ[bls12381.ENV]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=500)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=2_000)
    ap.add_argument("--bls-only", action="store_true", help="only the BLS rows")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} (CPU time is the figure to read on a shared machine)")
    commitment = Commitment(31337, b"\x11" * 20, 10, 20_000, 2_000, bytes(range(32)),
                            bytes(range(32, 64)))  # fmt: skip
    if a.bls_only:
        print("| measure | CPU per call |\n|---|---|")
        for label, cpu in bls_rows(commitment):
            print(f"| {label} | {cpu * 1000:,.1f} ms |")
        return
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
    print(f"log: {total:,} entries in {len(batches)} batches ({a.workers} workers, punches sealed "
          f"every {a.batch}), built in {built:.1f} s")  # fmt: skip
    print("| measure | result | target |\n|---|---|---|")
    print(f"| batch checks, every batch from the genesis, wall | **{total / wall:,.0f} records/s** "
          "| ≥ 5,000/s |")  # fmt: skip
    print(f"| the same, CPU time | {total / cpu:,.0f} records/s | — |")
    print(f"| last batch ({last_n:,} records, map of {len(follower.state.head_values):,} keys) | "
          f"{last_t * 1000:,.0f} ms ({last_n / last_t:,.0f} records/s) | — |")  # fmt: skip
    for label, cpu in bls_rows(commitment):
        print(f"| {label}, CPU | {cpu * 1000:,.1f} ms | — |")


if __name__ == "__main__":
    main()
