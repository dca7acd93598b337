"""`siteledger quickstart` on a data directory made by `siteledger init` (the live-docs test runs
the curl examples of docs/api.md after it; this checks what it leaves behind)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from ledger import config
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.principals import Principals
from ledger.store import Store
from tests.api.live import cli


def test_quickstart_leaves_keys_records_and_tokens_that_fit_together(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    cli(home, "init", "--chain", "embedded")
    got = json.loads(cli(home, "quickstart", "--project", "P-QS-TEST", "--dir", str(work),
                         "--json").stdout)  # fmt: skip
    env = got["env"]
    assert set(env) == {"BASE", "PROJECT", "WORKER", "ADMIN_TOKEN", "CONTRACTOR_TOKEN",
                        "DEVICE_TOKEN", "AUDITOR_TOKEN", "INSURER_TOKEN"}  # fmt: skip
    punch = SignedRecord.from_json(json.loads((work / "punch.json").read_text()))
    assert punch.to_json() == got["punch"]
    gate = SigningKey(bytes.fromhex(Path(got["keys"]["GATE-01"]).read_text().strip()))
    assert punch.record.signer == gate.key_id
    for secret in (got["keys"]["GATE-01"], got["keys"]["contractor"], got["files"]["env"]):
        assert stat.S_IMODE(Path(secret).stat().st_mode) == 0o600
    assert (work / "env.sh").read_text().count("export ") == 8
    cfg = config.load(home)
    engine = make_engine(cfg.database_url)
    try:
        store = Store(engine, cfg.operator_key())
        assert store.grant(gate.key_id) is not None
        assert store.entries(project="P-QS-TEST", type="enrollment", subject=env["WORKER"])
        assert store.find(punch.record.signer, punch.record.id) is None  # posting is the user's
        roles = {p.role for p in Principals(engine).all()}
        assert roles == {"admin", "contractor", "device", "auditor", "insurer"}
    finally:
        engine.dispose()
    again = cli(home, "quickstart", "--project", "P-QS-TEST", "--dir", str(work), check=False)
    assert again.returncode == 1 and "already in the log" in again.stderr
    assert "Traceback" not in again.stderr


def test_quickstart_needs_an_initialised_data_directory(tmp_path: Path) -> None:
    out = cli(tmp_path / "nowhere", "quickstart", "--dir", str(tmp_path / "w"), check=False)
    assert out.returncode == 1 and "siteledger init" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "w").exists()
