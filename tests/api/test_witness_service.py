"""The witness service as a real process: it follows the operator API over HTTP, serves its
cosignatures, is killed with SIGKILL and restarted, and serves the same signatures again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from ledger import batcher
from witness.bls import verify_pop, verify_signature

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def base_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _start(tmp_path: Path, base_url: str) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "witness.cli", "run", "--key", str(tmp_path / "w.key"),
           "--data-dir", str(tmp_path / "data"), "--operator", base_url,
           "--token-file", str(tmp_path / "token"), "--chain-id", "31337",
           "--contract", "0x" + "11" * 20, "--listen", "127.0.0.1:0", "--interval", "0.2"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("listening on "), line
    return proc, line.split()[-1]


def _get(url: str) -> dict | None:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return dict(json.loads(r.read()))
    except urllib.error.HTTPError as exc:
        assert exc.code == 404 and exc.headers["Content-Type"] == "application/problem+json"
        return None


def _wait(url: str, timeout: float = 60) -> dict:  # type: ignore[type-arg]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = _get(url)
        if got is not None:
            return got
        time.sleep(0.2)
    raise AssertionError(f"{url} did not appear")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_the_service_signs_serves_and_survives_kill_9(
    world: World, base_url: str, tmp_path: Path
) -> None:
    subprocess.run([sys.executable, "-m", "witness.cli", "keygen", "--key", str(tmp_path / "w.key")],
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                   capture_output=True)  # fmt: skip
    (tmp_path / "token").write_text(world.tokens["admin"] + "\n")
    batcher.seal(world.store, max_size=10, force=True)
    last = batcher.batches(world.store, limit=1000)[-1].batch_no
    proc, url = _start(tmp_path, base_url)
    try:
        me = _get(f"{url}/v1/witness")
        assert me is not None
        verify_pop(bytes.fromhex(me["public_key"]), bytes.fromhex(me["pop"]))
        first = [_wait(f"{url}/v1/cosignatures/{n}") for n in range(last + 1)]
        for c in first:
            verify_signature(bytes.fromhex(c["public_key"]), bytes.fromhex(c["message"]),
                             bytes.fromhex(c["signature"]))  # fmt: skip
        assert _get(f"{url}/v1/cosignatures/{last + 1}") is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        world.append([world.punch(n=300)])
        batcher.seal(world.store, force=True)
        proc, url = _start(tmp_path, base_url)
        new = _wait(f"{url}/v1/cosignatures/{last + 1}")
        assert new["batch_no"] == last + 1
        assert [_get(f"{url}/v1/cosignatures/{n}") for n in range(last + 1)] == first
        status = _get(f"{url}/v1/status")
        assert status is not None and status["last_signed"] == last + 1
    finally:
        _stop(proc)


def test_siteledger_witness_is_the_witness_command(tmp_path: Path) -> None:
    """`siteledger witness keygen` runs the witness package's own command line."""
    from click.testing import CliRunner

    from api.cli import main

    key = tmp_path / "w.key"
    result = CliRunner().invoke(main, ["witness", "keygen", "--key", str(key)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(bytes.fromhex(out["public_key"])) == 48 and key.exists()
    again = CliRunner().invoke(main, ["witness", "keygen", "--key", str(key)])
    assert again.exit_code != 0  # a key file is never overwritten
