"""The anchoring worker on the embedded chain: end to end, restarts, mismatches, lock, CLI."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from anchor import tx
from anchor.backends import EmbeddedBackend
from anchor.commands import anchor as anchor_cmd
from anchor.commands import chain as chain_cmd
from anchor.deploy import deploy
from anchor.errors import ChainMismatch, NotAnchorer, WrongChain
from anchor.lock import AnchorLock
from anchor.reader import ChainReader
from anchor.worker import Anchorer, AnchorSettings, Sealer
from ledger import batcher
from ledger.config import ChainConfig, Config
from ledger.core import merkle
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import Store
from tests.anchor.conftest import Ledger, assert_on_chain, heads_of
from tests.conftest import Clock


def _anchorer(ledger: Ledger, home: Path, backend: EmbeddedBackend, **kw: object) -> Anchorer:
    contract = kw.pop("contract", None)
    cfg = ledger.config(home, backend="embedded", **kw)
    return Anchorer(ledger.store, cfg, backend, contract=contract)  # type: ignore[arg-type]


def test_end_to_end(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path) -> None:
    a = _anchorer(ledger, tmp_path, embedded)
    ledger.add(20)
    r = a.run_once(force_seal=True)
    assert [b.batch_no for b in r.sealed] == [0]
    assert [n for n, _ in r.sent] == [0] and r.anchored == [0] and r.waiting == 0
    assert r.adopted == [] and r.reorged == []

    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.state == "anchored" and b.size == ledger.store.head()
    # the local root is the RFC 9162 root of the entries, and the contract holds exactly it
    leaves = [e.leaf_hash for e in ledger.store.entries(limit=b.size + 1)]
    assert len(leaves) == b.size and merkle.root(leaves) == b.root
    reader = ChainReader(embedded.connect().w3)
    assert a.contract is not None
    assert reader.registry(a.contract) == 2  # the worker deployed registry version 2
    assert b.registry == 2
    ev = assert_on_chain(reader, a.contract, b)  # event and commitment: root, heads root, range
    assert (b.chain_id, b.contract, b.attempts, b.last_error) == (
        ev.chain_id, a.contract, 1, None)  # fmt: skip

    # a second batch goes on after the first, and a pass with nothing to do does nothing
    ledger.add(3)
    r = a.run_once(force_seal=True)
    assert r.anchored == [1] and reader.batch_count(a.contract) == 2
    assert reader.next_seq(a.contract) == ledger.store.head()
    r = a.run_once()
    assert not r.did_something and r.waiting == 0
    a.close()


def test_seals_by_age(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path,
                      clock: Clock) -> None:  # fmt: skip
    a = _anchorer(ledger, tmp_path, embedded)
    sealer = Sealer(ledger.store, a.cfg)
    ledger.add(2)
    assert sealer.run_once() == []
    r = a.run_once()  # an anchoring pass never seals
    assert r.sealed == [] and r.sent == [] and r.waiting == 0
    clock.advance(seconds=6)  # older than batch.max_age (5 s)
    assert a.run_once().sealed == []
    assert [b.batch_no for b in sealer.run_once()] == [0]
    r = a.run_once()
    assert r.sealed == [] and r.anchored == [0]
    clock.advance(seconds=6)
    ledger.add(1)
    r = a.run_once(seal=True)  # one-shot callers may ask for a sealing pass first
    assert r.sealed == [] and r.waiting == 0  # the new entry is not due yet
    clock.advance(seconds=6)
    r = a.run_once(seal=True)
    assert [b.batch_no for b in r.sealed] == [1] and r.anchored == [1]
    a.close()


def test_sealer_interval_follows_max_age(ledger: Ledger, tmp_path: Path) -> None:
    cfg = ledger.config(tmp_path, backend="embedded")
    assert Sealer(ledger.store, cfg).interval == 0.5  # max_age 5 s
    fast = dataclasses.replace(cfg, batch_max_age=timedelta(seconds=1))
    assert Sealer(ledger.store, fast).interval == pytest.approx(0.1)
    assert Sealer(ledger.store, fast, interval=2.0).interval == 2.0


def test_confirmations(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path) -> None:
    a = _anchorer(ledger, tmp_path, embedded, confirmations=3)
    ledger.add(1)
    r = a.run_once(force_seal=True)
    assert r.mined and r.anchored == []
    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.state == "anchoring" and b.block_number is not None
    embedded.mine(1)
    assert a.run_once().anchored == []
    embedded.mine(1)
    assert a.run_once().anchored == [0]
    a.close()


def test_restart_after_send_before_record_adopts(ledger: Ledger, embedded: EmbeddedBackend,
                                                 tmp_path: Path) -> None:  # fmt: skip
    """A crash after the broadcast but before the database write: the next worker must find
    the anchor on chain and adopt it, never send a second transaction."""
    a = _anchorer(ledger, tmp_path, embedded)
    ledger.add(5)
    a.run_once(force_seal=True)  # batch 0 anchored; deploys the contract
    ledger.add(5)
    (b1,) = batcher.seal(ledger.store, force=True)
    chain = embedded.connect()
    c = ChainReader(chain.w3).contract(a.contract or "")
    signed = tx.sign(chain, to=c.address, nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     data=c.encode_abi("anchor", args=[1, b1.first_seq, b1.size, b1.root,
                                                       heads_of(b1)]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)  # ... and the process dies here
    a.close()
    nonce_before = tx.nonce(chain.w3, chain.address)

    restarted = _anchorer(ledger, tmp_path, embedded, contract=a.contract)
    r = restarted.run_once()
    assert r.sent == [] and r.adopted == [(1, signed.tx_hash)] and r.anchored == [1]
    assert tx.nonce(chain.w3, chain.address) == nonce_before  # nothing else was sent
    b = batcher.batch(ledger.store, 1)
    assert b is not None and b.state == "anchored" and b.tx_hash == signed.tx_hash
    restarted.close()


def test_restart_after_record_before_send_rebroadcasts(ledger: Ledger, embedded: EmbeddedBackend,
                                                       tmp_path: Path) -> None:  # fmt: skip
    """A crash after the database write but before the broadcast: the recorded transaction is
    unknown to the node, its nonce unused, so it is sent (once)."""
    a = _anchorer(ledger, tmp_path, embedded)
    ledger.add(5)
    (b0,) = batcher.seal(ledger.store, force=True)
    chain, _ = a.connect()  # deploys the contract
    nonce = tx.nonce(chain.w3, chain.address)
    c = ChainReader(chain.w3).contract(a.contract or "")
    signed = tx.sign(chain, to=c.address, nonce=nonce, gas=100_000,
                     data=c.encode_abi("anchor", args=[0, b0.first_seq, b0.size, b0.root,
                                                       heads_of(b0)]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    batcher.mark_anchoring(ledger.store, 0, tx_hash=signed.tx_hash, nonce=nonce,
                           chain_id=chain.chain_id, contract=c.address, registry=2)  # fmt: skip
    a.close()  # ... the process died before broadcasting

    restarted = _anchorer(ledger, tmp_path, embedded, contract=a.contract)
    r = restarted.run_once()
    assert [n for n, _ in r.rebroadcast] == [0] and r.sent == [] and r.anchored == [0]
    assert tx.nonce(chain.w3, chain.address) == nonce + 1
    restarted.close()


def test_root_mismatch_is_fatal(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    ledger.add(4)
    (b0,) = batcher.seal(ledger.store, force=True)
    c = ChainReader(chain.w3).contract(d.contract)
    signed = tx.sign(chain, to=c.address, nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     data=c.encode_abi("anchor", args=[0, 0, b0.size, b"\x01" * 32,
                                                       heads_of(b0)]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    a = _anchorer(ledger, tmp_path, embedded, contract=d.contract)
    with pytest.raises(ChainMismatch, match="do not belong together"):
        a.run_once()
    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.state == "sealed" and "anchored root 0101" in (b.last_error or "")
    a.close()


def test_heads_root_mismatch_is_fatal(ledger: Ledger, embedded: EmbeddedBackend,
                                      tmp_path: Path) -> None:  # fmt: skip
    """Same entries root and range, another head-map root: not this database's batch."""
    chain = embedded.connect()
    d = deploy(chain)
    ledger.add(4)
    (b0,) = batcher.seal(ledger.store, force=True)
    c = ChainReader(chain.w3).contract(d.contract)
    other = bytes(x ^ 0xFF for x in heads_of(b0))
    signed = tx.sign(chain, to=c.address, nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     data=c.encode_abi("anchor", args=[0, 0, b0.size, b0.root, other]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    a = _anchorer(ledger, tmp_path, embedded, contract=d.contract)
    with pytest.raises(ChainMismatch, match=f"heads root {other.hex()}"):
        a.run_once()
    assert batcher.batch(ledger.store, 0).state == "sealed"  # type: ignore[union-attr]
    a.close()


def test_version_1_contract_keeps_anchoring(ledger: Ledger, embedded: EmbeddedBackend,
                                            tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    """A configured version 1 contract (deployed before version 2) is still anchored in, the
    version 1 way (no heads root), with a warning; every batch records the version."""
    chain = embedded.connect()
    d = deploy(chain, registry=1)
    a = _anchorer(ledger, tmp_path, embedded, contract=d.contract)
    ledger.add(2)
    with caplog.at_level("WARNING", logger="siteledger.anchor"):
        assert a.run_once(force_seal=True).anchored == [0]
    assert "version 1: batches are anchored without their head-map roots" in caplog.text
    b = batcher.batch(ledger.store, 0)
    assert b is not None and b.registry == 1
    reader = ChainReader(chain.w3)
    on = reader.batch(d.contract, 0)
    assert on is not None and (on.root, on.first_seq, on.size) == (b.root, b.first_seq, b.size)
    ev = reader.anchor_event(d.contract, b.tx_hash or "")
    assert ev.registry == 1 and ev.heads_root is None
    # a restart that finds the anchor on chain adopts it the version 1 way
    ledger.add(1)
    (b1,) = batcher.seal(ledger.store, force=True)
    c = reader.contract(d.contract)
    signed = tx.sign(chain, to=c.address, nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     data=c.encode_abi("anchor", args=[1, b1.first_seq, b1.size, b1.root]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    a.close()
    again = _anchorer(ledger, tmp_path, embedded, contract=d.contract)
    assert again.run_once().adopted == [(1, signed.tx_hash)]
    again.close()


def test_range_mismatch_is_fatal(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    c = ChainReader(chain.w3).contract(d.contract)
    signed = tx.sign(chain, to=c.address, nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     data=c.encode_abi("anchor", args=[0, 0, 3, b"\x01" * 32, bytes(32)]),
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    ledger.add(4)
    batcher.seal(ledger.store, force=True)  # batch 0 ...
    ledger.add(1)
    batcher.seal(ledger.store, force=True)  # ... and batch 1, which the contract would start at 3
    a = _anchorer(ledger, tmp_path, embedded, contract=d.contract)
    with pytest.raises(ChainMismatch):
        a.run_once()
    assert batcher.batch(ledger.store, 1).state == "sealed"  # type: ignore[union-attr]
    a.close()


def test_wrong_chain_id(ledger: Ledger, tmp_path: Path) -> None:
    backend = EmbeddedBackend(chain_id=1)
    a = _anchorer(ledger, tmp_path, backend, chain_id=1)
    ledger.add(1)
    with pytest.raises(WrongChain, match=r"serves chain id 131277322940537.*chain_id = 1"):
        a.run_once(force_seal=True)
    assert batcher.batch(ledger.store, 0).state == "sealed"  # type: ignore[union-attr]
    a.close()


def test_not_anchorer(ledger: Ledger, embedded: EmbeddedBackend, tmp_path: Path) -> None:
    chain = embedded.connect()
    other = list(chain.w3.eth.accounts)[1]
    from anchor import artifacts

    art = artifacts.load()
    h = chain.w3.eth.contract(abi=art.abi, bytecode=art.bytecode).constructor().transact(
        {"from": other})  # fmt: skip
    address = chain.w3.eth.get_transaction_receipt(h)["contractAddress"]
    a = _anchorer(ledger, tmp_path, embedded, contract=address)
    ledger.add(1)
    with pytest.raises(NotAnchorer, match="grantAnchorer"):
        a.run_once(force_seal=True)
    a.close()


def test_one_anchorer_per_database(ledger: Ledger, embedded: EmbeddedBackend,
                                   tmp_path: Path) -> None:  # fmt: skip
    first = _anchorer(ledger, tmp_path, embedded)
    ledger.add(2)
    assert first.run_once(force_seal=True).anchored == [0]
    second = _anchorer(ledger, tmp_path, embedded, contract=first.contract)
    ledger.add(2)
    r = second.run_once(force_seal=True)
    assert r.standby and [b.batch_no for b in r.sealed] == [1] and r.sent == []
    assert "another process holds the anchoring lock" in "\n".join(r.lines())
    first.close()  # the lock goes with the process (here: with close)
    r = second.run_once()
    assert not r.standby and r.anchored == [1]
    second.close()


@pytest.mark.postgres
def test_advisory_lock_on_postgres() -> None:
    url = os.environ.get("SITELEDGER_TEST_DATABASE_URL")
    if not url:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    e1, e2 = make_engine(url), make_engine(url)
    one, two = AnchorLock(e1), AnchorLock(e2)
    try:
        assert one.acquire() and one.acquire()  # re-checking a held lock keeps it
        assert not two.acquire()
        one.release()
        assert two.acquire()
        assert not one.acquire()
    finally:
        one.release()
        two.release()
        e1.dispose()
        e2.dispose()


def test_settings_from_config(ledger: Ledger, tmp_path: Path) -> None:
    cfg = ledger.config(tmp_path, backend="embedded", confirmations=4, poll_seconds=0.5)
    s = AnchorSettings.from_config(cfg, max_pending=1)
    assert (s.confirmations, s.poll_seconds, s.max_pending) == (4, 0.5, 1)


def test_cli_anchor_and_status(ledger: Ledger, tmp_path: Path, root_key: SigningKey,
                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SITELEDGER_OPERATOR_KEY", root_key.seed.hex())
    cfg = ledger.config(tmp_path, backend="embedded")
    ledger.add(3)
    result = CliRunner().invoke(anchor_cmd, [], obj={"config": cfg})
    assert result.exit_code == 0, result.output
    assert "sealed batch 0" in result.output and "anchored batch 0" in result.output
    assert "0 batch(es) waiting" in result.output
    assert batcher.batch(ledger.store, 0).state == "anchored"  # type: ignore[union-attr]

    result = CliRunner().invoke(chain_cmd, ["status"], obj={"config": cfg})
    assert result.exit_code == 0, result.output
    assert "embedded" in result.output and "1 anchored" in result.output
    result = CliRunner().invoke(chain_cmd, ["deploy"], obj={"config": cfg})
    assert result.exit_code == 2 and "embedded chain" in result.output


def test_two_workers_one_database(store: Store, site: SampleSite, embedded: EmbeddedBackend,
                                  tmp_path: Path) -> None:  # fmt: skip
    """On each database (SQLite, and PostgreSQL when configured): the second worker stands by
    while the first holds the lock, and takes over when the first goes away."""
    cfg = Config(home=tmp_path, database_url="unused://", chain=ChainConfig(backend="embedded"))
    first = Anchorer(store, cfg, embedded)
    org = site.subs[0]
    store.append([site.enroll(f"w-{i}", org, "T-REBAR", date(2026, 10, 1)) for i in range(3)])
    assert first.run_once(force_seal=True).anchored == [0]
    second = Anchorer(store, cfg, embedded, contract=first.contract)
    store.append([site.enroll("w-9", org, "T-REBAR", date(2026, 10, 1))])
    r = second.run_once(force_seal=True)
    assert r.standby and r.sent == [] and r.waiting == 1
    first.close()
    assert second.run_once().anchored == [1]
    second.close()
    assert batcher.count_by_state(store) == {"sealed": 0, "anchoring": 0, "anchored": 2,
                                             "reorged": 0}  # fmt: skip


def test_migration_marks_existing_anchors_version_1(tmp_path: Path) -> None:
    """Batches anchored before ``batches.registry`` existed were anchored in version 1."""
    from sqlalchemy import text

    from ledger.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0003")
    engine = make_engine(url)
    with engine.begin() as conn:
        for no, contract in ((0, "0x" + "ab" * 20), (1, None)):
            conn.execute(text(
                "INSERT INTO batches (batch_no, first_seq, size, root, state, sealed_at, contract,"
                " attempts) VALUES (:n, :n, 1, :root, :state, 0, :c, 0)"),
                {"n": no, "root": bytes(32), "c": contract,
                 "state": "anchored" if contract else "sealed"})  # fmt: skip
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT batch_no, registry FROM batches ORDER BY 1")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(0, 1), (1, None)]
