"""Principals and tokens through the API, projects and organisations, the access log."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import OTHER, OWN, World
from tests.api.test_records import assert_problem


def send(client: FlaskClient, world: World, url: str, body: Any = None) -> Any:
    headers = world.headers("admin")
    if body is None:
        return client.post(url, headers=headers)
    return client.post(url, data=json.dumps(body), headers={**headers,
                                                            "Content-Type": "application/json"})  # fmt: skip


def test_create_principal_issue_use_and_revoke_a_token(client: FlaskClient, world: World) -> None:
    created = send(client, world, "/v1/principals",
                   {"name": "gate 3", "role": "device", "projects": [OWN]})  # fmt: skip
    assert created.status_code == 201, created.json
    pid = created.json["principal_id"]
    assert created.headers["Location"] == f"/v1/principals/{pid}"
    issued = send(client, world, f"/v1/principals/{pid}/tokens",
                  {"label": "GATE-03", "expires_at": "2027-01-01T00:00:00+08:00"})  # fmt: skip
    assert issued.status_code == 201
    token = issued.json["token"]
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["principal_id"] == pid and me.json["projects"] == [OWN]
    shown = client.get(f"/v1/principals/{pid}", headers=world.headers("admin")).json
    assert [t["label"] for t in shown["tokens"]] == ["GATE-03"]
    assert token not in json.dumps(shown)
    revoked = send(client, world, f"/v1/tokens/{issued.json['token_id']}/revoke")
    assert revoked.status_code == 200 and revoked.json["revoked_at"] is not None
    assert_problem(client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 401,
                   "invalid-token")  # fmt: skip
    disabled = send(client, world, f"/v1/principals/{pid}/disable")
    assert disabled.json["disabled_at"] is not None
    assert_problem(send(client, world, f"/v1/principals/{pid}/tokens", {}), 409, "conflict-state")
    listed = client.get("/v1/principals", headers=world.headers("admin")).json["principals"]
    assert pid in {p["principal_id"] for p in listed}


def test_principal_scope_rules(client: FlaskClient, world: World) -> None:
    bad = [
        {"name": "c", "role": "contractor"},
        {"name": "d", "role": "device", "projects": [OWN, OTHER]},
        {"name": "w", "role": "worker"},
        {"name": "a", "role": "admin", "projects": [OWN]},
        {"name": "i", "role": "insurer", "subject": "w-1234"},
    ]
    for body in bad:
        assert_problem(send(client, world, "/v1/principals", body), 422, "invalid-body")
    assert_problem(send(client, world, "/v1/principals", {"name": "x", "role": "root"}), 422,
                   "invalid-body", field="role")  # fmt: skip
    assert_problem(send(client, world, "/v1/principals/pr-0000000000000000/tokens", {}), 404,
                   "not-found")  # fmt: skip
    assert_problem(send(client, world, "/v1/principals/nope/tokens", {}), 400,
                   "invalid-parameter")  # fmt: skip
    pid = world.principal_ids["device"]
    assert_problem(send(client, world, f"/v1/principals/{pid}/tokens",
                        {"expires_at": "2020-01-01T00:00:00Z"}), 422, "invalid-body",
                   field="expires_at")  # fmt: skip
    assert_problem(send(client, world, "/v1/tokens/0000000000000000/revoke"), 404, "not-found")


def test_projects_and_orgs_are_filtered_by_scope(client: FlaskClient, world: World) -> None:
    everything = client.get("/v1/projects", headers=world.headers("admin")).json["projects"]
    assert [p["project"] for p in everything] == [OWN, OTHER]
    assert everything[0]["tz_offset"] == "+08:00"
    mine = client.get("/v1/projects", headers=world.headers("contractor")).json["projects"]
    assert [p["project"] for p in mine] == [OWN]
    orgs = client.get(f"/v1/projects/{OWN}/orgs", headers=world.headers("contractor")).json
    site = world.projects[OWN].site
    assert {o["corp_code"] for o in orgs["orgs"]} == {site.gc.corp_code} | {
        s.corp_code for s in site.subs}
    rebar = next(o for o in orgs["orgs"] if o["corp_code"] == site.subs[0].corp_code)
    assert {t["team"] for t in rebar["teams"]} == {"T-REBAR", "T-CONCRETE"}


def test_access_log_pages(client: FlaskClient, world: World) -> None:
    for _ in range(3):
        client.get("/v1/batches", headers=world.headers("insurer"))
    page = client.get("/v1/access-log?limit=2", headers=world.headers("admin")).json
    assert len(page["accesses"]) == 2 and page["next_after_id"] is not None
    rest = client.get(f"/v1/access-log?after_id={page['next_after_id']}",
                      headers=world.headers("admin")).json  # fmt: skip
    assert len(rest["accesses"]) == 1 and rest["next_after_id"] is None
    assert all(a["principal_id"] == world.principal_ids["insurer"] for a in rest["accesses"])


def test_the_last_active_admin_cannot_be_disabled(client: FlaskClient, world: World) -> None:
    me = world.principal_ids["admin"]
    body = assert_problem(send(client, world, f"/v1/principals/{me}/disable"), 409,
                          "conflict-state", field="principal_id")  # fmt: skip
    assert "last active admin" in body["detail"]
    assert client.get("/v1/me", headers=world.headers("admin")).status_code == 200
    other = send(client, world, "/v1/principals", {"name": "second admin", "role": "admin"})
    second = other.json["principal_id"]
    token = send(client, world, f"/v1/principals/{second}/tokens", {}).json["token"]
    # with two admins, one may go (here: itself); then the other is the last one
    assert send(client, world, f"/v1/principals/{me}/disable").status_code == 200
    as_second = {"Authorization": f"Bearer {token}"}
    refused = client.post(f"/v1/principals/{second}/disable", headers=as_second)
    assert_problem(refused, 409, "conflict-state")
    assert client.get("/v1/me", headers=as_second).json["disabled_at"] is None
    assert send(client, world, f"/v1/principals/{me}/disable").status_code == 401  # gone
