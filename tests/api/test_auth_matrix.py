"""Every role on every endpoint, on a resource of its own project and of another project.

The table says what must happen; a test also checks that the table covers every operation of the
OpenAPI document, so an endpoint added without a row here fails the suite.

Codes: ``Y`` success (2xx), ``N`` refused (403), ``F`` not found (404, so as not to reveal that
the resource exists), ``0`` success with an empty result (the filter is forced to the caller's
own data), ``A`` refused before any role check (401 without a token is tested separately).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.worker_links import SESSION_TAG, session_message
from ledger import batcher
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import KeyRecord
from ledger.workerlinks import WorkerLinks
from tests.api.conftest import OTHER, OWN, World, make_app

TOKENLESS = frozenset({"/v1/link-codes/redeem", "/v1/worker-sessions/challenge",
                       "/v1/worker-sessions"})  # the worker page's: the code or key is the credential
ROLES = ("contractor", "device", "auditor", "insurer", "worker", "admin")  # admin last

Req = tuple[str, str, Any]  # method, url, JSON body or None
Builder = Callable[[World, str, int], Req]  # world, project, a counter for fresh records


def _w0(world: World, project: str) -> str:
    return world.projects[project].workers[0]


def _att(world: World, project: str) -> int:
    return world.projects[project].seqs["attendance"]


def _throwaway_principal(world: World) -> str:
    return world.principals.create("throwaway", "insurer", world.clock()).principal_id


def _throwaway_token(world: World) -> str:
    tok, _ = world.principals.issue_token(world.principal_ids["insurer"], world.clock())
    return tok.token_id


def _ack(world: World, project: str, n: int) -> Req:
    proj = world.projects[project]
    ack = proj.site.ack(proj.workers[0], proj.leaves["wage"], world.clock())
    return "POST", f"/v1/workers/{proj.workers[0]}/acks", ack.to_json()


def _pending(world: World, project: str) -> tuple[str, SigningKey]:
    """A redeemed enrollment code of the project's first worker: (its request id, the key)."""
    links, key = WorkerLinks(world.store.engine), SigningKey.generate()
    _, code = links.create(project, _w0(world, project), "pr-test", world.clock())
    return links.redeem(code, key.verify_key.public, world.clock()).link_id, key


def _approved(world: World, project: str) -> SigningKey:
    """A worker key through the flow, its key record logged (as the approve endpoint does)."""
    link_id, key = _pending(world, project)
    rec = KeyRecord(id=f"worker-key-{link_id}", signer=world.root.key_id, time=world.clock(),
                    action="register", public_key=key.verify_key.public,
                    holder=_w0(world, project), roles=("worker",), projects=(project,),
                    valid_from=world.clock())  # fmt: skip
    (r,) = world.append([SignedRecord.sign(rec, world.root)])
    p = world.principals.create("page", "worker", world.clock(), subject=_w0(world, project))
    WorkerLinks(world.store.engine).approve(link_id, "pr-test", world.clock(), r.seq,
                                            p.principal_id)  # fmt: skip
    return key


def _session(world: World, project: str) -> Req:
    key = _approved(world, project)
    c, _ = WorkerLinks(world.store.engine).challenge(key.key_id, world.clock())
    sig = key.sign(SESSION_TAG, session_message(key.key_id, c.hex()))
    return "POST", "/v1/worker-sessions", {"key_id": key.key_id, "challenge": c.hex(),
                                           "sig": sig.hex()}  # fmt: skip


def _redeem(world: World, project: str, n: int) -> Req:
    _, code = WorkerLinks(world.store.engine).create(project, _w0(world, project), "pr-test",
                                                     world.clock())  # fmt: skip
    pub = SigningKey.generate().verify_key.public.hex()
    return "POST", "/v1/link-codes/redeem", {"code": code, "public_key": pub}


@dataclass(frozen=True)
class Row:
    build: Builder
    expect: dict[str, str]  # role -> two codes: own project, other project


def _roles(contractor: str, device: str, auditor: str, insurer: str, worker: str,
           admin: str = "YY") -> dict[str, str]:  # fmt: skip
    return dict(contractor=contractor, device=device, auditor=auditor, insurer=insurer,
                worker=worker, admin=admin)  # fmt: skip


EVERYONE = _roles("YY", "YY", "YY", "YY", "YY")
ADMIN_ONLY = _roles("NN", "NN", "NN", "NN", "NN")

