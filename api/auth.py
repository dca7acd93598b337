"""Bearer-token authentication, roles, project scopes and the access log.

Two kinds of identity meet here and must not be confused:

* the API **principal** (``ledger.principals``) is who calls the API: it decides what a request
  may read and which records it may *submit*;
* the ledger **signing key** (a ``key`` record in the log) is who *signed* a record: the store
  decides whether that key may sign it.

A record passes both checks or is refused. A device principal posting a wage line signed by a
real contractor key is refused here (a device may submit attendance of its own project only),
however valid the signature.

Roles:

========== =========================================================================
admin      everything, including principals, tokens and erasure
contractor records of its projects (not ``project`` records), its workers' identities
device     attendance records of its one project; reads attendance of that project
auditor    read-only, every project in scope, each request under a case reference
           (``X-Case-Reference``) and written to the access log
insurer    presence queries and proofs of attendance/enrollment/exit, logged
worker     own records only, and own ``ack`` records
========== =========================================================================
"""

from __future__ import annotations

from typing import Final
from urllib.parse import unquote

from flask import g, request

from api.problems import Problem
from api.services import services
from ledger.core.records import Record
from ledger.principals import Principal, TokenRejected

CASE_HEADER: Final = "X-Case-Reference"
LOGGED_ROLES: Final = frozenset({"auditor", "insurer"})
INSURER_TYPES: Final = frozenset({"attendance", "enrollment", "exit"})
ADMIN_ONLY_TYPES: Final = frozenset({"project"})
WWW_AUTH: Final = 'Bearer realm="siteledger"'


def authenticate() -> Principal:
    """The principal of this request's bearer token; raises a 401 or 429 Problem."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise Problem(
            "unauthenticated", "send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": WWW_AUTH},
        )  # fmt: skip
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            "unauthenticated", "the Authorization header must be: Bearer <token>",
            headers={"WWW-Authenticate": WWW_AUTH},
        )  # fmt: skip
    svc = services()
    try:
        principal = svc.principals.authenticate(token, svc.clock())
    except TokenRejected as exc:
        raise Problem(
            "invalid-token", exc.reason,
            headers={"WWW-Authenticate": WWW_AUTH + ', error="invalid_token"'},
        ) from exc  # fmt: skip
    wait = svc.limiter.take(principal.principal_id)
    if wait > 0:
        raise Problem(
            "rate-limited",
            f"principal {principal.principal_id} is limited to "
            f"{svc.config.rate_limit_per_minute} requests a minute",
            headers={"Retry-After": svc.limiter.retry_after(wait)},
        )
    g.principal = principal
    return principal


def principal() -> Principal:
    p: Principal = g.principal
    return p


def case_reference() -> str | None:
    """The request's case reference, checked; None when absent.

    Case numbers are often Chinese (京劳人仲字〔2026〕第123号): send them percent-encoded UTF-8.
    """
    raw = request.headers.get(CASE_HEADER)
    if raw is None:
        return None
    try:
        value = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        value = ""
    if not 1 <= len(value) <= 128 or not value.strip() or not value.isprintable():
        raise Problem(
            "invalid-parameter",
            "a case reference is 1..128 printable characters (percent-encode non-ASCII)",
            field=CASE_HEADER,
        )
    return value


def admit(p: Principal, roles: tuple[str, ...], action: str) -> None:
    """Role check for an operation, the auditor's case reference, and the access log."""
    if p.role not in roles:
        raise Problem("forbidden", f"role {p.role} may not {action}")
    case = case_reference()
    if p.role == "auditor" and case is None:
        raise Problem(
            "case-reference-required",
            f"auditors send the case (arbitration file) reference in {CASE_HEADER}",
            field=CASE_HEADER,
        )
    if p.role in LOGGED_ROLES:
        log_access((request.endpoint or "unknown")[:32], detail=request.full_path.rstrip("?"))


def log_access(
    action: str, *, subject: str | None = None, project: str | None = None,
    detail: str | None = None,
) -> None:  # fmt: skip
    """Write an access-log line for the current principal before any data is returned."""
    svc = services()
    svc.principals.log_access(
        principal(), action, svc.clock(), subject=subject, project=project,
        case_ref=case_reference(), detail=detail,
    )  # fmt: skip


def forbid(detail: str) -> Problem:
    return Problem("forbidden", detail)


def require_project(p: Principal, project: str | None) -> None:
    if not p.covers(project):
        raise forbid(f"principal {p.principal_id} is not scoped to project {project}")


def may_read_entry(p: Principal, rec: Record) -> bool:
    """Whether ``p`` may read an entry holding ``rec``.

    Entries about no project (key registrations, the genesis root) hold public keys and nothing
    personal: everyone may read them, since every proof needs them.
    """
    project = rec.project_code
    if p.role == "admin" or project is None:
        return True
    if p.role == "worker":
        return rec.subject_id is not None and rec.subject_id == p.subject
    if not p.covers(project):
        return False
    if p.role == "device":
        return rec.TYPE == "attendance"
    if p.role == "insurer":
        return rec.TYPE in INSURER_TYPES
    return True


def check_read_entry(p: Principal, rec: Record, seq: int) -> None:
    if not may_read_entry(p, rec):
        raise forbid(f"principal {p.principal_id} ({p.role}) may not read entry {seq}")


def submit_refusal(p: Principal, rec: Record) -> str | None:
    """Why ``p`` may not submit ``rec`` (whoever signed it), or None if it may."""
    kind = rec.TYPE
    if p.role == "admin":
        return None
    if p.role == "contractor":
        if kind in ADMIN_ONLY_TYPES:
            return f"only an admin may submit {kind} records"
        if kind == "key":
            projects = set(getattr(rec, "projects", ()))
            if not projects or not projects <= p.projects:
                return "a contractor may submit key records for its own projects only"
            return None
        if not p.covers(rec.project_code):
            return f"project {rec.project_code} is not one of this principal's projects"
        return None
    if p.role == "device":
        if kind != "attendance":
            return f"a device may submit attendance records only, not {kind}"
        if not p.covers(rec.project_code):
            return f"project {rec.project_code} is not this device's project"
        return None
    if p.role == "worker":
        if kind != "ack":
            return f"a worker may submit ack records only, not {kind}"
        if rec.subject_id != p.subject:
            return f"a worker may acknowledge own records only, not those of {rec.subject_id}"
        return None
    return f"role {p.role} may not submit records"
