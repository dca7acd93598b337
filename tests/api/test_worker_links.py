"""The worker page's API: one-time enrollment codes, the contractor's approval, worker sessions,
and what a worker's session may and may not do (docs/worker-page.md)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.worker_links import LINK_BURST, SESSION_TAG, session_message
from ledger.core.canonical import canonical_bytes
from ledger.core.keys import RECORD_TAG, SigningKey
from tests.api.conftest import OTHER, OWN, TZ8, World
from tests.api.test_records import assert_problem


def send(client: FlaskClient, url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(url, data=json.dumps(body),
                       headers={**(headers or {}), "Content-Type": "application/json"})  # fmt: skip


def make_code(client: FlaskClient, world: World, subject: str | None = None,
              project: str = OWN, **body: Any) -> Any:  # fmt: skip
    subject = subject or world.projects[OWN].workers[0]
    return send(client, f"/v1/workers/{subject}/link-codes", {"project": project, **body},
                world.headers("contractor"))  # fmt: skip


def redeem(client: FlaskClient, code: str, key: SigningKey) -> Any:
    return send(client, "/v1/link-codes/redeem",
                {"code": code, "public_key": key.verify_key.public.hex()})  # fmt: skip


def session(client: FlaskClient, key: SigningKey) -> Any:
    ch = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id})
    assert ch.status_code == 200, ch.json
    c = ch.json["challenge"]
    sig = key.sign(SESSION_TAG, session_message(key.key_id, c)).hex()
    return send(client, "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c, "sig": sig})


def linked(client: FlaskClient, world: World) -> tuple[SigningKey, str, str]:
    """A worker key through the whole flow: (key, link id, session token)."""
    key = SigningKey.generate()
    made = make_code(client, world)
    assert made.status_code == 201, made.json
    got = redeem(client, made.json["code"], key)
    assert got.status_code == 202, got.json
    link_id = got.json["link_id"]
    ok = send(client, f"/v1/link-requests/{link_id}/approve", None, world.headers("contractor"))
    assert ok.status_code == 200, ok.json
    s = session(client, key)
    assert s.status_code == 201, s.json
    return key, link_id, s.json["token"]


def ack_json(world: World, key: SigningKey, target: bytes, decision: str = "confirm",
             reason: str | None = None, rid: str = "ack-page-1") -> dict[str, Any]:  # fmt: skip
    rec: dict[str, Any] = {
        "v": 2, "type": "ack", "id": rid, "signer": key.key_id,
        "time": world.clock().astimezone(TZ8).replace(microsecond=0).isoformat(),
        "project": OWN, "subject": world.projects[OWN].workers[0], "target": target.hex(),
        "decision": decision,
    }  # fmt: skip
    if reason is not None:
        rec["reason"] = reason
    return {"record": rec, "sig": key.sign(RECORD_TAG, canonical_bytes(rec)).hex()}


def test_the_whole_flow_code_redeem_approve_session_read_and_ack(
    client: FlaskClient, world: World
) -> None:
    worker = world.projects[OWN].workers[0]
    made = make_code(client, world, ttl_minutes=60)
    assert made.status_code == 201, made.json
    code, link = made.json["code"], made.json["link"]
    assert code.startswith("slw_") and link.endswith("/w/#code=" + code)
    assert made.json["qr_svg"].startswith("<svg") and "<path" in made.json["qr_svg"]
    expires = datetime.fromisoformat(made.json["expires_at"])
    assert expires - world.clock() == timedelta(minutes=60)

    key = SigningKey.generate()
    got = redeem(client, code, key)
    assert got.status_code == 202 and got.json["state"] == "pending"
    assert got.json["key_id"] == key.key_id and got.json["subject"] == worker
    link_id = got.json["link_id"]

    # before the approval the key cannot sign in
    pending = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id})
    assert_problem(pending, 409, "link-pending")
    assert pending.headers["Retry-After"] == "5"
    listed = client.get("/v1/link-requests?state=pending", headers=world.headers("contractor"))
    assert [r["link_id"] for r in listed.json["requests"]] == [link_id]

    ok = send(client, f"/v1/link-requests/{link_id}/approve", None, world.headers("contractor"))
    assert ok.status_code == 200 and ok.json["state"] == "approved"
    entry = world.store.entry(ok.json["key_seq"])
    assert entry is not None
    rec = entry.entry.record
    assert rec.TYPE == "key" and rec.holder == worker and rec.roles == ("worker",)  # type: ignore[attr-defined]
    assert rec.projects == (OWN,) and rec.public_key == key.verify_key.public  # type: ignore[attr-defined]
    assert rec.signer == world.root.key_id
    again = send(client, f"/v1/link-requests/{link_id}/approve", None, world.headers("contractor"))
    assert_problem(again, 409, "conflict-state")

    s = session(client, key)
    assert s.status_code == 201, s.json
    token = s.json["token"]
    assert s.json["subject"] == worker and s.json["project"] == OWN
    assert datetime.fromisoformat(s.json["expires_at"]) - world.clock() == timedelta(minutes=15)
    me = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/me", headers=me).json["role"] == "worker"

    own = client.get(f"/v1/workers/{worker}/records?project={OWN}", headers=me)
    assert own.status_code == 200
    assert {e["entry"]["record"]["subject"] for e in own.json["entries"]} == {worker}
    wage = world.projects[OWN].leaves["wage"]
    acked = send(client, f"/v1/workers/{worker}/acks", ack_json(world, key, wage), me)
    assert acked.status_code == 201, acked.json
    stored = world.store.entry(acked.json["seq"])
    assert stored is not None and stored.entry.record.signer == key.key_id

    # the session expires after 15 minutes
    world.clock.advance(minutes=16)
    assert_problem(client.get(f"/v1/workers/{worker}/records", headers=me), 401, "invalid-token")


def test_a_worker_session_sees_only_its_own_worker(client: FlaskClient, world: World) -> None:
    _, _, token = linked(client, world)
    me = {"Authorization": f"Bearer {token}"}
    other = world.projects[OWN].workers[1]
    assert_problem(client.get(f"/v1/workers/{other}/records", headers=me), 403, "forbidden")
    assert_problem(client.get(f"/v1/workers/{other}/identity", headers=me), 403, "forbidden")
    seq = world.projects[OWN].seqs["attendance"]
    assert client.get(f"/v1/records/{seq}", headers=me).status_code == 200  # his own punch
    assert_problem(client.get(f"/v1/workers/{other}/wage-bundle?project={OWN}&pay_month=2026-10",
                              headers=me), 403, "forbidden")  # fmt: skip
    at = "2026-10-05T12:00:00%2B08:00"
    assert_problem(client.get(f"/v1/presence/bundle?project={OWN}&subject={other}&at={at}",
                              headers=me), 403, "forbidden")  # fmt: skip
    # and the worker may post acks only, about himself
    assert_problem(send(client, f"/v1/workers/{other}/acks", {}, me), 403, "forbidden")


def test_his_wage_and_presence_bundles(client: FlaskClient, world: World) -> None:
    _, _, token = linked(client, world)
    me = {"Authorization": f"Bearer {token}"}
    worker = world.projects[OWN].workers[0]
    world.seal_and_anchor()
    wage = client.get(f"/v1/workers/{worker}/wage-bundle?project={OWN}&pay_month=2026-10",
                      headers=me)  # fmt: skip
    assert wage.status_code == 200 and wage.json["kind"] == "wage"
    at = "2026-10-05T12:00:00%2B08:00"
    pres = client.get(f"/v1/presence/bundle?project={OWN}&subject={worker}&at={at}", headers=me)
    assert pres.status_code == 200 and pres.json["kind"] == "presence"


def test_a_forged_ack_signature_is_refused_and_nothing_stored(
    client: FlaskClient, world: World
) -> None:
    key, _, token = linked(client, world)
    me = {"Authorization": f"Bearer {token}"}
    worker = world.projects[OWN].workers[0]
    body = ack_json(world, key, world.projects[OWN].leaves["wage"])
    sig = bytearray(bytes.fromhex(body["sig"]))
    sig[5] ^= 0x01
    head = world.store.head()
    forged = send(client, f"/v1/workers/{worker}/acks", {**body, "sig": sig.hex()}, me)
    assert_problem(forged, 422, "bad-signature")
    # signed by another key than the one it names
    other = SigningKey.generate()
    swapped = {**body, "sig": other.sign(RECORD_TAG, canonical_bytes(body["record"])).hex()}
    assert_problem(send(client, f"/v1/workers/{worker}/acks", swapped, me), 422, "bad-signature")
    assert world.store.head() == head


def test_an_ack_after_the_objection_window_is_refused(client: FlaskClient, world: World) -> None:
    key, _, token = linked(client, world)
    me = {"Authorization": f"Bearer {token}"}
    proj = world.projects[OWN]
    worker = proj.workers[0]
    published = world.clock() - timedelta(days=3)
    pub = proj.site.publication(worker, proj.site.subs[0], "2026-10", 1, 600, proj.leaves["wage"],
                                published, objection_days=1)  # fmt: skip
    (r,) = world.append([pub])
    body = ack_json(world, key, r.leaf_hash, "dispute", "10月6日的工时没算")
    late = send(client, f"/v1/workers/{worker}/acks", body, me)
    assert_problem(late, 422, "window-closed")


def test_an_expired_code(client: FlaskClient, world: World) -> None:
    made = make_code(client, world, ttl_minutes=30)
    world.clock.advance(minutes=30)
    body = assert_problem(redeem(client, made.json["code"], SigningKey.generate()), 410,
                          "link-code-expired")  # fmt: skip
    assert body["field"] == "code"


def test_a_replayed_code(client: FlaskClient, world: World) -> None:
    made = make_code(client, world)
    assert redeem(client, made.json["code"], SigningKey.generate()).status_code == 202
    second = redeem(client, made.json["code"], SigningKey.generate())
    assert_problem(second, 409, "link-code-used")


def test_an_unknown_code_and_a_malformed_redeem(client: FlaskClient, world: World) -> None:
    assert_problem(redeem(client, "slw_" + "a" * 24, SigningKey.generate()), 404,
                   "link-code-unknown")  # fmt: skip
    bad = send(client, "/v1/link-codes/redeem", {"code": "slw_x", "public_key": "zz"})
    assert_problem(bad, 422, "invalid-body")
    assert bad.json["field"] == "public_key"
    extra = send(client, "/v1/link-codes/redeem",
                 {"code": "slw_x", "public_key": "00" * 32, "subject": "w-1"})  # fmt: skip
    assert_problem(extra, 422, "invalid-body")


def test_one_key_redeems_one_code(client: FlaskClient, world: World) -> None:
    key = SigningKey.generate()
    assert redeem(client, make_code(client, world).json["code"], key).status_code == 202
    body = assert_problem(redeem(client, make_code(client, world).json["code"], key), 409,
                          "key-in-use")  # fmt: skip
    assert body["field"] == "public_key"


def test_codes_only_for_the_contractors_own_workers(client: FlaskClient, world: World) -> None:
    theirs = world.projects[OTHER].workers[0]
    assert_problem(make_code(client, world, theirs, OTHER), 403, "forbidden")
    body = assert_problem(make_code(client, world, theirs, OWN), 422, "not-enrolled")
    assert body["field"] == "subject"
    for role in ("worker", "device", "auditor", "insurer"):
        r = send(client, f"/v1/workers/{theirs}/link-codes", {"project": OWN}, world.headers(role))
        assert_problem(r, 403, "forbidden")
    assert_problem(make_code(client, world, ttl_minutes=60 * 24 * 8), 422, "invalid-body")


def test_a_contractor_decides_only_its_own_projects_requests(
    client: FlaskClient, world: World
) -> None:
    theirs = world.projects[OTHER].workers[0]
    made = send(client, f"/v1/workers/{theirs}/link-codes", {"project": OTHER},
                world.headers("admin"))  # fmt: skip
    assert made.status_code == 201
    link_id = redeem(client, made.json["code"], SigningKey.generate()).json["link_id"]
    mine = client.get("/v1/link-requests", headers=world.headers("contractor")).json["requests"]
    assert link_id not in [r["link_id"] for r in mine]
    for action in ("approve", "reject"):
        r = send(client, f"/v1/link-requests/{link_id}/{action}", None, world.headers("contractor"))
        assert_problem(r, 404, "not-found")
    assert send(client, f"/v1/link-requests/{link_id}/approve", None,
                world.headers("admin")).status_code == 200  # fmt: skip


def test_a_rejected_key_cannot_sign_in(client: FlaskClient, world: World) -> None:
    key = SigningKey.generate()
    link_id = redeem(client, make_code(client, world).json["code"], key).json["link_id"]
    r = send(client, f"/v1/link-requests/{link_id}/reject", None, world.headers("contractor"))
    assert r.status_code == 200 and r.json["state"] == "rejected" and r.json["key_seq"] is None
    ch = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id})
    assert_problem(ch, 403, "link-rejected")
    late = send(client, f"/v1/link-requests/{link_id}/approve", None, world.headers("contractor"))
    assert_problem(late, 409, "conflict-state")


def test_session_challenges_are_single_use_and_signed_by_the_key(
    client: FlaskClient, world: World
) -> None:
    key, _, _ = linked(client, world)
    c = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id}).json["challenge"]
    good = key.sign(SESSION_TAG, session_message(key.key_id, c)).hex()
    wrong = SigningKey.generate().sign(SESSION_TAG, session_message(key.key_id, c)).hex()
    bad = send(client, "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c, "sig": wrong})
    assert_problem(bad, 401, "session-signature-invalid")
    # the challenge was spent by the failed attempt: a replay is refused too
    replay = send(client, "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c, "sig": good})
    assert_problem(replay, 401, "challenge-invalid")
    # another tag (a record signature over the same bytes) does not open a session
    c2 = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id}).json["challenge"]
    other_tag = key.sign(RECORD_TAG, session_message(key.key_id, c2)).hex()
    r = send(client, "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c2, "sig": other_tag})
    assert_problem(r, 401, "session-signature-invalid")
    # an expired challenge
    c3 = send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id}).json["challenge"]
    world.clock.advance(minutes=3)
    sig3 = key.sign(SESSION_TAG, session_message(key.key_id, c3)).hex()
    r = send(client, "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c3, "sig": sig3})
    assert_problem(r, 401, "challenge-invalid")
    unknown = send(client, "/v1/worker-sessions/challenge", {"key_id": "ab" * 16})
    assert_problem(unknown, 404, "not-found")


def test_a_small_order_key_opens_no_session(client: FlaskClient, world: World,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A key of small order (here the identity point) "verifies" any R = [s]B, S = s under a lax
    Ed25519 check: anyone could open the session and read the worker's identity. Redeem refuses
    such a key; a session signature is checked by libsodium, as records are on ingest."""
    from nacl.bindings import crypto_scalarmult_ed25519_base_noclamp

    import api.worker_links as worker_links
    from ledger.core.keys import key_id

    weak = bytes([1]) + bytes(31)
    code = make_code(client, world).json["code"]
    r = send(client, "/v1/link-codes/redeem", {"code": code, "public_key": weak.hex()})
    assert_problem(r, 422, "invalid-body")
    assert r.json["field"] == "public_key"
    # such a key registered before the check (let through here): still no session
    monkeypatch.setattr(worker_links, "crypto_core_ed25519_is_valid_point", lambda _: True)
    got = send(client, "/v1/link-codes/redeem", {"code": code, "public_key": weak.hex()})
    assert got.status_code == 202, got.json  # the refused attempt did not spend the code
    ok = send(client, f"/v1/link-requests/{got.json['link_id']}/approve", None,
              world.headers("contractor"))  # fmt: skip
    assert ok.status_code == 200, ok.json
    kid = key_id(weak)
    c = send(client, "/v1/worker-sessions/challenge", {"key_id": kid}).json["challenge"]
    s = (5).to_bytes(32, "little")
    forged = crypto_scalarmult_ed25519_base_noclamp(s) + s
    r = send(client, "/v1/worker-sessions", {"key_id": kid, "challenge": c, "sig": forged.hex()})
    assert_problem(r, 401, "session-signature-invalid")


