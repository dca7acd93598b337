"""The operator's path: `siteledger init` (anvil + contract), `serve`, post, anchored, verified."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from anchor.backends import ANVIL_BINARY
from ledger.core.keys import SigningKey
from ledger.sample import SampleSite

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(home: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def _call(base: str, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _kill_pidfile(path: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(path.read_text().strip()), signal.SIGTERM)


@pytest.mark.slow
@pytest.mark.skipif(not ANVIL_BINARY.exists(), reason="anvil is not installed: run scripts/setup.sh")
def test_init_serve_post_anchor_verify(tmp_path: Path) -> None:
    home, anvil_port, port = tmp_path / "home", _free_port(), _free_port()
    server = None
    try:
        out = _cli(home, "init", "--anvil-port", str(anvil_port))
        assert "operator key" in out
        # init says what it left running (anvil, its PID) and how to stop it
        pid = (home / "chain" / "anvil.pid").read_text().strip()
        assert f"started anvil, pid {pid}, on http://127.0.0.1:{anvil_port}" in out, out
        assert f"stop it with  siteledger --home {home} chain stop" in out, out
        config = (home / "config.toml").read_text()
        assert "contract = " in config and f"anvil_port = {anvil_port}" in config
        token = json.loads(_cli(home, "principal", "create", "ops", "--role", "admin", "--json"))["token"]
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--home", str(home), "serve", "--port", str(port)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)

        operator = SigningKey(bytes.fromhex((home / "keys" / "operator.key").read_text().strip()))
        site = SampleSite(operator)
        status, body = _call(base, "POST", "/v1/records", token,
                             [r.to_json() for r in site.setup(datetime.now(UTC))])  # fmt: skip
        assert status == 201 and body["accepted"] == len(body["results"]), body
        seq = body["results"][0]["seq"]

        deadline = time.monotonic() + 60  # the default batch age is 5 s, confirmations 1
        while True:
            status, proof = _call(base, "GET", f"/v1/records/{seq}/proof", token)
            if status == 200:
                break
            assert status == 202 and time.monotonic() < deadline, proof
            time.sleep(0.5)
        bundle = tmp_path / "bundle.json"
        bundle.write_text(json.dumps(proof))
        verified = subprocess.run(
            [sys.executable, "-m", "verifier", str(bundle), "--rpc", f"http://127.0.0.1:{anvil_port}"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "VALID" in verified.stdout
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        _kill_pidfile(home / "chain" / "anvil.pid")
