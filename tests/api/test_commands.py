"""`siteledger principal …` and `siteledger serve --help` through the real command group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from ledger.config import load
from ledger.core.times import utc_now
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.principals import Principals, TokenRejected


@pytest.fixture
def home(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    (tmp_path / "config.toml").write_text(f'[database]\nurl = "{url}"\n')
    upgrade(url)
    return tmp_path


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    return result.exit_code, result.output


def run_split(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_principal_lifecycle(home: Path) -> None:
    code, out = run(home, "principal", "create", "Gate 1", "--role", "device", "--project",
                    "P-DEMO-001", "--json")  # fmt: skip
    assert code == 0
    made = json.loads(out)
    assert made["role"] == "device" and made["token"].startswith("slt_")
    engine = make_engine(load(home).database_url)
    principals = Principals(engine)
    assert principals.authenticate(made["token"], utc_now()).principal_id == made["principal_id"]

    code, token, said = run_split(home, "principal", "token", made["principal_id"], "--label",
                                  "spare", "--expires-days", "30")  # fmt: skip
    assert code == 0 and token.startswith("slt_") and len(token.split()) == 1  # stdout: the token
    spare = json.loads(run(home, "principal", "list", "--json")[1])[0]["tokens"][1]["token_id"]
    assert f"token id {spare} (spare)" in said and f"revoke-token {spare}" in said
    code, listing = run(home, "principal", "list")
    assert code == 0 and made["principal_id"] in listing and made["token_id"] in listing
    assert f"{spare}(spare)" in listing
    code, out = run(home, "principal", "revoke-token", made["token_id"])
    assert code == 0 and "revoked" in out
    code, out = run(home, "principal", "list", "--json")
    tokens = json.loads(out)[0]["tokens"]
    assert [t["revoked"] for t in tokens] == [True, False]
    code, out = run(home, "principal", "disable", made["principal_id"])
    assert code == 0
    with pytest.raises(TokenRejected, match="disabled"):
        principals.authenticate(token.strip(), utc_now())
    engine.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ("--role", "contractor"),
        ("--role", "device", "--project", "A", "--project", "B"),
        ("--role", "worker"),
        ("--role", "admin", "--project", "A"),
    ],
)
def test_principal_scope_errors_exit_1(home: Path, args: tuple[str, ...]) -> None:
    code, out = run(home, "principal", "create", "x", *args)
    assert code == 1 and out.startswith("error: ")


def test_serve_help(home: Path) -> None:
    code, out = run(home, "serve", "--help")
    assert code == 0 and "--workers" in out and "gunicorn" in out
