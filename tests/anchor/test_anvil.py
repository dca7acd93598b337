"""The anvil backend and the worker's fault handling on a real local node.

Each test starts its own anvil on a free 127.0.0.1 port in a temporary directory; the
``make_anvil`` fixture stops every one of them by PID.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_account import Account

from anchor import tx
from anchor.backends import ANVIL_DEV_KEY, AnvilBackend, Chain, RpcBackend
from anchor.commands import chain as chain_cmd
from anchor.deploy import Deployment, deploy
from anchor.errors import AnchorError, InsufficientFunds, NotAnchorer, WrongChain
from anchor.reader import ChainReader
from anchor.worker import Anchorer, AnchorSettings, Sealer
from ledger import batcher
from ledger.config import load
from ledger.core.keys import SigningKey
from tests.anchor.conftest import Ledger, TrackedAnvil, assert_on_chain, free_port, needs_anvil

MakeAnvil = Callable[..., TrackedAnvil]


def _deployed(make_anvil: MakeAnvil, **kw: object) -> tuple[TrackedAnvil, Deployment]:
    an = make_anvil(**kw)
    return an, deploy(an.connect())


def _anchorer(ledger: Ledger, an: AnvilBackend, contract: str, **settings: object) -> Anchorer:
    cfg = ledger.config(an.home, backend="anvil", anvil_port=an.port, contract=contract)
    s = AnchorSettings.from_config(cfg, **settings)
    return Anchorer(ledger.store, cfg, an, settings=s)


def _wait(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _check_all_anchored(ledger: Ledger, an: AnvilBackend, contract: str) -> None:
    """Every local batch is anchored, in a canonical block, with the root the contract holds."""
    reader = ChainReader(an.connect().w3)
    local = batcher.batches(ledger.store, limit=1000)
    assert local and all(b.state == "anchored" for b in local), [(b.batch_no, b.state) for b in local]
    assert reader.batch_count(contract) == len(local)
    for b in local:
        assert_on_chain(reader, contract, b)
        assert reader.confirmations(b.block_number or 0, b.block_hash or "") >= 1


def test_missing_binary_names_setup_script(tmp_path: Path) -> None:
    b = AnvilBackend(tmp_path, port=free_port(), binary=tmp_path / "no-anvil")
    with pytest.raises(AnchorError, match="scripts/setup.sh"):
        b.connect()
    assert not b.pid_file.exists()


@needs_anvil
def test_deploy_cli_persistence_and_restart(ledger: Ledger, make_anvil: MakeAnvil,
                                           tmp_path: Path, root_key: SigningKey,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SITELEDGER_OPERATOR_KEY", root_key.seed.hex())
    home = tmp_path / "home"
    home.mkdir()
    an = make_anvil(home=home)
    (home / "config.toml").write_text(
        f'[database]\nurl = "{ledger.url}"\n\n[chain]\nbackend = "anvil"\n'
        f"anvil_port = {an.port}\n# contract = \"0x...\"\n"
    )
    pid = an.start()
    assert an.pid_file.read_text().strip() == str(pid) and an.running_pid() == pid

    result = CliRunner().invoke(chain_cmd, ["deploy"], obj={"config": load(home)})
    assert result.exit_code == 0, result.output
    cfg = load(home)
    assert cfg.chain.contract and cfg.chain.chain_id == 31337
    assert cfg.chain.deployment_block == 1
    assert f"contract  {cfg.chain.contract}" in result.output
    assert an.running_pid() == pid  # the command reused the running anvil
    again = CliRunner().invoke(chain_cmd, ["deploy"], obj={"config": cfg})
    assert again.exit_code == 0 and "already deployed" in again.output

    a = Anchorer(ledger.store, cfg, an)
    ledger.add(3)
    r = a.run_once(force_seal=True)
    assert r.anchored == [0], r.lines()
    b0 = batcher.batch(ledger.store, 0)
    assert b0 is not None

    assert an.stop() is True  # SIGTERM by PID: anvil writes its state file on the way out
    assert an.running_pid() is None and not an.pid_file.exists()
    assert an.state_file.exists()

    pid2 = an.start()
    assert pid2 != pid and an.running_pid() == pid2
    reader = ChainReader(an.connect().w3)
    assert_on_chain(reader, cfg.chain.contract, b0)
    assert reader.confirmations(b0.block_number or 0, b0.block_hash or "") >= 1
    ledger.add(2)
    r = a.run_once(force_seal=True)
    assert r.reorged == [] and r.anchored == [1], r.lines()
    _check_all_anchored(ledger, an, cfg.chain.contract)

    status = CliRunner().invoke(chain_cmd, ["status"], obj={"config": cfg})
    assert status.exit_code == 0, status.output
    assert f"pid {pid2}" in status.output and "2 batches, next seq" in status.output
    assert "account is an anchorer" in status.output
    a.close()


@needs_anvil
def test_node_killed_mid_anchoring(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    an, d = _deployed(make_anvil)
    a = _anchorer(ledger, an, d.contract)
    ledger.add(2)
    assert a.run_once(force_seal=True).anchored == [0]
    ledger.add(2)
    batcher.seal(ledger.store, force=True)
    before = an.state_file.stat().st_mtime_ns if an.state_file.exists() else 0
    a.run_once()  # batch 1 goes out ...
    # ... and the node dies right after a periodic dump (never during one), so the state file is
    # whole but may or may not hold batch 1's block
    _wait(lambda: an.state_file.exists() and an.state_file.stat().st_mtime_ns != before, 5,
          "anvil's periodic state dump")  # fmt: skip
    an.kill()
    assert an.running_pid() is None

    ledger.add(2)  # ingestion goes on while the node is down
    r = a.run_until_anchored(timeout=30)  # restarts anvil from its state file
    assert r.waiting == 0, r.lines()
    _check_all_anchored(ledger, an, d.contract)
    a.close()


@needs_anvil
def test_reorg_is_detected_and_reanchored(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    an, d = _deployed(make_anvil)
    a = _anchorer(ledger, an, d.contract)
    ledger.add(4)
    snapshot = an.rpc("evm_snapshot")
    assert a.run_once(force_seal=True).anchored == [0]
    old = batcher.batch(ledger.store, 0)
    assert old is not None and old.state == "anchored"

    assert an.rpc("evm_revert", snapshot) is True  # the anchoring block is gone ...
    for _ in range(3):
        an.rpc("evm_mine")  # ... and other blocks now stand at its height
    reader = ChainReader(an.connect().w3)
    assert reader.confirmations(old.block_number or 0, old.block_hash or "") == 0
    assert reader.batch_count(d.contract) == 0

    r = a.run_once()
    assert r.reorged == [0] and [n for n, _ in r.sent] == [0] and r.anchored == [0]
    new = batcher.batch(ledger.store, 0)
    assert new is not None and new.state == "anchored" and new.attempts == 2
    assert new.block_hash != old.block_hash
    _check_all_anchored(ledger, an, d.contract)
    a.close()


@needs_anvil
def test_rpc_unreachable_then_back(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    an, d = _deployed(make_anvil)
    an.stop()  # the node is down (its state, with the contract, is on disk)
    cfg = ledger.config(an.home, backend="rpc", rpc_url=an.url, contract=d.contract)
    cfg = dataclasses.replace(cfg, batch_max_size=2)  # seal by size: no clock involved
    a = Anchorer(ledger.store, cfg, RpcBackend(an.url, key=ANVIL_DEV_KEY, timeout=2),
                 settings=AnchorSettings(poll_seconds=0.05, backoff_max=0.3))  # fmt: skip
    ledger.add(2)
    stop = threading.Event()
    worker = threading.Thread(target=a.run_forever, args=(stop,), daemon=True)
    sealer = threading.Thread(target=Sealer(ledger.store, cfg).run_forever, args=(stop,),
                              daemon=True)  # fmt: skip
    worker.start()
    sealer.start()
    try:
        _wait(lambda: a.failures >= 3, 10, "three failed passes")
        assert "unreachable" in (a.last_error or "")
        ledger.add(2)  # ingestion is unaffected while the chain is down
        _wait(lambda: batcher.pending_count(ledger.store) == 0, 10, "sealing")  # sealing too
        counts = batcher.count_by_state(ledger.store)
        assert counts["anchored"] == 0 and counts["sealed"] >= 2

        an.start()  # the node comes back with its state
        _wait(lambda: batcher.count_by_state(ledger.store) == {
            "sealed": 0, "anchoring": 0, "anchored": sum(counts.values()), "reorged": 0},
            15, "anchoring")  # fmt: skip
        assert a.failures == 0 and a.last_error is None
    finally:
        stop.set()
        worker.join(10)
        sealer.join(10)
    assert not worker.is_alive() and not sealer.is_alive()
    _check_all_anchored(ledger, an, d.contract)


@needs_anvil
def test_wrong_chain_id(ledger: Ledger, make_anvil: MakeAnvil, tmp_path: Path) -> None:
    an, d = _deployed(make_anvil)
    with pytest.raises(WrongChain, match=r"serves chain id 31337, but the configuration says "
                                         r"chain_id = 1\b"):  # fmt: skip
        RpcBackend(an.url, chain_id=1, key=ANVIL_DEV_KEY).connect()
    cfg = ledger.config(an.home, backend="rpc", rpc_url=an.url, chain_id=1, contract=d.contract)
    a = Anchorer(ledger.store, cfg, RpcBackend(an.url, chain_id=1, key=ANVIL_DEV_KEY))
    ledger.add(1)
    with pytest.raises(WrongChain):
        a.run_once(force_seal=True)
    assert batcher.batch(ledger.store, 0).state == "sealed"  # type: ignore[union-attr]
    a.close()
    # an anvil started with the configured chain id passes
    other = make_anvil(home=tmp_path / "other", chain_id=4242)
    assert other.connect().chain_id == 4242
    # and one home's anvil is not silently reused on another port
    with pytest.raises(AnchorError, match="does not listen on port"):
        make_anvil(home=tmp_path / "other").start()


@needs_anvil
def test_unfunded_account(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    an, d = _deployed(make_anvil)
    chain = an.connect()
    poor = Account.create()
    c = ChainReader(chain.w3).contract(d.contract)
    grant = tx.sign(chain, to=c.address, data=c.encode_abi("grantAnchorer", args=[poor.address]),
                    nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                    fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, grant)
    assert tx.wait_receipt(chain.w3, grant.tx_hash, 10)["status"] == 1

    poor_backend = make_anvil(home=an.home, port=an.port, key="0x" + poor.key.hex(), fund=False)
    a = _anchorer(ledger, poor_backend, d.contract)
    ledger.add(2)
    with pytest.raises(InsufficientFunds, match=rf"{poor.address} holds 0 wei.*fund the account"):
        a.run_once(force_seal=True)
    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.state == "sealed" and "holds 0 wei" in (b.last_error or "")
    with pytest.raises(InsufficientFunds):
        a.run_once()  # still sealed, still the same clear error
    assert tx.nonce(chain.w3, poor.address) == 0  # nothing was ever sent

    an.rpc("anvil_setBalance", poor.address, hex(10**18))
    r = a.run_once()
    assert r.anchored == [0]
    _check_all_anchored(ledger, an, d.contract)
    a.close()


@needs_anvil
def test_dropped_stuck_and_pipelined(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    an, d = _deployed(make_anvil)
    a = _anchorer(ledger, an, d.contract, stuck_after=3600.0, max_pending=4, settle_seconds=0.0)
    w3 = an.connect().w3
    an.rpc("evm_setAutomine", False)
    for _ in range(3):
        ledger.add(1)
        batcher.seal(ledger.store, force=True)

    r = a.run_once()  # three transactions in flight with consecutive nonces
    assert [n for n, _ in r.sent] == [0, 1, 2] and r.mined == []
    pending = batcher.pending_txs(ledger.store)
    assert [p.nonce for p in pending] == [pending[0].nonce + i for i in range(3)]

    an.rpc("anvil_dropAllTransactions")  # the node forgets them
    r = a.run_once()
    assert [n for n, _ in r.rebroadcast] == [0, 1, 2] and r.sent == []
    assert all(tx.pending_tx(w3, p.tx_hash) is not None for p in pending)

    old_fees = [tx.Fees.of_tx(w3.eth.get_transaction(p.tx_hash)) for p in pending]  # type: ignore[arg-type]
    a.settings = dataclasses.replace(a.settings, stuck_after=0.0)  # now they count as stuck
    r = a.run_once()
    assert [n for n, _ in r.replaced] == [0, 1, 2]
    replaced = batcher.pending_txs(ledger.store)
    for old, new, fees in zip(pending, replaced, old_fees, strict=True):
        assert new.nonce == old.nonce and new.tx_hash != old.tx_hash
        assert tx.pending_tx(w3, old.tx_hash) is None  # the node swapped it for the new one
        new_fees = tx.Fees.of_tx(w3.eth.get_transaction(new.tx_hash))  # type: ignore[arg-type]
        assert new_fees.max_fee is not None and fees.max_fee is not None
        assert new_fees.tip is not None and fees.tip is not None
        assert new_fees.max_fee >= fees.max_fee * 1.25 and new_fees.tip >= fees.tip * 1.25
    a.settings = dataclasses.replace(a.settings, stuck_after=3600.0)

    an.rpc("evm_mine")
    r = a.run_once()
    assert sorted(r.anchored) == [0, 1, 2]
    assert [b.tx_hash for b in batcher.batches(ledger.store)] == [p.tx_hash for p in replaced]
    _check_all_anchored(ledger, an, d.contract)
    a.close()


@needs_anvil
def test_port_taken(make_anvil: MakeAnvil, tmp_path: Path) -> None:
    first = make_anvil(home=tmp_path / "one")
    first.start()
    second = make_anvil(home=tmp_path / "two", port=first.port)
    with pytest.raises(AnchorError, match=f"port {first.port} on 127.0.0.1 is taken"):
        second.start()
    assert not second.pid_file.exists()
    assert os.path.exists(first.pid_file)


def test_config_toml_is_what_deploy_writes(tmp_path: Path) -> None:
    """``load`` reads back what ``write_chain_config`` writes (the keys `chain deploy` sets)."""
    from anchor.deploy import write_chain_config

    write_chain_config(tmp_path, {"contract": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                                  "deployment_block": 1, "chain_id": 31337})  # fmt: skip
    cfg = load(tmp_path)
    assert (cfg.chain.contract, cfg.chain.deployment_block, cfg.chain.chain_id) == (
        "0x5FbDB2315678afecb367f032d93F642f64180aa3", 1, 31337)  # fmt: skip
    assert tomllib.loads((tmp_path / "config.toml").read_text())["chain"]["chain_id"] == 31337


ANVIL_DEV_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


@needs_anvil
def test_reverted_transaction_is_sent_again(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    """Our anchor reverts (the role was revoked just before it): the worker forgets that
    transaction, says clearly why it cannot send, and anchors once the role is back."""
    an, d = _deployed(make_anvil)
    chain = an.connect()
    c = ChainReader(chain.w3).contract(d.contract)
    admin = Chain(chain.w3, Account.from_key(ANVIL_DEV_KEY_1), chain.chain_id, "anvil")

    def call(sender: Chain, fn: str, arg: str, tip: int | None = None) -> str:
        fees = tx.suggest_fees(chain.w3, tip=tx.Wei(tip) if tip else None)
        signed = tx.sign(sender, to=c.address, data=c.encode_abi(fn, args=[arg]), gas=100_000,
                         nonce=tx.nonce(chain.w3, sender.address), fees=fees)  # fmt: skip
        tx.broadcast(chain.w3, signed)
        return signed.tx_hash

    tx.wait_receipt(chain.w3, call(chain, "transferAdmin", admin.address), 10)
    a = _anchorer(ledger, an, d.contract, settle_seconds=0.0)
    an.rpc("evm_setAutomine", False)
    ledger.add(1)
    r = a.run_once(force_seal=True)
    assert [n for n, _ in r.sent] == [0]
    (ours,) = batcher.pending_txs(ledger.store)
    revoke = call(admin, "revokeAnchorer", chain.address, tip=100 * tx.GWEI)  # mined first
    an.rpc("evm_mine")
    assert tx.receipt(chain.w3, revoke)["status"] == 1
    assert tx.receipt(chain.w3, ours.tx_hash)["status"] == 0

    with pytest.raises(NotAnchorer, match="grantAnchorer"):
        a.run_once()
    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.state == "sealed" and b.tx_hash is None
    assert "is not an anchorer" in (b.last_error or "")

    an.rpc("evm_setAutomine", True)
    tx.wait_receipt(chain.w3, call(admin, "grantAnchorer", chain.address), 10)
    r = a.run_once()
    assert r.anchored == [0]
    _check_all_anchored(ledger, an, d.contract)
    a.close()


@needs_anvil
def test_frozen_node_does_not_stop_sealing(ledger: Ledger, make_anvil: MakeAnvil) -> None:
    """The node is frozen (SIGSTOP of the anvil this test started, by PID) for 30 s while
    records keep arriving: the Sealer keeps sealing every batch within the maximum age although
    the Anchorer is stuck in a request to the frozen node; once the node runs again (SIGCONT),
    every batch is anchored."""
    an, d = _deployed(make_anvil)
    max_age = timedelta(seconds=2)
    cfg = dataclasses.replace(
        ledger.config(an.home, backend="anvil", anvil_port=an.port, contract=d.contract),
        batch_max_age=max_age,
    )
    base, t0 = ledger.store.clock(), time.monotonic()
    ledger.store.clock = lambda: base + timedelta(seconds=time.monotonic() - t0)  # wall time
    a = Anchorer(ledger.store, cfg, an, settings=AnchorSettings(poll_seconds=0.2, backoff_max=1.0))
    sealer = Sealer(ledger.store, cfg)
    stop = threading.Event()
    threads = [threading.Thread(target=w.run_forever, args=(stop,), daemon=True)
               for w in (sealer, a)]  # fmt: skip
    for t in threads:
        t.start()
    pid = an.running_pid()
    assert pid is not None
    frozen = False
    try:
        ledger.add(1)
        _wait(lambda: batcher.count_by_state(ledger.store)["anchored"] == 1, 20, "first anchor")
        os.kill(pid, signal.SIGSTOP)
        frozen = True
        first_frozen = batcher.count_by_state(ledger.store)
        until = time.monotonic() + 30
        while time.monotonic() < until:
            ledger.add(1)
            time.sleep(0.7)
        during = batcher.batches(ledger.store, after=0, limit=1000)
        counts = batcher.count_by_state(ledger.store)
        waiting = batcher.pending_count(ledger.store)
        os.kill(pid, signal.SIGCONT)
        frozen = False

        # sealed while frozen, each within the maximum age (plus one sealing interval and
        # scheduling on a loaded machine), and nothing left waiting longer than that
        assert len(during) >= 10, [(b.batch_no, b.sealed_at) for b in during]
        slack = timedelta(seconds=1.5)
        for b in during:
            first = ledger.store.entry(b.first_seq)
            assert first is not None
            age = b.sealed_at - first.entry.received_at
            assert age <= max_age + slack, (b.batch_no, age)
        assert waiting <= 3  # at most the entries of the last ~2 s
        assert counts["anchored"] == first_frozen["anchored"] == 1  # the chain was frozen

        total = len(batcher.batches(ledger.store, limit=1000))
        _wait(lambda: batcher.count_by_state(ledger.store)["anchored"] >= total, 60,
              "anchoring after the node resumed")  # fmt: skip
    finally:
        if frozen:
            os.kill(pid, signal.SIGCONT)
        stop.set()
        for t in threads:
            t.join(40)
    assert not any(t.is_alive() for t in threads)
    last = Anchorer(ledger.store, cfg, an)  # what the last moments sealed or added
    assert last.run_until_anchored(30).waiting == 0
    last.close()
    _check_all_anchored(ledger, an, d.contract)


@needs_anvil
def test_deploy_replaces_a_version_1_contract(make_anvil: MakeAnvil, tmp_path: Path,
                                              root_key: SigningKey,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """`chain deploy` with a version 1 contract configured: on anvil a version 2 one is deployed
    (with a note); on another backend it asks for --force."""
    monkeypatch.setenv("SITELEDGER_OPERATOR_KEY", root_key.seed.hex())
    home = tmp_path / "home"
    home.mkdir()
    an = make_anvil(home=home)
    old = deploy(an.connect(), registry=1)
    (home / "config.toml").write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "x.sqlite"}"\n\n[chain]\nbackend = "anvil"\n'
        f'anvil_port = {an.port}\ncontract = "{old.contract}"\n'
    )
    result = CliRunner().invoke(chain_cmd, ["deploy"], obj={"config": load(home)})
    assert result.exit_code == 0, result.output
    assert "is AnchorRegistry version 1, not version 2" in result.output
    cfg = load(home)
    assert cfg.chain.contract != old.contract
    assert ChainReader(an.connect().w3).registry(cfg.chain.contract or "") == 2

    rpc = dataclasses.replace(cfg, chain=dataclasses.replace(cfg.chain, backend="rpc",
                                                             rpc_url=an.url, contract=old.contract))  # fmt: skip
    monkeypatch.setenv("SITELEDGER_ANCHOR_KEY", ANVIL_DEV_KEY)
    result = CliRunner().invoke(chain_cmd, ["deploy"], obj={"config": rpc})
    assert result.exit_code != 0 and "use --force" in str(result.exception), result.output
