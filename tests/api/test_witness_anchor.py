"""The anchorer with witnesses (issue 14): five witness services on 127.0.0.1 (four processes of
``python -m witness.cli run``, killed with SIGKILL and restarted; one in-process service whose
operator client forges an entry), the operator's API served over HTTP, and a real anvil.

Wait policy: one witness down and the forging one refusing -> anchored with a 3-of-5 quorum; a
late witness -> the anchorer waits, then anchors; k-1 answering -> not anchored, alert on
/metrics, sealing goes on; the killed witness restarted -> it serves the same cosignatures and
the waiting batches are anchored. Timeout policy: k-1 answering -> anchored after the timeout,
marked unwitnessed on chain and in the database.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from anchor.backends import ANVIL_BINARY
from anchor.deploy import deploy, set_witnesses
from anchor.errors import AnchorError
from anchor.reader import ChainReader, WitnessLog, chain_errors
from anchor.worker import Anchorer, AnchorSettings, Sealer
from ledger import batcher
from ledger.config import ChainConfig, Config, WitnessConfig
from ledger.core.entry import Entry
from witness.bls import WitnessKey
from witness.client import OperatorClient
from witness.core import Witness
from witness.quorum import WitnessSet, members_of
from witness.service import Service

from ..anchor.conftest import TrackedAnvil, free_port
from .conftest import World

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["supervision", "labour bureau", "bank", "contractor", "auditor"]

pytestmark = pytest.mark.skipif(not ANVIL_BINARY.exists(), reason="anvil is not installed")


class Forging(OperatorClient):
    """An operator client that hands its witness a changed entry (the witness must refuse)."""

    def entries(self, first_seq: int, size: int) -> list[Entry]:
        got = super().entries(first_seq, size)
        got[0] = dataclasses.replace(got[0], received_at=got[0].received_at.replace(year=2031))
        return got


@pytest.fixture
def operator(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    t.join(timeout=10)


@pytest.fixture
def anvil(tmp_path: Path) -> Iterator[TrackedAnvil]:
    an = TrackedAnvil(tmp_path / "chain-home", port=free_port())
    try:
        yield an
    finally:
        an.stop()
        for p in an.procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(timeout=10)


class Witnesses:
    """Witness i: a process (``start(i)``, ``kill(i)``) or the in-process forging service."""

    def __init__(self, tmp: Path, operator: str, token: str, chain_id: int, contract: str) -> None:
        self.tmp, self.operator, self.chain_id, self.contract = tmp, operator, chain_id, contract
        self.keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(5)]
        (tmp / "token").write_text(token + "\n")
        for i, k in enumerate(self.keys):
            if not (tmp / f"w{i}.key").exists():
                k.save(tmp / f"w{i}.key")
        self.ports = [free_port() for _ in range(5)]
        self.urls = [f"http://127.0.0.1:{p}" for p in self.ports]
        self.procs: dict[int, subprocess.Popen[str]] = {}
        self._servers: list[Any] = []
        self._stop = threading.Event()

    def wset(self, k: int = 3) -> WitnessSet:
        return members_of(NAMES, self.keys, k)

    def start(self, i: int) -> None:
        cmd = [sys.executable, "-m", "witness.cli", "run", "--key", str(self.tmp / f"w{i}.key"),
               "--data-dir", str(self.tmp / f"w{i}"), "--operator", self.operator,
               "--token-file", str(self.tmp / "token"), "--chain-id", str(self.chain_id),
               "--contract", self.contract, "--listen", f"127.0.0.1:{self.ports[i]}",
               "--interval", "0.2"]  # fmt: skip
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on "), line
        self.procs[i] = proc

    def start_forging(self, i: int) -> Service:
        w = Witness(self.keys[i], self.tmp / f"w{i}", self.chain_id,
                    bytes.fromhex(self.contract[2:]))  # fmt: skip
        token = (self.tmp / "token").read_text().strip()
        s = Service(w, Forging(self.operator, token), self.tmp / f"w{i}")
        srv = s.http_server("127.0.0.1", self.ports[i])
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        threading.Thread(target=s.run, args=(self._stop, 0.2), daemon=True).start()
        self._servers.append(srv)
        return s

    def kill(self, i: int) -> None:
        proc = self.procs.pop(i)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def cosignature(self, i: int, batch_no: int) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(f"{self.urls[i]}/v1/cosignatures/{batch_no}",
                                        timeout=5) as r:  # fmt: skip
                return dict(json.loads(r.read()))
        except urllib.error.HTTPError:
            return None

    def wait_signed(self, which: list[int], batch_no: int, timeout: float = 120) -> None:
        _wait(lambda: all(self.cosignature(i, batch_no) for i in which), timeout,
              f"witnesses {which} to sign batch {batch_no}")  # fmt: skip

    def stop(self) -> None:
        self._stop.set()
        for i in list(self.procs):
            self.kill(i)
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()


def _wait(cond: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _setup(world: World, tmp_path: Path, operator: str, anvil: TrackedAnvil, policy: str,
           timeout: float | None) -> tuple[Witnesses, str, Anchorer]:  # fmt: skip
    chain = anvil.connect()
    contract = deploy(chain).contract
    ws = Witnesses(tmp_path, operator, world.tokens["admin"], chain.chain_id, contract)
    set_witnesses(chain, contract, ws.wset(), allow_unwitnessed=policy == "timeout")
    (tmp_path / "set.json").write_text(json.dumps(ws.wset().to_json()))
    cfg = Config(home=tmp_path, database_url=str(world.store.engine.url),
                 chain=ChainConfig(backend="anvil", anvil_port=anvil.port, contract=contract),
                 witnesses=WitnessConfig(str(tmp_path / "set.json"), tuple(ws.urls), policy,
                                         timeout, request_timeout=2.0))  # fmt: skip
    settings = AnchorSettings.from_config(cfg, settle_seconds=5.0)
    return ws, contract, Anchorer(world.store, cfg, anvil, settings=settings)


def _metric(client: FlaskClient, name: str) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    line = next(ln for ln in text.splitlines() if ln.startswith(name + " "))
    return float(line.split()[1])


def test_wait_policy_faults(world: World, tmp_path: Path, operator: str, anvil: TrackedAnvil,
                            client: FlaskClient) -> None:  # fmt: skip
    ws, contract, anchorer = _setup(world, tmp_path, operator, anvil, "wait", None)
    reader = ChainReader(anvil.connect().w3)
    try:
        (b0,) = batcher.seal(world.store, force=True)
        forging = ws.start_forging(4)
        for i in (0, 2):
            ws.start(i)
        # witness 1 is down all along; witness 3 is late; witness 4 refuses the forged entry
        ws.wait_signed([0, 2], 0)
        report = anchorer.run_once()
        assert report.witness_wait == 0 and not report.sent
        assert "2 of 5 witnesses signed, threshold 3" in (
            batcher.batch(world.store, 0).last_error or ""
        )
        assert _metric(client, "siteledger_witness_quorum_missing") == 1
        ws.start(3)  # the late one
        ws.wait_signed([3], 0)
        _wait(lambda: forging.refusal is not None, 60, "the forging witness to refuse")
        assert forging.refusal is not None and forging.refusal["check"] == "entries_root"
        report = anchorer.run_once()
        assert [n for n, _ in report.sent] == [0]
        anchorer.run_once()
        b0 = batcher.batch(world.store, 0)
        assert b0 is not None and b0.state == "anchored"
        rec = world.store.batch_witnesses(0)
        assert rec is not None and rec.status == "witnessed" and rec.bitmap == 0b01101
        assert reader.witness_log(contract, b0.tx_hash or "", 0) == WitnessLog(
            "witnessed", 1, 0b01101
        )
        assert _metric(client, "siteledger_witness_quorum_missing") == 0
        first = ws.cosignature(3, 0)

        # k-1 answering: witness 3 killed with SIGKILL -> batch 1 waits, sealing goes on
        ws.kill(3)
        world.append([world.punch(n=301)])
        (b1,) = batcher.seal(world.store, force=True)
        ws.wait_signed([0, 2], b1.batch_no)
        report = anchorer.run_once()
        assert report.witness_wait == b1.batch_no and not report.sent
        assert batcher.batch(world.store, b1.batch_no).state == "sealed"  # type: ignore[union-attr]
        assert _metric(client, "siteledger_witness_quorum_missing") == 1
        world.append([world.punch(n=302)])
        world.clock.advance(seconds=60)
        sealed = Sealer(world.store, anchorer.cfg).run_once()
        assert [b.batch_no for b in sealed] == [b1.batch_no + 1]  # sealing does not wait
        assert _metric(client, "siteledger_witness_wait_seconds") >= 60

        # witness 3 restarted: it replays the log, signs the same message again
        ws.start(3)
        ws.wait_signed([0, 2, 3], b1.batch_no + 1)
        assert ws.cosignature(3, 0) == first
        anchorer.run_until_anchored(60, force_seal=False)
        for n in (b1.batch_no, b1.batch_no + 1):
            b = batcher.batch(world.store, n)
            assert b is not None and b.state == "anchored"
            w = world.store.batch_witnesses(n)
            assert w is not None and w.status == "witnessed" and w.bitmap == 0b01101
        assert _metric(client, "siteledger_witness_quorum_missing") == 0
        # a database that lost the anchor and its witness record (restored from an old backup)
        # adopts it from chain: the quorum is read back from the transaction and checked
        batcher.mark_unsent(world.store, 0, "test: restored from a backup")
        world.store.forget_batch_witnesses(0)
        assert world.store.batch_witnesses(0) is None
        report = anchorer.run_once()
        assert [n for n, _ in report.adopted + report.mined] == [0]
        again = world.store.batch_witnesses(0)
        assert again is not None and (again.status, again.bitmap, again.signature) == (
            "witnessed", rec.bitmap, rec.signature)
        # a plain anchor is refused by the contract while the set is in force
        c = reader.contract(contract)
        with pytest.raises(AnchorError, match="QuorumRequired"), chain_errors("dry run"):
            c.functions.anchor(9, 0, 1, b"\0" * 32, b"\0" * 32).estimate_gas(
                {"from": anvil.connect().address})  # fmt: skip
    finally:
        anchorer.close()
        ws.stop()


def test_timeout_policy_marks_unwitnessed(world: World, tmp_path: Path, operator: str,
                                          anvil: TrackedAnvil) -> None:  # fmt: skip
    ws, contract, anchorer = _setup(world, tmp_path, operator, anvil, "timeout", 30.0)
    reader = ChainReader(anvil.connect().w3)
    try:
        (b0,) = batcher.seal(world.store, force=True)
        for i in (0, 1):
            ws.start(i)
        ws.wait_signed([0, 1], 0)
        report = anchorer.run_once()
        assert report.witness_wait == 0 and not report.sent  # not yet timed out
        world.clock.advance(seconds=31)
        anchorer.run_until_anchored(60, force_seal=False)
        b = batcher.batch(world.store, 0)
        assert b is not None and b.state == "anchored"
        rec = world.store.batch_witnesses(0)
        assert rec is not None and rec.status == "unwitnessed" and rec.bitmap is None
        assert rec.reason is not None and rec.reason.startswith("timeout after 30 s: 2 of 5")
        assert reader.witness_log(contract, b.tx_hash or "", 0) == WitnessLog("unwitnessed", 1)
    finally:
        anchorer.close()
        ws.stop()
