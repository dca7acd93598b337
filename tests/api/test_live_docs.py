"""The real server: `siteledger serve` in a subprocess on 127.0.0.1, and the curl examples of
docs/api.md run against it, block by block, as the document says they are.

The data directory is made the way `siteledger init` makes one (keys, migrations, genesis),
a sample project is logged, and principals are created with `siteledger principal create`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ledger.config import write_secret
from ledger.core.keys import SigningKey
from ledger.core.times import utc_now
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Keyring, Vault

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
EXPECT = re.compile(r"^# expect HTTP (\d{3})$", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(home: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


@dataclass
class Live:
    base: str
    env: dict[str, str]
    workdir: Path


def _make_home(home: Path, workdir: Path) -> dict[str, str]:
    """A data directory like `siteledger init --chain embedded` makes, with a sample project."""
    operator = SigningKey.generate()
    keyring = Keyring.generate()
    url = f"sqlite:///{home / 'ledger.sqlite'}"
    home.mkdir()
    (home / "config.toml").write_text(f'[database]\nurl = "{url}"\n[chain]\nbackend = "embedded"\n')
    write_secret(home / "keys" / "operator.key", operator.seed.hex())
    write_secret(home / "keys" / "vault.json", json.dumps(keyring.to_json()))
    upgrade(url)
    engine = make_engine(url)
    try:
        store = Store(engine, operator)
        now = utc_now()
        assert store.genesis(operator, valid_from=now - timedelta(days=90)).ok
        site = SampleSite(operator, start=(now - timedelta(days=30)).date())
        setup_at = now - timedelta(days=60)
        assert all(r.ok for r in store.append(site.setup(setup_at)))
        got = Vault(engine, keyring).enroll(site.project, site.identity(7), now)
        day: date = (now - timedelta(days=20)).date()
        assert store.append([site.enroll(got.subject, site.subs[0], "T-REBAR", day,
                                         commitment=got.commitment)])[0].ok  # fmt: skip
        at = datetime(day.year, day.month, day.day, 7, 30, tzinfo=site.tz) + timedelta(days=1)
        punches = [site.punch("GATE-01", got.subject, at + timedelta(hours=h), d, n)
                   for n, (h, d) in enumerate([(0, "in"), (10, "out"), (24, "in")], start=1)]  # fmt: skip
        edited = site.punch("GATE-01", got.subject, at, "out", 1)  # same id as punches[0]
    finally:
        engine.dispose()
    (workdir / "punch.json").write_text(json.dumps(punches[0].to_json()))
    (workdir / "punches.json").write_text(json.dumps([p.to_json() for p in punches]))
    (workdir / "punch-edited.json").write_text(json.dumps(edited.to_json()))
    env = {"PROJECT": site.project, "WORKER": got.subject}
    for role, extra in [("admin", []), ("device", ["--project", site.project]),
                        ("auditor", []), ("insurer", ["--project", site.project])]:  # fmt: skip
        made = json.loads(_cli(home, "principal", "create", f"docs {role}", "--role", role,
                               *extra, "--json"))  # fmt: skip
        env[f"{role.upper()}_TOKEN"] = made["token"]
    return env


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("live")
    home, workdir = root / "home", root / "work"
    workdir.mkdir()
    env = _make_home(home, workdir)
    port = _free_port()
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--home", str(home), "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "SITELEDGER_HOME": str(home)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError((root / "server.log").read_text()) from None
                time.sleep(0.1)
        yield Live(base, {**os.environ, **env, "BASE": base}, workdir)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text())


def test_the_document_has_curl_examples() -> None:
    blocks = _blocks()
    assert len(blocks) >= 10 and all("curl" in b for b in blocks)


@pytest.mark.slow
def test_curl_examples_of_docs_api_md_run_against_a_live_server(live: Live) -> None:
    """Each block in order; curl fails on any HTTP error unless the block expects one."""
    for block in _blocks():
        expect = EXPECT.search(block)
        preamble = "set -euo pipefail\n"
        if expect is None:
            preamble += 'curl() { command curl --fail-with-body "$@"; }\n'
        out = subprocess.run(["bash", "-c", preamble + block], cwd=live.workdir, env=live.env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        assert out.returncode == 0, f"{block}\n--- stdout\n{out.stdout}\n--- stderr\n{out.stderr}"
        assert out.stdout.strip() or "-o " in block, block
        if expect is not None:
            status = re.search(r"^HTTP/1\.[01] (\d{3})", out.stdout, re.MULTILINE)
            assert status is not None and status.group(1) == expect.group(1), out.stdout
            assert "application/problem+json" in out.stdout
    assert (live.workdir / "openapi.json").exists()
    assert json.loads((live.workdir / "openapi.json").read_text())["openapi"] == "3.1.0"
    req = urllib.request.Request(live.base + "/v1/entries?type=attendance",
                                 headers={"Authorization": "Bearer " + live.env["ADMIN_TOKEN"]})  # fmt: skip
    with urllib.request.urlopen(req, timeout=5) as resp:
        body = json.loads(resp.read())
    assert len(body["entries"]) == 3  # the three punches the examples posted