MATRIX: dict[tuple[str, str], Row] = {
    ("POST", "/v1/records"): Row(
        lambda w, p, n: ("POST", "/v1/records", w.punch(p, 300 + n).to_json()),
        _roles("YN", "YN", "NN", "NN", "NN"),
    ),
    ("GET", "/v1/records/{seq}"): Row(
        lambda w, p, n: ("GET", f"/v1/records/{_att(w, p)}", None),
        _roles("YN", "YN", "YN", "YN", "YN"),
    ),
    ("GET", "/v1/signers/{signer}/records/{record_id}"): Row(
        lambda w, p, n: ("GET", "/v1/signers/{}/records/GATE-01:1".format(
            w.projects[p].site.devices["GATE-01"].key_id), None),
        _roles("YN", "YN", "YN", "YN", "YN"),
    ),
    ("GET", "/v1/entries"): Row(
        lambda w, p, n: ("GET", f"/v1/entries?project={p}", None),
        _roles("YN", "YN", "YN", "NN", "Y0"),
    ),
    ("GET", "/v1/records/{seq}/proof"): Row(
        lambda w, p, n: ("GET", f"/v1/records/{_att(w, p)}/proof", None),
        _roles("YN", "YN", "YN", "YN", "YN"),
    ),
    ("GET", "/v1/batches"): Row(lambda w, p, n: ("GET", "/v1/batches", None), EVERYONE),
    ("GET", "/v1/batches/{batch_no}"): Row(lambda w, p, n: ("GET", "/v1/batches/0", None),
                                           EVERYONE),
    ("POST", "/v1/workers"): Row(
        lambda w, p, n: ("POST", "/v1/workers", {"project": p, "identity": {
            "name": "测试", "id_type": "01", "id_number": f"11010119900101{n:03d}X"}}),
        _roles("YN", "NN", "NN", "NN", "NN"),
    ),
    ("POST", "/v1/workers/lookup"): Row(
        lambda w, p, n: ("POST", "/v1/workers/lookup", {
            k: w.projects[p].identities[0][k] for k in ("id_type", "id_number")}),
        _roles("YF", "NN", "NN", "NN", "NN"),
    ),
    ("GET", "/v1/workers/{subject}/identity"): Row(
        lambda w, p, n: ("GET", f"/v1/workers/{_w0(w, p)}/identity", None),
        _roles("YN", "NN", "YN", "NN", "YN"),
    ),
    ("POST", "/v1/workers/{subject}/erasure"): Row(
        lambda w, p, n: ("POST", f"/v1/workers/{w.projects[p].workers[1]}/erasure",
                         {"reason": "retention period over"}),
        ADMIN_ONLY,
    ),
    ("GET", "/v1/workers/{subject}/records"): Row(
        lambda w, p, n: ("GET", f"/v1/workers/{_w0(w, p)}/records?project={p}", None),
        _roles("YN", "NN", "YN", "NN", "YN"),
    ),
    ("POST", "/v1/workers/{subject}/acks"): Row(_ack, _roles("NN", "NN", "NN", "NN", "YN")),
    ("GET", "/v1/workers/{subject}/wage-bundle"): Row(
        lambda w, p, n: ("GET", f"/v1/workers/{_w0(w, p)}/wage-bundle?project={p}"
                         "&pay_month=2026-10", None),
        _roles("NN", "NN", "YN", "NN", "YN"),
    ),
    ("GET", "/v1/presence"): Row(
        lambda w, p, n: ("GET", f"/v1/presence?project={p}&subject={_w0(w, p)}"
                         "&at=2026-10-05T12:00:00Z", None),
        _roles("NN", "NN", "YN", "YN", "NN"),
    ),
    ("GET", "/v1/presence/bundle"): Row(
        lambda w, p, n: ("GET", f"/v1/presence/bundle?project={p}&subject={_w0(w, p)}"
                         "&at=2026-10-05T12:00:00Z", None),
        _roles("NN", "NN", "YN", "YN", "YN"),
    ),
    ("POST", "/v1/workers/{subject}/link-codes"): Row(
        lambda w, p, n: ("POST", f"/v1/workers/{_w0(w, p)}/link-codes", {"project": p}),
        _roles("YN", "NN", "NN", "NN", "NN"),
    ),
    ("POST", "/v1/link-codes/redeem"): Row(_redeem, EVERYONE),
    ("GET", "/v1/link-requests"): Row(
        lambda w, p, n: ("GET", f"/v1/link-requests?project={p}", None),
        _roles("YN", "NN", "NN", "NN", "NN"),
    ),
    ("POST", "/v1/link-requests/{link_id}/approve"): Row(
        lambda w, p, n: ("POST", f"/v1/link-requests/{_pending(w, p)[0]}/approve", None),
        _roles("YF", "NN", "NN", "NN", "NN"),
    ),
    ("POST", "/v1/link-requests/{link_id}/reject"): Row(
        lambda w, p, n: ("POST", f"/v1/link-requests/{_pending(w, p)[0]}/reject", None),
        _roles("YF", "NN", "NN", "NN", "NN"),
    ),
    ("POST", "/v1/worker-sessions/challenge"): Row(
        lambda w, p, n: ("POST", "/v1/worker-sessions/challenge",
                         {"key_id": _approved(w, p).key_id}),
        EVERYONE,
    ),
    ("POST", "/v1/worker-sessions"): Row(lambda w, p, n: _session(w, p), EVERYONE),
    ("GET", "/v1/projects"): Row(lambda w, p, n: ("GET", "/v1/projects", None), EVERYONE),
    ("GET", "/v1/projects/{project}/orgs"): Row(
        lambda w, p, n: ("GET", f"/v1/projects/{p}/orgs", None),
        _roles("YN", "YN", "YN", "YN", "NN"),
    ),
    ("GET", "/v1/me"): Row(lambda w, p, n: ("GET", "/v1/me", None), EVERYONE),
    ("GET", "/v1/principals"): Row(lambda w, p, n: ("GET", "/v1/principals", None), ADMIN_ONLY),
    ("POST", "/v1/principals"): Row(
        lambda w, p, n: ("POST", "/v1/principals",
                         {"name": f"gate {n}", "role": "device", "projects": [p]}),
        ADMIN_ONLY,
    ),
    ("GET", "/v1/principals/{principal_id}"): Row(
        lambda w, p, n: ("GET", f"/v1/principals/{w.principal_ids['device']}", None), ADMIN_ONLY,
    ),
    ("POST", "/v1/principals/{principal_id}/disable"): Row(
        lambda w, p, n: ("POST", f"/v1/principals/{_throwaway_principal(w)}/disable", None),
        ADMIN_ONLY,
    ),
    ("POST", "/v1/principals/{principal_id}/tokens"): Row(
        lambda w, p, n: ("POST", f"/v1/principals/{w.principal_ids['device']}/tokens", {}),
        ADMIN_ONLY,
    ),
    ("POST", "/v1/tokens/{token_id}/revoke"): Row(
        lambda w, p, n: ("POST", f"/v1/tokens/{_throwaway_token(w)}/revoke", None), ADMIN_ONLY,
    ),
    ("GET", "/v1/access-log"): Row(lambda w, p, n: ("GET", "/v1/access-log", None), ADMIN_ONLY),
    ("GET", "/healthz"): Row(lambda w, p, n: ("GET", "/healthz", None), EVERYONE),
    ("GET", "/readyz"): Row(lambda w, p, n: ("GET", "/readyz", None), EVERYONE),
    ("GET", "/metrics"): Row(lambda w, p, n: ("GET", "/metrics", None), EVERYONE),
    ("GET", "/openapi.json"): Row(lambda w, p, n: ("GET", "/openapi.json", None), EVERYONE),
    ("GET", "/docs"): Row(lambda w, p, n: ("GET", "/docs", None), EVERYONE),
}  # fmt: skip


