"""The format version 2 record rules through the HTTP API: each refusal is an RFC 9457 problem
with its named code and the field it is about (docs/records.md, "What the store checks")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import record_from_json
from tests.api.conftest import OWN, T0, World
from tests.api.test_records import assert_problem, post


def _site(world: World):  # type: ignore[no-untyped-def]
    return world.projects[OWN].site


def test_a_version_1_record_is_refused_naming_record_v(client: FlaskClient, world: World) -> None:
    rec = world.punch()
    obj = rec.record.to_json()
    obj["v"] = 1
    old = SignedRecord.sign(record_from_json(obj), _site(world).devices["GATE-01"])
    body = assert_problem(post(client, world, old.to_json(), role="device"), 422,
                          "unsupported-version", field="record.v")  # fmt: skip
    assert "version 1" in body["detail"]
    # The same record as version 2 goes in, with a version 2 receipt.
    resp = post(client, world, rec.to_json(), role="device")
    assert resp.status_code == 201 and resp.json["receipt"]["v"] == 2


def test_an_unknown_version_is_an_invalid_body(client: FlaskClient, world: World) -> None:
    obj = world.punch().to_json()
    obj["record"]["v"] = 3
    resp = post(client, world, obj, role="device")
    assert resp.status_code == 422 and resp.json["code"] in ("invalid-body", "malformed")
    assert "record.v" in (resp.json.get("field") or str(resp.json.get("errors")))


def test_correction_and_approval_of_a_workers_entry_need_the_subject(
    client: FlaskClient, world: World
) -> None:
    site, proj = _site(world), world.projects[OWN]
    w = proj.workers[0]
    punch = post(client, world, world.punch().to_json(), role="device").json
    at = datetime(2026, 11, 16, 9, tzinfo=site.tz)
    target = bytes.fromhex(punch["leaf_hash"])
    corr = site.correction(site.subs[0], at, action="void", target=target, reason="double punch")
    body = assert_problem(post(client, world, corr.to_json(), role="contractor"), 422,
                          "subject-required", field="subject")  # fmt: skip
    assert w in body["detail"]
    other = site.correction(site.subs[0], at, action="void", target=target, reason="double punch",
                            subject=proj.workers[1])  # fmt: skip
    assert_problem(post(client, world, other.to_json(), role="contractor"), 422, "wrong-subject",
                   field="subject")  # fmt: skip
    good = site.correction(site.subs[0], at, action="void", target=target, reason="double punch",
                           subject=w)  # fmt: skip
    corr_res = post(client, world, good.to_json(), role="contractor")
    assert corr_res.status_code == 201
    appr = site.approval(bytes.fromhex(corr_res.json["leaf_hash"]), at + timedelta(hours=1))
    assert_problem(post(client, world, appr.to_json(), role="contractor"), 422,
                   "subject-required", field="subject")  # fmt: skip
    appr = site.approval(bytes.fromhex(corr_res.json["leaf_hash"]), at + timedelta(hours=1),
                         subject=w)  # fmt: skip
    assert post(client, world, appr.to_json(), role="contractor").status_code == 201


def test_a_record_received_after_valid_until_and_the_allowance(
    client: FlaskClient, world: World
) -> None:
    site, w = _site(world), world.projects[OWN].workers[0]
    key = SigningKey(b"\x61" * 32)
    until = datetime(2026, 11, 1, tzinfo=site.tz)
    world.append([site.key_record(key, "GATE-09", ("device",), site.admin, T0, valid_until=until)])
    site.devices["GATE-09"] = key
    punch = site.punch("GATE-09", w, datetime(2026, 10, 30, 8, tzinfo=site.tz), "in", 1)
    world.clock.now = (until + timedelta(days=7, seconds=1)).astimezone(UTC)
    body = assert_problem(post(client, world, punch.to_json(), role="device"), 422, "key-expired",
                          field="signer")  # fmt: skip
    assert "sync allowance of 7 days" in body["detail"]
    world.clock.now = (until + timedelta(days=7)).astimezone(UTC)
    assert post(client, world, punch.to_json(), role="device").status_code == 201


def test_publication_rules(client: FlaskClient, world: World) -> None:
    site, proj = _site(world), world.projects[OWN]
    w, wage = proj.workers[0], proj.leaves["wage"]
    at = datetime(2026, 11, 16, 9, tzinfo=site.tz)
    pub = site.publication(w, site.subs[0], "2026-10", 1, 600, wage, at, objection_days=7)
    wrong = site.publication(w, site.subs[0], "2026-10", 2, 600, wage, at)
    assert_problem(post(client, world, wrong.to_json(), role="contractor"), 422,
                   "publication-mismatch", field="days")  # fmt: skip
    absurd = pub.to_json()
    absurd["record"]["objection_days"] = 0
    body = assert_problem(post(client, world, absurd, role="contractor"), 422, "malformed",
                          field="record.objection_days")  # fmt: skip
    assert "outside 1..60" in body["detail"]
    absurd["record"]["objection_days"] = 365
    assert_problem(post(client, world, absurd, role="contractor"), 422, "malformed",
                   field="record.objection_days")  # fmt: skip
    not_wage = site.publication(w, site.subs[0], "2026-10", 1, 600,
                                bytes.fromhex(post(client, world, world.punch().to_json(),
                                                   role="device").json["leaf_hash"]), at)  # fmt: skip
    assert_problem(post(client, world, not_wage.to_json(), role="contractor"), 422,
                   "unknown-target", field="wage")  # fmt: skip
    res = post(client, world, pub.to_json(), role="contractor")
    assert res.status_code == 201, res.json
    # A device principal may not submit it, whoever signed it.
    assert_problem(post(client, world, pub.to_json(), role="device"), 403, "forbidden")


def test_an_ack_of_a_publication_after_its_window(client: FlaskClient, world: World) -> None:
    site, proj = _site(world), world.projects[OWN]
    w = proj.workers[0]
    published = datetime(2026, 11, 19, 9, tzinfo=site.tz)
    pub = site.publication(w, site.subs[0], "2026-10", 1, 600, proj.leaves["wage"], published,
                           objection_days=1)  # fmt: skip
    res = post(client, world, pub.to_json(), role="contractor")
    assert res.status_code == 201
    target = bytes.fromhex(res.json["leaf_hash"])
    key = site.workers[w]
    ack = site.ack(w, target, datetime(2026, 11, 20, 9, tzinfo=site.tz), "dispute",
                   reason="天数不对")  # fmt: skip
    world.clock.now = (published + timedelta(days=1, seconds=1)).astimezone(UTC)
    body = assert_problem(post(client, world, ack.to_json(), role="worker"), 422, "window-closed",
                          field="target")  # fmt: skip
    assert "2026-11-20T09:00:00+08:00" in body["detail"]
    world.clock.now = (published + timedelta(hours=23)).astimezone(UTC)
    early = SignedRecord.sign(replace(ack.record, id="ack-in-time",
                                      time=datetime(2026, 11, 20, 7, tzinfo=site.tz)), key)  # fmt: skip
    assert post(client, world, early.to_json(), role="worker").status_code == 201
