"""Workers: the identity vault (enroll, lookup, disclose, erase), own records, acks, presence.

Every call that reads or writes a plaintext identity is written to the access log before the
answer is sent. ID numbers travel in request bodies only, never in URLs (which end up in logs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response

from api import auth, serialise
from api.ingest import submit
from api.models import (
    EnrolledOut,
    EnrollIn,
    EntryPage,
    ErasedOut,
    EraseIn,
    IdentityOut,
    LookupIn,
    LookupOut,
    PresenceBundleQuery,
    PresenceOut,
    PresenceQuery,
    ProofBundle,
    RecordResult,
    SubjectPath,
    WageBundleQuery,
    WorkerRecordsQuery,
)
from api.presence import presence
from api.problems import Problem, problem_body
from api.routing import Resp, operation, reply
from api.services import services
from ledger.batcher import NotSealed
from ledger.core.times import format_time
from ledger.principals import Principal
from ledger.vault import Erased, VaultError

try:
    from ledger.bundle import BundleError, build_presence_bundle, build_wage_bundle
except ImportError:  # pragma: no cover - only before ledger.bundle existed
    build_presence_bundle = build_wage_bundle = None  # type: ignore[assignment]
    BundleError = LookupError  # type: ignore[assignment,misc]

bp = Blueprint("workers", __name__, url_prefix="/v1")


def enrolled_in_scope(who: Principal, subject: str) -> bool:
    """Whether ``subject`` has an enrollment record on one of ``who``'s projects."""
    store = services().store
    return any(
        store.entries(subject=subject, type="enrollment", project=p, limit=1)
        for p in sorted(who.projects)
    )


def may_find(who: Principal, subject: str) -> bool:
    """Whether ``who`` may learn that ``subject``'s identity is in the vault: admins always,
    contractors when the worker has an enrollment record on one of their projects. Enrolling
    and looking up answer by this one rule, so neither tells a caller more than the other."""
    return who.role == "admin" or (who.role == "contractor" and enrolled_in_scope(who, subject))


def check_worker_access(who: Principal, subject: str) -> None:
    """Admins and unscoped auditors see any worker; contractors and scoped auditors see workers
    enrolled on their projects; a worker sees itself."""
    if who.role == "admin" or (who.role == "auditor" and not who.projects):
        return
    if who.role == "worker" and who.subject == subject:
        return
    if who.role in ("contractor", "auditor") and enrolled_in_scope(who, subject):
        return
    raise auth.forbid(f"principal {who.principal_id} ({who.role}) may not access worker {subject}")


@bp.post("/workers")
@operation(
    summary="Enroll a worker's identity in the vault",
    tags=("workers",),
    roles=("admin", "contractor"),
    body=EnrollIn,
    description=(
        "Seals the plaintext identity (AES-256-GCM) and returns the pseudonymous subject id and "
        "the salted commitment to put into the `enrollment` record. One person has one subject: "
        "an ID number already in the vault gets its existing subject and commitment. The answer "
        "never says whether the person is enrolled elsewhere: **200** (`created: false`) only "
        "when the caller may already find the worker (`POST /v1/workers/lookup` would answer), "
        "otherwise **201** (`created: true`), whether the ID number is new to the vault or "
        "enrolled only on projects the caller cannot see. Logged."
    ),
    responses={
        201: Resp("a subject new to the caller", EnrolledOut),
        200: Resp("a worker the caller can already find by lookup", EnrolledOut),
    },
)
def enroll(body: EnrollIn) -> Response:
    svc, who = services(), auth.principal()
    auth.require_project(who, body.project)
    if not svc.store.entries(project=body.project, type="project", limit=1):
        raise Problem("unknown-project", f"no project {body.project!r} in the log", field="project")
    try:
        got = svc.vault.enroll(body.project, body.identity.model_dump(exclude_none=True),
                               svc.clock())  # fmt: skip
    except VaultError as exc:
        raise Problem("invalid-body", str(exc), field=getattr(exc, "field", None)) from exc
    known = not got.created and may_find(who, got.subject)
    detail = "created" if got.created else ("existing" if known else "existing, not visible")
    auth.log_access("enroll", subject=got.subject, project=body.project, detail=detail)
    # a worker the caller may not find is answered exactly as a new one: no identity oracle
    out = {"subject": got.subject, "commitment": got.commitment.hex(), "created": not known}
    return reply(EnrolledOut, out, 200 if known else 201)


@bp.post("/workers/lookup")
@operation(
    summary="Find a worker by ID number",
    tags=("workers",),
    roles=("admin", "contractor"),
    body=LookupIn,
    description=(
        "Looks the ID number up through the vault's keyed hash (HMAC), never a plain hash. "
        "Contractors find only workers enrolled on their projects. Logged."
    ),
    responses={200: Resp("the worker's subject id", LookupOut)},
)
def lookup(body: LookupIn) -> Response:
    svc, who = services(), auth.principal()
    subject = svc.vault.lookup(body.id_type, body.id_number)
    auth.log_access("lookup", subject=subject, detail="found" if subject else "not found")
    if subject is None or not may_find(who, subject):
        raise Problem("not-found", "no worker with this ID number")
    return reply(LookupOut, {"subject": subject})


