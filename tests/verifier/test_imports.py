"""The verifier's import fence: no Flask, SQLAlchemy, store, database, vault, bundle builder,
configuration (which loads keys) or web3 on an offline run, checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "flask", "sqlalchemy", "alembic", "psycopg", "click", "web3", "eth_tester", "eth_account",
    "api", "ledger.store", "ledger.db", "ledger.vault", "ledger.bundle", "ledger.batcher",
    "ledger.config", "ledger.sample", "anchor.backends", "anchor.worker",
)  # fmt: skip


def _modules(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=60,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _bad(mods: set[str]) -> list[str]:
    return sorted(m for m in mods for f in FORBIDDEN if m == f or m.startswith(f + "."))


def test_import_cli_pulls_in_nothing_forbidden() -> None:
    assert _bad(_modules("import verifier.cli, verifier.report")) == []


def test_offline_verification_pulls_in_nothing_forbidden() -> None:
    bundle = REPO / "tests/vectors/bundles/valid-record-wage.json"
    code = (
        "import json\nfrom verifier.cli import main\n"
        f"v = json.load(open({str(bundle)!r}))\n"
        "open('/tmp/_sl_fence.json', 'w').write(json.dumps(v['bundle']))\n"
        "assert main(['/tmp/_sl_fence.json', '--offline', '--json']) == 0\n"
    )
    assert _bad(_modules(code)) == []


def test_no_signing_key_in_verifier_source() -> None:
    for path in (REPO / "verifier").glob("*.py"):
        text = path.read_text()
        assert "SigningKey" not in text, path
        assert "import ledger.store" not in text and "from ledger.store" not in text, path
