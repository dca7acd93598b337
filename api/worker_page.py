"""The worker's own page (``verifier/web/worker.html``) served at ``/w/``.

The page shares the verifier page's scripts (canonical bytes, records, findings, the month
timeline, the vendored @noble/curves) and talks to this server only: its Content-Security-Policy
allows no other origin. It needs no token to load; the worker's key signs in (docs/worker-page.md).
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, send_from_directory

from api.problems import Problem
from api.verify_page import WEB

bp = Blueprint("worker_page", __name__)
_FILES = (
    "worker.html", "worker.js", "core.js", "records.js", "findings.js", "timeline.js",
    "vendor/noble.js",
)  # fmt: skip
CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; "
       "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


@bp.get("/w")
def worker_root() -> Response:
    return redirect("/w/", code=308)  # type: ignore[return-value]


@bp.get("/w/")
@bp.get("/w/<path:name>")
def worker_page(name: str = "worker.html") -> Response:
    if name not in _FILES or not (WEB / name).is_file():
        raise Problem("not-found", f"no file {name!r} in the worker page")
    resp = send_from_directory(WEB, name, max_age=0)
    if name.endswith(".js"):
        resp.headers["Content-Type"] = "text/javascript; charset=utf-8"
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
