"""Bundle construction (ledger.bundle): what goes in, and what is refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ledger import batcher
from ledger.batcher import NotSealed
from ledger.bundle import (
    BundleError,
    NotAnchored,
    build_bundle,
    build_presence_bundle,
    build_wage_bundle,
    month_boundary,
)
from ledger.core.errors import StoreError
from tests.verifier import scenario
from verifier import Verdict, verify_bundle
from verifier.dispute import month_boundary as verifier_month_boundary


def _types(items: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [i["entry"]["record"]["type"] for i in items]


def test_record_bundle_shape(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_bundle(sc.store, sc.seqs["in-0-5"])
    assert (b["format"], b["version"], b["kind"]) == ("siteledger-bundle", 2, "record")
    assert set(b) == {"format", "version", "kind", "record", "receipt", "related", "context",
                      "operator_key", "keys", "issued_at"}  # fmt: skip
    item = b["record"]
    assert set(item) == {"entry", "leaf_hash", "batch", "inclusion", "anchor"}
    # version 2: the batch is the operator's signed head; the project record gives the allowance
    assert set(item["batch"]) == {"v", "batch_no", "first_seq", "size", "root", "heads_root",
                                  "sealed_at", "log", "sig"}  # fmt: skip
    assert item["batch"]["log"] == sc.store.operator_key.key_id
    assert _types(b["context"]) == ["project"]
    assert item["inclusion"]["index"] == item["entry"]["seq"] - item["batch"]["first_seq"]
    assert item["anchor"]["contract"] == item["anchor"]["contract"].lower()
    # The key chain: GATE-01 <- admin <- genesis root, in log order.
    holders = [k["entry"]["record"]["holder"] for k in b["keys"]]
    assert holders == ["operator", "operator-admin", "GATE-01"]
    assert b["keys"][0]["entry"]["seq"] == 0
    assert b["receipt"]["seq"] == item["entry"]["seq"]


def test_revocations_of_the_chain_are_included(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_bundle(sc.store, sc.seqs["out-0-5"])  # a GATE-02 punch; GATE-02 revoked later
    actions = [k["entry"]["record"]["action"] for k in b["keys"]]
    assert actions.count("revoke") == 1
    r = verify_bundle(b, offline=True)
    assert r.verdict is Verdict.VALID
    assert "not retroactive" in r.check("signer.not_revoked").detail  # type: ignore[union-attr]


def test_related_entries_follow_corrections_and_approvals(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    assert _types(build_bundle(sc.store, sc.seqs["dup"])["related"]) == ["correction", "approval"]
    assert sorted(_types(build_bundle(sc.store, sc.seqs["wage0"])["related"])) == [
        "ack", "ack", "approval", "payment", "publication"]  # fmt: skip
    # the publication naming the wage line, and the worker's acknowledgement of the publication


def test_disclosure(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_bundle(sc.store, sc.seqs["in-0-5"], disclose=True, vault=sc.vault)
    assert b["disclosure"]["fields"] == sc.identity
    assert b["disclosure"]["enrollment_seq"] == sc.seqs["enroll0"]
    assert _types(b["context"]) == ["enrollment", "project"]
    assert verify_bundle(b, offline=True).check("disclosure").status == "passed"  # type: ignore[union-attr]
    # The enrollment itself discloses without another enrollment in the context.
    b = build_bundle(sc.store, sc.seqs["enroll0"], disclose=True, vault=sc.vault)
    assert _types(b["context"]) == ["project"]
    assert verify_bundle(b, offline=True).verdict is Verdict.VALID
    with pytest.raises(BundleError, match="vault"):
        build_bundle(sc.store, sc.seqs["in-0-5"], disclose=True)
    with pytest.raises(BundleError, match="about no worker"):
        build_bundle(sc.store, sc.seqs["revoke-gate-02"], disclose=True, vault=sc.vault)
    with pytest.raises(BundleError, match="commitment"):  # worker 1 is not in the vault's books
        build_bundle(sc.store, sc.seqs["enroll1"], disclose=True, vault=_VaultOf(sc))


class _VaultOf:
    """A vault answering worker 0's identity for anyone: its commitment won't match."""

    def __init__(self, sc: scenario.Scenario) -> None:
        self.sc = sc

    def disclose(self, subject: str) -> tuple[dict[str, str], bytes, bytes]:
        return self.sc.vault.disclose(self.sc.workers[0])


def test_unknown_unsealed_and_unanchored(tmp_path: Path) -> None:
    sc = scenario.build(tmp_path, anchor=False)
    with pytest.raises(StoreError, match="no entry"):
        build_bundle(sc.store, 10_000)
    with pytest.raises(NotSealed):
        build_bundle(sc.store, sc.seqs["in-0-5"])
    batcher.seal(sc.store, max_size=64, force=True)
    with pytest.raises(NotAnchored, match="not anchored"):
        build_bundle(sc.store, sc.seqs["in-0-5"])
    # Anchored batches only: anchor all, then add an entry that stays unanchored and names one.
    scenario.fake_anchor(sc.store)
    sc.append("late-ack", sc.site.ack(sc.workers[1], sc.leaf("wage1"),
                                      datetime(2026, 11, 19, 9, 0, tzinfo=sc.site.tz)))  # fmt: skip
    b = build_bundle(sc.store, sc.seqs["wage1"])
    assert [p["seq"] for p in b["pending"]] == [sc.seqs["late-ack"]]
    r = verify_bundle(b, offline=True)
    assert r.verdict is Verdict.VALID
    assert any(f.name == "pending" and not f.ok for f in r.findings)


def test_wage_bundle_run(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10")
    seqs = [i["entry"]["subject_seq"] for i in b["run"]]
    assert seqs == list(range(len(seqs)))
    assert "correction" in _types(b["run"])  # a correction about the worker is in the chain
    # Format version 2: approvals of the worker's entries name the worker and join the chain.
    assert _types(b["run"]).count("approval") == 2 and _types(b["related"]) == []
    assert _types(b["context"]) == ["project"]
    with pytest.raises(BundleError, match="no entries"):
        build_wage_bundle(sc.store, "w-nobody", sc.site.project, "2026-10")


def test_presence_bundle_run(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    at = datetime(2026, 10, 14, 10, 0, tzinfo=sc.site.tz)
    b = build_presence_bundle(sc.store, sc.workers[1], sc.site.project, at)
    assert b["run"][0]["entry"]["record"]["type"] == "enrollment"
    with pytest.raises(BundleError, match="no enrollment"):
        build_presence_bundle(sc.store, sc.workers[1], sc.site.project,
                              datetime(2026, 9, 1, tzinfo=sc.site.tz))  # fmt: skip


def test_checkpoint_and_as_of_batch(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10")
    cp = b["checkpoint"]
    latest = batcher.batches(sc.store, limit=1000)[-1]
    assert cp["batch"]["batch_no"] == latest.batch_no and set(cp) == {"batch", "anchor", "heads",
                                                                      "gates"}  # fmt: skip
    assert [h["key"] for h in cp["heads"]] == [f"subject/{sc.workers[0]}",
                                               f"device/{sc.site.project}/GATE-01",
                                               f"device/{sc.site.project}/GATE-02"]  # fmt: skip
    assert cp["heads"][0]["value"]["seq"] == b["run"][-1]["entry"]["seq"]
    assert [g["statement"]["device"] for g in cp["gates"]] == ["GATE-01", "GATE-02"]
    r = verify_bundle(b, offline=True)
    assert r.verdict is Verdict.VALID, r.failed
    assert "complete up to batch" in r.check("checkpoint.covers").detail  # type: ignore[union-attr]
    # As of an earlier batch: the run stops there and what follows is pending.
    early = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10",
                              as_of_batch=latest.batch_no - 1)  # fmt: skip
    end = early["checkpoint"]["batch"]["first_seq"] + early["checkpoint"]["batch"]["size"] - 1
    assert all(i["entry"]["seq"] <= end for i in early["run"] + early["related"])
    assert early["pending"] and all(p["seq"] > end for p in early["pending"])
    assert verify_bundle(early, offline=True).verdict is not Verdict.INVALID
    with pytest.raises(BundleError, match="no batch"):
        build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10", as_of_batch=999)


def test_checkpoint_needs_an_anchored_batch(tmp_path: Path) -> None:
    sc = scenario.build(tmp_path, anchor=False)
    batcher.seal(sc.store, max_size=64, force=True)
    at = datetime(2026, 10, 14, 10, 0, tzinfo=sc.site.tz)
    with pytest.raises(NotAnchored, match="no batch is anchored"):
        build_presence_bundle(sc.store, sc.workers[1], sc.site.project, at)
    with pytest.raises(NotAnchored, match="not anchored"):
        build_presence_bundle(sc.store, sc.workers[1], sc.site.project, at, as_of_batch=0)


def test_month_boundary_agrees_with_the_verifier() -> None:
    for m in ("2026-01", "2026-10", "2027-03"):
        assert month_boundary(m) == verifier_month_boundary(m)


def test_cached_key_items_are_private_and_follow_a_reanchored_batch(
    fake_site: scenario.Scenario,
) -> None:
    import copy

    from sqlalchemy import update

    from ledger import db

    sc = fake_site
    seq = sc.seqs["in-0-5"]
    first = build_bundle(sc.store, seq)
    key0 = copy.deepcopy(first["keys"][0])
    first["keys"][0]["anchor"]["tx_hash"] = "0x" + "00" * 32  # a caller changing its own copy
    assert build_bundle(sc.store, seq)["keys"][0] == key0
    batch_no, old = key0["batch"]["batch_no"], key0["anchor"]["tx_hash"]
    moved = "0x" + "ab" * 32  # as after a reorg and a new anchoring transaction
    with sc.store.engine.begin() as conn:
        conn.execute(update(db.batches).where(db.batches.c.batch_no == batch_no).values(tx_hash=moved))
    try:
        assert build_bundle(sc.store, seq)["keys"][0]["anchor"]["tx_hash"] == moved
    finally:
        with sc.store.engine.begin() as conn:
            conn.execute(update(db.batches).where(db.batches.c.batch_no == batch_no).values(tx_hash=old))
    assert build_bundle(sc.store, seq)["keys"][0] == key0