@bp.get("/workers/<subject>/identity")
@operation(
    summary="Disclose a worker's identity",
    tags=("workers",),
    roles=("admin", "contractor", "auditor", "worker"),
    path=SubjectPath,
    description=(
        "The plaintext identity and the salt that open the enrollment commitment. Admins, "
        "contractors of the worker's projects, auditors under a case reference, and the worker. "
        "Logged."
    ),
    responses={
        200: Resp("the identity", IdentityOut),
        410: Resp("the identity was erased"),
    },
)
def identity(subject: str) -> Response:
    svc = services()
    check_worker_access(auth.principal(), subject)
    auth.log_access("disclose", subject=subject)
    try:
        fields, salt, commitment = svc.vault.disclose(subject)
    except Erased as exc:
        raise Problem("erased", str(exc)) from exc
    except VaultError as exc:
        raise Problem("not-found", f"no identity for worker {subject}") from exc
    out = {"subject": subject, "identity": fields, "salt": salt.hex(),
           "commitment": commitment.hex()}  # fmt: skip
    return reply(IdentityOut, out)


@bp.post("/workers/<subject>/erasure")
@operation(
    summary="Erase a worker's identity",
    tags=("workers",),
    roles=("admin",),
    path=SubjectPath,
    body=EraseIn,
    description=(
        "Crypto-shredding (个人信息保护法 §47): the plaintext, the salt and the lookup value go; "
        "the commitment and every record and proof stay valid. Irreversible. Logged."
    ),
    responses={
        200: Resp("erased", ErasedOut),
        409: Resp("already erased"),
    },
)
def erase(subject: str, body: EraseIn) -> Response:
    svc = services()
    auth.log_access("erase", subject=subject, detail=body.reason)
    try:
        svc.vault.erase(subject, body.reason, svc.clock())
    except Erased as exc:
        raise Problem("conflict-state", str(exc)) from exc
    except VaultError as exc:
        raise Problem("not-found", str(exc)) from exc
    return reply(ErasedOut, {"subject": subject, "erased": True})


@bp.get("/workers/<subject>/records")
@operation(
    summary="List a worker's entries",
    tags=("workers",),
    roles=("admin", "contractor", "auditor", "worker"),
    path=SubjectPath,
    query=WorkerRecordsQuery,
    description=(
        "The worker's entries in log order. Contractors see those of their projects (name the "
        "project if they have several); a worker sees its own."
    ),
    responses={200: Resp("a page of entries", EntryPage)},
)
def worker_records(subject: str, query: WorkerRecordsQuery) -> Response:
    svc, who = services(), auth.principal()
    check_worker_access(who, subject)
    project = query.project
    if who.role == "contractor":
        if project is None and len(who.projects) == 1:
            project = next(iter(who.projects))
        if project is None:
            raise Problem("invalid-parameter", "name the project to list", field="project")
        auth.require_project(who, project)
    if who.role == "auditor":
        auth.require_project(who, project)
        auth.log_access("worker-records", subject=subject, project=project)
    entries = svc.store.entries(subject=subject, project=project, type=query.type,
                                after_seq=query.after_seq, limit=query.limit)  # fmt: skip
    return reply(EntryPage, serialise.page(entries, query.limit))


@bp.post("/workers/<subject>/acks")
@operation(
    summary="Acknowledge or dispute a wage line or payment",
    tags=("workers",),
    roles=("admin", "worker"),
    path=SubjectPath,
    raw_body=lambda: {"$ref": "#/components/schemas/SignedRecord"},
    description=(
        "An `ack` record signed with the worker's own key, naming a wage or payment entry by its "
        "leaf hash. Same results as `POST /v1/records` for one record."
    ),
    responses={
        201: Resp("accepted", RecordResult),
        200: Resp("duplicate", RecordResult),
        409: Resp("the ack's id is already used with other content"),
    },
)
def post_ack(subject: str, body: Any) -> Response:
    svc, who = services(), auth.principal()
    if who.role == "worker" and who.subject != subject:
        raise auth.forbid("a worker may acknowledge own records only")
    rec = body.get("record") if isinstance(body, dict) else None
    if not isinstance(rec, dict) or rec.get("type") != "ack" or rec.get("subject") != subject:
        raise Problem("invalid-body", f"send a signed ack record about worker {subject}",
                      field="record")  # fmt: skip
    r = submit(svc.store, who, [body])[0]
    svc.metrics.record_results([(r.status, r.code or "")])
    if r.status == "rejected":
        return problem_body(serialise.rejection(r))
    return reply(RecordResult, serialise.result(0, r), 201 if r.status == "accepted" else 200)


# ------------------------------------------------------------------ presence and bundles


