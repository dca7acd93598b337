"""Bearer tokens, principals versus signing keys, rate limits and the access log."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ledger.principals import Principals, TokenRejected, hash_token
from tests.api.conftest import OTHER, OWN, World, make_app
from tests.api.test_records import assert_problem, post


def test_no_token_is_401_with_www_authenticate(client: FlaskClient) -> None:
    resp = client.get("/v1/entries")
    assert_problem(resp, 401, "unauthenticated")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token slt_abc", "bearer", "slt_abc"],
)
def test_malformed_authorization_is_401(client: FlaskClient, header: str) -> None:
    assert_problem(client.get("/v1/me", headers={"Authorization": header}), 401,
                   "unauthenticated")  # fmt: skip


@pytest.mark.parametrize(
    "token", ["slt_" + "A" * 43, "not-a-token", "slt_", "slt_" + "x" * 500, "slt_ü"]
)
def test_wrong_token_is_401(client: FlaskClient, token: str) -> None:
    resp = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(resp, 401, "invalid-token")
    assert 'error="invalid_token"' in resp.headers["WWW-Authenticate"]
    assert token not in body["detail"]


def test_expired_token_is_401(client: FlaskClient, world: World) -> None:
    pid = world.principal_ids["device"]
    _, token = world.principals.issue_token(pid, world.clock(),
                                            expires_at=world.clock() + timedelta(hours=1))  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/me", headers=auth).status_code == 200
    world.clock.advance(hours=1)
    body = assert_problem(client.get("/v1/me", headers=auth), 401, "invalid-token")
    assert "expired" in body["detail"]


def test_revoked_token_is_401_and_other_tokens_still_work(
    client: FlaskClient, world: World
) -> None:
    pid = world.principal_ids["contractor"]
    tok, token = world.principals.issue_token(pid, world.clock())
    world.principals.revoke_token(tok.token_id, world.clock())
    body = assert_problem(client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 401,
                          "invalid-token")  # fmt: skip
    assert "revoked" in body["detail"]
    assert client.get("/v1/me", headers=world.headers("contractor")).status_code == 200


def test_disabled_principal_is_401(client: FlaskClient, world: World) -> None:
    world.principals.disable(world.principal_ids["insurer"], world.clock())
    body = assert_problem(client.get("/v1/me", headers=world.headers("insurer")), 401,
                          "invalid-token")  # fmt: skip
    assert "disabled" in body["detail"]


def test_tokens_are_stored_only_as_sha256(world: World) -> None:
    token = world.tokens["admin"]
    from ledger import db

    with world.store.engine.connect() as conn:
        rows = conn.execute(db.api_tokens.select()).all()
    assert all(token.encode() not in bytes(r.token_hash) for r in rows)
    assert any(r.token_hash == hash_token(token) for r in rows)
    assert len(token) >= 4 + 43  # 32 random bytes
    with pytest.raises(TokenRejected):
        wrong = token[:-1] + ("B" if token.endswith("A") else "A")  # one character different
        Principals(world.store.engine).authenticate(wrong, world.clock())


def test_rate_limit_is_per_principal_with_retry_after(world: World, tmp_path: Path) -> None:
    client = make_app(world, tmp_path, rate_limit_per_minute=6).test_client()
    assert client.get("/v1/me", headers=world.headers("device")).status_code == 200
    resp = client.get("/v1/me", headers=world.headers("device"))
    body = assert_problem(resp, 429, "rate-limited")
    assert int(resp.headers["Retry-After"]) == 10
    assert "6 requests a minute" in body["detail"]
    assert client.get("/v1/me", headers=world.headers("contractor")).status_code == 200


# ------------------------------------------------------------------ principals vs signing keys


def test_device_may_not_post_a_contractor_signed_record_of_another_project(
    client: FlaskClient, world: World
) -> None:
    """The signature and the signer are valid; the caller is not allowed to submit it."""
    other = world.projects[OTHER]
    wage = other.site.wage(other.workers[1], other.site.subs[0], "2026-10", 1, 60, 100, {},
                           world.clock().date(), world.clock())  # fmt: skip
    body = assert_problem(post(client, world, wage.to_json(), role="device"), 403, "forbidden",
                          field="record")  # fmt: skip
    assert "attendance" in body["detail"]
    assert world.store.find(wage.record.signer, wage.record.id) is None
    # the same record is fine from a principal allowed to submit it
    assert post(client, world, wage.to_json(), role="admin").status_code == 201


def test_device_may_not_post_attendance_of_another_project(
    client: FlaskClient, world: World
) -> None:
    body = assert_problem(post(client, world, world.punch(OTHER).to_json(), role="device"), 403,
                          "forbidden")  # fmt: skip
    assert OTHER in body["detail"]


def test_contractor_may_post_for_own_project_only(client: FlaskClient, world: World) -> None:
    own, other = world.projects[OWN], world.projects[OTHER]
    at = world.clock()
    mine = own.site.wage(own.workers[1], own.site.subs[0], "2026-10", 1, 60, 100, {},
                         at.date(), at)  # fmt: skip
    theirs = other.site.wage(other.workers[1], other.site.subs[0], "2026-10", 1, 60, 100, {},
                             at.date(), at)  # fmt: skip
    resp = post(client, world, [mine.to_json(), theirs.to_json()], role="contractor")
    assert resp.status_code == 207
    assert [r["status"] for r in resp.json["results"]] == ["accepted", "rejected"]
    assert resp.json["results"][1]["problem"]["code"] == "forbidden"
    assert resp.json["results"][1]["problem"]["status"] == 403


def test_a_signing_key_refusal_is_not_a_principal_refusal(
    client: FlaskClient, world: World
) -> None:
    """A contractor key signing attendance: the principal may submit attendance of its project,
    but the ledger refuses the key (contractor keys do not sign punches)."""
    own = world.projects[OWN]
    rec = world.punch().record
    from dataclasses import replace

    from ledger.core.entry import SignedRecord

    key = own.site.subs[0].key
    signed = SignedRecord.sign(replace(rec, signer=key.key_id), key)
    assert_problem(post(client, world, signed.to_json(), role="contractor"), 422, "unauthorised")


def test_worker_acks_own_wage_line_only(client: FlaskClient, world: World) -> None:
    own = world.projects[OWN]
    subject = own.workers[0]
    ack = own.site.ack(subject, own.leaves["wage"], world.clock())
    h = {**world.headers("worker"), "Content-Type": "application/json"}
    resp = client.post(f"/v1/workers/{subject}/acks", data=json.dumps(ack.to_json()), headers=h)
    assert resp.status_code == 201, resp.json
    again = client.post(f"/v1/workers/{subject}/acks", data=json.dumps(ack.to_json()), headers=h)
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    other = own.workers[1]
    assert_problem(client.post(f"/v1/workers/{other}/acks", data=json.dumps(ack.to_json()),
                               headers=h), 403, "forbidden")  # fmt: skip
    wrong_path = client.post(f"/v1/workers/{subject}/acks",
                             data=json.dumps(world.punch().to_json()), headers=h)  # fmt: skip
    assert_problem(wrong_path, 422, "invalid-body")
    # the generic endpoint enforces the same rule
    assert_problem(post(client, world, world.punch().to_json(), role="worker"), 403, "forbidden")


def test_worker_sees_own_records_only(client: FlaskClient, world: World) -> None:
    own = world.projects[OWN]
    me, colleague = own.workers
    h = world.headers("worker")
    mine = client.get(f"/v1/workers/{me}/records", headers=h)
    assert mine.status_code == 200
    assert {e["entry"]["record"]["subject"] for e in mine.json["entries"]} == {me}
    listed = client.get("/v1/entries", headers=h)
    assert {e["entry"]["record"]["subject"] for e in listed.json["entries"]} == {me}
    assert_problem(client.get(f"/v1/workers/{colleague}/records", headers=h), 403, "forbidden")
    assert_problem(client.get(f"/v1/entries?subject={colleague}", headers=h), 403, "forbidden")
    seq = own.seqs["wage"]
    assert client.get(f"/v1/records/{seq}", headers=h).status_code == 200
    colleague_seq = world.store.entries(subject=colleague, limit=1)[0].seq
    assert_problem(client.get(f"/v1/records/{colleague_seq}", headers=h), 403, "forbidden")


# ------------------------------------------------------------------ auditors, insurers, the log


def test_auditor_needs_a_case_reference_and_every_request_is_logged(
    client: FlaskClient, world: World
) -> None:
    bare = {"Authorization": f"Bearer {world.tokens['auditor']}"}
    body = assert_problem(client.get("/v1/batches", headers=bare), 403, "case-reference-required")
    assert body["field"] == "X-Case-Reference"
    case = "京劳人仲字〔2026〕第123号"
    from urllib.parse import quote

    seq = world.projects[OWN].seqs["wage"]
    resp = client.get(f"/v1/records/{seq}", headers={**bare, "X-Case-Reference": quote(case)})
    assert resp.status_code == 200
    log = world.principals.access_log()
    assert log[-1].case_ref == case and log[-1].principal_id == world.principal_ids["auditor"]
    assert log[-1].detail == f"/v1/records/{seq}"
    assert_problem(client.get("/v1/me", headers={**bare, "X-Case-Reference": "%ff%fe"}), 400,
                   "invalid-parameter")  # fmt: skip


def test_insurer_presence_query_is_logged(client: FlaskClient, world: World) -> None:
    subject = world.projects[OWN].workers[0]
    h = world.headers("insurer")
    q = f"project={OWN}&subject={subject}"
    at_work = client.get(f"/v1/presence?{q}&at=2026-10-05T12:00:00%2B08:00", headers=h)
    assert at_work.status_code == 200, at_work.json
    assert at_work.json["present"] is True and at_work.json["last_in_seq"] is not None
    after = client.get(f"/v1/presence?{q}&at=2026-10-05T19:00:00%2B08:00", headers=h).json
    assert after["present"] is False and after["out_after_in_seq"] is not None
    before = client.get(f"/v1/presence?{q}&at=2026-09-01T12:00:00Z", headers=h).json
    assert before["enrolled"] is False and before["present"] is False
    log = [a for a in world.principals.access_log(subject=subject) if a.action == "presence"]
    assert len(log) == 3
    theirs = world.projects[OTHER].workers[0]
    assert_problem(client.get(f"/v1/presence?project={OTHER}&subject={theirs}"
                              "&at=2026-10-05T12:00:00Z", headers=h), 403, "forbidden")  # fmt: skip


def test_insurer_reads_attendance_proofs_but_not_wage_lines(
    client: FlaskClient, world: World
) -> None:
    own = world.projects[OWN]
    h = world.headers("insurer")
    assert client.get(f"/v1/records/{own.seqs['attendance']}/proof", headers=h).status_code == 202
    assert_problem(client.get(f"/v1/records/{own.seqs['wage']}", headers=h), 403, "forbidden")
