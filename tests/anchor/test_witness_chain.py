"""The registry with witness sets on the embedded chain (eth-tester/py-evm, Prague: EIP-2537):
set a witness set, anchor with a quorum, refuse a plain anchor, and what the reader reads back."""

from __future__ import annotations

import pytest

from anchor import tx
from anchor.backends import Chain, EmbeddedBackend
from anchor.deploy import deploy
from anchor.errors import AnchorError
from anchor.reader import ChainReader, WitnessLog, chain_errors, witness_set_digest
from witness.bls import WitnessKey, aggregate, g1_eip2537, g2_eip2537
from witness.message import Commitment
from witness.quorum import members_of

ROOT = bytes(range(32))
HEADS = bytes(range(32, 64))


def _send(chain: Chain, address: str, data: str, gas: int = 3_000_000) -> dict[str, object]:
    signed = tx.sign(chain, to=address, data=data, nonce=tx.nonce(chain.w3, chain.address),
                     gas=gas, fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = dict(tx.wait_receipt(chain.w3, signed.tx_hash, 60))
    receipt["hash"] = signed.tx_hash
    return receipt


def test_witnessed_anchor_on_the_embedded_chain(embedded: EmbeddedBackend) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    reader = ChainReader(chain.w3)
    assert reader.witness_capable(d.contract)
    assert reader.witness_set(d.contract) == (0, 0, 0, False)
    c = reader.contract(d.contract)
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(3)]
    wset = members_of(["Supervisor", "Labour bureau", "Bank"], keys, 2)
    data = c.encode_abi("setWitnesses", args=[
        [g1_eip2537(k.public_key) for k in keys], [k.public_key for k in keys],
        [g2_eip2537(k.pop()) for k in keys], 2, False])  # fmt: skip
    assert _send(chain, d.contract, data, 8_000_000)["status"] == 1
    assert reader.witness_set(d.contract) == (1, 2, 3, False)
    assert reader.witness_set_hash(d.contract, 1) == witness_set_digest(
        2, [m.public_key for m in wset.members])
    assert reader.witness_set_hash(d.contract, 2) == bytes(32)
    with pytest.raises(AnchorError, match="QuorumRequired"), chain_errors("dry run"):
        c.functions.anchor(0, 0, 4, ROOT, HEADS).estimate_gas({"from": chain.address})

    commitment = Commitment(chain.chain_id, bytes.fromhex(d.contract[2:]), 0, 0, 4, ROOT, HEADS)
    message = commitment.message()
    assert bytes(c.functions.witnessMessage(0, 0, 4, ROOT, HEADS).call()) == message
    agg = aggregate([keys[0].sign(message), keys[2].sign(message)])
    wset.verify_quorum(commitment, 0b101, agg)
    bad = aggregate([keys[0].sign(message), keys[1].sign(message)])
    with pytest.raises(AnchorError, match="SignatureInvalid"), chain_errors("dry run"):
        c.functions.anchorWitnessed(0, 0, 4, ROOT, HEADS, 0b101, g2_eip2537(bad)).estimate_gas(
            {"from": chain.address})  # fmt: skip
    data = c.encode_abi("anchorWitnessed", args=[0, 0, 4, ROOT, HEADS, 0b101, g2_eip2537(agg)])
    receipt = _send(chain, d.contract, data)
    assert receipt["status"] == 1
    assert reader.witness_log(d.contract, str(receipt["hash"]), 0) == WitnessLog(
        "witnessed", 1, 0b101
    )
    assert reader.witness_log(d.contract, str(receipt["hash"]), 1) is None
    ev = reader.anchor_event(d.contract, str(receipt["hash"]), 0)
    assert reader.check_batch(d.contract, ev.claim()) is True
