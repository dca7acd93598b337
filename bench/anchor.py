"""Anchoring benchmark: gas per anchor transaction, "record accepted → batch anchored", and the
batch age while the chain node is frozen.

Gas is read from the receipts of the ``anchor`` transactions on an AnchorRegistry of
``--registry`` version (default 2, docs/contract.md). Batches of 1 and 1,000 records go through
the real path (SampleSite records appended to a SQLite store, sealed with their head map,
anchored by the worker); the 100,000 one is a synthetic batch of that size with random roots
sent straight to the contract (the contract never sees the entries, only the range;
``--real-100k`` appends them for real).

Latency is measured on anvil with the default settings (``batch.max_age_seconds`` 5,
``chain.confirmations`` 1, ``chain.poll_seconds`` 1): the ``Sealer`` and the ``Anchorer`` run
in two threads as ``siteledger serve`` runs them, one record is appended at a random moment, and
the clock stops when its batch is ``anchored`` in the database.

``--freeze S`` (anvil only) then freezes the node (SIGSTOP of the anvil this script started) for
S seconds while a record arrives every 0.5 s, and reports how old each batch's oldest entry was
when the batch was sealed (the maximum age must hold whatever the chain does), how many
batches were anchored while frozen (none can be), and how long after SIGCONT every batch was
anchored. Prints Markdown tables; ``--json`` prints the figures.

    .venv/bin/python bench/anchor.py [--backend anvil|embedded] [--registry 1|2] [--samples N]
                                     [--freeze S] [--real-100k] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anchor import tx  # noqa: E402
from anchor.backends import AnvilBackend, Backend, EmbeddedBackend  # noqa: E402
from anchor.deploy import deploy  # noqa: E402
from anchor.reader import ChainReader  # noqa: E402
from anchor.worker import Anchorer, Sealer  # noqa: E402
from ledger import batcher  # noqa: E402
from ledger.config import ChainConfig, Config  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402

T0 = datetime(2026, 9, 30, tzinfo=UTC)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Bench:
    def __init__(self, home: Path, backend_name: str, registry: int) -> None:
        self.home = home
        self.root = SigningKey(bytes(range(32)))
        url = f"sqlite:///{home / 'ledger.sqlite'}"
        self.store = Store(make_engine(url), self.root)  # the real clock
        self.store.create_schema()
        self.store.genesis(self.root, valid_from=datetime(2026, 9, 1, tzinfo=UTC))
        self.site = SampleSite(self.root)
        assert all(r.ok for r in self.store.append(self.site.setup(T0)))
        self.n = 0
        self.backend: Backend
        if backend_name == "anvil":
            self.backend = AnvilBackend(home, port=free_port())
            chain_cfg = ChainConfig(backend="anvil", anvil_port=self.backend.port)
        else:
            self.backend = EmbeddedBackend()
            chain_cfg = ChainConfig(backend="embedded")
        self.chain = self.backend.connect()
        self.deployment = deploy(self.chain, registry=registry)
        self.registry = registry
        from dataclasses import replace

        self.cfg = Config(home=home, database_url=url,
                          chain=replace(chain_cfg, contract=self.deployment.contract))  # fmt: skip
        self.reader = ChainReader(self.chain.w3)

    def add(self, n: int) -> int:
        """Append ``n`` enrollment records; returns the seq of the last one."""
        org = self.site.subs[0]
        last = -1
        for start in range(0, n, 1000):
            recs = []
            for _ in range(min(1000, n - start)):
                self.n += 1
                recs.append(self.site.enroll(f"w-{self.n:07d}", org, "T-REBAR", date(2026, 10, 1)))
            results = self.store.append(recs)
            assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok][:1]
            last = results[-1].seq or last
        return last

    def gas_of(self, tx_hash: str) -> int:
        return int(self.chain.w3.eth.get_transaction_receipt(tx_hash)["gasUsed"])  # type: ignore[arg-type]

    def anchor_real(self, size: int) -> dict[str, Any]:
        from dataclasses import replace

        cfg = replace(self.cfg, batch_max_size=max(size, self.cfg.batch_max_size))
        a = Anchorer(self.store, cfg, self.backend)
        a.run_until_anchored(30)  # whatever waits (the project's opening records) first
        self.add(size)
        t = time.perf_counter()
        r = a.run_until_anchored(30)
        elapsed = time.perf_counter() - t
        a.close()
        (b,) = r.sealed
        assert b.size == size and r.anchored == [b.batch_no], r.lines()
        done = batcher.batch(self.store, b.batch_no)
        assert done is not None and done.tx_hash is not None
        return {"size": size, "batch_no": b.batch_no, "first_seq": b.first_seq,
                "gas": self.gas_of(done.tx_hash), "path": "store + worker",
                "seal_and_anchor_s": round(elapsed, 3)}  # fmt: skip

    def anchor_synthetic(self, size: int) -> dict[str, Any]:
        contract = self.deployment.contract
        batch_no = self.reader.batch_count(contract)
        first = self.reader.next_seq(contract)
        c = self.reader.contract(contract)
        args = [batch_no, first, size, random.randbytes(32)]
        if self.registry >= 2:
            args.append(random.randbytes(32))  # heads root
        signed = tx.sign(self.chain, to=c.address, nonce=tx.nonce(self.chain.w3, self.chain.address),
                         data=c.encode_abi("anchor", args=args),
                         gas=100_000, fees=tx.suggest_fees(self.chain.w3))  # fmt: skip
        tx.broadcast(self.chain.w3, signed)
        receipt = tx.wait_receipt(self.chain.w3, signed.tx_hash, 30)
        assert receipt["status"] == 1
        return {"size": size, "batch_no": batch_no, "first_seq": first,
                "gas": int(receipt["gasUsed"]), "path": "synthetic root, contract direct"}  # fmt: skip

    def _workers(self, stop: threading.Event) -> list[threading.Thread]:
        """The Sealer and the Anchorer in two threads, as ``siteledger serve`` runs them."""
        a = Anchorer(self.store, self.cfg, self.backend)
        a.run_until_anchored(30)
        threads = [threading.Thread(target=w.run_forever, args=(stop,), daemon=True)
                   for w in (Sealer(self.store, self.cfg), a)]  # fmt: skip
        for t in threads:
            t.start()
        return threads

    def latency(self, samples: int) -> list[float]:
        """Seconds from "append returned accepted" to "its batch is anchored", default settings."""
        stop = threading.Event()
        workers = self._workers(stop)
        out = []
        try:
            for _ in range(samples):
                time.sleep(random.uniform(0.0, 1.0))  # land anywhere in the poll cycle
                seq = self.add(1)
                accepted = time.perf_counter()
                while True:
                    b = batcher.batch_of(self.store, seq)
                    if b is not None and b.state == "anchored":
                        break
                    if time.perf_counter() - accepted > 60:
                        raise RuntimeError(f"record {seq} not anchored after 60 s")
                    time.sleep(0.01)
                out.append(time.perf_counter() - accepted)
        finally:
            stop.set()
            for t in workers:
                t.join(40)
        return out

    def freeze(self, seconds: float) -> dict[str, Any]:
        """Batch ages while the node is frozen for ``seconds`` (see the module docstring)."""
        assert isinstance(self.backend, AnvilBackend)
        pid = self.backend.running_pid()
        assert pid is not None
        stop = threading.Event()
        workers = self._workers(stop)
        before = batcher.count_by_state(self.store)
        last_before = batcher.batches(self.store, after=-1, limit=10**6)[-1].batch_no
        os.kill(pid, signal.SIGSTOP)
        try:
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                self.add(1)
                time.sleep(0.5)
            during = batcher.batches(self.store, after=last_before, limit=10**6)
            anchored_frozen = batcher.count_by_state(self.store)["anchored"] - before["anchored"]
        finally:
            os.kill(pid, signal.SIGCONT)
        resumed = time.perf_counter()
        try:
            while True:
                counts = batcher.count_by_state(self.store)
                if counts["sealed"] == counts["anchoring"] == counts["reorged"] == 0:
                    break
                if time.perf_counter() - resumed > 120:
                    raise RuntimeError(f"not anchored 120 s after the node resumed: {counts}")
                time.sleep(0.05)
            catch_up = time.perf_counter() - resumed
        finally:
            stop.set()
            for t in workers:
                t.join(40)
        ages = []
        for b in during:
            first = self.store.entry(b.first_seq)
            assert first is not None
            ages.append((b.sealed_at - first.entry.received_at).total_seconds())
        return {"frozen_s": seconds, "batches_sealed": len(during), "anchored_while_frozen":
                anchored_frozen, "max_age_s": round(max(ages), 3) if ages else None,
                "median_age_s": round(statistics.median(ages), 3) if ages else None,
                "all_anchored_after_resume_s": round(catch_up, 2),
                "limit_s": self.cfg.batch_max_age.total_seconds()}  # fmt: skip

    def close(self) -> None:
        if isinstance(self.backend, AnvilBackend):
            self.backend.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=["anvil", "embedded"], default="anvil")
    ap.add_argument("--registry", type=int, choices=[1, 2], default=2,
                    help="AnchorRegistry version to deploy and anchor on")  # fmt: skip
    ap.add_argument("--samples", type=int, default=5, help="latency samples")
    ap.add_argument("--freeze", type=float, default=0.0,
                    help="freeze the anvil node for this many seconds (SIGSTOP) and report the "
                         "batch ages meanwhile")  # fmt: skip
    ap.add_argument("--real-100k", action="store_true",
                    help="append 100,000 records for the largest batch instead of a synthetic root")  # fmt: skip
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="siteledger-bench-") as tmp:
        bench = Bench(Path(tmp), args.backend, args.registry)
        frozen: dict[str, Any] | None = None
        try:
            gas = [bench.anchor_real(1), bench.anchor_real(1000)]
            if args.real_100k:
                gas.append(bench.anchor_real(100_000))
            lat = bench.latency(args.samples) if args.backend == "anvil" else []
            if args.freeze > 0 and args.backend == "anvil":
                frozen = bench.freeze(args.freeze)
            if not args.real_100k:  # last: the store's next batch could not follow this one
                gas.append(bench.anchor_synthetic(100_000))
        finally:
            bench.close()

    result = {"backend": args.backend, "registry": args.registry,
              "deploy_gas": bench.deployment.gas_used, "gas": gas,
              "latency_s": [round(x, 3) for x in lat], "frozen": frozen,
              "cpu_count": os.cpu_count()}  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"## Gas per anchor ({args.backend}, AnchorRegistry version {args.registry}; "
          f"deployment {bench.deployment.gas_used:,} gas)\n")  # fmt: skip
    print("| batch size | batch no | first seq | gasUsed | path |")
    print("|---:|---:|---:|---:|---|")
    for g in gas:
        print(f"| {g['size']:,} | {g['batch_no']} | {g['first_seq']:,} | {g['gas']:,} | {g['path']} |")
    spread = max(g["gas"] for g in gas) - min(g["gas"] for g in gas)
    print(f"\nspread {spread} gas (calldata bytes only); target <= 56,000: "
          f"{'met' if max(g['gas'] for g in gas) <= 56_000 else 'NOT met (see docs/contract.md)'}")  # fmt: skip
    if lat:
        print("\n## Record accepted -> batch anchored (anvil, max_age 5 s, confirmations 1, "
              "poll 1 s)\n")  # fmt: skip
        print("| samples | min s | median s | max s | target |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| {len(lat)} | {min(lat):.2f} | {statistics.median(lat):.2f} | {max(lat):.2f} "
              f"| <= 15 s: {'met' if max(lat) <= 15 else 'NOT met'} |")  # fmt: skip
    if frozen:
        ok = frozen["max_age_s"] is not None and frozen["max_age_s"] <= frozen["limit_s"] + 1.0
        print(f"\n## Node frozen (SIGSTOP) for {frozen['frozen_s']:.0f} s, a record every 0.5 s\n")
        print("| batches sealed | anchored while frozen | oldest entry at sealing: median s | "
              "max s | all anchored after SIGCONT s | max age |")
        print("|---:|---:|---:|---:|---:|---|")
        print(f"| {frozen['batches_sealed']} | {frozen['anchored_while_frozen']} | "
              f"{frozen['median_age_s']} | {frozen['max_age_s']} | "
              f"{frozen['all_anchored_after_resume_s']} | {frozen['limit_s']:.0f} s (+ one sealing "
              f"interval): {'held' if ok else 'NOT held'} |")  # fmt: skip


if __name__ == "__main__":
    main()
