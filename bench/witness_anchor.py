"""Anchoring with witnesses on anvil: gas per co-signed anchor, and "record accepted → batch
anchored with its witness quorum".

Gas: a fresh AnchorRegistry for each k = 1..5, witness set of 5 (py-ecc keys from fixed seeds),
threshold k, batch 0 anchored with ``anchorWitnessed`` and the aggregate of witnesses 0..k-1;
the figure is the receipt's ``gasUsed`` (21,000 base included).

Latency: the operator's API served on 127.0.0.1 (werkzeug, threaded), five witness services as
processes (``python -m witness.cli run --interval 2``, the default), a 3-of-5 set on the
registry (wait policy), and the ``Sealer`` and ``Anchorer`` in two threads with the default
settings (``batch.max_age_seconds`` 5, ``chain.poll_seconds`` 1) as ``siteledger serve`` runs
them. One record is appended at a random moment; the clock stops when its batch is ``anchored``
with a witnessed record. The CPU split (seconds of CPU over the latency run: this process — API,
sealer, anchorer with its collection and aggregate check — the five witness processes, anvil)
comes from ``/proc/<pid>/stat``. ``--backends arkworks,py-ecc`` runs the latency once per BLS
backend of ``verifier.bls12381`` (``SITELEDGER_BLS``, inherited by the witness processes): py-ecc
signs and checks as the code before the native backend did, so the two runs give old and new
under the same load. Prints Markdown.

    .venv/bin/python bench/witness_anchor.py [--samples 5] [--skip-gas] [--skip-latency]
        [--backends arkworks,py-ecc]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

from anchor import tx  # noqa: E402
from anchor.backends import AnvilBackend  # noqa: E402
from anchor.deploy import deploy, set_witnesses  # noqa: E402
from anchor.reader import ChainReader  # noqa: E402
from anchor.worker import Anchorer, Sealer  # noqa: E402
from ledger import batcher  # noqa: E402
from ledger.config import ChainConfig, Config, WitnessConfig  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.principals import Principals  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402
from ledger.vault import Keyring, Vault  # noqa: E402
from verifier import bls12381  # noqa: E402
from witness.bls import WitnessKey, aggregate, g2_eip2537  # noqa: E402
from witness.quorum import members_of  # noqa: E402

NAMES = ["supervision", "labour bureau", "bank", "contractor", "auditor"]
T0 = datetime(2026, 9, 30, tzinfo=UTC)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gas(home: Path) -> list[int]:
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(5)]
    an = AnvilBackend(home / "gas", port=free_port())
    out = []
    try:
        chain = an.connect()
        reader = ChainReader(chain.w3)
        for k in range(1, 6):
            contract = deploy(chain).contract
            set_witnesses(chain, contract, members_of(NAMES, keys, k), allow_unwitnessed=False)
            c = reader.contract(contract)
            args = [0, 0, 1000, random.randbytes(32), random.randbytes(32)]
            msg = bytes(c.functions.witnessMessage(*args).call())
            agg = aggregate([keys[i].sign(msg) for i in range(k)])
            data = c.encode_abi("anchorWitnessed", args=[*args, (1 << k) - 1, g2_eip2537(agg)])
            signed = tx.sign(chain, to=c.address, data=data, gas=600_000,
                             nonce=tx.nonce(chain.w3, chain.address),
                             fees=tx.suggest_fees(chain.w3))  # fmt: skip
            tx.broadcast(chain.w3, signed)
            receipt = tx.wait_receipt(chain.w3, signed.tx_hash, 30)
            assert receipt["status"] == 1
            out.append(int(receipt["gasUsed"]))
    finally:
        an.stop()
    return out


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(home: Path, samples: int, cpu: dict[str, float] | None = None) -> list[float]:
    """The samples' seconds from accepted to anchored; ``cpu`` gets the witnesses' and anvil's
    CPU seconds over the run."""
    import logging

    from werkzeug.serving import make_server

    from api.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per witness poll otherwise

    root = SigningKey(bytes(range(32)))
    url = f"sqlite:///{home / 'ledger.sqlite'}"
    engine = make_engine(url)
    store = Store(engine, root)
    store.create_schema()
    store.genesis(root, valid_from=datetime(2026, 9, 1, tzinfo=UTC))
    site = SampleSite(root)
    assert all(r.ok for r in store.append(site.setup(T0)))
    principals = Principals(engine)
    admin = principals.create("witnesses", "admin", datetime.now(UTC))
    token = principals.issue_token(admin.principal_id, datetime.now(UTC))[1]
    (home / "token").write_text(token + "\n")
    an = AnvilBackend(home / "chain", port=free_port())
    chain = an.connect()
    contract = deploy(chain).contract
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(5)]
    wset = members_of(NAMES, keys, 3)
    set_witnesses(chain, contract, wset, allow_unwitnessed=False)
    (home / "set.json").write_text(json.dumps(wset.to_json()))
    cfg = Config(home=home, database_url=url,
                 chain=ChainConfig(backend="anvil", anvil_port=an.port, contract=contract))  # fmt: skip
    app = create_app(cfg, store=store, vault=Vault(engine, Keyring.generate()),
                     principals=principals)  # fmt: skip
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    procs, urls = [], []
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        for i, key in enumerate(keys):
            key.save(home / f"w{i}.key")
            port = free_port()
            cmd = [sys.executable, "-m", "witness.cli", "run", "--key", str(home / f"w{i}.key"),
                   "--data-dir", str(home / f"w{i}"), "--operator",
                   f"http://127.0.0.1:{server.server_port}", "--token-file", str(home / "token"),
                   "--chain-id", str(chain.chain_id), "--contract", contract,
                   "--listen", f"127.0.0.1:{port}"]  # fmt: skip
            p = subprocess.Popen(cmd, cwd=ROOT_DIR, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)  # fmt: skip
            procs.append(p)
            assert p.stdout is not None and p.stdout.readline().startswith("listening on ")
            urls.append(f"http://127.0.0.1:{port}")
        cfg = replace(cfg, witnesses=WitnessConfig(str(home / "set.json"), tuple(urls)))
        anchorer = Anchorer(store, cfg, an)
        anchorer.run_until_anchored(120)  # the project's opening records
        threads = [threading.Thread(target=w.run_forever, args=(stop,), daemon=True)
                   for w in (Sealer(store, cfg), anchorer)]  # fmt: skip
        for t in threads:
            t.start()
        out = []
        for n in range(1, samples + 1):
            time.sleep(random.uniform(0.0, 1.0))
            rec = site.enroll(f"w-{n:07d}", site.subs[0], "T-REBAR", date(2026, 10, 1))
            (res,) = store.append([rec])
            assert res.status == "accepted" and res.seq is not None
            accepted = time.perf_counter()
            while True:
                b = batcher.batch_of(store, res.seq)
                if b is not None and b.state == "anchored":
                    w = store.batch_witnesses(b.batch_no)
                    assert w is not None and w.status == "witnessed"
                    break
                if time.perf_counter() - accepted > 120:
                    raise RuntimeError(f"record {res.seq} not anchored after 120 s")
                time.sleep(0.02)
            out.append(time.perf_counter() - accepted)
        return out
    finally:
        stop.set()
        for t in threads:
            t.join(60)
        if cpu is not None:
            cpu["witnesses"] = sum(_proc_cpu(p.pid) for p in procs if p.poll() is None)
            if an._proc is not None:
                cpu["anvil"] = _proc_cpu(an._proc.pid)
        for p in procs:
            os.kill(p.pid, signal.SIGTERM)
            p.wait(timeout=20)
        server.shutdown()
        an.stop()
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--skip-gas", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--backends", default="arkworks",
                    help="BLS backends to run the latency with, comma-separated (arkworks, py-ecc)")  # fmt: skip
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if not a.skip_gas:
            g = gas(home)
            print("| signers (of 5) | gas of `anchorWitnessed` (anvil) |\n|---|---|")
            for k, v in enumerate(g, 1):
                print(f"| {k} | {v:,} |")
        if not a.skip_latency:
            print(f"\nload average at the start {os.getloadavg()[0]:.1f} (shared machine: read CPU "
                  "time and the two backends' ratio)")  # fmt: skip
            for backend in a.backends.split(","):
                os.environ[bls12381.ENV] = bls12381.curve(backend).name
                cpu: dict[str, float] = {}
                cpu0, t0 = time.process_time(), time.perf_counter()
                (home / backend).mkdir()
                lat = latency(home / backend, a.samples, cpu)
                print(f"\n{backend}: record accepted → anchored with a 3-of-5 quorum (anvil, "
                      f"{len(lat)} samples, {time.perf_counter() - t0:.1f} s, load average now "
                      f"{os.getloadavg()[0]:.1f}):")  # fmt: skip
                print(f"median {statistics.median(lat):.2f} s, max {max(lat):.2f} s, all "
                      + ", ".join(f"{x:.1f}" for x in lat))  # fmt: skip
                print(f"CPU over the run: this process (API, sealer, anchorer) "
                      f"{time.process_time() - cpu0:.1f} s, five witnesses "
                      f"{cpu.get('witnesses', 0):.1f} s, anvil {cpu.get('anvil', 0):.1f} s")  # fmt: skip

if __name__ == "__main__":
    main()
