"""Strict bodies and server-level errors over real sockets: the development server (werkzeug, in
this process, the app on the test world) and gunicorn (`siteledger serve --workers 1`, a real
process on a free port, stopped by PID). Requests are written byte by byte by a raw-socket client,
chunked or with Content-Length.

A body is read whole before it is parsed: a valid punch followed by megabytes of spaces and then
`garbage` is refused (413 over the limit, 400 under it), never cut at the limit and stored.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api.server import bind_dev_server
from tests.api.conftest import World, make_app
from tests.api.live import Reply, make_home, raw_request, serve

MB = 1024 * 1024


def _post_head(token: str, *, chunked: bool, length: int = 0,
               ctype: str = "application/json") -> bytes:  # fmt: skip
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    return (f"POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {ctype}\r\n{framing}\r\nConnection: close\r\n\r\n").encode()  # fmt: skip


def post(port: int, token: str, body: bytes, *, chunked: bool,
         ctype: str = "application/json") -> Reply:  # fmt: skip
    if chunked:  # the body in 64 KiB chunks, as a streaming client sends it
        parts = [body[i : i + 65536] for i in range(0, len(body), 65536)]
        return raw_request(port, _post_head(token, chunked=True, ctype=ctype), parts)
    return raw_request(port, _post_head(token, chunked=False, length=len(body), ctype=ctype), body)


def assert_problem(r: Reply, status: int, code: str) -> dict[str, object]:
    assert r.status == status, (r.status, r.body[:300])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    assert isinstance(body, dict) and body["status"] == status and body["code"] == code, body
    return body


def assert_no_version(r: Reply) -> None:
    server = r.headers.get("server", "")
    assert not re.search(r"\d", server) and "Werkzeug" not in server and "Python" not in server, server


def padded(record: bytes, spaces: int, tail: bytes = b"garbage") -> bytes:
    return record + b" " * spaces + tail


# ------------------------------------------------------------------ development server


@pytest.fixture
def dev(world: World, tmp_path: Path) -> Iterator[int]:
    app = make_app(world, tmp_path)
    app.config["TESTING"] = False  # errors go through the handlers, as in production
    server = bind_dev_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _unstored(world: World, head: int) -> None:
    assert world.store.head() == head
    assert world.store.find(world.punch().record.signer, world.punch().record.id) is None


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_dev_punch_then_6_mb_of_spaces_then_garbage_is_413(dev: int, world: World,
                                                           chunked: bool) -> None:  # fmt: skip
    head = world.store.head()
    body = padded(json.dumps(world.punch().to_json()).encode(), 6 * MB)
    r = post(dev, world.tokens["device"], body, chunked=chunked)
    assert_problem(r, 413, "body-too-large")
    assert_no_version(r)
    _unstored(world, head)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_dev_punch_then_spaces_up_to_the_limit_then_garbage_is_400(dev: int, world: World,
                                                                   chunked: bool) -> None:  # fmt: skip
    """The limit is 4 MiB: the garbage starts exactly at byte 4 MiB (a reader that stops at the
    limit sees a valid punch and spaces) or just before it."""
    head = world.store.head()
    record = json.dumps(world.punch().to_json()).encode()
    for tail_at in (4 * MB, 4 * MB - 7):
        body = padded(record, tail_at - len(record))
        r = post(dev, world.tokens["device"], body, chunked=chunked)
        if len(body) > 4 * MB:
            assert_problem(r, 413, "body-too-large")
        else:
            assert "trailing data" in str(assert_problem(r, 400, "malformed-json")["detail"])
    _unstored(world, head)


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "us-ascii", "utf-32"])
def test_dev_a_charset_other_than_utf_8_is_415(dev: int, world: World, charset: str) -> None:
    head = world.store.head()
    body = json.dumps(world.punch().to_json()).encode()
    for chunked in (True, False):
        r = post(dev, world.tokens["device"], body, chunked=chunked,
                 ctype=f"application/json; charset={charset}")  # fmt: skip
        assert charset in str(assert_problem(r, 415, "unsupported-media-type")["detail"])
    _unstored(world, head)


@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=UTF-8", '; charset="utf-8"'])
def test_dev_a_valid_chunked_punch_is_stored_once(dev: int, world: World, charset: str) -> None:
    body = json.dumps(world.punch().to_json()).encode() + b"  \r\n"
    r = post(dev, world.tokens["device"], body, chunked=True, ctype="application/json" + charset)
    assert r.status == 201, r.body
    r = post(dev, world.tokens["device"], body, chunked=False)
    assert r.status == 200 and r.json()["status"] == "duplicate"  # type: ignore[index]


def test_dev_server_errors_are_problems_without_versions(dev: int, world: World) -> None:
    long_url = b"GET /v1/records/" + b"9" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    r = raw_request(dev, long_url)
    assert_problem(r, 414, "uri-too-long")
    assert_no_version(r)
    many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-Filler-%d: 1\r\n" % i for i in range(150)) + b"\r\n"
    assert_problem(raw_request(dev, many), 431, "headers-too-large")
    huge = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n"
    assert_problem(raw_request(dev, huge), 431, "headers-too-large")
    assert_problem(raw_request(dev, b"NONSENSE\r\n\r\n"), 400, "bad-request")
    r = raw_request(dev, b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert_problem(r, 404, "not-found")
    assert_no_version(r)
    r = raw_request(dev, b"DELETE /v1/records HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert_problem(r, 405, "method-not-allowed")
    assert r.headers["server"] == "siteledger"


# ------------------------------------------------------------------ gunicorn


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str, Path]]:
    root = tmp_path_factory.mktemp("gunicorn")
    home, work = root / "home", root / "work"
    work.mkdir()
    env = make_home(home, work)
    with serve(home, "--workers", "1", "--threads", "2", "--no-seal",
               log=root / "server.log") as server:  # fmt: skip
        yield server.port, env["DEVICE_TOKEN"], work


@pytest.mark.slow
def test_gunicorn_refuses_padded_bodies_and_stores_the_record_only_when_clean(
    gunicorn: tuple[int, str, Path],
) -> None:
    port, token, work = gunicorn
    record = (work / "punch.json").read_bytes()
    for chunked in (True, False):
        r = post(port, token, padded(record, 6 * MB), chunked=chunked)
        assert_problem(r, 413, "body-too-large")
        assert_no_version(r)
        body = padded(record, 4 * MB - len(record))  # garbage at exactly byte 4 MiB
        assert_problem(post(port, token, body, chunked=chunked), 413, "body-too-large")
        r = post(port, token, padded(record, MB), chunked=chunked)
        assert "trailing data" in str(assert_problem(r, 400, "malformed-json")["detail"])
        r = post(port, token, record, chunked=chunked, ctype="application/json; charset=utf-16")
        assert_problem(r, 415, "unsupported-media-type")
    # none of the above stored the punch: the clean one is new (201), then a duplicate (200)
    r = post(port, token, record + b"\n", chunked=True)
    assert r.status == 201, r.body
    assert post(port, token, record, chunked=False).status == 200


@pytest.mark.slow
def test_gunicorn_errors_are_problems_without_versions(gunicorn: tuple[int, str, Path]) -> None:
    port = gunicorn[0]
    r = raw_request(port, b"GET /v1/records/" + b"9" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert_problem(r, 414, "uri-too-long")
    assert_no_version(r)
    many = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-Filler-%d: 1\r\n" % i for i in range(150)) + b"\r\n"
    assert_problem(raw_request(port, many), 431, "headers-too-large")
    assert_problem(raw_request(port, b"NONSENSE\r\n\r\n"), 400, "bad-request")
    r = raw_request(port, b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert_problem(r, 404, "not-found")
    assert_no_version(r)
    # the app's own answers too: gunicorn wrote "Server: gunicorn" on them
    r = raw_request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert r.status == 200 and r.headers["server"] == "siteledger", r.headers
    # serve says where it listens (gunicorn's arbiter binds nothing, so it cannot)
    log = (gunicorn[2].parent / "server.log").read_text()
    assert f"siteledger API on http://127.0.0.1:{port} (gunicorn: 1 HTTP worker, 2 threads" in log


def _framing_errors(port: int, token: str, record: bytes, head_now: Callable[[], int]) -> None:
    """What both servers answer for broken framing: each a problem, and nothing stored."""
    head = head_now()
    start = f"POST /v1/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n".encode()
    # a chunk size that is not hex: the body cannot be read (it was a 500 through gunicorn)
    bad_chunk = (start + b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
                 b"\r\nzz\r\n{}\r\n0\r\n\r\n")  # fmt: skip
    r = raw_request(port, bad_chunk)
    assert_problem(r, 400, "bad-request")
    # and the connection is closed: the rest cannot be framed as a next request (gunicorn
    # tried, and answered it with a second response, a 500)
    assert r.headers["connection"] == "close", r.headers
    # a coding under the chunking: the server undoes the chunks only (it was stored as sent)
    coded = start + b"Transfer-Encoding: gzip, chunked\r\nContent-Type: application/json\r\n\r\n"
    body = assert_problem(raw_request(port, coded, [record]), 501, "not-implemented")
    assert body["field"] == "Transfer-Encoding"
    assert head_now() == head
    for version in (b"2.0", b"3.0"):
        r = raw_request(port, b"GET /healthz HTTP/" + version + b"\r\nHost: x\r\n\r\n")
        assert_problem(r, 505, "http-version-not-supported")


def test_dev_framing_errors_are_problems(dev: int, world: World) -> None:
    punch = world.punch()
    _framing_errors(dev, world.tokens["device"], json.dumps(punch.to_json()).encode(),
                    world.store.head)  # fmt: skip
    assert world.store.find(punch.record.signer, punch.record.id) is None


@pytest.mark.slow
def test_gunicorn_framing_errors_are_problems(gunicorn: tuple[int, str, Path]) -> None:
    port, token, work = gunicorn
    database = work.parent / "home" / "ledger.sqlite"

    def head_now() -> int:
        with contextlib.closing(sqlite3.connect(database)) as db:
            return int(db.execute("SELECT next_seq FROM log_head WHERE id = 1").fetchone()[0])

    last = json.loads((work / "punches.json").read_text())[-1]  # stored by no other test
    _framing_errors(port, token, json.dumps(last).encode(), head_now)
    r = post(port, token, json.dumps(last).encode(), chunked=True)
    assert r.status == 201 and head_now() == r.json()["seq"] + 1  # type: ignore[index]


def test_a_content_encoding_is_refused_by_name(client: FlaskClient, world: World) -> None:
    head = world.store.head()
    resp = client.post("/v1/records", data=json.dumps(world.punch().to_json()),
                       headers={**world.headers("device"), "Content-Type": "application/json",
                                "Content-Encoding": "gzip"})  # fmt: skip
    assert resp.status_code == 415 and resp.json["field"] == "Content-Encoding"  # type: ignore[index]
    _unstored(world, head)
