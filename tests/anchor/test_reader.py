"""The read-only ChainReader: batches, Anchored events, confirmations, and its failures."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from anchor import tx
from anchor.backends import Chain, EmbeddedBackend
from anchor.deploy import Deployment, deploy
from anchor.errors import AnchorError, ChainUnavailable, WrongChain
from anchor.reader import AnchorEvent, ChainReader, OnChainBatch, to_hex32
from tests.anchor.conftest import free_port

ROOT = bytes.fromhex("aa" * 32)


def _anchor(chain: Chain, contract: str, batch_no: int, first: int, size: int, root: bytes) -> str:
    c = ChainReader(chain.w3).contract(contract)
    signed = tx.sign(chain, to=c.address, data=c.encode_abi("anchor", args=[batch_no, first, size, root]),
                     nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    tx.wait_receipt(chain.w3, signed.tx_hash, 10)
    return signed.tx_hash


@pytest.fixture
def deployed(embedded: EmbeddedBackend) -> tuple[Chain, Deployment, ChainReader]:
    chain = embedded.connect()
    return chain, deploy(chain), ChainReader(chain.w3)


def test_batch_and_event(deployed: tuple[Chain, Deployment, ChainReader],
                         embedded: EmbeddedBackend) -> None:  # fmt: skip
    chain, d, reader = deployed
    assert reader.batch(d.contract, 0) is None
    h0 = _anchor(chain, d.contract, 0, 0, 5, ROOT)
    h1 = _anchor(chain, d.contract, 1, 5, 1000, bytes(32))
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
    assert ev.block_time.tzinfo is UTC
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
    assert reader.anchor_event(other.contract, h).contract == other.contract
    with pytest.raises(AnchorError, match="no Anchored event"):
        reader.anchor_event(d.contract, h)
    # the deployment transaction has no Anchored event either
    with pytest.raises(AnchorError, match="no Anchored event"):
        reader.anchor_event(d.contract, d.tx_hash)


def test_check_code(deployed: tuple[Chain, Deployment, ChainReader]) -> None:
    chain, d, reader = deployed
    reader.check_code(d.contract)
    with pytest.raises(WrongChain, match="no contract at"):
        reader.check_code(chain.address)  # an account, not a contract
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
