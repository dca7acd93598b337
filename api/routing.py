"""The ``operation`` decorator: one declaration per endpoint drives auth, parsing and OpenAPI.

A view declares who may call it, its path, query and body models and its responses. The wrapper
authenticates, checks the role, validates path, query and body (turning every failure into a
problem naming the field), and passes the parsed values in. The OpenAPI generator
(``api.openapi``) reads the same declaration, so the document describes exactly what is checked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from flask import Response, current_app, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import LimitedStream

from api import auth
from api.problems import Problem
from api.services import services
from ledger.core.canonical import decode_json
from ledger.core.errors import EncodingError
from ledger.principals import ROLES

ALL_ROLES: Final = ROLES
JSON_TYPES: Final = ("application/json",)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Resp:
    """A documented response: description and model (or a raw JSON schema, or None)."""

    description: str
    model: type[BaseModel] | dict[str, Any] | None = None
    media_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    summary: str
    tags: tuple[str, ...]
    roles: tuple[str, ...] | None  # None: public, no token
    responses: Mapping[int, Resp]
    description: str = ""
    path: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    raw_body: Callable[[], dict[str, Any]] | None = None  # schema of a body parsed by the view
    case_header: bool = False


def operation(
    *,
    summary: str,
    tags: tuple[str, ...],
    responses: Mapping[int, Resp],
    roles: tuple[str, ...] | None = ALL_ROLES,
    description: str = "",
    path: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    raw_body: Callable[[], dict[str, Any]] | None = None,
) -> Callable[[F], F]:
    op = Operation(
        summary=summary, tags=tags, roles=roles, responses=responses, description=description,
        path=path, query=query, body=body, raw_body=raw_body,
        case_header=roles is not None and "auditor" in roles,
    )  # fmt: skip

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def view(**kwargs: Any) -> Any:
            if op.roles is not None:
                auth.admit(auth.authenticate(), op.roles, summary[0].lower() + summary[1:])
            if op.path is not None:
                kwargs = _validate(op.path, kwargs, "invalid-parameter").model_dump()
            if op.query is not None:
                kwargs["query"] = _validate(op.query, _query_args(), "invalid-parameter")
            if op.body is not None:
                kwargs["body"] = _validate(op.body, read_json(), "invalid-body")
            elif op.raw_body is not None:
                kwargs["body"] = read_json()
            return fn(**kwargs)

        view.__operation__ = op  # type: ignore[attr-defined]
        return view  # type: ignore[return-value]

    return decorate


def operation_of(fn: Callable[..., Any]) -> Operation | None:
    return getattr(fn, "__operation__", None)


def _query_args() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise Problem("invalid-parameter", f"parameter {key} given {len(values)} times",
                          field=key)  # fmt: skip
        out[key] = values[0]
    return out


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], data: Any, code: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"field": _loc(e["loc"]) or "body", "message": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        first = errors[0]
        raise Problem(
            code, f"{first['field']}: {first['message']}", field=first["field"], errors=errors
        ) from exc


def read_json() -> Any:
    """The request body as strict JSON (no duplicate keys, floats, NaN, deep nesting, trailing
    data), read whole (``read_body``) before it is parsed, in UTF-8 only."""
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        raise Problem(
            "unsupported-media-type",
            f"send Content-Type: application/json, not {request.mimetype or 'nothing'}",
            field="Content-Type",
        )
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        raise Problem("unsupported-media-type",
                      f"JSON bodies are UTF-8 (RFC 8259), not charset={charset}",
                      field="Content-Type")  # fmt: skip
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise Problem("unsupported-media-type", f"Content-Encoding {encoding} is not accepted",
                      field="Content-Encoding")  # fmt: skip
    limit = services().config.max_body_bytes
    data = read_body(limit)
    if not data:
        raise Problem("malformed-json", "the request body is empty")
    try:
        return decode_json(data, max_bytes=limit)
    except EncodingError as exc:
        raise Problem("malformed-json", str(exc)) from exc


DRAIN_FACTOR: Final = 4  # an oversize body up to this many times the limit is read to its end


def read_body(limit: int) -> bytes:
    """The whole request body, with or without Content-Length (chunked), or a 413 problem.

    Nothing is cut off: a body of more than ``limit`` bytes is refused, never truncated to its
    first ``limit`` bytes (a JSON value followed by megabytes of spaces and then garbage must not
    parse as the value). A body the server neither delimits by Content-Length nor terminates
    itself (chunked) is refused with 411. An oversize body up to ``DRAIN_FACTOR`` times the limit
    is read to its end and discarded, so that the client, still sending, gets the 413 instead
    of a reset connection.
    """
    env = request.environ
    coding = request.headers.get("Transfer-Encoding")
    if coding is not None and [c.strip(" \t").lower() for c in coding.split(",")] != ["chunked"]:
        # the HTTP server undid the chunking and nothing else: a body gzip-coded before it was
        # chunked would reach the parser still coded
        raise Problem("not-implemented", f"Transfer-Encoding {coding!r}: this server decodes "
                      "chunked alone; send the body as it is, chunked or with Content-Length",
                      field="Transfer-Encoding")  # fmt: skip
    length = request.content_length
    stream: Any = env["wsgi.input"]
    if length is not None:
        if length > limit:
            _drain(LimitedStream(stream, length) if length <= DRAIN_FACTOR * limit else None,
                   DRAIN_FACTOR * limit)  # fmt: skip
            raise _too_large(limit, f"Content-Length {length}")
        stream = LimitedStream(stream, length)
    elif not env.get("wsgi.input_terminated"):
        if request.headers.get("Transfer-Encoding"):
            raise Problem("length-required", "send the body with Content-Length")
        return b""  # no Content-Length, not chunked: no body
    parts: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = stream.read(min(65536, limit + 1 - size))
        except HTTPException:
            raise  # the development server's own refusal (a client that went away: 400)
        except Exception as exc:  # noqa: BLE001 - each server has its own errors for a broken
            # chunk or a body that ended too early (gunicorn's are no OSError)
            raise Problem("bad-request", f"the body could not be read: {exc}") from exc
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            _drain(stream, (DRAIN_FACTOR - 1) * limit)
            raise _too_large(limit, "the body")
        parts.append(chunk)


def _too_large(limit: int, what: str) -> Problem:
    return Problem("body-too-large", f"{what} is over the limit of {limit} bytes a request",
                   field="body")  # fmt: skip


def _drain(stream: Any, budget: int) -> None:
    """Read and discard up to ``budget`` bytes of the rest of the body."""
    if stream is None:
        return
    try:
        while budget > 0:
            chunk = stream.read(min(65536, budget))
            if not chunk:
                return
            budget -= len(chunk)
    except (OSError, ValueError, HTTPException):
        return  # the client went away or sent a broken chunk: the answer is the same


def reply(
    model: type[BaseModel] | None,
    data: Any,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Serialise ``data`` (plain JSON values built by the view) as the response.

    With ``VALIDATE_RESPONSES`` (tests), ``data`` is first checked against ``model``, so a view
    cannot send what the OpenAPI document does not describe.
    """
    if model is not None and current_app.config.get("VALIDATE_RESPONSES"):
        model.model_validate(data)
    resp = Response(current_app.json.dumps(data), status=status, mimetype="application/json")
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp
