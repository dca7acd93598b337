"""The read-only ChainReader: both registry versions (batches, commitments and claims, Anchored
events), confirmations, and its failures."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from anchor import tx
from anchor.backends import Chain, EmbeddedBackend
from anchor.deploy import Deployment, deploy
from anchor.errors import AnchorError, ChainUnavailable, WrongChain
from anchor.reader import (
    AnchorEvent,
    BatchClaim,
    ChainReader,
    OnChainBatch,
    batch_commitment,
    to_hex32,
)
from tests.anchor.conftest import free_port

ROOT = bytes.fromhex("aa" * 32)
HEADS = bytes.fromhex("bb" * 32)


def _anchor(chain: Chain, contract: str, batch_no: int, first: int, size: int, root: bytes,
            heads: bytes | None = HEADS) -> str:  # fmt: skip
    """Send an anchor (version 2 with ``heads``, version 1 with ``heads=None``)."""
    c = ChainReader(chain.w3).contract(contract)
    args = [batch_no, first, size, root] + ([heads] if heads is not None else [])
    signed = tx.sign(chain, to=c.address, data=c.encode_abi("anchor", args=args),
                     nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    tx.wait_receipt(chain.w3, signed.tx_hash, 10)
    return signed.tx_hash


@pytest.fixture
def deployed(embedded: EmbeddedBackend) -> tuple[Chain, Deployment, ChainReader]:
    chain = embedded.connect()
    return chain, deploy(chain), ChainReader(chain.w3)


def test_claims_and_event(deployed: tuple[Chain, Deployment, ChainReader],
                          embedded: EmbeddedBackend) -> None:  # fmt: skip
    chain, d, reader = deployed
    assert reader.registry(d.contract) == 2
    assert reader.commitment(d.contract, 0) is None
    h0 = _anchor(chain, d.contract, 0, 0, 5, ROOT)
    h1 = _anchor(chain, d.contract, 1, 5, 1000, bytes(32), HEADS)
    receipt = chain.w3.eth.get_transaction_receipt(h1)  # type: ignore[arg-type]
    block = chain.w3.eth.get_block(receipt["blockNumber"])
    at = datetime.fromtimestamp(block["timestamp"], UTC)

    claim = BatchClaim(1, 5, 1000, bytes(32), HEADS, receipt["blockNumber"], at)
    assert reader.check_batch(d.contract, claim) is True
    assert reader.commitment(d.contract, 1) == claim.commitment() == batch_commitment(
        bytes(32), HEADS, 5, 1000, receipt["blockNumber"], int(block["timestamp"]))  # fmt: skip
    wrong = [
        replace(claim, first_seq=4), replace(claim, size=999), replace(claim, root=ROOT),
        replace(claim, heads_root=ROOT), replace(claim, block_number=claim.block_number - 1),
        replace(claim, block_time=at + timedelta(seconds=1)), replace(claim, batch_no=0),
        replace(claim, size=2**64),  # no uint64: refused without asking
        replace(claim, root=b"\x00" * 31),  # not 32 bytes
    ]
    for bad in wrong:
        assert reader.check_batch(d.contract, bad) is False, bad
    assert reader.check_batch(d.contract, replace(claim, batch_no=2)) is None  # not anchored
    assert reader.commitment(d.contract, 2) is None and reader.commitment(d.contract, -1) is None
    with pytest.raises(AnchorError, match="stores a commitment per batch"):
        reader.batch(d.contract, 0)

    ev = reader.anchor_event(d.contract, h1)
    assert ev == AnchorEvent(
        batch_no=1, first_seq=5, size=1000, root=bytes(32), tx_hash=h1,
        block_number=receipt["blockNumber"], block_hash=to_hex32(block["hash"]),
        block_time=at, contract=d.contract, chain_id=chain.chain_id, heads_root=HEADS,
        registry=2,
    )  # fmt: skip
    assert ev.claim() == claim
    assert reader.anchor_event(d.contract.lower(), h0, batch_no=0).root == ROOT
    with pytest.raises(AnchorError, match="no Anchored event for batch 1"):
        reader.anchor_event(d.contract, h0, batch_no=1)
    assert reader.find_anchor(d.contract, 1) == ev  # searched in the logs: no block is stored
    assert reader.find_anchor(d.contract, 2) is None

    assert reader.confirmations(ev.block_number, ev.block_hash) == 1
    embedded.mine(2)
    assert reader.confirmations(ev.block_number, ev.block_hash) == 3


def test_find_anchor_searches_back_in_windows(deployed: tuple[Chain, Deployment, ChainReader],
                                              embedded: EmbeddedBackend,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import anchor.reader

    chain, d, reader = deployed
    h0 = _anchor(chain, d.contract, 0, 0, 3, ROOT)
    embedded.mine(25)
    h1 = _anchor(chain, d.contract, 1, 3, 2, ROOT)
    embedded.mine(7)
    monkeypatch.setattr(anchor.reader, "LOG_CHUNK", 4)
    assert reader.find_anchor(d.contract, 0).tx_hash == h0  # type: ignore[union-attr]
    assert reader.find_anchor(d.contract, 1).tx_hash == h1  # type: ignore[union-attr]


def test_version_1_batch_and_event(embedded: EmbeddedBackend) -> None:
    """A registry version 1 contract (anchors made before version 2) is still read in full."""
    chain = embedded.connect()
    d = deploy(chain, registry=1)
    reader = ChainReader(chain.w3)
    assert reader.registry(d.contract) == 1
    assert reader.batch(d.contract, 0) is None
    h0 = _anchor(chain, d.contract, 0, 0, 5, ROOT, None)
    h1 = _anchor(chain, d.contract, 1, 5, 1000, bytes(32), None)
    receipt = chain.w3.eth.get_transaction_receipt(h1)  # type: ignore[arg-type]
    block = chain.w3.eth.get_block(receipt["blockNumber"])

    b1 = reader.batch(d.contract, 1)
    assert b1 == OnChainBatch(1, bytes(32), 5, 1000,
                              datetime.fromtimestamp(block["timestamp"], UTC),
                              receipt["blockNumber"])  # fmt: skip
    assert reader.batch(d.contract, 2) is None and reader.batch(d.contract, -1) is None

    ev = reader.anchor_event(d.contract, h1)
    assert ev == AnchorEvent(
        batch_no=1, first_seq=5, size=1000, root=bytes(32), tx_hash=h1,
        block_number=receipt["blockNumber"], block_hash=to_hex32(block["hash"]),
        block_time=b1.anchored_at, contract=d.contract, chain_id=chain.chain_id,
    )  # fmt: skip
    assert ev.heads_root is None and ev.registry == 1
    with pytest.raises(AnchorError, match="has no heads root"):
        ev.claim()
    assert ev.block_time.tzinfo is UTC
    with pytest.raises(WrongChain, match="version 1, not version 2"):
        reader.check_batch(d.contract, BatchClaim(1, 5, 1000, bytes(32), HEADS, 1, ev.block_time))
    assert reader.anchor_event(d.contract.lower(), h0, batch_no=0).root == ROOT
    with pytest.raises(AnchorError, match="no Anchored event for batch 1"):
        reader.anchor_event(d.contract, h0, batch_no=1)
    assert reader.find_anchor(d.contract, 1) == ev
    assert reader.find_anchor(d.contract, 2) is None

    assert reader.confirmations(ev.block_number, ev.block_hash) == 1
    embedded.mine(2)
    assert reader.confirmations(ev.block_number, ev.block_hash) == 3
    assert reader.head() == ev.block_number + 2
    assert reader.confirmations(ev.block_number, "0x" + "11" * 32) == 0  # not canonical
    assert reader.confirmations(ev.block_number + 50, ev.block_hash) == 0  # not reached


def test_event_errors(deployed: tuple[Chain, Deployment, ChainReader]) -> None:
    chain, d, reader = deployed
    with pytest.raises(AnchorError, match="unknown on chain"):
        reader.anchor_event(d.contract, "0x" + "22" * 32)
    # a transaction that failed (batch 5 is not the next one) is mined with status 0
    bad = _anchor(chain, d.contract, 5, 0, 1, ROOT)
    with pytest.raises(AnchorError, match="failed"):
        reader.anchor_event(d.contract, bad)
    # an Anchored event from another contract does not count
    other = deploy(chain)
    h = _anchor(chain, other.contract, 0, 0, 1, ROOT)
    old = deploy(chain, registry=1)  # nor does a version 1 event
    h_old = _anchor(chain, old.contract, 0, 0, 1, ROOT, None)
    with pytest.raises(AnchorError, match="no Anchored event"):
        reader.anchor_event(d.contract, h_old)
    assert reader.anchor_event(other.contract, h).contract == other.contract
    with pytest.raises(AnchorError, match="no Anchored event"):
        reader.anchor_event(d.contract, h)
    # the deployment transaction has no Anchored event either
    with pytest.raises(AnchorError, match="no Anchored event"):
        reader.anchor_event(d.contract, d.tx_hash)


def test_check_code(deployed: tuple[Chain, Deployment, ChainReader]) -> None:
    chain, d, reader = deployed
    assert reader.check_code(d.contract) == 2 and reader.check_code(d.contract, 2) == 2
    with pytest.raises(WrongChain, match="version 2, not version 1"):
        reader.check_code(d.contract, 1)
    with pytest.raises(WrongChain, match="no contract at"):
        reader.check_code(chain.address)  # an account, not a contract
    # code that is neither version (a contract deployed from other bytes) is not trusted
    from anchor import artifacts

    art = artifacts.load(2)
    runtime = art.deployed_bytecode[2:]
    patched = art.bytecode.replace(runtime, runtime[:-2] + ("00" if runtime[-2:] != "00" else "01"))
    h = chain.w3.eth.send_transaction({"from": chain.address, "data": patched})  # type: ignore[typeddict-item]
    other = chain.w3.eth.get_transaction_receipt(h)["contractAddress"]
    with pytest.raises(WrongChain, match="is not an AnchorRegistry of contracts/build"):
        reader.check_code(other)
    with pytest.raises(AnchorError, match="not a contract address"):
        reader.check_code("0x1234")


def test_unreachable_is_chain_unavailable() -> None:
    reader = ChainReader.from_url(f"http://127.0.0.1:{free_port()}", timeout=2)
    for call in (reader.head, reader.chain_id, lambda: reader.batch("0x" + "00" * 20, 0),
                 lambda: reader.anchor_event("0x" + "00" * 20, "0x" + "00" * 32)):  # fmt: skip
        with pytest.raises(ChainUnavailable, match="unreachable"):
            call()
    with pytest.raises(AnchorError, match="must start with http"):
        ChainReader.from_url("ftp://example.org")


def test_reader_imports_no_ledger_beyond_core_and_no_web3() -> None:
    code = (
        "import sys, anchor.reader\n"
        "bad = [m for m in sys.modules if (m.startswith('ledger') and m != 'ledger'"
        " and not m.startswith('ledger.core')) or m.startswith(('web3', 'sqlalchemy', 'eth_account'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
