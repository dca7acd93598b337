"""The verifier page is served at /verify/ without a token, with its own content policy."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

WEB = Path(__file__).resolve().parents[2] / "verifier" / "web"


def test_page_and_scripts_are_served(client: FlaskClient) -> None:
    r = client.get("/verify/")
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert r.data == (WEB / "index.html").read_bytes()
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    for name in ("core.js", "verify.js", "vendor/noble.js"):
        r = client.get(f"/verify/{name}")
        assert r.status_code == 200, name
        assert r.headers["Content-Type"].startswith("text/javascript")
        assert r.data == (WEB / name).read_bytes()


def test_bare_path_redirects(client: FlaskClient) -> None:
    r = client.get("/verify")
    assert r.status_code == 308 and r.headers["Location"].endswith("/verify/")


def test_only_the_page_files_are_served(client: FlaskClient) -> None:
    for name in ("vendor/vendor.py", "../__init__.py", "..%2f__init__.py", "nope.js", "/etc/passwd"):
        r = client.get(f"/verify/{name}", follow_redirects=True)
        assert r.status_code == 404, name
        assert r.mimetype == "application/problem+json"


def test_page_is_not_in_the_openapi_document(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    assert not any(p.startswith("/verify") for p in spec["paths"])
