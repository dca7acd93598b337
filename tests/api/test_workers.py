"""The identity vault through the API: enroll, look up, disclose, erase; every access logged."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from ledger.core.commitment import IDENTITY_TAG, verify_disclosure
from tests.api.conftest import OTHER, OWN, World
from tests.api.test_records import assert_problem, post

IDENTITY = {"name": "张三", "id_type": "01", "id_number": "110101199001011234",
            "phone": "13800000000"}  # fmt: skip


def send(client: FlaskClient, world: World, url: str, body: Any, role: str = "contractor") -> Any:
    headers = {**world.headers(role), "Content-Type": "application/json"}
    return client.post(url, data=json.dumps(body), headers=headers)


def test_enroll_then_post_the_enrollment_record_then_lookup_and_disclose(
    client: FlaskClient, world: World
) -> None:
    resp = send(client, world, "/v1/workers", {"project": OWN, "identity": IDENTITY})
    assert resp.status_code == 201, resp.json
    subject, commitment = resp.json["subject"], bytes.fromhex(resp.json["commitment"])
    # no enrollment record yet: the contractor cannot find the worker, so enrolling again
    # answers as for a new person (the same subject: one person, one subject)
    again = send(client, world, "/v1/workers", {"project": OWN, "identity": IDENTITY})
    assert again.status_code == 201 and again.json["subject"] == subject
    assert again.json["created"] is True

    # not enrolled in the ledger yet: a contractor cannot find the worker by ID number
    lookup = {"id_type": "01", "id_number": IDENTITY["id_number"]}
    assert_problem(send(client, world, "/v1/workers/lookup", lookup), 404, "not-found")

    site = world.projects[OWN].site
    rec = site.enroll(subject, site.subs[0], "T-REBAR", date(2026, 11, 1), commitment=commitment)
    assert post(client, world, rec.to_json(), role="contractor").status_code == 201

    found = send(client, world, "/v1/workers/lookup", {**lookup,
                                                      "id_number": lookup["id_number"].lower()})  # fmt: skip
    assert found.status_code == 200 and found.json == {"subject": subject}

    known = send(client, world, "/v1/workers", {"project": OWN, "identity": IDENTITY})
    assert known.status_code == 200 and known.json["created"] is False

    ident = client.get(f"/v1/workers/{subject}/identity", headers=world.headers("contractor"))
    assert ident.status_code == 200
    body = ident.json
    assert body["identity"] == IDENTITY
    verify_disclosure(IDENTITY_TAG, commitment, body["identity"], bytes.fromhex(body["salt"]))

    actions = [a.action for a in world.principals.access_log(subject=subject)]
    assert actions == ["enroll", "enroll", "lookup", "lookup", "enroll", "disclose"]  # refused too


def test_enrolling_a_person_enrolled_on_another_project_reveals_nothing(
    client: FlaskClient, world: World
) -> None:
    """A contractor of OWN enrolls the ID number of a worker enrolled on OTHER only: the answer
    is the one a new person gets (201, created true, the same members), as lookup's 404 says."""
    theirs = world.projects[OTHER].identities[0]
    new = send(client, world, "/v1/workers", {"project": OWN, "identity": {
        **IDENTITY, "id_number": "110101199001019999"}})  # fmt: skip
    other = send(client, world, "/v1/workers", {"project": OWN, "identity": theirs})
    assert (other.status_code, new.status_code) == (201, 201)
    assert other.json["created"] is True and set(other.json) == set(new.json)
    assert other.headers["Content-Type"] == new.headers["Content-Type"]
    lookup = {"id_type": theirs["id_type"], "id_number": theirs["id_number"]}
    assert_problem(send(client, world, "/v1/workers/lookup", lookup), 404, "not-found")
    subject = other.json["subject"]
    assert_problem(client.get(f"/v1/workers/{subject}/identity",
                              headers=world.headers("contractor")), 403, "forbidden")  # fmt: skip
    # the admin may see every enrollment: for it, the same request finds the existing worker
    admin = send(client, world, "/v1/workers", {"project": OWN, "identity": theirs}, role="admin")
    assert admin.status_code == 200 and admin.json["created"] is False
    assert admin.json["subject"] == world.projects[OTHER].workers[0] == subject
    assert send(client, world, "/v1/workers/lookup", lookup, role="admin").json == {
        "subject": subject}  # fmt: skip
    details = [a.detail for a in world.principals.access_log(subject=subject)
               if a.action == "enroll"]  # fmt: skip
    assert details == ["existing, not visible", "existing"]  # the truth, for the admin only


