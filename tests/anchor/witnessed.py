"""A ledger whose batches are anchored with witnesses on a real chain (embedded or anvil): the
registry with witness sets, a 2-of-3 set that allows unwitnessed anchors, batches 0 and 2
anchored through ``anchorWitnessed`` with a quorum of witnesses 0 and 2, batch 1 through plain
``anchor`` (the timeout policy), each recorded in the store with its witnesses as the anchorer
records them (``ledger.batcher.mark_mined(witnesses=…)``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anchor import tx
from anchor.backends import Chain
from anchor.deploy import deploy
from anchor.reader import ChainReader
from ledger import batcher
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import BatchWitnesses, Store
from tests.anchor.conftest import Ledger
from tests.conftest import ROOT_SEED, T0, Clock
from witness.bls import WitnessKey, aggregate, g1_eip2537, g2_eip2537
from witness.message import Commitment
from witness.quorum import members_of

KEYS = [WitnessKey.from_seed(bytes([0x51 + i]) * 32) for i in range(3)]
NAMES = ["监理单位", "劳动保障监察大队", "工资专用账户开户银行"]
REASON = "timeout after 60 s: 1 of 3 witnesses signed, threshold 2"


def send(chain: Chain, address: str, data: str, gas: int = 8_000_000) -> dict[str, Any]:
    signed = tx.sign(chain, to=address, data=data, nonce=tx.nonce(chain.w3, chain.address),
                     gas=gas, fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = dict(tx.wait_receipt(chain.w3, signed.tx_hash, 60))
    assert receipt["status"] == 1
    receipt["hash"] = signed.tx_hash
    return receipt


def witnessed_ledger(tmp: Path, chain: Chain) -> tuple[Store, dict[int, int]]:
    """The store and, per batch number, the seq of its last entry."""
    root = SigningKey(ROOT_SEED)
    store = Store(make_engine(f"sqlite:///{tmp / 'l.sqlite'}"), root,
                  clock=Clock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))  # fmt: skip
    store.create_schema()
    store.genesis(root, valid_from=T0.replace(month=8))
    site = SampleSite(root)
    store.append(site.setup(T0))
    Ledger(store, site, "").add(6)
    batcher.seal(store, max_size=(store.head() + 2) // 3, force=True)
    batches = batcher.batches(store, limit=100)
    assert len(batches) == 3
    d = deploy(chain, registry=2)
    c = ChainReader(chain.w3).contract(d.contract)
    wset = members_of(NAMES, KEYS, 2)
    send(chain, d.contract, c.encode_abi("setWitnesses", args=[
        [g1_eip2537(k.public_key) for k in KEYS], [k.public_key for k in KEYS],
        [g2_eip2537(k.pop()) for k in KEYS], 2, True]))  # fmt: skip
    for b in batches:
        head = b.head(store.operator_key.key_id)
        args = [b.batch_no, b.first_seq, b.size, b.root, head.heads_root]
        if b.batch_no == 1:
            receipt = send(chain, d.contract, c.encode_abi("anchor", args=args))
            w = BatchWitnesses(b.batch_no, d.contract, "unwitnessed", wset.to_json(), reason=REASON)
        else:
            msg = Commitment(chain.chain_id, bytes.fromhex(d.contract[2:]), b.batch_no,
                             b.first_seq, b.size, b.root, head.heads_root).message()  # fmt: skip
            agg = aggregate([KEYS[0].sign(msg), KEYS[2].sign(msg)])
            receipt = send(chain, d.contract, c.encode_abi(
                "anchorWitnessed", args=[*args, 0b101, g2_eip2537(agg)]))  # fmt: skip
            w = BatchWitnesses(b.batch_no, d.contract, "witnessed", wset.to_json(), bitmap=0b101,
                               signature=agg)  # fmt: skip
        block = chain.w3.eth.get_block(receipt["blockNumber"])
        batcher.mark_mined(store, b.batch_no, tx_hash=receipt["hash"],
                           block_number=receipt["blockNumber"],
                           block_hash="0x" + bytes(receipt["blockHash"]).hex(),
                           block_time=datetime.fromtimestamp(block["timestamp"], UTC),
                           chain_id=chain.chain_id, contract=d.contract, registry=2,
                           witnesses=w)  # fmt: skip
        batcher.mark_anchored(store, b.batch_no)
    return store, {b.batch_no: b.first_seq + b.size - 1 for b in batches}
