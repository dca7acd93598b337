"""Every `siteledger` command fails with one clear line on stderr and a non-zero exit, never a
Python traceback: an unreachable database, a malformed database URL, a URL naming a driver that is
not installed, a busy port, a missing file or data directory. Real subprocesses, as a user runs
them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.api.live import ROOT

UNREACHABLE = "postgresql+psycopg://nobody:secret@127.0.0.1:1/ledger"
MALFORMED = "not a database url"
NO_DRIVER = "mysql://someone@127.0.0.1/ledger"

DB_COMMANDS = [
    ["db", "check"],
    ["db", "check", "--json"],
    ["db", "upgrade"],
    ["keys", "list"],
    ["export", "attendance", "--project", "P-X"],
    ["export", "payroll", "--project", "P-X", "--format", "csv"],
    ["principal", "list"],
    ["principal", "create", "ops", "--role", "admin"],
    ["principal", "disable", "pr-0000000000000000"],
    ["principal", "token", "pr-0000000000000000"],
    ["principal", "revoke-token", "0000000000000000"],
    ["anchor", "--no-wait"],
    ["chain", "status"],
    ["serve", "--port", "0"],
    ["serve", "--port", "0", "--workers", "1"],
    ["quickstart", "--dir", "{home}/quickstart"],
]


def run(home: Path, args: list[str], env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})  # fmt: skip


def assert_one_line_failure(out: subprocess.CompletedProcess[str], *needles: str) -> str:
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "Traceback" not in text, text
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "secret" not in text  # the password of the URL is never printed
    assert "siteledger API on" not in text
    return lines[0]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    out = run(home, ["init", "--chain", "embedded"])
    assert out.returncode == 0, out.stderr
    return home


def _all(home: Path, url: str) -> Iterator[tuple[list[str], subprocess.CompletedProcess[str]]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        commands = [[a.replace("{home}", str(home)) for a in args] for args in DB_COMMANDS]
        futures = [(args, pool.submit(run, home, args, {"SITELEDGER_DATABASE_URL": url}))
                   for args in commands]  # fmt: skip
        for args, f in futures:
            yield args, f.result()


@pytest.mark.slow
def test_every_database_command_with_an_unreachable_database(home: Path) -> None:
    for args, out in _all(home, UNREACHABLE):
        line = assert_one_line_failure(out, "127.0.0.1")
        assert "Connection refused" in line or "connection failed" in line, (args, line)
    assert not (home / "quickstart").exists()


@pytest.mark.slow
@pytest.mark.parametrize("url", [MALFORMED, NO_DRIVER])
def test_every_database_command_with_a_malformed_url(home: Path, url: str) -> None:
    for args, out in _all(home, url):
        line = assert_one_line_failure(out)
        assert "database URL" in line, (args, line)


def test_init_with_a_bad_database_url_writes_nothing(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    for url, needle in [(UNREACHABLE, "Connection refused"), (MALFORMED, "not a usable URL"),
                        (NO_DRIVER, "not a usable URL"),
                        (f"sqlite:///{not_a_dir}/ledger.sqlite", "unable to open")]:  # fmt: skip
        home = tmp_path / "home"
        out = run(home, ["init", "--chain", "embedded", "--database-url", url])
        assert_one_line_failure(out, needle)
        assert not home.exists()


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["0", "1"])
def test_serve_on_a_busy_port_says_so_before_anything_else(home: Path, workers: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = run(home, ["serve", "--port", str(port), "--workers", workers], timeout=30)
    assert_one_line_failure(out, f"127.0.0.1:{port}", "in use")
    assert out.stdout == ""


def test_missing_files_and_directories(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    (tmp_path / "a-file").write_text("")
    assert_one_line_failure(run(missing, ["db", "check"]), "run `siteledger init`")
    assert_one_line_failure(run(tmp_path / "a-file" / "x", ["principal", "list"]), "unable to open")
    (home / "keys" / "operator.key").rename(home / "keys" / "operator.key.away")
    try:
        assert_one_line_failure(run(home, ["keys", "list"]), "operator key")
    finally:
        (home / "keys" / "operator.key.away").rename(home / "keys" / "operator.key")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.toml").write_text("[database\nurl = 1\n")
    assert_one_line_failure(run(broken, ["db", "check"]), "config.toml")
    existing = tmp_path / "key"
    existing.write_text("x")
    assert_one_line_failure(run(home, ["keys", "generate", str(existing)]), "exists")
    out = run(home, ["export", "workers", "--project", "P-X", "--out", str(existing / "y")])
    assert out.returncode != 0 and "Traceback" not in out.stdout + out.stderr


def test_a_commands_own_refusal_is_one_error_line(home: Path) -> None:
    """Refusals a command raises itself (click's ``ClickException``) read like every other
    failure: ``error:``, not click's ``Error:``."""
    for kind in ("attendance", "payroll", "workers"):
        out = run(home, ["export", kind, "--project", "P-NOWHERE"])
        assert_one_line_failure(out, "no project 'P-NOWHERE'")
    out = run(home, ["export", "attendance", "--project", "P-X", "--bogus"])
    assert out.returncode == 2 and "Usage:" in out.stderr  # a wrong option still shows the usage


def test_the_last_admin_cannot_be_disabled_from_the_command_line(home: Path) -> None:
    import json

    made = json.loads(run(home, ["principal", "create", "only admin", "--role", "admin",
                                 "--json"]).stdout)  # fmt: skip
    others = [p for p in json.loads(run(home, ["principal", "list", "--json"]).stdout)
              if p["role"] == "admin" and not p["disabled_at"] and p["principal_id"] != made["principal_id"]]  # fmt: skip
    for p in others:
        assert run(home, ["principal", "disable", p["principal_id"]]).returncode == 0
    assert_one_line_failure(run(home, ["principal", "disable", made["principal_id"]]),
                            "last active admin")  # fmt: skip