def test_a_revoked_key_cannot_sign_in(client: FlaskClient, world: World) -> None:
    from ledger.core.entry import SignedRecord
    from ledger.core.records import KeyRecord

    key, _, _ = linked(client, world)
    revoke = KeyRecord(id="revoke-page-key", signer=world.root.key_id, time=world.clock(),
                       action="revoke", public_key=key.verify_key.public,
                       holder=world.projects[OWN].workers[0], roles=(), projects=(),
                       reason="phone lost")  # fmt: skip
    world.append([SignedRecord.sign(revoke, world.root)])
    assert_problem(send(client, "/v1/worker-sessions/challenge", {"key_id": key.key_id}), 403,
                   "link-rejected")  # fmt: skip


@pytest.mark.parametrize("path", ["/v1/link-codes/redeem", "/v1/worker-sessions/challenge"])
def test_token_less_calls_are_rate_limited_per_address(
    client: FlaskClient, world: World, path: str
) -> None:
    body = ({"code": "slw_nope", "public_key": SigningKey.generate().verify_key.public.hex()}
            if path.endswith("redeem") else {"key_id": "ab" * 16})  # fmt: skip
    statuses = [send(client, path, body).status_code for _ in range(LINK_BURST + 2)]
    assert statuses[:LINK_BURST] == [404] * LINK_BURST
    assert statuses[-1] == 429
    r = send(client, path, body)
    assert_problem(r, 429, "rate-limited")
    assert int(r.headers["Retry-After"]) >= 1


def test_the_page_is_served_with_its_own_policy(client: FlaskClient) -> None:
    r = client.get("/w/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    csp = r.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in csp and "script-src 'self'" in csp
    for name in ("worker.js", "core.js", "timeline.js", "vendor/noble.js"):
        js = client.get(f"/w/{name}")
        assert js.status_code == 200 and js.headers["Content-Type"].startswith("text/javascript")
    for name in ("verify.js", "index.html", "../__init__.py", "vendor/vendor.py"):
        assert client.get(f"/w/{name}", follow_redirects=True).status_code == 404, name
    assert client.get("/w").status_code == 308
