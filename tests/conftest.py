"""Shared fixtures: a fresh store on SQLite (always) and on PostgreSQL (when configured)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bench.load import empty_database
from ledger import db
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import Store

PG_URL = os.environ.get("SITELEDGER_TEST_DATABASE_URL")
ROOT_SEED = bytes(range(32))
T0 = datetime(2026, 9, 30, tzinfo=UTC)


class Clock:
    """A settable clock for the store: tests move time explicitly."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def _reset_pg(url: str) -> None:
    empty_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    _reset_pg(PG_URL)
    yield PG_URL


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


@pytest.fixture
def root_key() -> SigningKey:
    return SigningKey(ROOT_SEED)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))


@pytest.fixture
def make_store(root_key: SigningKey, clock: Clock) -> Iterator[Callable[[str], Store]]:
    engines = []

    def make(url: str) -> Store:
        engine = make_engine(url)
        engines.append(engine)
        store = Store(engine, root_key, clock=clock)
        return store

    yield make
    for e in engines:
        e.dispose()


@pytest.fixture
def store(db_url: str, make_store: Callable[[str], Store], root_key: SigningKey) -> Store:
    s = make_store(db_url)
    s.create_schema()
    assert s.genesis(root_key, valid_from=T0 - timedelta(days=30)).status == "accepted"
    return s


@pytest.fixture
def site(store: Store, root_key: SigningKey) -> SampleSite:
    """A project with orgs, keys, a supervisor and two gate devices, already in the log."""
    s = SampleSite(root_key)
    results = store.append(s.setup(T0))
    assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok]
    return s


__all__ = ["Clock", "T0", "db"]
