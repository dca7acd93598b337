"""The serving layout: HTTP workers that only serve, and a `siteledger worker` process that seals
and anchors, one active per database by the anchoring lock, with a standby that takes over.

The first test is the regression test of a hang: `serve --workers N` used to start the anchoring
thread in gunicorn's arbiter just before it forked the HTTP workers; a worker forked while that
thread was importing web3 waited for ever on the module's import lock (docs/operations.md,
"Process layout").
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from anchor.backends import ANVIL_BINARY
from ledger.core.keys import SigningKey
from ledger.sample import SampleSite
from tests.conftest import _reset_pg

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("SITELEDGER_TEST_DATABASE_URL")
STARTS = 20
READY_WITHIN = 10.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(home: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def _spawn(home: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as f:
        return subprocess.Popen([sys.executable, "-m", "api.cli", "--home", str(home), *args],
                                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=f,
                                stderr=subprocess.STDOUT)  # fmt: skip


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out |= {int(c) for c in (task / "children").read_text().split()}
    return out


def _stop(proc: subprocess.Popen[bytes], pids: set[int]) -> None:
    """SIGTERM by PID, wait; then SIGKILL whatever of ``pids`` is left; all must be gone."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {p for p in pids if _alive(p)}
    for p in left:
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)
    assert not left, f"processes {sorted(left)} outlived serve"


