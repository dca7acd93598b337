"""The worker page's API: enrollment codes, the contractor's approval, worker sessions.

The flow (docs/worker-page.md, docs/api.md "The worker page"):

1. a contractor makes a one-time code for one of its workers (``POST
   /v1/workers/{subject}/link-codes``): a link to ``/w/#code=…`` and its QR code;
2. the worker's browser makes an Ed25519 key and redeems the code with the public key (``POST
   /v1/link-codes/redeem``, no token: the code is the credential, spent on first use);
3. the contractor approves the request (``POST /v1/link-requests/{id}/approve``): the server logs
   the worker's ``key`` record (role ``worker``, holder = the worker's subject, the one project),
   signed by the operator root key, which may grant any key (docs/records.md, rule 6);
4. the browser signs a single-use challenge with the key (``POST /v1/worker-sessions/challenge``,
   then ``POST /v1/worker-sessions``) and gets a short-lived bearer token of a worker principal,
   which reads only the worker's own records and submits only the worker's own ``ack`` records
   (``api.auth``), signed in the browser by the same key.

The three calls without a token are limited per client address (``LINK_PER_MINUTE``), on top of
the codes' 120 random bits.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Final

from flask import Blueprint, Response, request
from nacl.bindings import crypto_core_ed25519_is_valid_point, crypto_sign_open
from nacl.exceptions import BadSignatureError

from api import auth
from api.models import (
    ChallengeIn,
    ChallengeOut,
    LinkCodeIn,
    LinkCodeOut,
    LinkList,
    LinkOut,
    LinkPath,
    LinkQuery,
    RedeemIn,
    SessionIn,
    SessionOut,
    SubjectPath,
)
from api.problems import Problem
from api.routing import Resp, operation, reply
from api.services import services
from ledger.core.canonical import canonical_bytes
from ledger.core.entry import SignedRecord
from ledger.core.keys import signing_input
from ledger.core.records import KeyRecord
from ledger.core.times import format_time
from ledger.principals import Principal
from ledger.workerlinks import Link, LinkError, WorkerLinks

bp = Blueprint("worker_links", __name__, url_prefix="/v1")

SESSION_TAG: Final = b"siteledger/worker-session/v1"
SESSION_TTL: Final = timedelta(minutes=15)
LINK_PER_MINUTE: Final = 30
LINK_BURST: Final = 20
"""Calls a minute, per client address, to the endpoints that take no token, in bursts of up to
``LINK_BURST``: a page that signs in makes two, one waiting for approval one every 5 s."""


def _links() -> WorkerLinks:
    return WorkerLinks(services().store.engine)


def _throttle() -> None:
    """The per-address limit of the token-less endpoints (shared by every API process)."""
    svc = services()
    where = request.remote_addr or "unknown"
    wait = svc.limiter.state.take(f"worker-link/{where}", time.time(), 60.0 / LINK_PER_MINUTE,
                                  float(LINK_BURST))  # fmt: skip
    if wait > 0:
        raise Problem("rate-limited",
                      f"{where} is limited to {LINK_PER_MINUTE} enrollment and session calls "
                      "a minute", headers={"Retry-After": svc.limiter.retry_after(wait)})  # fmt: skip


def _problem(exc: LinkError) -> Problem:
    field = {"link-code-unknown": "code", "link-code-expired": "code", "link-code-used": "code",
             "key-in-use": "public_key", "challenge-invalid": "challenge"}.get(exc.code)  # fmt: skip
    return Problem(exc.code, exc.reason, field=field)


def _t(value: datetime | None) -> str | None:
    return format_time(value) if value is not None else None


def _out(link: Link) -> dict[str, object]:
    return {
        "link_id": link.link_id, "project": link.project, "subject": link.subject,
        "state": link.state, "created_by": link.created_by,
        "created_at": format_time(link.created_at), "expires_at": format_time(link.expires_at),
        "redeemed_at": _t(link.redeemed_at),
        "public_key": link.public_key.hex() if link.public_key is not None else None,
        "key_id": link.key_id, "decided_by": link.decided_by, "decided_at": _t(link.decided_at),
        "key_seq": link.key_seq,
    }  # fmt: skip


def _enrolled(subject: str, project: str) -> bool:
    return bool(services().store.entries(subject=subject, type="enrollment", project=project,
                                         limit=1))  # fmt: skip


def qr_svg(text: str) -> str:
    """``text`` as a QR code (error correction M), an SVG document of black squares."""
    import qrcode  # type: ignore[import-untyped]
    import qrcode.image.svg  # type: ignore[import-untyped]

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)  # fmt: skip
    qr.add_data(text)
    qr.make(fit=True)
    svg: str = qr.make_image().to_string(encoding="unicode")
    return svg


@bp.post("/workers/<subject>/link-codes")
@operation(
    summary="Make a one-time enrollment code for a worker's page",
    tags=("worker page",),
    roles=("admin", "contractor"),
    path=SubjectPath,
    body=LinkCodeIn,
    description=(
        "A one-time code for the worker to open the worker page (`/w/#code=…`) on his phone: "
        "his browser makes a key and redeems the code with it; the key is registered when the "
        "contractor approves. The code expires after `ttl_minutes` (default 24 h), is spent on "
        "first use and is shown only in this answer (stored hashed). The worker must be "
        "enrolled on the project, and the project must be the caller's. `qr_svg` is the link "
        "as a QR code to print. Logged."
    ),
    responses={201: Resp("the code, its link and QR code", LinkCodeOut)},
)
def create_code(subject: str, body: LinkCodeIn) -> Response:
    svc, who = services(), auth.principal()
    auth.require_project(who, body.project)
    if not _enrolled(subject, body.project):
        raise Problem("not-enrolled", f"worker {subject} has no enrollment on project "
                      f"{body.project}", field="subject")  # fmt: skip
    link, code = _links().create(body.project, subject, who.principal_id, svc.clock(),
                                 timedelta(minutes=body.ttl_minutes))  # fmt: skip
    auth.log_access("link-code", subject=subject, project=body.project, detail=link.link_id)
    url = f"{request.url_root.rstrip('/')}/w/#code={code}"
    out = {"link_id": link.link_id, "code": code, "link": url, "qr_svg": qr_svg(url),
           "project": link.project, "subject": subject,
           "expires_at": format_time(link.expires_at)}  # fmt: skip
    return reply(LinkCodeOut, out, 201)


@bp.post("/link-codes/redeem")
@operation(
    summary="Redeem an enrollment code with the worker's public key",
    tags=("worker page",),
    roles=None,
    body=RedeemIn,
    description=(
        "No token: the code is the credential. Spends the code and files a request for the "
        "contractor to approve; answers 202 with the request (`state: pending`). A code that "
        "does not exist is 404 `link-code-unknown`, an expired one 410 `link-code-expired`, "
        "one used before 409 `link-code-used`, a public key that already redeemed a code 409 "
        "`key-in-use`. Limited per client address."
    ),
    responses={202: Resp("waiting for the contractor's approval", LinkOut)},
)
def redeem(body: RedeemIn) -> Response:
    _throttle()
    public = bytes.fromhex(body.public_key)
    if not crypto_core_ed25519_is_valid_point(public):
        # a small-order point (or none): any "signature" verifies under it with a lax verifier
        raise Problem("invalid-body", "not a usable Ed25519 public key: a point of small order "
                      "or not on the curve", field="public_key")  # fmt: skip
    try:
        link = _links().redeem(body.code, public, services().clock())
    except LinkError as exc:
        raise _problem(exc) from exc
    return reply(LinkOut, _out(link), 202)


@bp.get("/link-requests")
@operation(
    summary="List enrollment codes and the keys redeemed with them",
    tags=("worker page",),
    roles=("admin", "contractor"),
    query=LinkQuery,
    description=(
        "Newest first; a contractor sees its projects' only. `state=pending` lists the keys "
        "waiting for approval."
    ),
    responses={200: Resp("the requests", LinkList)},
)
def list_requests(query: LinkQuery) -> Response:
    who = auth.principal()
    projects: frozenset[str] | None = None if who.role == "admin" else who.projects
    if query.project is not None:
        auth.require_project(who, query.project)
        projects = frozenset({query.project})
    links = _links().list(projects, state=query.state, subject=query.subject, limit=query.limit)
    return reply(LinkList, {"requests": [_out(x) for x in links]})


def _request_of(who: Principal, link_id: str) -> Link:
    link = _links().get(link_id)
    if link is None or not who.covers(link.project):
        raise Problem("not-found", f"no enrollment request {link_id}")
    return link


@bp.post("/link-requests/<link_id>/approve")
@operation(
    summary="Approve a worker's key",
    tags=("worker page",),
    roles=("admin", "contractor"),
    path=LinkPath,
    description=(
        "Logs the worker's `key` record (`id` `worker-key-<link_id>`, role `worker`, holder = "
        "the worker's subject, the code's project, `time` and `valid_from` = when the code was "
        "redeemed), signed by the operator root key, and opens worker sessions for the key. "
        "Only a pending request (409 `conflict-state` otherwise). Logged."
    ),
    responses={200: Resp("approved, with the key record's seq", LinkOut)},
)
def approve(link_id: str) -> Response:
    svc, who = services(), auth.principal()
    link = _request_of(who, link_id)
    if link.state != "pending" or link.public_key is None or link.redeemed_at is None:
        raise Problem("conflict-state", f"request {link_id} is {link.state}, not pending")
    operator = svc.store.operator_key
    at = link.redeemed_at.replace(microsecond=0)
    rec = KeyRecord(
        id=f"worker-key-{link_id}", signer=operator.key_id, time=at, action="register",
        public_key=link.public_key, holder=link.subject, roles=("worker",),
        projects=(link.project,), valid_from=at,
    )  # fmt: skip
    result = svc.store.append([SignedRecord.sign(rec, operator)])[0]
    svc.metrics.record_results([(result.status, result.code or "")])
    if not result.ok or result.seq is None:
        raise Problem(result.code or "rejected", result.message, field=result.field)
    worker = svc.principals.create(f"worker {link.subject} key {link.key_id}", "worker",
                                   svc.clock(), projects={link.project},
                                   subject=link.subject)  # fmt: skip
    try:
        link = _links().approve(link_id, who.principal_id, svc.clock(), result.seq,
                                worker.principal_id)  # fmt: skip
    except LinkError as exc:
        svc.principals.disable(worker.principal_id, svc.clock())
        raise _problem(exc) from exc
    auth.log_access("link-approve", subject=link.subject, project=link.project, detail=link_id)
    return reply(LinkOut, _out(link))


@bp.post("/link-requests/<link_id>/reject")
@operation(
    summary="Reject a worker's key",
    tags=("worker page",),
    roles=("admin", "contractor"),
    path=LinkPath,
    description="Only a pending request; nothing is logged in the ledger. Logged.",
    responses={200: Resp("rejected", LinkOut)},
)
def reject(link_id: str) -> Response:
    svc, who = services(), auth.principal()
    _request_of(who, link_id)
    try:
        link = _links().reject(link_id, who.principal_id, svc.clock())
    except LinkError as exc:
        raise _problem(exc) from exc
    auth.log_access("link-reject", subject=link.subject, project=link.project, detail=link_id)
    return reply(LinkOut, _out(link))


def _approved(key_id: str) -> Link:
    """The approved link of ``key_id`` whose key the log still holds, or a problem saying why."""
    link = _links().by_key(key_id)
    if link is None:
        raise Problem("not-found", f"no worker key {key_id}", field="key_id")
    if link.state == "pending":
        raise Problem("link-pending", "the contractor has not approved this key yet",
                      field="key_id", headers={"Retry-After": "5"})  # fmt: skip
    if link.state == "rejected":
        raise Problem("link-rejected", "the contractor rejected this key; ask for a new code",
                      field="key_id")  # fmt: skip
    grant = services().store.grant(key_id)
    if grant is None or grant.revoked_seq is not None:
        raise Problem("link-rejected", f"key {key_id} was revoked", field="key_id")
    return link


@bp.post("/worker-sessions/challenge")
@operation(
    summary="A challenge for a worker's key to sign",
    tags=("worker page",),
    roles=None,
    body=ChallengeIn,
    description=(
        "No token. 32 random bytes, valid for 2 minutes and once. 409 `link-pending` (with "
        "`Retry-After`) while the contractor has not approved the key, 403 `link-rejected` "
        "once rejected or revoked. Limited per client address."
    ),
    responses={200: Resp("the challenge", ChallengeOut)},
)
def challenge(body: ChallengeIn) -> Response:
    _throttle()
    _approved(body.key_id)
    value, expires = _links().challenge(body.key_id, services().clock())
    return reply(ChallengeOut, {"key_id": body.key_id, "challenge": value.hex(),
                                "expires_at": format_time(expires)})  # fmt: skip


def session_message(key_id: str, challenge_hex: str) -> bytes:
    """What a worker's key signs for a session, under ``SESSION_TAG`` (docs/api.md)."""
    return canonical_bytes({"challenge": challenge_hex, "key_id": key_id})


