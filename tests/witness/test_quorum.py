"""The offline quorum check: k of n signers, k-1, a wrong bitmap, a key not in the set, another
chain or contract, an earlier batch's signature, and malformed witness-set JSON named by field."""

from __future__ import annotations

import dataclasses

import pytest

from witness.bls import WitnessKey, aggregate
from witness.errors import WitnessError
from witness.message import Commitment
from witness.quorum import WitnessSet, members_of

KEYS = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(6)]
NAMES = ["监理公司", "劳动保障监察", "银行", "总包", "审计"]
BATCH = Commitment(31337, b"\x11" * 20, 4, 400, 100, b"\x01" * 32, b"\x02" * 32)


def _agg(signers: list[int], c: Commitment = BATCH) -> bytes:
    return aggregate([KEYS[i].sign(c.message()) for i in signers])


@pytest.fixture(scope="module")
def wset() -> WitnessSet:
    s = WitnessSet.from_json(members_of(NAMES, KEYS[:5], 3).to_json())
    s.verify_pops()
    return s


def test_k_signers_verify_and_are_named(wset: WitnessSet) -> None:
    wset.verify_quorum(BATCH, 0b10101, _agg([0, 2, 4]))
    assert [m.name for m in wset.signers(0b10101)] == ["监理公司", "银行", "审计"]


def test_refusals(wset: WitnessSet) -> None:
    with pytest.raises(WitnessError, match="threshold is 3"):
        wset.verify_quorum(BATCH, 0b101, _agg([0, 2]))  # k - 1
    with pytest.raises(WitnessError, match="does not verify"):
        wset.verify_quorum(BATCH, 0b1101, _agg([0, 2, 4]))  # the bitmap names another signer
    for bitmap in (0, 1 << 5, -1):
        with pytest.raises(WitnessError, match="bitmap"):
            wset.verify_quorum(BATCH, bitmap, _agg([0, 2, 4]))
    with pytest.raises(WitnessError, match="does not verify"):
        wset.verify_quorum(BATCH, 0b111, _agg([0, 1, 5]))  # key 5 is not in the set
    for other in (dataclasses.replace(BATCH, chain_id=1), dataclasses.replace(BATCH, contract=b"\x12" * 20),
                  dataclasses.replace(BATCH, batch_no=3)):  # fmt: skip
        with pytest.raises(WitnessError, match="does not verify"):
            wset.verify_quorum(BATCH, 0b111, _agg([0, 1, 2], other))


def test_malformed_sets_are_named(wset: WitnessSet) -> None:
    good = wset.to_json()
    cases = [
        ({**good, "extra": 1}, "witness_set.extra: unknown field"),
        ({"witnesses": good["witnesses"]}, "witness_set.threshold: required"),
        ({**good, "threshold": 6}, "threshold: must be an integer from 1 to 5"),
        ({**good, "threshold": True}, "threshold: must be an integer"),
        ({**good, "witnesses": []}, "want 1 to 256 members"),
        ({**good, "witnesses": [*good["witnesses"], good["witnesses"][0]]}, "appears twice"),
        ({**good, "witnesses": [{**good["witnesses"][0], "public_key": "ab"}]},
         r"witnesses\[0\].public_key: must be 48 bytes"),
        ({**good, "witnesses": [{**good["witnesses"][0], "name": ""}]}, r"witnesses\[0\].name"),
    ]  # fmt: skip
    for obj, msg in cases:
        with pytest.raises(WitnessError, match=msg):
            WitnessSet.from_json(obj)
    swapped = [{**good["witnesses"][0], "pop": good["witnesses"][1]["pop"]}, *good["witnesses"][1:]]
    with pytest.raises(WitnessError, match=r"witnesses\[0\].pop"):
        WitnessSet.from_json({**good, "witnesses": swapped}).verify_pops()
