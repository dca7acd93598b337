"""The HTTP servers' own edge: what the development server (werkzeug) and gunicorn answer before
the app sees a request, how they name themselves, and binding the port.

A request the server itself refuses (a request line over its limit: 414; too many or too long
header lines: 431; a malformed request line, header or chunk: 400) is answered with problem
details like every error of the app (``api.problems``), never with the servers' HTML pages.
Neither server names itself or a version in ``Server:``: both say ``siteledger``. An HTTP
version of 2 or more is 505.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import re
import socket
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any, Final

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from api.problems import problem_json
from ledger.core.errors import LedgerError

SERVER_NAME: Final = "siteledger"

# HTTP status -> problem code, for the refusals the servers make themselves.
_SERVER_CODES: Final = {
    400: "bad-request",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    414: "uri-too-long",
    417: "expectation-failed",
    431: "headers-too-large",
    501: "not-implemented",
    505: "http-version-not-supported",
}


class PortInUse(LedgerError):
    """The address to listen on is taken (or not ours to take)."""


def problem_response_bytes(status: int, detail: str) -> bytes:
    """A complete HTTP/1.1 response (status line, headers, body) carrying problem details,
    for servers that write to the socket themselves; the connection is closed after it."""
    code = _SERVER_CODES.get(status, "internal" if status >= 500 else "bad-request")
    body = json.dumps(problem_json(code, detail, status=status), ensure_ascii=False).encode()
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Server: {SERVER_NAME}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        "Cache-Control: no-store\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


# ------------------------------------------------------------------ the development server


_DEV_DETAILS: Final = {
    414: "the request line is longer than 65,536 bytes",
    431: "too many header lines, or one longer than 65,536 bytes",
}


class DevRequestHandler(WSGIRequestHandler):
    """werkzeug's handler, answering its own refusals as problem details and naming no version."""

    server_version = SERVER_NAME  # type: ignore[assignment]
    sys_version = ""

    def version_string(self) -> str:
        return SERVER_NAME

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.log_error("code %d, message %s", code, message)
        detail = _DEV_DETAILS.get(code) or message or HTTPStatus(code).phrase
        self.close_connection = True
        with contextlib.suppress(OSError):  # a client that is gone needs no answer
            self.wfile.write(problem_response_bytes(code, detail))


def bind_dev_server(host: str, port: int, app: Any) -> BaseWSGIServer:
    """The threaded development server, bound (raises PortInUse) but not yet serving."""
    try:
        return make_server(host, port, app, threaded=True, request_handler=DevRequestHandler)
    except OSError as exc:
        raise _bind_error(host, port, exc) from exc
    except SystemExit as exc:  # werkzeug exits when the port is taken
        raise PortInUse(f"cannot listen on {host}:{port}: the port is in use") from exc


