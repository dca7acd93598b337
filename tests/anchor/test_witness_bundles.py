"""Witnessed batches end to end on the embedded chain (Prague, EIP-2537): anchored with a quorum
through ``anchorWitnessed`` (and one without, under the timeout policy), recorded in the store in
the anchoring transaction's row, written into bundles, and verified offline and on chain — the
check ``chain.witnesses`` compares the bundle with the contract's events and witness set."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from anchor.backends import EmbeddedBackend
from anchor.reader import ChainReader
from ledger.bundle import build_bundle
from tests.anchor.witnessed import REASON, witnessed_ledger
from verifier import Status, Verdict, Verifier


@pytest.fixture(scope="module")
def witnessed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A ledger of three batches: 0 and 2 anchored with a 2-of-3 quorum, 1 without (the set
    allows unwitnessed anchors: the timeout policy)."""
    chain = EmbeddedBackend().connect()
    store, seqs = witnessed_ledger(tmp_path_factory.mktemp("wb"), chain)
    yield store, ChainReader(chain.w3), seqs
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
