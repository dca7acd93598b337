"""Deterministic records shared by the crash test and its child process."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.sample import SampleSite
from ledger.store import Store

WORKERS = 20


def site_for(root: SigningKey) -> SampleSite:
    return SampleSite(root, seed=42)


def setup_records(site: SampleSite) -> list[SignedRecord]:
    at = datetime(2026, 9, 30, tzinfo=site.tz)
    return site.setup(at) + [
        site.enroll(f"w-{i:03d}", site.subs[0], "T-REBAR", date(2026, 10, 1))
        for i in range(WORKERS)
    ]


def punches(site: SampleSite, n: int) -> list[SignedRecord]:
    start = datetime(2026, 10, 1, 6, 0, tzinfo=site.tz)
    return [
        site.punch("GATE-01", f"w-{i % WORKERS:03d}", start + timedelta(seconds=30 * i),
                   "in" if (i // WORKERS) % 2 == 0 else "out", i)
        for i in range(n)
    ]  # fmt: skip


def prepare(store: Store, root: SigningKey) -> SampleSite:
    """A fresh schema, the genesis record and the site's setup and enrollments in ``store``."""
    store.skew = timedelta(days=3650)
    store.create_schema()
    store.genesis(root, valid_from=store.clock() - timedelta(days=3650))
    site = site_for(root)
    assert all(r.status == "accepted" for r in store.append(setup_records(site)))
    return site