def test_invalid_identities_name_the_field(client: FlaskClient, world: World) -> None:
    cases = [
        ({**IDENTITY, "id_type": "07"}, "identity.id_type"),
        ({**IDENTITY, "id_number": "12"}, "identity.id_number"),
        ({**IDENTITY, "shoe_size": "42"}, "identity.shoe_size"),
        ({k: v for k, v in IDENTITY.items() if k != "name"}, "identity.name"),
        ({**IDENTITY, "name": "张\x00三"}, "identity.name"),  # were 500s
        ({**IDENTITY, "name": "张\x85三"}, "identity.name"),
    ]
    for identity, field in cases:
        resp = send(client, world, "/v1/workers", {"project": OWN, "identity": identity})
        body = assert_problem(resp, 422, "invalid-body", field=field)
        assert body["errors"][0]["field"] == field
    assert_problem(send(client, world, "/v1/workers", {"project": OWN, "identity": IDENTITY,
                                                       "extra": 1}), 422, "invalid-body",
                   field="extra")  # fmt: skip
    assert_problem(send(client, world, "/v1/workers", {"project": "P-NOWHERE",
                                                       "identity": IDENTITY}, role="admin"),
                   422, "unknown-project")  # fmt: skip


def test_erasure_keeps_records_verifiable_and_identity_gone(
    client: FlaskClient, world: World
) -> None:
    subject = world.projects[OWN].workers[1]
    assert_problem(send(client, world, f"/v1/workers/{subject}/erasure", {"reason": "x"}), 403,
                   "forbidden")  # fmt: skip
    assert_problem(send(client, world, f"/v1/workers/{subject}/erasure", {}, role="admin"), 422,
                   "invalid-body", field="reason")  # fmt: skip
    # the reason is kept and shown with every later 410: no ID number, no control character
    for reason in ("11010119900101123X", "bad\x07bell"):
        assert_problem(send(client, world, f"/v1/workers/{subject}/erasure", {"reason": reason},
                            role="admin"), 422, "invalid-body", field="reason")  # fmt: skip
    resp = send(client, world, f"/v1/workers/{subject}/erasure",
                {"reason": "retention period over (PIPL §47)"}, role="admin")  # fmt: skip
    assert resp.status_code == 200 and resp.json == {"subject": subject, "erased": True}
    assert_problem(client.get(f"/v1/workers/{subject}/identity", headers=world.headers("admin")),
                   410, "erased")  # fmt: skip
    assert_problem(send(client, world, f"/v1/workers/{subject}/erasure", {"reason": "again"},
                        role="admin"), 409, "conflict-state")  # fmt: skip
    assert_problem(send(client, world, "/v1/workers/w-unknown/erasure", {"reason": "x"},
                        role="admin"), 404, "not-found")  # fmt: skip
    # the entries about the worker are still there and still readable
    entries = client.get(f"/v1/workers/{subject}/records", headers=world.headers("admin"))
    assert entries.status_code == 200 and entries.json["entries"]
    log = world.principals.access_log(subject=subject)
    assert [a.action for a in log] == ["erase", "disclose", "erase"]  # refused tries too
    assert log[0].detail == "retention period over (PIPL §47)"


def test_wage_bundle_for_arbitration(client: FlaskClient, world: World) -> None:
    subject = world.projects[OWN].workers[0]
    url = f"/v1/workers/{subject}/wage-bundle?project={OWN}&pay_month=2026-10"
    assert_problem(client.get(url, headers=world.headers("auditor")), 409, "conflict-state")
    world.seal_and_anchor()
    resp = client.get(url, headers=world.headers("auditor"))
    assert resp.status_code == 200, resp.json
    assert resp.json["kind"] == "wage" and resp.json["subject"] == subject
    types = [it["entry"]["record"]["type"] for it in resp.json["run"]]
    assert "wage" in types and "attendance" in types
    assert_problem(client.get(f"/v1/workers/{subject}/wage-bundle?project={OWN}&pay_month=2026-13",
                              headers=world.headers("auditor")), 400, "invalid-parameter")  # fmt: skip


def test_presence_bundle(client: FlaskClient, world: World) -> None:
    subject = world.projects[OWN].workers[0]
    url = f"/v1/presence/bundle?project={OWN}&subject={subject}&at=2026-10-05T12:00:00%2B08:00"
    world.seal_and_anchor()
    resp = client.get(url, headers=world.headers("insurer"))
    assert resp.status_code == 200, resp.json
    assert resp.json["kind"] == "presence"
    missing = f"/v1/presence/bundle?project={OWN}&subject=w-nobody&at=2026-10-05T12:00:00Z"
    assert_problem(client.get(missing, headers=world.headers("insurer")), 404, "not-found")
