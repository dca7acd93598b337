"""Projects and organisations (read from the log), API principals, tokens and the access log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from api import auth, serialise
from api.models import (
    AccessPage,
    AccessQuery,
    OrgList,
    PrincipalIn,
    PrincipalList,
    PrincipalOut,
    PrincipalPath,
    ProjectList,
    ProjectPath,
    TokenIn,
    TokenIssued,
    TokenOut,
    TokenPath,
)
from api.problems import Problem
from api.routing import ALL_ROLES, Resp, operation, reply
from api.services import services
from ledger.core.records import OrgRecord, ProjectRecord
from ledger.core.times import format_time
from ledger.principals import LastAdmin, PrincipalError
from ledger.store import StoredEntry

bp = Blueprint("admin", __name__, url_prefix="/v1")
ADMIN = ("admin",)


def _project(s: StoredEntry) -> dict[str, Any]:
    r = s.entry.record
    assert isinstance(r, ProjectRecord)
    return {
        "project": r.project, "name": r.name, "tz_offset": r.tz_offset,
        "general_contractor": r.general_contractor, "start_date": r.start_date.isoformat(),
        "end_date": r.end_date.isoformat() if r.end_date else None, "seq": s.seq,
    }  # fmt: skip


@bp.get("/projects")
@operation(
    summary="List projects",
    tags=("admin",),
    roles=ALL_ROLES,
    description="Projects in the log that the caller is scoped to (all, for an admin).",
    responses={200: Resp("the projects", ProjectList)},
)
def list_projects() -> Response:
    who = auth.principal()
    found = [s for s in services().store.all_entries(type="project")
             if who.covers(s.entry.record.project_code)]  # fmt: skip
    return reply(ProjectList, {"projects": [_project(s) for s in found]})


@bp.get("/projects/<project>/orgs")
@operation(
    summary="List a project's organisations",
    tags=("admin",),
    roles=ALL_ROLES,
    path=ProjectPath,
    description="Organisations and their teams, merged from every `org` record of the project.",
    responses={200: Resp("the organisations", OrgList)},
)
def list_orgs(project: str) -> Response:
    auth.require_project(auth.principal(), project)
    merged: dict[str, dict[str, Any]] = {}
    for s in services().store.all_entries(type="org", project=project):
        r = s.entry.record
        assert isinstance(r, OrgRecord)
        cur = merged.setdefault(r.corp_code, {"teams": {}})
        cur.update(corp_code=r.corp_code, corp_name=r.corp_name, corp_type=r.corp_type, seq=s.seq)
        for t in r.teams:
            cur["teams"][t.team] = {"team": t.team, "name": t.name}
    orgs = [{**o, "teams": list(o["teams"].values())} for o in merged.values()]
    return reply(OrgList, {"project": project, "orgs": orgs})


# ------------------------------------------------------------------ principals and tokens


@bp.get("/me")
@operation(
    summary="Who am I",
    tags=("admin",),
    roles=ALL_ROLES,
    responses={200: Resp("the calling principal", PrincipalOut)},
)
def me() -> Response:
    return reply(PrincipalOut, serialise.principal(auth.principal()))


@bp.get("/principals")
@operation(
    summary="List API principals",
    tags=("admin",),
    roles=ADMIN,
    responses={200: Resp("every principal", PrincipalList)},
)
def list_principals() -> Response:
    found = services().principals.all()
    return reply(PrincipalList, {"principals": [serialise.principal(p) for p in found]})


@bp.post("/principals")
@operation(
    summary="Create an API principal",
    tags=("admin",),
    roles=ADMIN,
    body=PrincipalIn,
    description=(
        "A principal is who may call the API, with a role and a project scope; it is not a "
        "ledger signing key. Contractors need projects, a device exactly one, a worker the "
        "subject it is bound to."
    ),
    responses={201: Resp("the new principal (issue a token next)", PrincipalOut)},
)
def create_principal(body: PrincipalIn) -> Response:
    svc = services()
    try:
        p = svc.principals.create(body.name, body.role, svc.clock(), projects=set(body.projects),
                                  subject=body.subject)  # fmt: skip
    except PrincipalError as exc:
        raise Problem("invalid-body", str(exc)) from exc
    return reply(PrincipalOut, serialise.principal(p, []), 201,
                 {"Location": f"/v1/principals/{p.principal_id}"})  # fmt: skip


def _get(principal_id: str) -> Any:
    p = services().principals.get(principal_id)
    if p is None:
        raise Problem("not-found", f"no principal {principal_id}")
    return p


@bp.get("/principals/<principal_id>")
@operation(
    summary="Read an API principal",
    tags=("admin",),
    roles=ADMIN,
    path=PrincipalPath,
    responses={200: Resp("the principal and its tokens (never the token values)", PrincipalOut)},
)
def get_principal(principal_id: str) -> Response:
    p = _get(principal_id)
    tokens = services().principals.tokens(principal_id)
    return reply(PrincipalOut, serialise.principal(p, tokens))


@bp.post("/principals/<principal_id>/disable")
@operation(
    summary="Disable an API principal",
    tags=("admin",),
    roles=ADMIN,
    path=PrincipalPath,
    description=(
        "Every token of the principal stops working at once. The last active admin cannot be "
        "disabled, by itself or another (409): create another admin first."
    ),
    responses={200: Resp("the disabled principal", PrincipalOut),
               409: Resp("the last active admin")},
)  # fmt: skip
def disable_principal(principal_id: str) -> Response:
    svc = services()
    _get(principal_id)
    try:
        p = svc.principals.disable(principal_id, svc.clock())
    except LastAdmin as exc:
        raise Problem("conflict-state", str(exc), field="principal_id") from exc
    return reply(PrincipalOut, serialise.principal(p, svc.principals.tokens(principal_id)))


@bp.post("/principals/<principal_id>/tokens")
@operation(
    summary="Issue a bearer token",
    tags=("admin",),
    roles=ADMIN,
    path=PrincipalPath,
    body=TokenIn,
    description="The token is in this response only; the server keeps its SHA-256.",
    responses={201: Resp("the new token", TokenIssued), 409: Resp("principal disabled")},
)
def issue_token(principal_id: str, body: TokenIn) -> Response:
    svc = services()
    p = _get(principal_id)
    if p.disabled_at is not None:
        raise Problem("conflict-state", f"principal {principal_id} is disabled")
    now = svc.clock()
    if body.expires_at is not None and body.expires_at <= now:
        raise Problem("invalid-body", "expires_at must be in the future", field="expires_at")
    tok, text = svc.principals.issue_token(principal_id, now, expires_at=body.expires_at,
                                           label=body.label)  # fmt: skip
    out = {"token_id": tok.token_id, "token": text, "principal_id": principal_id,
           "expires_at": format_time(tok.expires_at) if tok.expires_at else None}  # fmt: skip
    return reply(TokenIssued, out, 201)


@bp.post("/tokens/<token_id>/revoke")
@operation(
    summary="Revoke a bearer token",
    tags=("admin",),
    roles=ADMIN,
    path=TokenPath,
    responses={200: Resp("the revoked token", TokenOut)},
)
def revoke_token(token_id: str) -> Response:
    svc = services()
    try:
        tok = svc.principals.revoke_token(token_id, svc.clock())
    except PrincipalError as exc:
        raise Problem("not-found", str(exc)) from exc
    return reply(TokenOut, serialise.token(tok))


@bp.get("/access-log")
@operation(
    summary="Read the access log",
    tags=("admin",),
    roles=ADMIN,
    query=AccessQuery,
    description="Every read of personal data and every auditor and insurer request, in order.",
    responses={200: Resp("a page of the access log", AccessPage)},
)
def access_log(query: AccessQuery) -> Response:
    found = services().principals.access_log(subject=query.subject, after_id=query.after_id,
                                             limit=query.limit)  # fmt: skip
    body = {
        "accesses": [serialise.access(a) for a in found],
        "next_after_id": found[-1].id if len(found) == query.limit else None,
    }
    return reply(AccessPage, body)

