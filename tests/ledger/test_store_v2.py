"""The record rules of format version 2 on the append path: version, subjects of corrections and
approvals, key validity by receipt time with the sync allowance, publications and acks of them.

Each rule is exercised with well-formed input, then malformed, replayed, forged and out-of-order
input; every refusal must carry its named code and the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from ledger.core.entry import SignedRecord
from ledger.core.keys import RECORD_TAG, SigningKey
from ledger.core.records import PublicationRecord, record_from_json
from ledger.sample import SampleSite
from ledger.store import AppendResult, Store
from tests.conftest import T0, Clock
from tests.vectors.records import generate

D1 = date(2026, 10, 1)
W = "w-0001"


def _at(site: SampleSite, day: int, hour: int = 7, minute: int = 30, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=site.tz)


def _ok(results: list[AppendResult]) -> list[AppendResult]:
    assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok]
    return results


def _one(store: Store, item: object) -> AppendResult:
    (r,) = store.append([item])
    return r


def _refused(store: Store, item: object, code: str, field: str) -> AppendResult:
    r = _one(store, item)
    assert (r.status, r.code, r.field) == ("rejected", code, field), r
    return r


def _enroll(store: Store, site: SampleSite, subject: str = W) -> None:
    _ok(store.append([site.enroll(subject, site.subs[0], "T-REBAR", D1),
                      site.worker_key(subject, T0)]))  # fmt: skip


def _wage(site: SampleSite, subject: str = W, month: str = "2026-10", days: int = 1,
          minutes: int = 540) -> SignedRecord:  # fmt: skip
    return site.wage(subject, site.subs[0], month, days, minutes, 35_000 * days, {"meals": 1_500},
                     date(2026, 11, 15), _at(site, 15, 10, month=11))  # fmt: skip


# ---------------------------------------------------------------------------- version


def _v1(signed: SignedRecord, key: SigningKey) -> SignedRecord:
    """The same record as a format version 1 record, signed again by ``key``."""
    obj = signed.record.to_json()
    obj["v"] = 1
    return SignedRecord.sign(record_from_json(obj), key)


def test_version_1_records_are_refused_for_new_appends(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    punch = site.punch("GATE-01", W, _at(site, 2), "in", 1)
    old = _v1(punch, site.devices["GATE-01"])
    assert old.record.v == 1
    r = _refused(store, old, "unsupported-version", "record.v")
    assert "version 1" in (r.message or "")
    # Also as JSON, and whatever the rest of the bulk holds: the version 2 punch goes in.
    results = store.append([old.to_json(), punch])
    assert [x.status for x in results] == ["rejected", "accepted"]
    assert results[1].receipt is not None and results[1].receipt.v == 2


def test_unknown_versions_are_malformed_at_record_v(store: Store, site: SampleSite) -> None:
    obj = site.punch("GATE-01", W, _at(site, 2), "in", 1).to_json()
    for bad in (3, 0, True, "2", 2.5):
        obj["record"]["v"] = bad
        r = _refused(store, obj, "malformed", "record.v")
        assert "unknown format version" in (r.message or "")


def test_new_entries_and_receipts_are_version_2(store: Store, site: SampleSite,
                                                 root_key: SigningKey) -> None:  # fmt: skip
    _enroll(store, site)
    r = _ok(store.append([site.punch("GATE-01", W, _at(site, 2), "in", 1)]))[0]
    assert r.seq is not None and r.receipt is not None
    stored = store.entry(r.seq)
    assert stored is not None and stored.entry.v == 2
    assert stored.entry.to_json()["v"] == 2 and r.receipt.to_json()["v"] == 2
    r.receipt.verify(root_key.verify_key)
    assert store.receipt(r.seq) == r.receipt


# ---------------------------------------------------------------------------- subjects


def test_correction_of_a_worker_entry_must_name_the_worker(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    _enroll(store, site, "w-0002")
    p = _ok(store.append([site.punch("GATE-01", W, _at(site, 2), "in", 1)]))[0]
    assert p.leaf_hash is not None
    org = site.subs[0]

    def corr(**kw: object) -> SignedRecord:
        return site.correction(org, _at(site, 3), action="void", target=p.leaf_hash,
                               reason="double punch", **kw)  # fmt: skip

    r = _refused(store, corr(), "subject-required", "subject")
    assert W in (r.message or "")
    _refused(store, corr(subject="w-0002"), "wrong-subject", "subject")
    ok = _ok(store.append([corr(subject=W)]))[0]
    assert ok.seq is not None
    stored = store.entry(ok.seq)
    assert stored is not None and stored.entry.subject_seq is not None  # in the worker's chain


def test_supplement_names_the_worker_of_its_repair_punch(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    repair = site.punch("GATE-01", W, _at(site, 2, 17), "out", 2, source="repair")
    rp = _ok(store.append([repair]))[0]
    assert rp.leaf_hash is not None

    def corr(**kw: object) -> SignedRecord:
        return site.correction(site.subs[0], _at(site, 3), action="supplement",
                               replacement=rp.leaf_hash, reason="补卡", **kw)  # fmt: skip

    _refused(store, corr(), "subject-required", "subject")
    _ok(store.append([corr(subject=W)]))


def test_a_subject_on_a_correction_about_no_worker_is_refused(store: Store,
                                                              site: SampleSite) -> None:  # fmt: skip
    # The org record (seq 3 of the setup) is about no worker: naming one would put the
    # correction into a chain it has nothing to do with.
    org_entry = store.entries(type="org", limit=1)[0]
    corr = site.correction(site.subs[0], _at(site, 3), action="void", target=org_entry.leaf_hash,
                           reason="wrong team list", subject=W)  # fmt: skip
    _refused(store, corr, "wrong-subject", "subject")
    plain = site.correction(site.subs[0], _at(site, 3), action="void",
                            target=org_entry.leaf_hash, reason="wrong team list")  # fmt: skip
    _ok(store.append([plain]))


def test_approval_of_a_worker_entry_names_the_worker_and_joins_the_chain(
    store: Store, site: SampleSite
) -> None:
    _enroll(store, site)
    _enroll(store, site, "w-0002")
    w = _ok(store.append([_wage(site)]))[0]
    assert w.leaf_hash is not None
    at = _at(site, 16, 9, month=11)
    _refused(store, site.approval(w.leaf_hash, at), "subject-required", "subject")
    _refused(store, site.approval(w.leaf_hash, at, subject="w-0002"), "wrong-subject", "subject")
    a = _ok(store.append([site.approval(w.leaf_hash, at, subject=W)]))[0]
    chain = store.subject_chain(W)
    assert chain[-1].seq == a.seq and chain[-1].entry.record.TYPE == "approval"
    assert chain[-1].entry.subject_prev == chain[-2].leaf_hash


def test_approval_of_an_entry_about_no_worker_needs_no_subject(store: Store,
                                                               site: SampleSite) -> None:  # fmt: skip
    org_entry = store.entries(type="org", limit=1)[0]
    at = _at(site, 16, 9, month=11)
    _refused(store, site.approval(org_entry.leaf_hash, at, subject=W), "wrong-subject", "subject")
    r = _ok(store.append([site.approval(org_entry.leaf_hash, at)]))[0]
    assert r.seq is not None
    stored = store.entry(r.seq)
    assert stored is not None and stored.entry.subject_seq is None


def test_approval_in_the_same_bulk_as_its_target(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    p = site.punch("GATE-01", W, _at(site, 2), "in", 1)
    # Out of order: the approval names the correction before the correction is logged.
    results = store.append([p])
    assert results[0].leaf_hash is not None
    corr = site.correction(site.subs[0], _at(site, 3), action="void", subject=W,
                           target=results[0].leaf_hash, reason="double punch")  # fmt: skip
    leaf = _leaf_of(store, corr)
    appr = site.approval(leaf, _at(site, 3, 9), subject=W)
    out = store.append([appr, corr])
    assert [(o.status, o.code) for o in out] == [("rejected", "unknown-target"), ("accepted", None)]
    assert out[1].leaf_hash == leaf
    _ok(store.append([appr]))


def _leaf_of(store: Store, signed: SignedRecord) -> bytes:
    """The leaf hash ``signed`` gets when appended next (computed on a throwaway copy)."""
    from ledger.core.entry import Entry

    head = store.head()
    subject = signed.record.subject_id
    prev = store.subject_chain(subject)[-1] if subject else None
    entry = Entry(head, store.clock(), signed, prev.entry.subject_seq + 1 if prev else None,
                  prev.leaf_hash if prev else None)  # type: ignore[operator]  # fmt: skip
    return entry.leaf_hash()


# ---------------------------------------------------------------------------- key validity


def _expiring_device(site: SampleSite, store: Store, serial: str, until: datetime) -> SigningKey:
    key = SigningKey(bytes([len(serial)]) * 31 + serial.encode()[-1:])
    site.devices[serial] = key
    _ok(store.append([site.key_record(key, serial, ("device",), site.admin, T0,
                                      valid_until=until)]))  # fmt: skip
    return key


def test_record_received_after_valid_until_plus_allowance_is_refused(
    store: Store, site: SampleSite, clock: Clock
) -> None:
    _enroll(store, site)
    until = datetime(2026, 11, 1, tzinfo=site.tz)
    _expiring_device(site, store, "GATE-09", until)
    deadline = until + timedelta(days=7)  # the default allowance
    # Punches dated inside the validity, uploaded late by a gate that was offline.
    clock.now = deadline.astimezone(UTC)
    _ok(store.append([site.punch("GATE-09", W, _at(site, 30, 7), "in", 1)]))
    clock.now = deadline.astimezone(UTC) + timedelta(microseconds=1)
    r = _refused(store, site.punch("GATE-09", W, _at(site, 30, 17), "out", 2), "key-expired",
                 "signer")  # fmt: skip
    assert "2026-10-31T16:00:00Z" in (r.message or "") and "7 days" in (r.message or "")
    # Backdating the record's own time does not help: the receipt time decides.
    _refused(store, site.punch("GATE-09", W, _at(site, 2, 7), "in", 3), "key-expired", "signer")
    # Rule 3 still applies on its own: a record dated after valid_until is unauthorised.
    r = _one(store, site.punch("GATE-09", W, _at(site, 2, 7, month=11), "in", 4))
    assert (r.code, r.field) == ("unauthorised", "signer")


@pytest.mark.parametrize(("allowance", "late_days", "ok"), [
    (0, 0, True), (0, 1, False), (30, 29, True), (30, 31, False), (90, 20, True),
])  # fmt: skip
def test_the_project_sets_its_sync_allowance(
    store: Store, root_key: SigningKey, clock: Clock,
    make_store: Callable[[str], Store], allowance: int, late_days: int, ok: bool,
) -> None:  # fmt: skip
    site = SampleSite(root_key, project=f"P-ALLOW-{allowance:03d}", seed=3,
                      sync_allowance_days=allowance)  # fmt: skip
    _ok(store.append(site.setup(T0)))
    _enroll(store, site)
    until = datetime(2026, 10, 20, tzinfo=site.tz)
    _expiring_device(site, store, "GATE-07", until)
    clock.now = (until + timedelta(days=late_days)).astimezone(UTC)
    # A second store on the same database reads the allowance back from the project's entry.
    fresh = make_store(store.engine.url.render_as_string(hide_password=False))
    r = _one(fresh, site.punch("GATE-07", W, _at(site, 19, 8), "in", 1))
    assert r.status == ("accepted" if ok else "rejected"), r
    if not ok:
        assert (r.code, r.field) == ("key-expired", "signer")
        assert f"{allowance} days" in (r.message or "")


def test_records_without_a_project_get_the_default_allowance(
    store: Store, site: SampleSite, root_key: SigningKey, clock: Clock
) -> None:
    # An admin key confined in time signs a key record (no project member) late.
    admin2 = SigningKey(b"\x42" * 32)
    until = datetime(2026, 11, 1, tzinfo=UTC)
    _ok(store.append([site.key_record(admin2, "operator-admin-2", ("admin",), root_key, T0,
                                      valid_until=until)]))  # fmt: skip
    newkey = SigningKey(b"\x43" * 32)
    rec = site.key_record(newkey, "GATE-77", ("device",), admin2, datetime(2026, 10, 30,
                                                                             tzinfo=UTC))
    clock.now = until + timedelta(days=7, seconds=1)
    _refused(store, rec, "key-expired", "signer")
    clock.now = until + timedelta(days=7)
    _ok(store.append([rec]))


def test_keys_without_valid_until_never_expire_by_receipt(store: Store, site: SampleSite,
                                                          clock: Clock) -> None:  # fmt: skip
    _enroll(store, site)
    clock.now = datetime(2030, 1, 1, tzinfo=UTC)
    _ok(store.append([site.punch("GATE-01", W, _at(site, 2), "in", 1)]))


# ---------------------------------------------------------------------------- publications


def _published(store: Store, site: SampleSite, objection_days: int = 7,
               at: datetime | None = None) -> tuple[AppendResult, AppendResult]:  # fmt: skip
    _enroll(store, site)
    w = _ok(store.append([_wage(site)]))[0]
    assert w.leaf_hash is not None
    pub = site.publication(W, site.subs[0], "2026-10", 1, 540, w.leaf_hash,
                           at or _at(site, 16, 9, month=11), objection_days)  # fmt: skip
    return w, _ok(store.append([pub]))[0]


def test_publication_of_a_wage_line_joins_the_worker_chain(store: Store,
                                                           site: SampleSite) -> None:  # fmt: skip
    w, p = _published(store, site)
    chain = store.subject_chain(W)
    assert chain[-1].seq == p.seq and chain[-1].entry.record.TYPE == "publication"
    assert [s.entry.record.TYPE for s in store.referring(w.leaf_hash or b"")] == ["publication"]


def test_payroll_keys_may_publish_devices_may_not(store: Store, site: SampleSite,
                                                  root_key: SigningKey) -> None:  # fmt: skip
    _enroll(store, site)
    w = _ok(store.append([_wage(site)]))[0]
    assert w.leaf_hash is not None
    payroll = SigningKey(b"\x51" * 32)
    _ok(store.append([site.key_record(payroll, site.subs[0].corp_code, ("payroll",), site.admin,
                                      T0)]))  # fmt: skip
    pub = site.publication(W, site.subs[0], "2026-10", 1, 540, w.leaf_hash,
                           _at(site, 16, 9, month=11))  # fmt: skip
    as_payroll = SignedRecord.sign(replace(pub.record, signer=payroll.key_id), payroll)
    _ok(store.append([as_payroll]))
    device = site.devices["GATE-01"]
    as_device = SignedRecord.sign(replace(pub.record, id="pub-by-gate", signer=device.key_id),
                                  device)  # fmt: skip
    r = _refused(store, as_device, "unauthorised", "signer")
    assert "publication" in (r.message or "")


def test_publication_must_name_a_wage_line_of_the_same_worker_and_month(
    store: Store, site: SampleSite
) -> None:
    _enroll(store, site)
    _enroll(store, site, "w-0002")
    w = _ok(store.append([_wage(site)]))[0]
    w2 = _ok(store.append([_wage(site, "w-0002")]))[0]
    punch = _ok(store.append([site.punch("GATE-01", W, _at(site, 2), "in", 1)]))[0]
    assert w.leaf_hash and w2.leaf_hash and punch.leaf_hash
    at, org = _at(site, 16, 9, month=11), site.subs[0]

    def pub(wage: bytes, **kw: object) -> SignedRecord:
        args = dict(subject=W, org=org, month="2026-10", days=1, minutes=540, wage_leaf=wage,
                    at=at)  # fmt: skip
        args.update(kw)
        return site.publication(**args)  # type: ignore[arg-type]

    _refused(store, pub(b"\x11" * 32), "unknown-target", "wage")
    r = _refused(store, pub(punch.leaf_hash), "unknown-target", "wage")
    assert "attendance" in (r.message or "")
    _refused(store, pub(w2.leaf_hash), "wrong-subject", "wage")
    _refused(store, pub(w.leaf_hash, month="2026-09"), "publication-mismatch", "pay_month")
    _refused(store, pub(w.leaf_hash, days=2), "publication-mismatch", "days")
    _refused(store, pub(w.leaf_hash, minutes=541), "publication-mismatch", "work_minutes")
    _refused(store, pub(w.leaf_hash, org=site.subs[1]), "publication-mismatch", "corp_code")
    _ok(store.append([pub(w.leaf_hash)]))


def test_publication_of_a_wage_line_of_another_project(store: Store, site: SampleSite,
                                                       root_key: SigningKey) -> None:  # fmt: skip
    other = SampleSite(root_key, project="P-OTHER-002", seed=2)
    _ok(store.append(other.setup(T0)))
    _enroll(store, other)
    w = _ok(store.append([_wage(other)]))[0]
    _enroll(store, site)
    assert w.leaf_hash is not None
    pub = site.publication(W, site.subs[0], "2026-10", 1, 540, w.leaf_hash,
                           _at(site, 16, 9, month=11))  # fmt: skip
    r = _refused(store, pub, "unknown-target", "wage")
    assert "P-OTHER-002" in (r.message or "")


def test_publication_with_an_absurd_window_is_malformed(store: Store, site: SampleSite) -> None:
    _, p = _published(store, site)
    assert p.seq is not None
    stored = store.entry(p.seq)
    assert stored is not None
    for days, want in ((0, "0 outside 1..60"), (-7, "-7 outside 1..60"),
                       (61, "61 outside 1..60"), (7.0, "must be an integer")):  # fmt: skip
        obj = stored.entry.signed.to_json()
        obj["record"]["objection_days"] = days
        obj["record"]["id"] = "pub-absurd"
        r = _refused(store, obj, "malformed", "record.objection_days")
        assert want in (r.message or "")


def test_publication_replayed_and_forged(store: Store, site: SampleSite) -> None:
    _, p = _published(store, site)
    assert p.seq is not None
    stored = store.entry(p.seq)
    assert stored is not None
    signed = stored.entry.signed
    again = store.append([signed, signed.to_json()])
    assert [a.status for a in again] == ["duplicate", "duplicate"]
    assert {a.seq for a in again} == {p.seq}
    # Same id, other content (a longer window), correctly signed: a conflict, not a second entry.
    longer = SignedRecord.sign(replace(signed.record, objection_days=30), site.subs[0].key)
    _refused(store, longer, "conflict", "id")
    # The window changed after signing: the signature does not verify.
    obj = signed.to_json()
    obj["record"]["objection_days"] = 60
    _refused(store, obj, "bad-signature", "sig")


def test_publication_version_1_does_not_exist(store: Store, site: SampleSite) -> None:
    obj = generate.examples(2)["publication"]
    obj = {**obj, "v": 1}
    r = _refused(store, {"record": obj, "sig": "00" * 64}, "malformed", "record.type")
    assert "format version 1" in (r.message or "")


# ---------------------------------------------------------------------------- acks


def _ack(site: SampleSite, target: bytes, at: datetime, n: int = 1, **kw: object) -> SignedRecord:
    signed = site.ack(W, target, at, **kw)  # type: ignore[arg-type]
    return SignedRecord.sign(replace(signed.record, id=f"ack-{n}"), site.workers[W])


def test_ack_inside_and_after_the_objection_window(store: Store, site: SampleSite,
                                                   clock: Clock) -> None:  # fmt: skip
    published = datetime(2026, 11, 20, 10, 0, tzinfo=site.tz)  # the clock's now, in +08:00
    _, p = _published(store, site, objection_days=3, at=published)
    assert p.leaf_hash is not None
    closes = published + timedelta(days=3)
    clock.now = closes.astimezone(UTC)  # the last instant of the window: still open
    _ok(store.append([_ack(site, p.leaf_hash, _at(site, 20, 12, month=11), 1,
                           decision="dispute", reason="少算了两天")]))  # fmt: skip
    clock.now = closes.astimezone(UTC) + timedelta(microseconds=1)
    r = _refused(store, _ack(site, p.leaf_hash, _at(site, 20, 12, month=11), 2), "window-closed",
                 "target")  # fmt: skip
    assert "2026-11-23T10:00:00+08:00" in (r.message or "")
    # Backdating the ack's own time does not reopen the window.
    _refused(store, _ack(site, p.leaf_hash, _at(site, 21, 9, month=11), 3), "window-closed",
             "target")  # fmt: skip
    # The wage line itself may still be acknowledged: the window is the publication's.
    w = store.subject_chain(W)[-3]
    assert w.entry.record.TYPE == "wage"
    _ok(store.append([_ack(site, w.leaf_hash, _at(site, 23, 9, month=11), 4)]))


def test_ack_of_a_publication_in_the_same_bulk(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    wage = _wage(site)
    wage_leaf = _leaf_of(store, wage)
    pub = site.publication(W, site.subs[0], "2026-10", 1, 540, wage_leaf,
                           _at(site, 16, 9, month=11))  # fmt: skip
    # Out of order first: the ack and the publication before what they name.
    out = store.append([pub, wage])
    assert [(o.status, o.code) for o in out] == [("rejected", "unknown-target"), ("accepted", None)]
    pub_leaf = _leaf_of(store, pub)
    ack = _ack(site, pub_leaf, _at(site, 17, 20, month=11))
    out = store.append([pub, ack])
    assert [o.status for o in out] == ["accepted", "accepted"], out
    assert out[0].leaf_hash == pub_leaf


def test_ack_of_another_workers_publication(store: Store, site: SampleSite) -> None:
    _, p = _published(store, site)
    _enroll(store, site, "w-0002")
    assert p.leaf_hash is not None
    key = site.workers["w-0002"]
    other = SignedRecord.sign(replace(site.ack("w-0002", p.leaf_hash, _at(site, 17, month=11))
                                      .record), key)  # fmt: skip
    _refused(store, other, "wrong-subject", "target")


def test_publication_record_rules() -> None:
    base = generate.examples(2)["publication"]
    pub = record_from_json(base)
    assert isinstance(pub, PublicationRecord)
    assert pub.closes_at == pub.time + timedelta(days=7)
    assert pub.closes_at.utcoffset() == timedelta(hours=8)


def test_an_ack_replayed_after_the_window_is_a_duplicate(store: Store, site: SampleSite,
                                                          clock: Clock) -> None:  # fmt: skip
    # A worker's phone that retries an ack accepted in time gets the first receipt back, not a
    # refusal: the retry is the same entry, received once.
    published = datetime(2026, 11, 20, 9, 0, tzinfo=site.tz)
    _, p = _published(store, site, objection_days=1, at=published)
    assert p.leaf_hash is not None
    ack = _ack(site, p.leaf_hash, _at(site, 20, 9, 45, month=11))
    first = _ok(store.append([ack]))[0]
    clock.now = (published + timedelta(days=2)).astimezone(UTC)
    again = _one(store, ack)
    assert (again.status, again.seq, again.receipt) == ("duplicate", first.seq, first.receipt)
    late = _ack(site, p.leaf_hash, _at(site, 20, 9, 45, month=11), 2)
    _refused(store, late, "window-closed", "target")


def test_forged_publication_and_forged_subject(store: Store, site: SampleSite) -> None:
    _enroll(store, site)
    w = _ok(store.append([_wage(site)]))[0]
    assert w.leaf_hash is not None
    pub = site.publication(W, site.subs[0], "2026-10", 1, 540, w.leaf_hash,
                           _at(site, 16, 9, month=11))  # fmt: skip
    # Signed by a stranger's key but naming the contractor as signer.
    stranger = SigningKey(b"\x77" * 32)
    forged = SignedRecord(pub.record, stranger.sign(RECORD_TAG, pub.canonical))
    _refused(store, forged, "bad-signature", "sig")
    # An approval whose subject was changed after signing.
    obj = site.approval(w.leaf_hash, _at(site, 16, 10, month=11), subject=W).to_json()
    obj["record"]["subject"] = "w-0002"
    _refused(store, obj, "bad-signature", "sig")
