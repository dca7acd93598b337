"""The append path: checks, idempotency, bulk results, subject chains, receipts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from ledger.core.canonical import canonical_bytes
from ledger.core.entry import Entry, SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import AttendanceRecord, KeyRecord
from ledger.sample import SampleSite
from ledger.store import AppendResult, Store
from tests.conftest import T0, Clock

D1 = date(2026, 10, 1)


def _at(site: SampleSite, day: int, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=site.tz)


def _ok(results: list[AppendResult]) -> list[AppendResult]:
    assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok]
    return results


def _enroll(store: Store, site: SampleSite, subject: str = "w-0001") -> AppendResult:
    return _ok(store.append([site.enroll(subject, site.subs[0], "T-REBAR", D1)]))[0]


def _reject(store: Store, item: object) -> AppendResult:
    (r,) = store.append([item])
    assert r.status == "rejected", r
    return r


def test_genesis_and_setup_are_gap_free(store: Store, site: SampleSite) -> None:
    n = store.head()
    assert [store.entry(i) is not None for i in range(n)] == [True] * n
    assert store.entry(n) is None


def test_accepted_record_gets_a_receipt_that_verifies(
    store: Store, site: SampleSite, root_key: SigningKey
) -> None:
    r = _enroll(store, site)
    assert r.receipt is not None and r.seq is not None
    r.receipt.verify(root_key.verify_key)
    stored = store.entry(r.seq)
    assert stored is not None and stored.leaf_hash == r.leaf_hash == r.receipt.leaf_hash
    assert store.receipt(r.seq) == r.receipt


def test_duplicate_returns_the_original_entry_and_receipt(store: Store, site: SampleSite) -> None:
    rec = site.enroll("w-0001", site.subs[0], "T-REBAR", D1)
    first = _ok(store.append([rec]))[0]
    again = store.append([rec, rec])
    assert [a.status for a in again] == ["duplicate", "duplicate"]
    assert {a.seq for a in again} == {first.seq}
    assert again[0].receipt == first.receipt
    assert store.head() == first.seq + 1  # nothing new was appended


def test_duplicate_inside_one_bulk(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    out = store.append([p, p])
    assert [o.status for o in out] == ["accepted", "duplicate"]
    assert out[0].seq == out[1].seq and out[1].receipt == out[0].receipt


def test_replay_with_different_content_is_a_conflict(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    _ok(store.append([p]))
    forged = site.punch("GATE-01", "w-0001", _at(site, 1, 9), "in", 1)  # same id GATE-01:1
    r = _reject(store, forged)
    assert r.code == "conflict" and r.field == "id" and "different content" in (r.message or "")


def test_forged_signature_is_rejected(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    bad = SignedRecord(p.record, bytes(64))
    r = _reject(store, bad)
    assert (r.code, r.field) == ("bad-signature", "sig")


def test_tampered_record_bytes_fail_the_signature(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    obj = p.to_json()
    obj["record"]["direction"] = "out"
    assert _reject(store, obj).code == "bad-signature"


def test_unknown_key(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    stranger = SigningKey(b"\x09" * 32)
    rec = replace(
        site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1).record, signer=stranger.key_id
    )
    r = _reject(store, SignedRecord.sign(rec, stranger))
    assert (r.code, r.field) == ("unknown-key", "signer")


def test_key_not_authorised_for_the_record_type(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    # A contractor key signing attendance: contractors may not sign punches.
    org = site.subs[0]
    rec = replace(
        site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1).record, signer=org.key.key_id
    )
    r = _reject(store, SignedRecord.sign(rec, org.key))
    assert r.code == "unauthorised" and "attendance" in (r.message or "")


def test_key_of_another_project(store: Store, site: SampleSite, root_key: SigningKey) -> None:
    other = SampleSite(root_key, project="P-OTHER-002", seed=2)
    _ok(store.append(other.setup(T0)))
    _enroll(store, site)
    # The other project's device signs a punch for this project.
    dev = other.devices["GATE-01"]
    rec = replace(site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1).record, signer=dev.key_id)
    r = _reject(store, SignedRecord.sign(rec, dev))
    assert r.code == "unauthorised" and "P-DEMO-001" in (r.message or "")


def test_revoked_key_is_refused_after_but_not_before(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    before = _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)]))[0]
    dev = site.devices["GATE-01"]
    revoke = KeyRecord(
        id="revoke-gate-01", signer=site.admin.key_id, time=T0 + timedelta(days=2),
        action="revoke", public_key=dev.verify_key.public, holder="GATE-01", roles=(),
        projects=(), reason="device stolen",
    )  # fmt: skip
    _ok(store.append([SignedRecord.sign(revoke, site.admin)]))
    r = _reject(store, site.punch("GATE-01", "w-0001", _at(site, 2), "in", 2))
    assert r.code == "unauthorised" and "revoked" in (r.message or "")
    # Not retroactive: the earlier punch is still there and its key grant records when it ended.
    grant = store.grant(dev.key_id)
    assert grant is not None and grant.revoked_seq is not None and before.seq is not None
    assert before.seq < grant.revoked_seq
    assert store.append([SignedRecord.sign(revoke, site.admin)])[0].status == "duplicate"
    again = _reject(store, SignedRecord.sign(replace(revoke, id="revoke-again"), site.admin))
    assert again.code == "already-revoked"


def test_future_time_beyond_skew(store: Store, site: SampleSite, clock: Clock) -> None:
    _enroll(store, site)
    ahead = clock.now + timedelta(minutes=6)
    r = _reject(store, site.punch("GATE-01", "w-0001", ahead, "in", 1))
    assert (r.code, r.field) == ("future-time", "time")
    within = clock.now + timedelta(minutes=4)
    _ok(store.append([site.punch("GATE-01", "w-0001", within, "in", 2)]))


def test_attendance_for_a_worker_not_enrolled(store: Store, site: SampleSite) -> None:
    r = _reject(store, site.punch("GATE-01", "w-nobody", _at(site, 1), "in", 1))
    assert (r.code, r.field) == ("not-enrolled", "subject")


def test_attendance_after_exit_but_late_sync_of_earlier_punch_is_fine(
    store: Store, site: SampleSite
) -> None:
    _enroll(store, site)
    _ok(store.append([site.exit("w-0001", site.subs[0], date(2026, 10, 5))]))
    r = _reject(store, site.punch("GATE-01", "w-0001", _at(site, 6), "in", 1))
    assert r.code == "already-exited"
    # An offline device uploading a punch from before the exit is accepted.
    _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, 4), "in", 2, source="backfill")]))
    again = _reject(store, site.exit("w-0001", site.subs[0], date(2026, 10, 6)))
    assert again.code == "already-exited"


def test_device_may_sign_only_its_own_punches(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    rec = replace(p.record, device="GATE-02", id="GATE-02:1")
    r = _reject(store, SignedRecord.sign(rec, site.devices["GATE-01"]))
    assert r.code == "unauthorised" and "device GATE-01" in (r.message or "")


def test_enrollment_rules(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    r = _reject(store, site.enroll("w-0001", site.subs[0], "T-REBAR", D1))
    assert r.code == "already-enrolled"
    r = _reject(store, site.enroll("w-0002", site.subs[0], "T-NOPE", D1))
    assert (r.code, r.field) == ("unknown-team", "team")
    r = _reject(store, site.enroll("w-0003", site.subs[1], "T-REBAR", D1))
    assert r.code == "unknown-team"
    r = _reject(store, site.enroll("w-0004", site.subs[0], "T-REBAR", date(2026, 12, 1)))
    assert r.code == "future-time" and r.field in ("time", "date")


def test_correction_of_a_record_that_does_not_exist(store: Store, site: SampleSite) -> None:
    r = _reject(store, site.correction(site.subs[0], _at(site, 2), action="void",
                                       target=b"\x11" * 32, reason="typo"))  # fmt: skip
    assert (r.code, r.field) == ("unknown-target", "target")


def test_correction_and_approval_of_a_real_record(store: Store, site: SampleSite) -> None:
    e = _enroll(store, site)
    p = _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, 2), "in", 1)]))[0]
    assert p.leaf_hash is not None and e.leaf_hash is not None
    corr = _ok(store.append([site.correction(site.subs[0], _at(site, 3), action="void",
                                             target=p.leaf_hash, reason="double punch",
                                             subject="w-0001")]))[0]  # fmt: skip
    assert corr.leaf_hash is not None
    _ok(store.append([site.approval(corr.leaf_hash, _at(site, 3, 9), subject="w-0001")]))
    referring = store.referring(p.leaf_hash)
    assert [s.entry.record.TYPE for s in referring] == ["correction"]
    assert [s.entry.record.TYPE for s in store.referring(corr.leaf_hash)] == ["approval"]


def test_bulk_with_bad_records_keeps_the_good_ones(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    good1 = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)
    bad = SignedRecord(good1.record, bytes(64))
    good2 = site.punch("GATE-01", "w-0001", _at(site, 1, 17), "out", 2)
    out = store.append([good1, {"record": {"v": 9}, "sig": "00" * 64}, bad, b"{not json", good2])
    assert [o.status for o in out] == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    assert out[1].code == "malformed" and out[1].field == "record.v"
    assert out[3].code == "malformed"
    assert out[4].seq == (out[0].seq or 0) + 1  # gap-free despite the rejections


def test_malformed_inputs_name_their_field(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1).to_json()
    cases = {
        "record.direction": {**p, "record": {**p["record"], "direction": "sideways"}},
        "record.extra": {**p, "record": {**p["record"], "extra": 1}},
        "sig": {**p, "sig": "zz"},
        "record.match_score": {**p, "record": {**p["record"], "match_score": 100.5}},
    }
    for want, item in cases.items():
        if want == "record.match_score":
            raw = canonical_bytes(p).replace(b'"match_score":', b'"match_score":1.5,"x":')
            r = _reject(store, raw)
            assert r.code == "malformed", r
            continue
        r = _reject(store, item)
        assert r.code == "malformed" and r.field == want, (want, r)


def test_out_of_order_offline_punches_keep_log_order(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    late = site.punch("GATE-02", "w-0001", _at(site, 1), "in", 7, source="backfill")
    early = site.punch("GATE-01", "w-0001", _at(site, 3), "in", 1)
    a, b = _ok(store.append([early, late]))
    assert b.seq == (a.seq or 0) + 1  # the log orders by arrival, not by device time


def test_subject_chain_links_each_worker_entry_to_the_previous(
    store: Store, site: SampleSite
) -> None:
    e = _enroll(store, site)
    _enroll(store, site, "w-0002")
    ps = _ok(store.append([site.punch("GATE-01", s, _at(site, 1), "in", i)
                           for i, s in enumerate(["w-0001", "w-0002", "w-0001"], 1)]))  # fmt: skip
    chain = store.subject_chain("w-0001")
    assert [c.entry.subject_seq for c in chain] == [0, 1, 2]
    assert chain[0].entry.subject_prev is None
    assert chain[1].entry.subject_prev == e.leaf_hash
    assert chain[2].entry.subject_prev == ps[0].leaf_hash
    assert [c.seq for c in chain] == [e.seq, ps[0].seq, ps[2].seq]


def test_entries_filters_and_paging(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, d), "in", d) for d in range(1, 8)]))
    att = store.entries(project=site.project, type="attendance")
    assert len(att) == 7
    page1 = store.entries(type="attendance", limit=3)
    page2 = store.entries(type="attendance", limit=3, after_seq=page1[-1].seq)
    assert [p.seq for p in page1 + page2] == [a.seq for a in att[:6]]
    window = store.entries(
        subject="w-0001", type="attendance", since=_at(site, 3, 0), until=_at(site, 5, 0)
    )
    assert [w.entry.record.time.day for w in window] == [3, 4]  # type: ignore[attr-defined]


def test_key_registered_in_the_same_bulk_can_sign_later_records(
    store: Store, site: SampleSite
) -> None:
    _enroll(store, site)
    dev = SigningKey(b"\x07" * 32)
    site.devices["GATE-09"] = dev
    reg = site.key_record(dev, "GATE-09", ("device",), site.admin, T0)
    punch = site.punch("GATE-09", "w-0001", _at(site, 1), "in", 1)
    _ok(store.append([reg, punch]))


def test_admin_cannot_grant_operator_roles(store: Store, site: SampleSite) -> None:
    k = SigningKey(b"\x05" * 32)
    r = _reject(store, site.key_record(k, "x", ("admin",), site.admin, T0))
    assert r.code == "unauthorised" and "may not grant admin" in (r.message or "")


def test_entry_bytes_round_trip_through_the_database(store: Store, site: SampleSite) -> None:
    e = _enroll(store, site)
    stored = store.entry(e.seq or 0)
    assert stored is not None
    assert Entry.from_json(stored.entry.to_json()).canonical() == stored.entry.canonical()
    assert isinstance(
        store.find(site.subs[0].key.key_id, stored.entry.record.id).entry.record,  # type: ignore[union-attr]
        type(stored.entry.record),
    )


def test_attendance_record_type_is_stored_with_its_indexes(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    r = _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)]))[0]
    got = store.entry(r.seq or 0)
    assert got is not None and isinstance(got.entry.record, AttendanceRecord)
    assert store.by_leaf(r.leaf_hash or b"") == got