@bp.post("/worker-sessions")
@operation(
    summary="Open a worker session with a signed challenge",
    tags=("worker page",),
    roles=None,
    body=SessionIn,
    description=(
        "No token. `sig` is the worker key's Ed25519 signature over `siteledger/worker-session/v1`"
        " ‖ 0x00 ‖ the canonical bytes of `{\"challenge\", \"key_id\"}`. Answers a bearer token "
        "of the worker's principal for 15 minutes. 401 `challenge-invalid` (unknown, used or "
        "expired challenge), 401 `session-signature-invalid`. Limited per client address."
    ),
    responses={201: Resp("the session token", SessionOut)},
)
def open_session(body: SessionIn) -> Response:
    _throttle()
    svc = services()
    link = _approved(body.key_id)
    now = svc.clock()
    try:
        _links().spend_challenge(bytes.fromhex(body.challenge), body.key_id, now)
    except LinkError as exc:
        raise _problem(exc) from exc
    assert link.public_key is not None and link.principal_id is not None
    try:
        # libsodium, as for records on ingest: it refuses small-order keys and non-canonical
        # signatures, which OpenSSL's check lets through
        crypto_sign_open(bytes.fromhex(body.sig) + signing_input(
            SESSION_TAG, session_message(body.key_id, body.challenge)), link.public_key)  # fmt: skip
    except (BadSignatureError, ValueError, TypeError) as exc:
        raise Problem("session-signature-invalid", f"the session signature does not verify under "
                      f"key {body.key_id}", field="sig") from exc
    expires = now.astimezone(UTC) + SESSION_TTL
    _, token = svc.principals.issue_token(link.principal_id, now, expires_at=expires,
                                          label=f"worker page {body.key_id}")  # fmt: skip
    out = {"token": token, "expires_at": format_time(expires), "principal_id": link.principal_id,
           "subject": link.subject, "project": link.project, "key_id": body.key_id}  # fmt: skip
    return reply(SessionOut, out, 201)