def _healthz(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


def _wait_for(what: str, check: Any, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            detail = log.read_text()[-4000:] if log is not None and log.exists() else ""
            raise AssertionError(f"{what} not within {timeout} s\n{detail}")
        time.sleep(0.05)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None for SQLite in the data directory, else the PostgreSQL test URL (emptied)."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    _reset_pg(PG_URL)
    yield PG_URL


def _init(home: Path, database: str | None, *chain: str) -> None:
    _cli(home, "init", *chain, *(["--database-url", database] if database else []))
    config = home / "config.toml"
    config.write_text(config.read_text().replace("max_age_seconds = 5", "max_age_seconds = 0.5"))


@contextlib.contextmanager
def _two_http_workers(home: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``serve --workers 2 --no-seal`` on ``port``, once both HTTP workers say they are ready;
    stops every process it started (by PID) on the way out."""
    proc = _spawn(home, log, "serve", "--port", str(port), "--workers", "2", "--no-seal")
    with _ready_workers(proc, 2, log):
        yield proc


@contextlib.contextmanager
def _ready_workers(proc: subprocess.Popen[bytes], n: int, log: Path) -> Iterator[None]:
    """Once ``n`` HTTP workers of ``proc`` (a gunicorn arbiter) logged that they are ready;
    stops ``proc`` and its children (by PID) on the way out."""
    pids: set[int] = set()
    try:
        ready = re.compile(r"siteledger HTTP worker (\d+) ready")
        _wait_for(f"{n} HTTP workers ready", lambda: len(set(ready.findall(log.read_text()))) == n,
                  30, log)  # fmt: skip
        pids = _children(proc.pid)
        yield
    finally:
        _stop(proc, pids | _children(proc.pid))


@pytest.mark.slow
def test_serve_starts_cleanly_twenty_times(tmp_path: Path, database: str | None) -> None:
    """Every start answers /healthz within 10 s, and has all N HTTP workers loaded; stopping
    serve stops its HTTP workers and its `siteledger worker` child."""
    home = tmp_path / "home"
    _init(home, database, "--chain", "embedded")
    for i in range(STARTS):
        n = (1, 2, 4)[i % 3]
        port, log = _free_port(), tmp_path / f"serve-{i}.log"
        base = f"http://127.0.0.1:{port}"
        # The child worker anchors on two of the starts: on the embedded chain its first pass
        # (importing web3 and eth-tester, deploying) takes seconds of CPU that only slow the
        # machine down; it is a separate program either way (the anchoring test is below).
        anchor = "--anchor" if i in (0, 11) else "--no-anchor"
        proc = _spawn(home, log, "serve", "--port", str(port), "--workers", str(n), anchor)
        pids: set[int] = set()
        try:
            _wait_for(f"start {i + 1} (--workers {n}): /healthz", lambda: _healthz(base),  # noqa: B023
                      READY_WITHIN, log)  # fmt: skip
            # /healthz within 10 s is the requirement; every HTTP worker loaded is checked too,
            # with a budget of its own (a loaded machine may take longer to fork and import N)
            ready = re.compile(r"siteledger HTTP worker (\d+) ready")
            _wait_for(f"start {i + 1}: {n} HTTP workers ready",
                      lambda: len(set(ready.findall(log.read_text()))) == n,  # noqa: B023
                      READY_WITHIN, log)  # fmt: skip
            pids = _children(proc.pid)
            assert len(pids) == n + 1, f"want {n} HTTP workers and 1 worker, have {pids}"
            worker = int(re.findall(r"siteledger worker started \(pid (\d+)\)", log.read_text())[0])
            assert worker in pids
        finally:
            _stop(proc, pids | _children(proc.pid))
        assert proc.returncode == 0, log.read_text()[-4000:]


def _call(base: str, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _anchored(base: str, token: str, seq: int) -> bool:
    status, body = _call(base, "GET", f"/v1/records/{seq}/proof", token)
    assert status in (200, 202), body
    return status == 200


@pytest.mark.slow
@pytest.mark.skipif(not ANVIL_BINARY.exists(), reason="anvil is not installed: run scripts/setup.sh")
def test_standby_takes_over_when_the_active_worker_dies(tmp_path: Path,
                                                        database: str | None) -> None:  # fmt: skip
    home, anvil_port, port = tmp_path / "home", _free_port(), _free_port()
    base = f"http://127.0.0.1:{port}"
    serve_log, standby_log = tmp_path / "serve.log", tmp_path / "standby.log"
    serve = standby = None
    pids: set[int] = set()
    try:
        _init(home, database, "--anvil-port", str(anvil_port))
        token = json.loads(_cli(home, "principal", "create", "ops", "--role", "admin",
                                "--json"))["token"]  # fmt: skip
        serve = _spawn(home, serve_log, "serve", "--port", str(port), "--workers", "2")
        _wait_for("serve", lambda: _healthz(base), 30, serve_log)
        _wait_for("the serve's worker active", lambda: "active:" in serve_log.read_text(), 30,
                  serve_log)  # fmt: skip
        active = int(re.findall(r"siteledger worker started \(pid (\d+)\)",
                                serve_log.read_text())[0])  # fmt: skip
        pids |= _children(serve.pid)
        standby = _spawn(home, standby_log, "worker")
        pids.add(standby.pid)
        _wait_for("a second worker in standby", lambda: "standby:" in standby_log.read_text(),
                  30, standby_log)  # fmt: skip

        operator = SigningKey(bytes.fromhex((home / "keys" / "operator.key").read_text().strip()))
        site = SampleSite(operator)
        now = datetime.now(UTC)
        status, body = _call(base, "POST", "/v1/records", token,
                             [r.to_json() for r in site.setup(now)])  # fmt: skip
        assert status == 201 and body["accepted"] == len(body["results"]), body
        first = body["results"][-1]["seq"]
        _wait_for("the active worker anchors", lambda: _anchored(base, token, first), 60,
                  serve_log)  # fmt: skip
        assert "active:" not in standby_log.read_text()

        os.kill(active, signal.SIGKILL)
        _wait_for("the standby takes over", lambda: "active:" in standby_log.read_text(), 15,
                  standby_log)  # fmt: skip
        record = site.worker_key("W-STANDBY-1", now)
        status, body = _call(base, "POST", "/v1/records", token, [record.to_json()])
        assert status == 201 and body["accepted"] == 1, body
        second = body["results"][0]["seq"]
        _wait_for("the standby anchors the next batch", lambda: _anchored(base, token, second),
                  60, standby_log)  # fmt: skip
        assert re.search(r"batch \d+: sent tx", standby_log.read_text()), standby_log.read_text()
    finally:
        try:
            if standby is not None:
                _stop(standby, {standby.pid})
            if serve is not None:
                _stop(serve, pids - {standby.pid if standby else 0})
        finally:
            with contextlib.suppress(OSError, ValueError):
                os.kill(int((home / "chain" / "anvil.pid").read_text().strip()), signal.SIGTERM)


def _get(base: str, path: str, token: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(base + path,
                                 headers={"Authorization": f"Bearer {token}"} if token else {})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _count(metrics: str, line_start: str) -> int:
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in metrics.splitlines()
               if line.startswith(line_start))  # fmt: skip


@pytest.mark.slow
def test_rate_limits_and_metrics_are_shared_by_the_workers(tmp_path: Path,
                                                           database: str | None) -> None:  # fmt: skip
    """With --workers 2, a principal gets its limit once (not once per worker), and /metrics
    from either worker counts the requests both answered."""
    from concurrent.futures import ThreadPoolExecutor

    from ledger.db import make_engine
    from ledger.runtime import RuntimeState

    home, port = tmp_path / "home", _free_port()
    base, log = f"http://127.0.0.1:{port}", tmp_path / "serve.log"
    _init(home, database, "--chain", "embedded")
    config = home / "config.toml"
    config.write_text(config.read_text().replace("rate_limit_per_minute = 6000",
                                                 "rate_limit_per_minute = 6"))  # fmt: skip
    token = json.loads(_cli(home, "principal", "create", "ops", "--role", "admin",
                            "--json"))["token"]  # fmt: skip
    runtime = RuntimeState(make_engine(database or f"sqlite:///{home / 'ledger.sqlite'}"))
    try:
        with _two_http_workers(home, port, log):
            def answered_by() -> int:
                """How many processes have answered /v1/me so far."""
                return sum('"/v1/me"' in s for s in runtime.snapshots())

            statuses: list[int] = []
            started = time.monotonic()
            with ThreadPoolExecutor(8) as pool:
                while answered_by() < 2:  # until both workers have answered some
                    assert len(statuses) < 400, "one worker answered every request"
                    statuses += [s for s, _ in pool.map(lambda _: _get(base, "/v1/me", token),
                                                        range(16))]  # fmt: skip
            elapsed = time.monotonic() - started
            # 6 a minute, bursts of 1: one request now, one more every 10 s
            assert statuses.count(200) <= 1 + int(elapsed / 10), (statuses.count(200), elapsed)
            assert statuses.count(200) + statuses.count(429) == len(statuses)

            want = len(statuses)
            for _ in range(10):  # whichever worker answers, it counts both workers' requests
                deadline = time.monotonic() + 5
                while True:
                    status, text = _get(base, "/metrics")
                    assert status == 200
                    seen = _count(text, 'siteledger_http_requests_total{method="GET",route="/v1/me"')
                    if seen == want or time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
                assert seen == want
                assert _count(text, 'siteledger_http_request_duration_seconds_count{method="GET",'
                                    'route="/v1/me"') == want  # fmt: skip
    finally:
        runtime.dispose()


@pytest.mark.slow
def test_a_revoked_token_stops_on_every_worker_within_the_cache_time(
    tmp_path: Path, database: str | None
) -> None:
    """Each worker caches token rows for AUTH_CACHE_SECONDS (ledger/principals.py): a token
    revoked, or a principal disabled, by another process (the CLI) is refused by both workers
    once that time has passed since the revocation committed."""
    from concurrent.futures import ThreadPoolExecutor

    from ledger.db import make_engine
    from ledger.principals import AUTH_CACHE_SECONDS
    from ledger.runtime import RuntimeState

    home, port = tmp_path / "home", _free_port()
    base, log = f"http://127.0.0.1:{port}", tmp_path / "serve.log"
    _init(home, database, "--chain", "embedded")
    admin = json.loads(_cli(home, "principal", "create", "ops", "--role", "admin", "--json"))
    other = json.loads(_cli(home, "principal", "create", "ops2", "--role", "admin", "--json"))
    runtime = RuntimeState(make_engine(database or f"sqlite:///{home / 'ledger.sqlite'}"))
    try:
        with _two_http_workers(home, port, log):
            def burst(token: str, n: int = 16) -> list[int]:
                with ThreadPoolExecutor(8) as pool:
                    return [s for s, _ in pool.map(lambda _: _get(base, "/v1/me", token), range(n))]

            # both workers answer (and cache) both tokens
            deadline = time.monotonic() + 30
            while sum('"/v1/me"' in s for s in runtime.snapshots()) < 2:
                assert time.monotonic() < deadline, "one worker answered every request"
                assert set(burst(admin["token"]) + burst(other["token"])) == {200}
                time.sleep(0.2)
            assert set(burst(admin["token"]) + burst(other["token"])) == {200}

            _cli(home, "principal", "revoke-token", admin["token_id"])
            _cli(home, "principal", "disable", other["principal_id"])
            time.sleep(AUTH_CACHE_SECONDS + 0.1)
            assert set(burst(admin["token"], 40)) == {401}
            assert set(burst(other["token"], 40)) == {401}
    finally:
        runtime.dispose()


def test_own_gunicorn_with_the_documented_config_warms_each_worker(tmp_path: Path) -> None:
    """docs/operations.md's command for running the API under your own gunicorn: each worker
    logs that it is warmed up and ready (``api.gunicorn_conf``), then serves."""
    home = tmp_path / "home"
    _init(home, None, "--chain", "embedded")
    port, log = _free_port(), tmp_path / "gunicorn.log"
    env = {**os.environ, "SITELEDGER_HOME": str(home)}
    with log.open("ab") as f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:api.gunicorn_conf",
             "-k", "api.server.ProblemWorker", "-w", "2", "--threads", "2", "--reuse-port",
             "-b", f"127.0.0.1:{port}", "api.app:create_app()"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
        )  # fmt: skip
    with _ready_workers(proc, 2, log):
        assert _healthz(f"http://127.0.0.1:{port}")
        assert "not warmed up" not in log.read_text()
