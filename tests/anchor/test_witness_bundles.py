"""Witnessed batches end to end on the embedded chain (Prague, EIP-2537): anchored with a quorum
through ``anchorWitnessed`` (and one without, under the timeout policy), recorded in the store in
the anchoring transaction's row, written into bundles, and verified offline and on chain — the
check ``chain.witnesses`` compares the bundle with the contract's events and witness set."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from anchor import tx
from anchor.backends import Chain, EmbeddedBackend
from anchor.deploy import deploy
from anchor.reader import ChainReader
from ledger import batcher
from ledger.bundle import build_bundle
from ledger.store import BatchWitnesses
from tests.anchor.conftest import Ledger
from verifier import Status, Verdict, Verifier
from witness.bls import WitnessKey, aggregate, g1_eip2537, g2_eip2537
from witness.message import Commitment
from witness.quorum import members_of

KEYS = [WitnessKey.from_seed(bytes([0x51 + i]) * 32) for i in range(3)]
NAMES = ["监理单位", "劳动保障监察大队", "工资专用账户开户银行"]
REASON = "timeout after 60 s: 1 of 3 witnesses signed, threshold 2"


def _send(chain: Chain, address: str, data: str, gas: int = 8_000_000) -> dict[str, Any]:
    signed = tx.sign(chain, to=address, data=data, nonce=tx.nonce(chain.w3, chain.address),
                     gas=gas, fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = dict(tx.wait_receipt(chain.w3, signed.tx_hash, 60))
    assert receipt["status"] == 1
    receipt["hash"] = signed.tx_hash
    return receipt


@pytest.fixture(scope="module")
def witnessed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A ledger of three batches: 0 and 2 anchored with a 2-of-3 quorum, 1 without (the set
    allows unwitnessed anchors: the timeout policy)."""
    from ledger.core.keys import SigningKey
    from ledger.db import make_engine
    from ledger.sample import SampleSite
    from ledger.store import Store
    from tests.conftest import ROOT_SEED, T0, Clock

    tmp = tmp_path_factory.mktemp("wb")
    root = SigningKey(ROOT_SEED)
    store = Store(make_engine(f"sqlite:///{tmp / 'l.sqlite'}"), root,
                  clock=Clock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))  # fmt: skip
    store.create_schema()
    store.genesis(root, valid_from=T0.replace(month=8))
    site = SampleSite(root)
    store.append(site.setup(T0))
    led = Ledger(store, site, "")
    led.add(6)
    batcher.seal(store, max_size=(store.head() + 2) // 3, force=True)
    batches = batcher.batches(store, limit=100)
    assert len(batches) == 3
    chain = EmbeddedBackend().connect()
    d = deploy(chain, registry=2)
    reader = ChainReader(chain.w3)
    c = reader.contract(d.contract)
    wset = members_of(NAMES, KEYS, 2)
    _send(chain, d.contract, c.encode_abi("setWitnesses", args=[
        [g1_eip2537(k.public_key) for k in KEYS], [k.public_key for k in KEYS],
        [g2_eip2537(k.pop()) for k in KEYS], 2, True]))  # fmt: skip
    for b in batches:
        head = b.head(store.operator_key.key_id)
        args = [b.batch_no, b.first_seq, b.size, b.root, head.heads_root]
        if b.batch_no == 1:
            receipt = _send(chain, d.contract, c.encode_abi("anchor", args=args))
            w = BatchWitnesses(b.batch_no, d.contract, "unwitnessed", wset.to_json(), reason=REASON)
        else:
            msg = Commitment(chain.chain_id, bytes.fromhex(d.contract[2:]), b.batch_no,
                             b.first_seq, b.size, b.root, head.heads_root).message()  # fmt: skip
            agg = aggregate([KEYS[0].sign(msg), KEYS[2].sign(msg)])
            receipt = _send(chain, d.contract, c.encode_abi(
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
    # an entry of every batch: the key chain is in batch 0, the workers in 1 and 2
    seqs = {b.batch_no: b.first_seq + b.size - 1 for b in batches}
    yield store, reader, seqs
    store.engine.dispose()


def _verify(bundle: dict[str, Any], reader: Any) -> Any:
    return Verifier(reader).verify(copy.deepcopy(bundle))


def test_witnessed_bundle_is_valid_on_chain(witnessed: Any) -> None:
    store, reader, seqs = witnessed
    bundle = build_bundle(store, seqs[2])
    assert bundle["record"]["anchor"]["witnesses"]["status"] == "witnessed"
    r = _verify(bundle, reader)
    assert r.verdict is Verdict.VALID, r.failed
    c = r.check("chain.witnesses")
    assert c is not None and c.status is Status.PASSED, c
    assert "batch 2: witnessed under witness set 1" in c.detail
    assert "batch 2: confirmed by 2 of 3 witnesses (threshold 2): 监理单位, 工资专用账户开户银行" in (
        r.check("anchor.witnesses").detail  # type: ignore[union-attr]
    )


def test_unwitnessed_batch_is_valid_and_confirmed_by_the_contract(witnessed: Any) -> None:
    store, reader, seqs = witnessed
    bundle = build_bundle(store, seqs[1])
    assert bundle["record"]["anchor"]["witnesses"] == {"status": "unwitnessed", "set": 0,
                                                       "reason": REASON}  # fmt: skip
    r = _verify(bundle, reader)
    assert r.verdict is Verdict.VALID, r.failed
    assert "batch 1: unwitnessed under witness set 1" in r.check("chain.witnesses").detail  # type: ignore[union-attr]
    assert "batch 1: anchored WITHOUT a witness quorum" in r.check("anchor.witnesses").detail  # type: ignore[union-attr]


def _strip(bundle: dict[str, Any], batch_no: int) -> None:
    for item in [bundle["record"]] + bundle["keys"] + bundle["related"] + bundle["context"]:
        if item["batch"]["batch_no"] == batch_no:
            item["anchor"].pop("witnesses", None)


@pytest.mark.parametrize(("batch", "tamper", "detail"), [
    (1, "strip", "batch 1: the anchoring transaction"),  # hides "anchored without a quorum"
    (2, "strip", "says witnessed (a Witnessed event: a quorum signed it), the bundle says nothing"),
    (2, "threshold", "the contract's witness set 1 is not the bundle's"),
    (1, "witnessed", "the bundle says witnessed"),
])  # fmt: skip
def test_the_chain_catches_what_offline_cannot(
    witnessed: Any, batch: int, tamper: str, detail: str
) -> None:
    store, reader, seqs = witnessed
    bundle = build_bundle(store, seqs[batch])
    if tamper == "strip":
        _strip(bundle, batch)
        if not any("witnesses" in i["anchor"] for i in bundle["keys"] + [bundle["record"]]):
            bundle.pop("witness_sets")
    elif tamper == "threshold":  # threshold 1: the quorum of two still passes offline
        bundle["witness_sets"][0]["threshold"] = 1
    else:  # batch 1 claims batch 2's quorum: offline the signature fails too
        other = build_bundle(store, seqs[2])["record"]["anchor"]["witnesses"]
        for item in [bundle["record"]] + bundle["keys"] + bundle["context"]:
            if item["batch"]["batch_no"] == batch:
                item["anchor"]["witnesses"] = copy.deepcopy(other)
    offline = Verifier(None, offline=True).verify(copy.deepcopy(bundle))
    r = _verify(bundle, reader)
    assert r.verdict is Verdict.INVALID
    c = r.check("chain.witnesses")
    assert c is not None and c.status is Status.FAILED and detail in c.detail, c
    if tamper != "witnessed":
        assert offline.verdict is Verdict.VALID  # only the chain shows it
