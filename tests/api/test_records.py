"""POST /v1/records, reading entries back, paging, proofs, and every kind of bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from ledger.core import merkle
from ledger.core.entry import Receipt, SignedRecord
from ledger.core.heads import BatchHead
from ledger.core.keys import SigningKey
from tests.api.conftest import OTHER, OWN, World, make_app

PROBLEM = "application/problem+json"
BASE = "https://siteledger.dev/problems/"


def post(client: FlaskClient, world: World, body: Any, role: str = "admin", **kw: Any) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = world.headers(role)
    headers.setdefault("Content-Type", "application/json")
    headers.update(kw.pop("headers", {}))
    return client.post("/v1/records", data=data, headers=headers, **kw)


def assert_problem(resp: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == PROBLEM
    body = resp.get_json()
    assert body["type"] == BASE + code and body["code"] == code
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in resp.get_data(as_text=True)
    if field is not None:
        assert body.get("field") == field, body
    return body


# ------------------------------------------------------------------ submitting


def test_one_record_is_accepted_with_a_receipt_the_operator_signed(
    client: FlaskClient, world: World, root_key: SigningKey
) -> None:
    rec = world.punch()
    resp = post(client, world, rec.to_json(), role="device")
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["status"] == "accepted" and body["problem"] is None
    assert resp.headers["Location"] == f"/v1/records/{body['seq']}"
    receipt = Receipt.from_json(body["receipt"])
    receipt.verify(root_key.verify_key)
    assert receipt.seq == body["seq"] and receipt.leaf_hash.hex() == body["leaf_hash"]
    stored = world.store.entry(body["seq"])
    assert stored is not None and stored.entry.signed.canonical == rec.canonical


def test_a_retry_is_a_duplicate_with_the_original_receipt(client: FlaskClient, world: World) -> None:
    rec = world.punch().to_json()
    first = post(client, world, rec, role="device")
    again = post(client, world, rec, role="device")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["status"] == "duplicate"
    assert again.json["receipt"] == first.json["receipt"]
    assert world.store.head() == first.json["seq"] + 1


def test_a_replay_with_different_content_is_a_conflict(client: FlaskClient, world: World) -> None:
    first = post(client, world, world.punch(n=7, direction="in").to_json(), role="device")
    assert first.status_code == 201
    replay = world.punch(n=7, direction="out")  # same device record number, same id
    body = assert_problem(post(client, world, replay.to_json(), role="device"), 409, "conflict",
                          field="id")  # fmt: skip
    assert body["seq"] == first.json["seq"]


def test_a_forged_signature_is_refused(client: FlaskClient, world: World) -> None:
    rec = world.punch().to_json()
    sig = bytearray(bytes.fromhex(rec["sig"]))
    sig[10] ^= 0x01
    rec["sig"] = sig.hex()
    assert_problem(post(client, world, rec, role="device"), 422, "bad-signature", field="sig")


def test_a_record_edited_after_signing_is_refused(client: FlaskClient, world: World) -> None:
    rec = world.punch().to_json()
    rec["record"]["direction"] = "out"
    assert_problem(post(client, world, rec, role="device"), 422, "bad-signature")


def test_a_record_signed_by_an_unregistered_key_is_refused(
    client: FlaskClient, world: World
) -> None:
    stranger = SigningKey(bytes([9]) * 32)
    rec = world.punch().record
    forged = SignedRecord.sign(replace(rec, signer=stranger.key_id), stranger)
    assert_problem(post(client, world, forged.to_json(), role="device"), 422, "unknown-key",
                   field="signer")  # fmt: skip


def test_bulk_results_come_back_in_order_with_207_when_any_is_rejected(
    client: FlaskClient, world: World
) -> None:
    good = [world.punch(n=n).to_json() for n in (10, 11)]
    bad = world.punch(n=12).to_json()
    bad["sig"] = "00" * 64
    resp = post(client, world, [good[0], bad, "not a record", good[1]], role="device")
    assert resp.status_code == 207
    body = resp.json
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (2, 0, 2)
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3]
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected", "rejected", "accepted"]
    assert body["results"][1]["problem"]["code"] == "bad-signature"
    assert body["results"][2]["problem"]["code"] == "malformed"
    assert body["results"][1]["receipt"] is None and body["results"][1]["seq"] is None


def test_bulk_of_new_records_is_201_and_of_duplicates_200(client: FlaskClient, world: World) -> None:
    recs = [world.punch(n=n).to_json() for n in range(20, 30)]
    first = post(client, world, recs, role="device")
    assert first.status_code == 201 and first.json["accepted"] == 10
    again = post(client, world, recs, role="device")
    assert again.status_code == 200 and again.json["duplicate"] == 10
    seqs = [r["seq"] for r in first.json["results"]]
    assert seqs == list(range(seqs[0], seqs[0] + 10))


def test_unknown_fields_are_refused_with_their_path(client: FlaskClient, world: World) -> None:
    rec = world.punch().to_json()
    assert_problem(post(client, world, {**rec, "extra": 1}, role="device"), 422, "malformed",
                   field="extra")  # fmt: skip
    inner = {**rec, "record": {**rec["record"], "colour": "red"}}
    body = assert_problem(post(client, world, inner, role="device"), 422, "malformed")
    assert body["field"].endswith("colour")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"{", "malformed JSON"),
        (b'{"record": {}, "sig": "00"} trailing', "trailing data"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"amount": 1.5}', "non-integer"),
        (b'{"x": NaN}', "not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nested deeper"),
        (b'{"a":' * 20 + b"1" + b"}" * 20, "nested deeper"),
        (b"", "empty"),
    ],
)
def test_malformed_json_is_400(client: FlaskClient, world: World, data: bytes, detail: str) -> None:
    body = assert_problem(post(client, world, data), 400, "malformed-json")
    assert detail in body["detail"]


def test_an_expectation_other_than_100_continue_is_417(client: FlaskClient, world: World) -> None:
    rec = world.punch(n=42).to_json()
    resp = post(client, world, rec, role="device", headers={"Expect": "foo"})
    assert_problem(resp, 417, "expectation-failed", field="Expect")
    ok = post(client, world, rec, role="device", headers={"Expect": "100-continue"})
    assert ok.status_code == 201  # the refused one was not stored


@pytest.mark.parametrize("where", ["top", "record", "bulk"])
def test_a_lone_surrogate_is_400_and_stores_nothing(client: FlaskClient, world: World,
                                                     where: str) -> None:  # fmt: skip
    """A member name or string with an unpaired surrogate escape is valid JSON syntax but no
    Unicode text: it was a 500, and in a bulk the valid record before it was stored."""
    good, odd = world.punch(n=40).to_json(), world.punch(n=41).to_json()
    if where == "record":
        odd["record"]["\ud800"] = 1
    else:
        odd["\ud800"] = 1
    body = [good, odd] if where == "bulk" else odd
    before = client.get("/v1/entries?limit=1&order=desc", headers=world.headers("admin")).json
    resp = post(client, world, json.dumps(body), role="device")  # ASCII: the escape stays
    assert "\\ud800" in json.dumps(body)
    problem = assert_problem(resp, 400, "malformed-json")
    assert "unpaired surrogate" in problem["detail"]
    after = client.get("/v1/entries?limit=1&order=desc", headers=world.headers("admin")).json
    assert after == before
    assert post(client, world, good, role="device").status_code == 201  # it was not stored


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/xml"])  # fmt: skip
def test_wrong_content_type_is_415(client: FlaskClient, world: World, ctype: str) -> None:
    resp = post(client, world, world.punch().to_json(), role="device",
                headers={"Content-Type": ctype})  # fmt: skip
    assert_problem(resp, 415, "unsupported-media-type", field="Content-Type")


def test_missing_content_type_is_415(client: FlaskClient, world: World) -> None:
    resp = client.post("/v1/records", data=json.dumps(world.punch().to_json()),
                       headers=world.headers("device"))  # fmt: skip
    assert_problem(resp, 415, "unsupported-media-type")


def test_json_with_charset_is_fine(client: FlaskClient, world: World) -> None:
    resp = post(client, world, world.punch().to_json(), role="device",
                headers={"Content-Type": "application/json; charset=utf-8"})  # fmt: skip
    assert resp.status_code == 201


def test_oversize_body_is_413(world: World, tmp_path: Path) -> None:
    client = make_app(world, tmp_path, max_body_bytes=2000).test_client()
    recs = [world.punch(n=n).to_json() for n in range(200, 205)]
    assert_problem(post(client, world, recs, role="device"), 413, "body-too-large")
    assert world.store.find(world.punch(n=200).record.signer, "GATE-01:200") is None


def test_too_many_records_is_413(world: World, tmp_path: Path) -> None:
    client = make_app(world, tmp_path, max_bulk=3).test_client()
    recs = [world.punch(n=n).to_json() for n in range(200, 204)]
    assert_problem(post(client, world, recs, role="device"), 413, "too-many-records")
    assert post(client, world, recs[:3], role="device").status_code == 201


def test_default_limits_are_1000_records_and_4_mib(app: Any) -> None:
    cfg = app.extensions["siteledger"].config
    assert (cfg.max_bulk, cfg.max_body_bytes) == (1000, 4 * 1024 * 1024)
    assert app.config["MAX_CONTENT_LENGTH"] == 4 * 1024 * 1024


@pytest.mark.parametrize(("body", "code"), [([], "empty-bulk"), (7, "invalid-body"),
                                            (b'"x"', "invalid-body"), (None, "invalid-body")])  # fmt: skip
def test_bodies_that_are_no_records_are_422(
    client: FlaskClient, world: World, body: Any, code: str
) -> None:
    assert_problem(post(client, world, body), 422, code)


# ------------------------------------------------------------------ reading


def test_read_an_entry_by_seq_and_by_signer_and_id(client: FlaskClient, world: World) -> None:
    rec = world.punch()
    seq = post(client, world, rec.to_json(), role="device").json["seq"]
    by_seq = client.get(f"/v1/records/{seq}", headers=world.headers("admin"))
    assert by_seq.status_code == 200
    assert by_seq.json["entry"]["record"] == rec.record.to_json()
    by_id = client.get(f"/v1/signers/{rec.record.signer}/records/{rec.record.id}",
                       headers=world.headers("admin"))  # fmt: skip
    assert by_id.json == by_seq.json


@pytest.mark.parametrize(
    "path",
    [
        "/v1/records/-1", "/v1/records/abc", "/v1/records/1e3", "/v1/records/0x10",
        "/v1/records/99999999999999999999999", "/v1/records/9223372036854775808",
        "/v1/records/%00", "/v1/records/1/", "/v1/records/%F0%9F%92%A5", "/v1/batches/-0",
        "/v1/records/9223372036854775807", "/v1/records/" + "9" * 5000,
    ],
)
def test_odd_ids_are_404_problems(client: FlaskClient, world: World, path: str) -> None:
    assert_problem(client.get(path, headers=world.headers("admin")), 404, "not-found")


@pytest.mark.parametrize(
    ("signer", "record_id", "status"),
    [
        ("0" * 32, "nope", 404),
        ("XYZ", "a", 400),
        ("0" * 31, "a", 400),
        ("0" * 32, "-starts-with-dash", 400),
        ("0" * 32, "x" * 65, 400),
        ("0" * 32, "%E5%B7%A5", 400),
    ],
)
def test_odd_signer_and_record_ids(
    client: FlaskClient, world: World, signer: str, record_id: str, status: int
) -> None:
    resp = client.get(f"/v1/signers/{signer}/records/{record_id}", headers=world.headers("admin"))
    assert_problem(resp, status, "not-found" if status == 404 else "invalid-parameter")


def test_entries_page_through_the_whole_log(client: FlaskClient, world: World) -> None:
    seen: list[int] = []
    after = -1
    while True:
        resp = client.get(f"/v1/entries?limit=7&after_seq={after}", headers=world.headers("admin"))
        assert resp.status_code == 200
        seen += [e["seq"] for e in resp.json["entries"]]
        after = resp.json["next_after_seq"]
        if after is None:
            break
    assert seen == list(range(world.store.head()))


def test_entries_filters(client: FlaskClient, world: World) -> None:
    h = world.headers("admin")
    got = client.get(f"/v1/entries?project={OTHER}&type=attendance", headers=h).json["entries"]
    assert got and all(e["entry"]["record"]["project"] == OTHER for e in got)
    assert all(e["entry"]["record"]["type"] == "attendance" for e in got)
    since = "2026-10-05T17:00:00+08:00"
    late = client.get(f"/v1/entries?type=attendance&since={since.replace('+', '%2B')}",
                      headers=h).json["entries"]  # fmt: skip
    assert {e["entry"]["record"]["direction"] for e in late} == {"out"}
    until = "2026-10-04T23:00:00Z"  # the first punch is at 23:30Z
    assert client.get(f"/v1/entries?type=attendance&until={until}", headers=h).json == {
        "entries": [], "next_after_seq": None}  # fmt: skip
    subject = world.projects[OWN].workers[0]
    mine = client.get(f"/v1/entries?subject={subject}", headers=h).json["entries"]
    assert [e["entry"]["subject_seq"] for e in mine] == list(range(len(mine)))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=1001", "limit"), ("limit=1000000000", "limit"), ("limit=0", "limit"),
        ("limit=-5", "limit"), ("limit=abc", "limit"), ("limit=1.5", "limit"),
        ("after_seq=-2", "after_seq"), ("after_seq=99999999999999999999", "after_seq"),
        ("type=selfie", "type"), ("since=yesterday", "since"), ("since=2026-10-01", "since"),
        ("until=2026-13-01T00:00:00Z", "until"), ("project=%20", "project"),
        ("colour=red", "colour"), ("limit=1&limit=2", "limit"),
    ],
)
def test_bad_query_parameters_are_400(
    client: FlaskClient, world: World, query: str, field: str
) -> None:
    resp = client.get(f"/v1/entries?{query}", headers=world.headers("admin"))
    body = assert_problem(resp, 400, "invalid-parameter", field=field)
    if "errors" in body:
        assert body["errors"][0]["field"] == field


def test_largest_page_is_1000(client: FlaskClient, world: World) -> None:
    resp = client.get("/v1/entries?limit=1000", headers=world.headers("admin"))
    assert resp.status_code == 200 and resp.json["next_after_seq"] is None


# ------------------------------------------------------------------ proofs


def test_proof_is_202_until_anchored_then_200_with_a_bundle(
    client: FlaskClient, world: World
) -> None:
    seq = post(client, world, world.punch().to_json(), role="device").json["seq"]
    h = world.headers("admin")
    pending = client.get(f"/v1/records/{seq}/proof", headers=h)
    assert pending.status_code == 202 and pending.headers["Retry-After"] == "5"
    assert pending.json["state"] == "pending" and pending.json["batch"] is None
    assert pending.json["receipt"]["seq"] == seq

    from ledger import batcher

    batcher.seal(world.store, max_size=1000, force=True)
    sealed = client.get(f"/v1/records/{seq}/proof", headers=h)
    assert sealed.status_code == 202 and sealed.json["state"] == "sealed"
    inc = sealed.json["inclusion"]
    leaf = bytes.fromhex(sealed.json["receipt"]["leaf_hash"])
    merkle.verify_inclusion(leaf, inc["index"], inc["size"],
                            [bytes.fromhex(p) for p in inc["path"]], bytes.fromhex(inc["root"]))  # fmt: skip

    world.seal_and_anchor()
    done = client.get(f"/v1/records/{seq}/proof", headers=h)
    assert done.status_code == 200, done.json
    bundle = done.json
    assert bundle["format"] == "siteledger-bundle" and bundle["kind"] == "record"
    item = bundle["record"]
    assert item["entry"]["seq"] == seq and item["anchor"]["block_number"] == 7
    merkle.verify_inclusion(bytes.fromhex(item["leaf_hash"]), item["inclusion"]["index"],
                            item["batch"]["size"],
                            [bytes.fromhex(p) for p in item["inclusion"]["path"]],
                            bytes.fromhex(item["batch"]["root"]))  # fmt: skip
    assert "disclosure" not in bundle


def test_proof_with_disclosure_is_logged_and_refused_to_contractors(
    client: FlaskClient, world: World
) -> None:
    world.seal_and_anchor()
    seq = world.projects[OWN].seqs["attendance"]
    refused = client.get(f"/v1/records/{seq}/proof?disclose=true",
                         headers=world.headers("contractor"))  # fmt: skip
    assert_problem(refused, 403, "forbidden")
    resp = client.get(f"/v1/records/{seq}/proof?disclose=true", headers=world.headers("auditor"))
    assert resp.status_code == 200, resp.json
    assert resp.json["disclosure"]["subject"] == world.projects[OWN].workers[0]
    log = world.principals.access_log(subject=world.projects[OWN].workers[0])
    assert any(a.action == "disclose" and a.case_ref == "ARB-2026-0042" for a in log)


def test_proof_of_unknown_seq_is_404(client: FlaskClient, world: World) -> None:
    assert_problem(client.get("/v1/records/123456/proof", headers=world.headers("admin")), 404,
                   "not-found")  # fmt: skip


def test_batches_list_and_read(client: FlaskClient, world: World) -> None:
    h = world.headers("admin")
    assert client.get("/v1/batches", headers=h).json == {"batches": [], "next_after": None}
    world.seal_and_anchor()
    batches = client.get("/v1/batches?state=anchored", headers=h).json["batches"]
    assert len(batches) == 1 and batches[0]["anchor"]["tx_hash"] == "0x" + "ab" * 32
    one = client.get(f"/v1/batches/{batches[0]['batch_no']}", headers=h)
    assert one.json == batches[0]
    assert one.json["end_seq"] == world.store.head()
    head = BatchHead.from_json(one.json["head"])
    head.verify(world.store.operator_key.verify_key)
    assert head.heads_root.hex() == one.json["heads_root"] and head.root.hex() == one.json["root"]
    assert_problem(client.get("/v1/batches/5", headers=h), 404, "not-found")
    assert_problem(client.get("/v1/batches?state=lost", headers=h), 400, "invalid-parameter")


def test_concurrent_posts_share_commits_and_each_gets_its_own_result(
    app: Any, world: World
) -> None:
    """Group commit: 8 threads post 10 records each, two of them the same record at once."""
    import threading

    records = [[world.punch(n=500 + 10 * t + i).to_json() for i in range(10)] for t in range(8)]
    same = world.punch(n=499).to_json()
    records[0][0] = records[1][0] = same
    statuses: dict[int, list[str]] = {}
    seqs: list[int] = []
    lock = threading.Lock()

    def run(t: int) -> None:
        client = app.test_client()
        for rec in records[t]:
            resp = post(client, world, rec, role="device")
            with lock:
                statuses.setdefault(t, []).append(resp.json["status"])
                seqs.append(resp.json["seq"])

    threads = [threading.Thread(target=run, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    firsts = sorted([statuses[0][0], statuses[1][0]])
    assert firsts == ["accepted", "duplicate"]
    assert sum(s.count("accepted") for s in statuses.values()) == 79
    unique = sorted(set(seqs))
    assert unique == list(range(unique[0], unique[0] + 79))
    assert world.store.head() == unique[-1] + 1