def _bundle(build: Callable[[], dict[str, Any]]) -> Response:
    try:
        return reply(ProofBundle, build())
    except NotSealed as exc:
        raise Problem("conflict-state", f"not anchored yet: {exc}", status=409,
                      headers={"Retry-After": "5"}) from exc  # fmt: skip
    except BundleError as exc:
        raise Problem("not-found", str(exc)) from exc


@bp.get("/presence")
@operation(
    summary="Was a worker on site at an instant",
    tags=("presence",),
    roles=("admin", "auditor", "insurer"),
    query=PresenceQuery,
    description=(
        "Enrolled and not exited, and a shift covers `at` (an IN closed by the first OUT "
        "within 16 h, or an IN less than 16 h before `at` with no OUT yet), counting only "
        "entries in force (approved corrections and repairs applied): the rule and the "
        "function of the presence bundle's findings, over every stored entry. A quick "
        "answer; `GET /v1/presence/bundle` is the proof. Logged."
    ),
    responses={200: Resp("the answer and the entries it rests on", PresenceOut)},
)
def get_presence(query: PresenceQuery) -> Response:
    svc, who = services(), auth.principal()
    auth.require_project(who, query.project)
    auth.log_access("presence", subject=query.subject, project=query.project,
                    detail=format_time(query.at))  # fmt: skip
    ans = presence(svc.store, query.subject, query.project, query.at)
    last_in = ans.last_in
    out = {
        "project": query.project, "subject": query.subject, "at": format_time(query.at),
        "enrolled": ans.enrollment is not None, "exited": ans.exit is not None,
        "present": ans.present,
        "enrollment_seq": ans.enrollment.seq if ans.enrollment else None,
        "exit_seq": ans.exit.seq if ans.exit else None,
        "last_in_seq": last_in.seq if last_in else None,
        "last_in_time": format_time(last_in.record.time) if last_in else None,
        "out_after_in_seq": ans.out_after_in.seq if ans.out_after_in else None,
    }  # fmt: skip
    return reply(PresenceOut, out)


@bp.get("/presence/bundle")
@operation(
    summary="Presence proof bundle",
    tags=("presence",),
    roles=("admin", "auditor", "insurer", "worker"),
    query=PresenceBundleQuery,
    description=(
        "The worker's run of entries from the enrollment on the project to the checkpoint "
        "(`as_of_batch`, default the latest anchored batch), each with its inclusion proof and "
        "anchor, ending with the checkpoint's head proofs (docs/proof-format.md). 404 when the "
        "worker has no enrollment on the project at or before `at`, or no such batch; 409 until "
        "the enrollment (or batch `as_of_batch`) is anchored. A worker gets his own only. Logged."
    ),
    responses={200: Resp("the presence bundle", ProofBundle),
               409: Resp("not anchored yet")},
)  # fmt: skip
def get_presence_bundle(query: PresenceBundleQuery) -> Response:
    svc, who = services(), auth.principal()
    if who.role == "worker":  # bound to one subject, whatever the project
        if who.subject != query.subject:
            raise auth.forbid(f"a worker may get his own presence bundle only, not "
                              f"{query.subject}'s")  # fmt: skip
    else:
        auth.require_project(who, query.project)
    auth.log_access("presence-bundle", subject=query.subject, project=query.project,
                    detail=format_time(query.at))  # fmt: skip
    if build_presence_bundle is None:
        raise Problem("not-found", "proof bundles are not available on this server")
    return _bundle(lambda: build_presence_bundle(
        svc.store, query.subject, query.project, query.at, as_of_batch=query.as_of_batch,
        explorer_tx_url=svc.config.chain.explorer_tx_url,
    ))  # fmt: skip


@bp.get("/workers/<subject>/wage-bundle")
@operation(
    summary="Wage dispute bundle for one month",
    tags=("workers",),
    roles=("admin", "auditor", "worker"),
    path=SubjectPath,
    query=WageBundleQuery,
    description=(
        "For arbitration: the worker's run of entries covering the pay month, contiguous by "
        "`subject_seq`, with attendance, wage lines, payments, publications, corrections, "
        "approvals and acks, each proven, up to the checkpoint (`as_of_batch`, default the "
        "latest anchored batch) whose head proofs show nothing after the run is missing. "
        "Auditors need a case reference; logged."
    ),
    responses={200: Resp("the wage bundle", ProofBundle), 409: Resp("not anchored yet")},
)
def get_wage_bundle(subject: str, query: WageBundleQuery) -> Response:
    svc, who = services(), auth.principal()
    check_worker_access(who, subject)
    if who.role == "auditor":
        auth.require_project(who, query.project)
    auth.log_access("wage-bundle", subject=subject, project=query.project,
                    detail=query.pay_month)  # fmt: skip
    if build_wage_bundle is None:
        raise Problem("not-found", "proof bundles are not available on this server")
    return _bundle(lambda: build_wage_bundle(
        svc.store, subject, query.project, query.pay_month, as_of_batch=query.as_of_batch,
        explorer_tx_url=svc.config.chain.explorer_tx_url,
    ))  # fmt: skip
