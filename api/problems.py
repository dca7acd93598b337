"""RFC 9457 problem details: the one shape of every error the API returns.

Every error response is ``application/problem+json`` with a stable ``type`` URI
(``https://siteledger.dev/problems/<code>``), the same ``code`` as a member of its own, a
``title`` fixed per code, the HTTP ``status``, a ``detail`` for this occurrence and, when one
field is to blame, its dotted path in ``field`` (e.g. ``record.deductions[2].amount``). Validation failures list every
failing field in ``errors``. Codes of records the ledger refuses are the ``RecordRejected`` codes
of ``ledger.core.errors``; the API adds its own below. No handler ever returns a stack trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from flask import Flask, Response, current_app, json
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ledger.core.errors import LedgerError, StoreError

PROBLEM_BASE: Final = "https://siteledger.dev/problems/"
MEDIA_TYPE: Final = "application/problem+json"

# code -> (HTTP status, title). The title never changes for a code; ``detail`` does.
PROBLEMS: Final[dict[str, tuple[int, str]]] = {
    # request syntax and shape
    "malformed-json": (400, "Request body is not valid JSON"),
    "bad-request": (400, "Malformed HTTP request"),
    "invalid-parameter": (400, "A path or query parameter is invalid"),
    "invalid-body": (422, "Request body does not match the schema"),
    "unsupported-media-type": (415, "Content-Type must be application/json"),
    "body-too-large": (413, "Request body is too large"),
    "length-required": (411, "A request body needs Content-Length or chunked encoding"),
    "uri-too-long": (414, "Request line is too long"),
    "headers-too-large": (431, "Request header fields are too large"),
    "expectation-failed": (417, "Expectation not supported"),
    "too-many-records": (413, "Too many records in one request"),
    "empty-bulk": (422, "A bulk request needs at least one record"),
    # auth
    "unauthenticated": (401, "A valid bearer token is required"),
    "invalid-token": (401, "The bearer token is not valid"),
    "forbidden": (403, "This principal may not do this"),
    "case-reference-required": (403, "Auditors must give a case reference"),
    "rate-limited": (429, "Too many requests"),
    # resources
    "not-found": (404, "No such resource"),
    "method-not-allowed": (405, "Method not allowed on this resource"),
    "not-acceptable": (406, "No acceptable representation"),
    "conflict-state": (409, "The resource is not in a state that allows this"),
    "erased": (410, "The identity was erased"),
    # the worker page's enrollment codes and sessions (docs/worker-page.md)
    "link-code-unknown": (404, "No such enrollment code"),
    "link-code-expired": (410, "The enrollment code has expired"),
    "link-code-used": (409, "The enrollment code was already used"),
    "key-in-use": (409, "This public key already redeemed an enrollment code"),
    "link-pending": (409, "The key waits for the contractor's approval"),
    "link-rejected": (403, "The key was rejected or revoked"),
    "challenge-invalid": (401, "The session challenge is unknown, used or expired"),
    "session-signature-invalid": (401, "The session signature does not verify"),
    # records the ledger refuses (RecordRejected codes and the store's own)
    "malformed": (422, "Record is not a valid signed record"),
    "bad-signature": (422, "Record signature does not verify"),
    "unknown-key": (422, "Record signer is not a registered key"),
    "unauthorised": (422, "Record signer may not sign this record"),
    "conflict": (409, "Record id already used with different content"),
    "future-time": (422, "Record time is in the future"),
    "unknown-project": (422, "Unknown project"),
    "unknown-org": (422, "Unknown organisation"),
    "unknown-team": (422, "Unknown team"),
    "not-enrolled": (422, "Worker is not enrolled"),
    "already-enrolled": (422, "Worker is already enrolled"),
    "already-exited": (422, "Worker has already exited"),
    "unknown-target": (422, "Record names an unknown target"),
    "wrong-subject": (422, "Record is about another worker"),
    "wrong-device": (422, "Record names another device"),
    "already-registered": (422, "Already registered"),
    "already-revoked": (422, "Already revoked"),
    "out-of-order": (422, "Record contradicts the order of earlier records"),
    "unsupported-version": (422, "Record format version is not accepted for new records"),
    "subject-required": (422, "Record must name the worker its target is about"),
    "key-expired": (422, "Record received after its key's validity and sync allowance"),
    "window-closed": (422, "The publication's objection window has closed"),
    "publication-mismatch": (422, "Publication disagrees with the wage line it publishes"),
    "rejected": (422, "Record rejected"),
    # server side
    "unavailable": (503, "Service temporarily unavailable"),
    "not-implemented": (501, "Not implemented by this server"),
    "http-version-not-supported": (505, "HTTP version not supported"),
    "internal": (500, "Internal server error"),
}


class Problem(Exception):
    """An error to send as problem details. Raise it from views; the handler renders it."""

    def __init__(
        self,
        code: str,
        detail: str | None = None,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        known = PROBLEMS.get(code, (422, "Record rejected"))
        super().__init__(detail or known[1])
        self.code = code
        self.status = status or known[0]
        self.title = known[1]
        self.detail = detail
        self.field = field
        self.errors = errors
        self.headers = dict(headers or {})
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        return problem_json(
            self.code, self.detail, field=self.field, errors=self.errors, status=self.status,
            **self.extra,
        )  # fmt: skip


def problem_json(
    code: str,
    detail: str | None = None,
    *,
    field: str | None = None,
    errors: list[dict[str, str]] | None = None,
    status: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    known = PROBLEMS.get(code, (422, "Record rejected"))
    out: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": known[1],
        "status": status or known[0],
        "detail": detail or known[1],
        "code": code,
    }
    if field is not None:
        out["field"] = field
    if errors:
        out["errors"] = errors
    out.update(extra)
    return out


def problem_response(p: Problem) -> Response:
    return problem_body(p.to_json(), p.headers)


def problem_body(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """Send an already-built problem object (``problem_json``) with its own status."""
    resp = Response(json.dumps(body, ensure_ascii=False), status=body["status"], mimetype=MEDIA_TYPE)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


_HTTP_CODES: Final = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    411: "length-required",
    413: "body-too-large",
    414: "uri-too-long",
    415: "unsupported-media-type",
    417: "expectation-failed",
    429: "rate-limited",
    431: "headers-too-large",
    501: "not-implemented",
    505: "http-version-not-supported",
}


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = _HTTP_CODES.get(status, "internal" if status >= 500 else "not-found")
    allowed: list[str] = sorted(getattr(exc, "valid_methods", None) or [])
    detail = {
        404: "no such resource",
        405: f"allowed methods: {', '.join(allowed)}" if allowed else None,
        413: f"request bodies are limited to {current_app.config.get('MAX_CONTENT_LENGTH')} bytes",
    }.get(status)
    p = Problem(code, detail, status=status)
    resp = problem_response(p)
    if status == 405 and allowed:
        resp.headers["Allow"] = ", ".join(allowed)
    return resp


def _ledger_error(exc: LedgerError) -> Response:
    if isinstance(exc, StoreError):
        current_app.logger.error("store error: %s", exc)
        return problem_response(
            Problem("unavailable", "the ledger database is unavailable; retry later",
                    headers={"Retry-After": "1"})
        )  # fmt: skip
    current_app.logger.exception("unhandled ledger error")
    return problem_response(Problem("internal", "the server failed to handle this request"))


def _database_error(exc: SQLAlchemyError) -> Response:
    current_app.logger.error("database error: %s", exc)
    return problem_response(
        Problem("unavailable", "the ledger database is unavailable; retry later",
                headers={"Retry-After": "1"})
    )  # fmt: skip


def _unexpected(exc: Exception) -> Response:
    current_app.logger.exception("unhandled error")
    return problem_response(Problem("internal", "the server failed to handle this request"))


def register(app: Flask) -> None:
    """Install the handlers that turn every error into problem details."""
    app.register_error_handler(Problem, problem_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(LedgerError, _ledger_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
    app.register_error_handler(Exception, _unexpected)
