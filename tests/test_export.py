"""`siteledger export`: platform field names, voided records left out, no personal data."""

from __future__ import annotations

import json
import os
from datetime import date, datetime

from click.testing import CliRunner

from api.cli import main
from ledger.config import Config
from ledger.sample import SampleSite
from ledger.store import Store


def test_export_attendance_and_payroll(store: Store, site: SampleSite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org = site.subs[0]
    store.append([site.enroll("w-0001", org, "T-REBAR", date(2026, 10, 1))])
    a = store.append([site.punch("GATE-01", "w-0001", datetime(2026, 10, 2, 7, 30, tzinfo=site.tz), "in", 1),
                      site.punch("GATE-01", "w-0001", datetime(2026, 10, 2, 7, 31, tzinfo=site.tz), "in", 2)])  # fmt: skip
    corr = store.append([site.correction(org, datetime(2026, 10, 3, tzinfo=site.tz), action="void",
                                         target=a[1].leaf_hash, reason="double punch",
                                         subject="w-0001")])[0]  # fmt: skip
    assert corr.ok, corr
    store.append([site.approval(corr.leaf_hash or b"", datetime(2026, 10, 3, 9, tzinfo=site.tz),
                                subject="w-0001")])
    store.append([site.wage("w-0001", org, "2026-10", 1, 570, 35_000, {"meals": 1_500},
                            date(2026, 11, 15), datetime(2026, 11, 15, 10, tzinfo=site.tz))])  # fmt: skip
    cfg = Config(home=tmp_path, database_url=store.engine.url.render_as_string(hide_password=False))
    os.environ["SITELEDGER_OPERATOR_KEY"] = store.operator_key.seed.hex()
    try:
        run = CliRunner().invoke(main, ["export", "attendance", "--project", site.project,
                                        "--month", "2026-10"], obj={"config": cfg})  # fmt: skip
        assert run.exit_code == 0, run.output
        rows = [json.loads(line) for line in run.stdout.splitlines()]  # stderr: progress
        assert [(r["date"], r["direction"]) for r in rows] == [("2026-10-02 07:30:00", "01")]
        assert "workerName" not in rows[0] and rows[0]["subject"] == "w-0001"
        pay = CliRunner().invoke(main, ["export", "payroll", "--project", site.project, "--format", "csv"],
                                 obj={"config": cfg})  # fmt: skip
        assert pay.exit_code == 0, pay.output
        header, line = pay.stdout.splitlines()[:2]
        values = dict(zip(header.split(","), line.split(","), strict=True))
        assert (values["totalPayAmount"], values["actualAmount"], values["payMonth"]) == ("350.00", "335.00", "2026-10")
        bad = CliRunner().invoke(main, ["export", "payroll", "--project", "NOPE"], obj={"config": cfg})
        assert bad.exit_code != 0 and "no project 'NOPE'" in bad.output
        badm = CliRunner().invoke(main, ["export", "payroll", "--project", site.project, "--month", "2026-13"],
                                  obj={"config": cfg})  # fmt: skip
        assert badm.exit_code == 1 and "--month" in badm.output
    finally:
        del os.environ["SITELEDGER_OPERATOR_KEY"]