def _send(client: FlaskClient, world: World, role: str, req: Req) -> Any:
    method, url, body = req
    headers = world.headers(role)
    if body is not None:
        headers["Content-Type"] = "application/json"
        return client.open(url, method=method, data=json.dumps(body), headers=headers)
    return client.open(url, method=method, headers=headers)


def _ok(code: str, resp: Any) -> bool:
    if code == "Y":
        return 200 <= resp.status_code < 300
    if code == "0":
        return resp.status_code == 200 and resp.json.get("entries") == []
    want = {"N": 403, "F": 404}[code]
    return resp.status_code == want and resp.mimetype == "application/problem+json"


@pytest.mark.parametrize("key", list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_auth_matrix(world: World, tmp_path: Path, key: tuple[str, str]) -> None:
    world.seal_and_anchor()
    batcher.seal(world.store, max_size=1000, force=True)
    client = make_app(world, tmp_path, rate_limit_per_minute=100_000).test_client()
    row = MATRIX[key]
    wrong: list[str] = []
    n = 0
    for role in ROLES:
        for project, code in zip((OWN, OTHER), row.expect[role], strict=True):
            n += 1
            resp = _send(client, world, role, row.build(world, project, n))
            if not _ok(code, resp):
                where = "own" if project == OWN else "other"
                wrong.append(f"{role} on {where} project: want {code}, got {resp.status_code} "
                             f"{resp.get_data(as_text=True)[:200]}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_operation(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").json
    documented = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    assert documented == set(MATRIX)


def test_every_v1_operation_needs_a_token(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").json
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not path.startswith("/v1/") or path in TOKENLESS:
                assert op["security"] == []
                continue
            assert op["security"] == [{"bearer": []}]
            url = re.sub(r"\{[^}]+\}", "1", path)
            resp = client.open(url, method=method.upper())
            assert resp.status_code == 401, (method, path, resp.status_code)
