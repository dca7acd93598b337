"""The offline verifier page (``verifier/web/``) served at ``/verify/``.

The page is static: it verifies bundles in the browser and sends nothing to this server. It is
served here only so that people who reach the API can open it without a copy of the files; the
same files work from ``file://`` on a machine with no network. No token is needed.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, redirect, send_from_directory

import verifier
from api.problems import Problem

bp = Blueprint("verify_page", __name__)
WEB = Path(verifier.__file__).resolve().parent / "web"
_FILES = (
    "index.html", "core.js", "records.js", "findings.js", "heads.js", "verify.js", "chain.js",
    "i18n.js", "page.js", "timeline.js", "vendor/noble.js",
)  # fmt: skip
# The page's own policy: its scripts only, inline styles, and JSON-RPC to the node the user types.
CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; "
       "connect-src *; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


@bp.get("/verify")
def verify_root() -> Response:
    return redirect("/verify/", code=308)  # type: ignore[return-value]


@bp.get("/verify/")
@bp.get("/verify/<path:name>")
def verify_page(name: str = "index.html") -> Response:
    if name not in _FILES or not (WEB / name).is_file():
        raise Problem("not-found", f"no file {name!r} in the verifier page")
    resp = send_from_directory(WEB, name, max_age=0)
    if name.endswith(".js"):
        resp.headers["Content-Type"] = "text/javascript; charset=utf-8"
    resp.headers["Content-Security-Policy"] = CSP
    return resp
