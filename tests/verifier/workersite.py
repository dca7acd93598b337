"""A site for the worker page's tests and benchmark: a data directory as `siteledger init
--chain embedded` makes it, with a project, two enrolled workers and last month's punches, wage
line, payment and publication of the first; and a small client of the server that serves it."""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ledger.config import write_secret
from ledger.core.keys import SigningKey
from ledger.core.times import utc_now
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Keyring, Vault
from tests.api.live import cli


@dataclass
class Site:
    base: str
    home: Path
    project: str
    worker: str
    other: str  # a second worker of the project
    month: str
    contractor: str  # bearer token

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", f"Bearer {token or self.contractor}")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def code(self, subject: str | None = None, ttl_minutes: int = 60) -> dict[str, Any]:
        out: dict[str, Any] = self.call(
            "POST", f"/v1/workers/{subject or self.worker}/link-codes",
            {"project": self.project, "ttl_minutes": ttl_minutes},
        )  # fmt: skip
        return out

    def wait_anchored(self, seq: int, wait: float = 60) -> None:
        deadline = time.monotonic() + wait
        while True:
            req = urllib.request.Request(f"{self.base}/v1/records/{seq}/proof",
                                         headers={"Authorization": f"Bearer {self.contractor}"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                if resp.status == 200:
                    return
            assert time.monotonic() < deadline, f"entry {seq} not anchored after {wait} s"
            time.sleep(1)

    def approve_pending(self) -> list[dict[str, Any]]:
        pending = self.call("GET", f"/v1/link-requests?project={self.project}&state=pending")
        return [self.call("POST", f"/v1/link-requests/{r['link_id']}/approve")
                for r in pending["requests"]]  # fmt: skip


def build(home: Path, days: int = 3) -> dict[str, str]:
    """A data directory as `siteledger init --chain embedded` makes it, with a project, two
    enrolled workers, last month's punches, wage line, payment and publication (window open)."""
    operator, keyring = SigningKey.generate(), Keyring.generate()
    url = f"sqlite:///{home / 'ledger.sqlite'}"
    home.mkdir()
    (home / "config.toml").write_text(f'[database]\nurl = "{url}"\n[chain]\nbackend = "embedded"\n')
    write_secret(home / "keys" / "operator.key", operator.seed.hex())
    write_secret(home / "keys" / "vault.json", json.dumps(keyring.to_json()))
    upgrade(url)
    engine = make_engine(url)
    try:
        store = Store(engine, operator)
        now = utc_now().replace(microsecond=0)
        first = (now.astimezone(SampleSite.tz).replace(day=1) - timedelta(days=1)).replace(day=1)
        month = first.strftime("%Y-%m")
        assert store.genesis(operator, valid_from=now - timedelta(days=90)).ok
        site = SampleSite(operator, start=first.date())
        assert all(r.ok for r in store.append(site.setup(first - timedelta(days=10))))
        vault, org = Vault(engine, keyring), site.subs[0]
        subjects = []
        for n in (1, 2):
            got = vault.enroll(site.project, site.identity(n), now)
            assert store.append([site.enroll(got.subject, org, "T-REBAR", first.date(),
                                             commitment=got.commitment)])[0].ok  # fmt: skip
            subjects.append(got.subject)
        worker = subjects[0]
        punches = []
        assert 1 <= days <= 25
        for i, d in enumerate(range(3, 3 + days)):
            at = datetime(first.year, first.month, d, 7, 30, tzinfo=site.tz)
            out = at + timedelta(hours=10)
            if i == 0:  # a gate that stamps UTC: the page shows the project's clock all the same
                out = out.astimezone(UTC)
            punches += [site.punch("GATE-01", worker, at, "in", 2 * i + 1),
                        site.punch("GATE-01", worker, out, "out", 2 * i + 2)]
        assert all(r.ok for r in store.append(punches))
        # the payroll leaves out one of the days (three days: two paid, 20 h, 700.00 yuan)
        paid_days = days - 1
        gross = 35000 * paid_days
        wage = store.append([site.wage(worker, org, month, paid_days, 600 * paid_days, gross,
                                       {"income_tax": 0}, now.date(),
                                       now - timedelta(hours=3))])[0]  # fmt: skip
        assert wage.ok and wage.leaf_hash is not None
        rest = store.append([
            site.payment(worker, org, month, gross, now.date(), wage.leaf_hash,
                         now - timedelta(hours=2)),
            site.publication(worker, org, month, paid_days, 600 * paid_days, wage.leaf_hash,
                             now - timedelta(hours=1), objection_days=7),
        ])  # fmt: skip
        assert all(r.ok for r in rest), rest
    finally:
        engine.dispose()
    made = json.loads(cli(home, "principal", "create", "labour subcontractor", "--role",
                          "contractor", "--project", site.project, "--json").stdout)  # fmt: skip
    return {"project": site.project, "worker": worker, "other": subjects[1], "month": month,
            "contractor": made["token"]}  # fmt: skip


