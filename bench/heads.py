"""Head-map benchmark: map update per batch, head proofs with 1,000,000 keys, bytes per record.

Measures, in one run:
* **large map** (SQLite): a log whose head map holds ``--keys`` keys (default 1,000,000: workers
  and gates), then a batch touching ``--touched`` keys (default 10,000: 9,000 workers punching at
  1,000 gates); the time ``ledger.heads`` takes to apply that batch inside the seal (and the seal
  in full), then ``--proofs`` head proofs of random present and absent keys at the latest batch
  and at the first batch (the oldest map, read from disk), with their JSON size.
  To reach a million keys in minutes the entries of this log are written with SQL (no records or
  signatures: the head map reads only an entry's seq, type, project, subject, subject_seq,
  leaf hash and, for punches, device and device_seq), and sealed by the real ``batcher.seal``.
* **bytes per record** (SQLite): signed punches of ``--workers`` workers through ``Store.append``
  in bulks, sealed every ``--batch`` records as the sealer does, and the database's growth per
  record split by table and index (SQLite's ``dbstat``): what each byte is for.

    .venv/bin/python bench/heads.py [--keys 1000000] [--touched 10000] [--proofs 1000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import types
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, update  # noqa: E402

from ledger import batcher, db  # noqa: E402
from ledger import heads as head_maps  # noqa: E402
from ledger.core import heads  # noqa: E402
from ledger.core.canonical import canonical_bytes  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.migrate import upgrade  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402

ROOT = SigningKey(bytes(range(32)))
PROJECT = "P-BENCH-001"
FAR = timedelta(days=3650)


# ------------------------------------------------------------------ a log of a million keys


def _row(seq: int, subject: str, sseq: int, device: tuple[str, int] | None) -> dict[str, Any]:
    body = b"{}"
    if device is not None:
        body = (f'{{"received_at":"2026-10-01T00:00:00Z","record":{{"device":"{device[0]}",'
                f'"device_seq":{device[1]},"direction":"in"}}}}').encode()  # fmt: skip
    return {
        "seq": seq, "leaf_hash": sha256(seq.to_bytes(8, "big")).digest(),
        "type": "attendance" if device else "enrollment", "project": PROJECT, "subject": subject,
        "subject_seq": sseq, "signer": "0" * 32, "record_id": str(seq), "record_time": 0,
        "target": None, "replacement": None, "body": body,
    }  # fmt: skip


def _write(store: Store, rows: list[dict[str, Any]]) -> None:
    with store._write() as conn:
        for k in range(0, len(rows), 20_000):
            conn.execute(insert(db.entries), rows[k : k + 20_000])
        conn.execute(
            update(db.log_head).where(db.log_head.c.id == 1).values(next_seq=rows[-1]["seq"] + 1)
        )


def large_map(keys: int, touched: int, proofs: int) -> dict[str, Any]:
    gates = 1_000
    workers = keys - gates
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/heads.sqlite"
        store = Store(make_engine(url), ROOT, skew=FAR)
        store.create_schema()
        t = time.perf_counter()
        rows = [_row(i, f"w-{i:07d}", 0, None) for i in range(workers)]
        rows += [_row(workers + g, f"w-{g:07d}", 1, (f"GATE-{g:04d}", 1)) for g in range(gates)]
        _write(store, rows)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        (first,) = batcher.seal(store, max_size=len(rows), force=True)
        first_seal_s = time.perf_counter() - t
        assert first.heads_keys == keys, first.heads_keys

        # one batch touching `touched` keys: touched - gates workers punch at the gates
        rng = random.Random(7)
        movers = rng.sample(range(gates, workers), touched - gates)
        seq = len(rows)
        punches = [
            _row(seq + j, f"w-{w:07d}", 1, (f"GATE-{j % gates:04d}", 2 + j // gates))
            for j, w in enumerate(movers)
        ]
        _write(store, punches)
        spent: list[float] = []
        apply = head_maps.apply_batch

        def timed(*a: Any) -> Any:
            t0, c0 = time.perf_counter(), time.process_time()
            out = apply(*a)
            spent.extend((time.perf_counter() - t0, time.process_time() - c0))
            return out

        head_maps.apply_batch = timed  # type: ignore[assignment]
        t = time.perf_counter()
        (second,) = batcher.seal(store, max_size=len(punches), force=True)
        seal_s = time.perf_counter() - t
        head_maps.apply_batch = apply  # type: ignore[assignment]
        with store._read() as conn:
            counts = {
                name: conn.exec_driver_sql(
                    f"SELECT count(*) FROM {name} WHERE batch_no = {second.batch_no}"
                ).scalar()
                for name in ("head_versions", "head_nodes")
            }

        # proofs
        present = [f"w-{i:07d}" for i in rng.sample(range(workers), proofs // 2)]
        sample = [heads.subject_key(s) for s in present] + [
            heads.subject_key(f"absent-{i}") for i in range(proofs - len(present))
        ]
        out: dict[str, Any] = {}
        for label, batch_no, cached in (("latest", second.batch_no, True),
                                        ("first", first.batch_no, False)):  # fmt: skip
            if not cached:
                head_maps._cache.clear()
            times, sizes, depths = [], [], []
            c0 = time.process_time()
            for k in sample:
                t = time.perf_counter()
                value, proof = head_maps.prove(store, batch_no, k)
                times.append((time.perf_counter() - t) * 1000)
                sizes.append(len(canonical_bytes(proof.to_json())))
                depths.append(proof.depth)
            cpu_ms = (time.process_time() - c0) * 1000 / len(sample)
            times.sort()
            out[label] = {
                "cpu_ms_mean": cpu_ms, "binary_bytes_max": 64 + 32 * max(depths),
                "p50_ms": statistics.median(times), "p99_ms": times[int(len(times) * 0.99) - 1],
                "max_ms": times[-1], "bytes_mean": statistics.mean(sizes),
                "bytes_max": max(sizes), "depth_mean": statistics.mean(depths),
                "depth_max": max(depths),
            }  # fmt: skip
        size = os.path.getsize(f"{tmp}/heads.sqlite")
        store.engine.dispose()
    return {
        "keys": keys, "touched": touched, "load_s": load_s, "first_seal_s": first_seal_s,
        "update_s": spent[0], "update_cpu_s": spent[1], "seal_s": seal_s, "rows_written": counts, "proofs": out,
        "db_bytes": size,
    }  # fmt: skip


class _Undone(Exception):
    """Rolls the timed transaction back, so the same batch can be applied again."""


def _old_module(rev: str) -> Any:
    """``ledger/heads.py`` as of git revision ``rev``, imported as a module of its own."""
    src = subprocess.run(["git", "show", f"{rev}:ledger/heads.py"], check=True, text=True,
                         capture_output=True, cwd=Path(__file__).resolve().parents[1]).stdout  # fmt: skip
    mod = types.ModuleType("heads_at_" + rev.replace("-", "_"))
    sys.modules[mod.__name__] = mod
    exec(compile(src, f"{rev}:ledger/heads.py", "exec"), mod.__dict__)  # noqa: S102
    return mod


def _newest_migration(rev: str) -> str:
    """The revision id of the newest migration in git revision ``rev`` (files ``NNNN_*.py``)."""
    names = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:ledger/migrations/versions"],
                           check=True, text=True, capture_output=True,
                           cwd=Path(__file__).resolve().parents[1]).stdout.split()  # fmt: skip
    return max(n[:4] for n in names if n[:4].isdigit())


def compare(rev: str, keys: int, touched: int, reps: int) -> dict[str, Any]:
    """The same batch applied by ``rev``'s ``ledger/heads.py`` and by this tree's, alternately,
    ``reps`` times each, every application rolled back: the CPU seconds of each, in one run.

    Each code gets its own database with its own schema (``rev``'s: upgraded to the newest
    migration ``rev`` has) and seals the first batch itself, so each starts the timed batch with
    the copy in memory it builds when sealing."""
    gates = 1_000
    workers = keys - gates
    rng = random.Random(7)
    movers = rng.sample(range(gates, workers), touched - gates)
    rows = [_row(i, f"w-{i:07d}", 0, None) for i in range(workers)]
    rows += [_row(workers + g, f"w-{g:07d}", 1, (f"GATE-{g:04d}", 1)) for g in range(gates)]
    punches = [
        _row(len(rows) + j, f"w-{w:07d}", 1, (f"GATE-{j % gates:04d}", 2 + j // gates))
        for j, w in enumerate(movers)
    ]
    old = _old_module(rev)
    out: dict[str, Any] = {"rev": rev, "keys": keys, "touched": touched, "old": [], "new": []}
    roots: dict[str, set[bytes]] = {"old": set(), "new": set()}
    with tempfile.TemporaryDirectory() as tmp:
        stores = {}
        for name, mod in (("old", old), ("new", head_maps)):
            url = f"sqlite:///{tmp}/{name}.sqlite"
            upgrade(url, _newest_migration(rev) if name == "old" else "head")
            store = Store(make_engine(url), ROOT, skew=FAR)
            _write(store, rows)
            batcher.head_maps = mod  # type: ignore[attr-defined]
            try:
                batcher.seal(store, max_size=len(rows), force=True)
            finally:
                batcher.head_maps = head_maps  # type: ignore[attr-defined]
            _write(store, punches)
            stores[name] = (mod, store)
        for _ in range(reps):
            for name, (mod, store) in stores.items():
                gc.collect()
                try:
                    with store._write() as conn:
                        c0 = time.process_time()
                        state = mod.apply_batch(store, conn, 1, len(rows), len(rows) + len(punches))
                        out[name].append(time.process_time() - c0)
                        roots[name].add(state.root)
                        raise _Undone
                except _Undone:
                    pass
        cached = head_maps._cache[stores["new"][1]]
        out["cache_bytes"] = sys.getsizeof(cached.known) + sum(
            sys.getsizeof(v) for v in cached.known.values()
        )
        for name, (mod, store) in stores.items():  # after a restart: nothing kept in memory
            mod._cache.clear()
            gc.collect()
            try:
                with store._write() as conn:
                    c0 = time.process_time()
                    state = mod.apply_batch(store, conn, 1, len(rows), len(rows) + len(punches))
                    out[f"{name}_cold"] = time.process_time() - c0
                    roots[name].add(state.root)
                    raise _Undone
            except _Undone:
                pass
        for _, store in stores.values():
            store.engine.dispose()
    if len(roots["old"] | roots["new"]) != 1:
        raise SystemExit(f"the two codes disagree on the root: {roots}")
    out["ratio"] = statistics.median(out["new"]) / statistics.median(out["old"])
    return out


# ------------------------------------------------------------------ bytes per record


def _tables(path: str) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    finally:
        con.close()


def bytes_per_record(n: int, workers: int, batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/bytes.sqlite"
        store = Store(make_engine(f"sqlite:///{path}"), ROOT, skew=FAR)
        store.create_schema()
        store.genesis(ROOT, valid_from=datetime(2026, 1, 1, tzinfo=UTC))
        site = SampleSite(ROOT, seed=11)
        assert all(r.ok for r in store.append(site.setup(datetime(2026, 9, 30, tzinfo=UTC))))
        enroll = [site.enroll(f"w-{i:05d}", site.subs[0], "T-REBAR", date(2026, 10, 1))
                  for i in range(workers)]  # fmt: skip
        for k in range(0, len(enroll), 1000):
            assert all(r.ok for r in store.append(enroll[k : k + 1000]))
        batcher.seal(store, max_size=50_000, force=True)
        before = _tables(path)
        t0 = datetime(2026, 10, 1, 6, 0, tzinfo=site.tz)
        devices = sorted(site.devices)
        recs = [
            canonical_bytes(site.punch(devices[i % len(devices)], f"w-{i % workers:05d}",
                                       t0 + timedelta(seconds=i),
                                       "in" if (i // workers) % 2 == 0 else "out", i).to_json())
            for i in range(n)
        ]  # fmt: skip
        for k in range(0, n, batch):
            for j in range(k, min(n, k + batch), 1000):
                assert all(r.ok for r in store.append(recs[j : min(j + 1000, k + batch, n)]))
            batcher.seal(store, max_size=batch, force=True)
        store.engine.dispose()
        con = sqlite3.connect(path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        after = _tables(path)
    per = {name: (after.get(name, 0) - before.get(name, 0)) / n for name in after}
    per = {k: v for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if abs(v) >= 0.05}
    return {"records": n, "workers": workers, "batch": batch, "per_table": per,
            "total": sum(per.values())}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--touched", type=int, default=10_000)
    ap.add_argument("--proofs", type=int, default=1_000)
    ap.add_argument("--records", type=int, default=40_000)
    ap.add_argument("--workers", type=int, default=5_000)
    ap.add_argument("--batch", type=int, default=2_000)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--compare", metavar="REV",
                    help="only time the map update of git revision REV against this tree's")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res: dict[str, Any] = {}
    if args.compare:
        c = compare(args.compare, args.keys, args.touched, args.reps)
        if args.json:
            print(json.dumps(c, indent=2))
            return
        old, new = (", ".join(f"{x:.3f}" for x in c[k]) for k in ("old", "new"))
        print(f"Map of {c['keys']:,} keys, a batch touching {c['touched']:,} keys, head map update "
              f"in CPU seconds, the same batch {args.reps} times each, alternately, same root:\n"
              f"  {c['rev']}: {old}\n  this tree: {new}\n  ratio of medians "
              f"{c['ratio']:.2f}; after a restart (nothing in memory) {c['old_cold']:.3f} s "
              f"and {c['new_cold']:.3f} s; the sealer's bucket copy "
              f"{c['cache_bytes'] / 1e6:.0f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        return
    res["bytes"] = bytes_per_record(args.records, args.workers, args.batch)
    if not args.skip_large:
        res["large"] = large_map(args.keys, args.touched, args.proofs)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    b = res["bytes"]
    print(f"Bytes per attendance record ({b['records']:,} punches of {b['workers']:,} workers, "
          f"sealed every {b['batch']:,}): {b['total']:,.0f}")  # fmt: skip
    print("| table or index | bytes per record |\n|---|---:|")
    for name, v in b["per_table"].items():
        print(f"| {name} | {v:,.1f} |")
    if "large" in res:
        m = res["large"]
        print(f"\nMap of {m['keys']:,} keys (loaded in {m['load_s']:.0f} s, first seal "
              f"{m['first_seal_s']:.0f} s); a batch touching {m['touched']:,} keys: head map "
              f"update {m['update_s']:.3f} s ({m['update_cpu_s']:.3f} s CPU; seal in full "
              f"{m['seal_s']:.3f} s), rows written "
              f"{m['rows_written']}")  # fmt: skip
        for label, p in m["proofs"].items():
            print(f"head proof at the {label} batch: CPU {p['cpu_ms_mean']:.2f} ms each; p50 {p['p50_ms']:.2f} ms, p99 "
                  f"{p['p99_ms']:.2f} ms, max {p['max_ms']:.2f} ms; size mean "
                  f"{p['bytes_mean']:,.0f} B, max {p['bytes_max']:,} B; depth mean "
                  f"{p['depth_mean']:.1f}, max {p['depth_max']}")  # fmt: skip


if __name__ == "__main__":
    main()
