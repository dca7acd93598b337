"""The verifier against real bundles: on-chain checks on the embedded chain, the verdict rules,
caches, corrections, and the wage and presence recomputations."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from anchor.reader import ChainReader
from ledger.bundle import build_bundle, build_presence_bundle, build_wage_bundle
from tests.verifier import scenario
from verifier import Status, Verdict, Verifier, verify_bundle, verify_bytes
from verifier.verify import CHAIN_CHECKS


def _statuses(r: Any) -> dict[str, str]:
    return {c.name: c.status.value for c in r.checks}


def test_record_bundle_on_chain(chain_site: scenario.Scenario) -> None:
    sc = chain_site
    for name in ("in-0-5", "dup", "wage0", "revoke-gate-02"):
        r = verify_bundle(build_bundle(sc.store, sc.seqs[name]), sc.reader)
        assert r.verdict is Verdict.VALID, r.failed
        assert r.anchor_checked
        assert all(_statuses(r)[c] == "passed" for c in CHAIN_CHECKS)


def test_dispute_bundles_on_chain(chain_site: scenario.Scenario) -> None:
    sc = chain_site
    w = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10")
    p = build_presence_bundle(sc.store, sc.workers[1], sc.site.project,
                              datetime(2026, 10, 14, 10, 0, tzinfo=sc.site.tz))  # fmt: skip
    for b in (w, p):
        r = verify_bundle(b, sc.reader)
        assert r.verdict is Verdict.VALID, r.failed
        assert all(f.ok for f in r.findings), [f for f in r.findings if not f.ok]


class _Reorged:
    """The embedded chain, except that every anchoring block has been reorganised away."""

    def __init__(self, reader: ChainReader) -> None:
        self.reader = reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reader, name)

    def confirmations(self, block_number: int, block_hash: str) -> int:
        return 0


def test_reorged_block_fails_confirmations(chain_site: scenario.Scenario) -> None:
    r = verify_bundle(build_bundle(chain_site.store, chain_site.seqs["in-0-5"]),
                      _Reorged(chain_site.reader))  # fmt: skip
    assert r.verdict is Verdict.INVALID
    assert [c.name for c in r.failed] == ["chain.confirmations"]
    assert "not on the canonical chain" in r.failed[0].detail


def test_fake_anchor_fails_on_a_real_chain(fake_site: scenario.Scenario,
                                           chain_site: scenario.Scenario) -> None:  # fmt: skip
    """Bundles whose anchor fields were made up (scenario.fake_anchor) are caught on chain."""
    r = verify_bundle(build_bundle(fake_site.store, fake_site.seqs["in-0-5"]), chain_site.reader)
    assert r.verdict is Verdict.INVALID
    assert r.failed[0].name == "chain.network"  # fake chain id 31337 vs the embedded chain's


def test_unreachable_rpc_is_inconclusive(fake_site: scenario.Scenario) -> None:
    reader = ChainReader.from_url("http://127.0.0.1:9", timeout=2)
    r = verify_bundle(build_bundle(fake_site.store, fake_site.seqs["in-0-5"]), reader)
    assert r.verdict is Verdict.INCONCLUSIVE
    assert {c.status for c in r.checks if c.name in CHAIN_CHECKS} == {Status.INCONCLUSIVE}
    assert "unreachable" in r.check("chain.network").detail  # type: ignore[union-attr]


def test_no_chain_offline_and_not(fake_site: scenario.Scenario) -> None:
    b = build_bundle(fake_site.store, fake_site.seqs["in-0-5"])
    r = verify_bundle(b)
    assert r.verdict is Verdict.INCONCLUSIVE and not r.anchor_checked
    r = verify_bundle(b, offline=True)
    assert r.verdict is Verdict.VALID and not r.anchor_checked
    assert {c.status for c in r.checks if c.name in CHAIN_CHECKS} == {Status.SKIPPED}


def test_cache_is_not_poisoned_by_mutating_a_verified_bundle(fake_site: scenario.Scenario) -> None:
    v = Verifier(offline=True)
    b = build_bundle(fake_site.store, fake_site.seqs["in-0-5"])
    assert v.verify(b).verdict is Verdict.VALID
    b["keys"][1]["entry"]["record"]["roles"] = ["operator"]  # in place, after caching
    r = v.verify(b)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "keys"
    assert v.verify(build_bundle(fake_site.store, fake_site.seqs["in-0-6"])).verdict is Verdict.VALID
    assert v.sigs.hits > 0  # the shared key chain was not verified again


def test_cache_tells_false_from_zero(fake_site: scenario.Scenario) -> None:
    """The genesis key item with ``false`` for its zeros, after a genuine bundle in the same
    run: the cache compared items with ``==`` (``False == 0``) and passed it; the page did not."""
    v = Verifier(offline=True)
    b = build_bundle(fake_site.store, fake_site.seqs["in-0-5"])
    assert v.verify(b).verdict is Verdict.VALID
    genesis = copy.deepcopy(b)
    g = genesis["keys"][0]
    assert g["entry"]["seq"] == 0
    g["entry"]["seq"] = g["inclusion"]["index"] = g["batch"]["batch_no"] = False
    g["batch"]["first_seq"] = False
    r = v.verify(genesis)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "format"


def test_voided_record_is_valid_and_reported(fake_site: scenario.Scenario) -> None:
    r = verify_bundle(build_bundle(fake_site.store, fake_site.seqs["dup"]), offline=True)
    assert r.verdict is Verdict.VALID
    status = next(f for f in r.findings if f.name == "status")
    assert not status.ok and "voided" in status.detail
    assert r.facts["status"]["state"] == "voided"


def test_correction_without_approval_is_pending(tmp_path: Path) -> None:
    sc = scenario.build(tmp_path, anchor=False)
    sc.append("corr2", sc.site.correction(
        sc.site.subs[0], datetime(2026, 11, 19, 9, 0, tzinfo=sc.site.tz), action="void",
        reason="wrong worker", subject=sc.workers[1], target=sc.leaf("in-1-5")))  # fmt: skip
    scenario.seal_and_anchor(sc)
    r = verify_bundle(build_bundle(sc.store, sc.seqs["in-1-5"]), offline=True)
    assert r.facts["status"]["state"] == "correction_pending"


def test_wage_mismatches_are_findings_not_verdicts(tmp_path: Path) -> None:
    sc = scenario.build(tmp_path, days_off=2)
    r = verify_bundle(build_wage_bundle(sc.store, sc.workers[2], sc.site.project, "2026-10"),
                      offline=True)  # fmt: skip
    assert r.verdict is Verdict.VALID
    bad = {f.name: f for f in r.findings if not f.ok}
    assert set(bad) == {"days", "hours", "approval"}  # gross = 27 days × price: agrees
    assert (bad["days"].expected, bad["days"].actual) == ("27", "25")
    assert bad["hours"].expected == "270h00"
    assert r.facts["recomputed"]["days"] == 27


def test_presence_after_out_is_not_present(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    evening = datetime(2026, 10, 14, 20, 0, tzinfo=sc.site.tz)
    r = verify_bundle(build_presence_bundle(sc.store, sc.workers[1], sc.site.project, evening),
                      offline=True)  # fmt: skip
    assert r.verdict is Verdict.VALID
    found = {f.name: f.ok for f in r.findings}
    assert found["shift"] is False and found["present"] is False  # version 2: shift pairing


def test_presence_run_must_start_at_the_enrollment(fake_site: scenario.Scenario) -> None:
    sc = fake_site
    b = build_presence_bundle(sc.store, sc.workers[1], sc.site.project,
                              datetime(2026, 10, 14, 10, 0, tzinfo=sc.site.tz))  # fmt: skip
    cut = copy.deepcopy(b)
    cut["run"] = cut["run"][1:]
    r = verify_bundle(cut, offline=True)
    assert r.failed[0].name == "run.start"


def test_not_an_object_and_not_json() -> None:
    assert verify_bundle([1, 2]).failed[0].name == "format"
    r = verify_bytes(b"\xff\xfe")
    assert r.unreadable and "UTF-8" in r.failed[0].detail
    r = verify_bytes(b'{"format": "siteledger-bundle"} trailing')
    assert r.unreadable and "trailing" in r.failed[0].detail
    r = verify_bytes(b"[" * 100_000)
    assert r.unreadable


@pytest.mark.parametrize("field,value,path", [
    ("kind", "receipt", "kind"),
    ("format", "other", "format"),
    ("issued_at", "2026-11-20 02:00:00", "issued_at"),
])  # fmt: skip
def test_format_errors_name_the_field(fake_site: scenario.Scenario, field: str, value: Any,
                                      path: str) -> None:  # fmt: skip
    b = build_bundle(fake_site.store, fake_site.seqs["in-0-5"])
    b[field] = value
    r = verify_bundle(b, offline=True)
    assert r.failed[0].name == "format" and r.failed[0].detail.startswith(path)


def test_findings_count_each_entry_once() -> None:
    """Effects take entries once per seq, whatever the input repeats (a payment given twice
    must not read as paid twice), and such a bundle fails items.unique anyway."""
    import json

    from verifier.effects import Effects
    from verifier.format import parse

    vec = Path(__file__).resolve().parents[1] / "vectors/bundles/valid-record-wage.json"
    raw = json.loads(vec.read_text())["bundle"]
    b = parse(copy.deepcopy(raw))
    assert b.record is not None
    pairs = [(i.leaf_hash, i.entry) for i in [b.record, *b.related]]
    once = {f.name: f for f in Effects.of(pairs).record_findings(b.record.leaf_hash, b.record.entry)}
    twice = {f.name: f for f in Effects.of(pairs + pairs[1:]).record_findings(
        b.record.leaf_hash, b.record.entry)}  # fmt: skip
    assert once["paid"].ok and twice["paid"] == once["paid"]
    pay = next(it for it in raw["related"] if it["entry"]["record"]["type"] == "payment")
    raw["related"].append(copy.deepcopy(pay))
    r = verify_bundle(raw, offline=True)
    assert r.failed[0].name == "items.unique" and "appears 2 times" in r.failed[0].detail
    assert not r.findings