def check_port(host: str, port: int) -> None:
    """Raise PortInUse unless ``host:port`` can be bound now (the check a server that binds
    later, such as gunicorn's arbiter, needs to fail early with one line)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise _bind_error(host, port, exc) from exc


def _bind_error(host: str, port: int, exc: OSError) -> PortInUse:
    if exc.errno == errno.EADDRINUSE:
        return PortInUse(f"cannot listen on {host}:{port}: the port is in use")
    if exc.errno == errno.EACCES:
        return PortInUse(f"cannot listen on {host}:{port}: permission denied")
    return PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


# ------------------------------------------------------------------ gunicorn

REQUESTS_PER_CONNECTION: Final = 100
"""A gunicorn worker closes a keep-alive connection after this many requests (nginx's
``keepalive_requests`` did the same with 100 for years). The workers share one listening
socket, and a connection stays with the worker that accepted it: a gateway's few persistent
connections, accepted at once, can land mostly on one worker, which then queues requests while
the other idles. A client that reconnects now and then is accepted by whichever worker is free
to accept first, the less busy one, so the connections spread by load."""


def _gunicorn_status(exc: BaseException) -> tuple[int, str]:
    from gunicorn.http import errors as e  # type: ignore[import-untyped]

    table: list[tuple[Any, int]] = [
        (e.LimitRequestLine, 414),
        (e.LimitRequestHeaders, 431),
        (e.UnsupportedTransferCoding, 501),
        (e.ExpectationFailed, 417),
        (e.ForbiddenProxyRequest, 403),
        (e.ConfigurationProblem, 500),
        (e.InvalidResponseHeader, 500),  # the app's fault, not the client's
        (e.InvalidResponseHeaderName, 500),
        (e.ParseException, 400),
    ]
    if isinstance(exc, e.InvalidHTTPVersion):
        # a version tuple from gunicorn's own parser, the text from its optional C parser
        found = re.fullmatch(r"\(?(?:HTTP/)?(\d+)[.,] ?(\d+)\)?", str(exc.version))
        if found is not None and int(found[1]) >= 2:
            return 505, f"HTTP/{found[1]}.{found[2]}: this server speaks HTTP/1.0 and 1.1"
    for cls, status in table:
        if isinstance(exc, cls):
            detail = {
                414: "the request line is over the server's limit",
                431: "too many header lines, or one over the server's limit",
            }.get(status) or str(exc)
            return status, detail
    return 500, "the server failed to handle this request"


class _ClosingBody:
    """A chunked gunicorn request body (``wsgi.input``) that closes the connection once a read
    of it fails (a broken chunk): the app answers 400, and the rest of the stream cannot be
    framed as a next request, which gunicorn would otherwise try, answering a second time on the
    same connection. A body by Content-Length is not wrapped (the single POSTs' path): its read
    fails only when the client is gone."""

    __slots__ = ("_body", "_req")

    def __init__(self, body: Any, req: Any) -> None:
        self._body, self._req = body, req

    def _guarded(self, read: Callable[..., Any], *args: Any) -> Any:
        try:
            return read(*args)
        except Exception:
            self._req.must_close = True
            raise

    def read(self, size: int | None = None) -> bytes:
        return self._guarded(self._body.read, size)  # type: ignore[no-any-return]

    def readline(self, size: int | None = None) -> bytes:
        return self._guarded(self._body.readline, size)  # type: ignore[no-any-return]

    def readlines(self, size: int | None = None) -> list[bytes]:
        return self._guarded(self._body.readlines, size)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")


@functools.cache
def _thread_worker() -> type:
    from gunicorn import util
    from gunicorn.http import wsgi  # type: ignore[import-untyped]
    from gunicorn.http.body import ChunkedReader  # type: ignore[import-untyped]
    from gunicorn.workers.gthread import ThreadWorker  # type: ignore[import-untyped]

    # the ``Server:`` header of every response gunicorn writes for the app (its own refusals
    # carry ours already): the product's name, never the HTTP server's (``Response`` reads it
    # from this module's global when it is made)
    wsgi.SERVER = SERVER_NAME

    class ProblemWorker(ThreadWorker):  # type: ignore[misc]
        """gunicorn's threaded worker, answering its own refusals as problem details, and
        closing a keep-alive connection after ``REQUESTS_PER_CONNECTION`` requests."""

        def handle_request(self, req: Any, conn: Any) -> bool:
            served = getattr(conn, "siteledger_served", 0) + 1
            conn.siteledger_served = served
            if served >= REQUESTS_PER_CONNECTION:
                req.must_close = True  # answered with "Connection: close"
            if req.body is not None and isinstance(req.body.reader, ChunkedReader):
                req.body = _ClosingBody(req.body, req)  # a body by Content-Length: untouched
            return bool(super().handle_request(req, conn))

        def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
            status, detail = _gunicorn_status(exc)
            if status >= 500:
                self.log.exception("error handling a request")
            else:
                ip = addr[0] if addr else ""
                self.log.warning("invalid request from ip=%s: %s", ip, exc)
            try:
                util.write_nonblock(client, problem_response_bytes(status, detail))
            except Exception:  # noqa: BLE001 - a client that went away is not an error of ours
                self.log.debug("failed to send an error response")

    return ProblemWorker


def __getattr__(name: str) -> Any:
    # gunicorn loads the worker class by its dotted name (``api.server.ProblemWorker``) in the
    # arbiter; building it lazily keeps gunicorn out of the development server's imports.
    if name == "ProblemWorker":
        return _thread_worker()
    raise AttributeError(name)


WORKER_CLASS: Final = "api.server.ProblemWorker"

__all__ = [
    "SERVER_NAME",
    "WORKER_CLASS",
    "DevRequestHandler",
    "PortInUse",
    "bind_dev_server",
    "check_port",
    "problem_response_bytes",
]
