"""The database failing under the store: a clear error and nothing half-written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event

from ledger.check import check
from ledger.core.errors import StoreError
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import Clock


def test_database_unreachable_is_a_clear_error(root_key: SigningKey, clock: Clock) -> None:
    store = Store(make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none",
                              connect_args={"connect_timeout": 2}), root_key, clock=clock)  # fmt: skip
    site = SampleSite(root_key)
    with pytest.raises(StoreError, match="database error, nothing was appended"):
        store.append(site.setup(clock.now))


def test_full_database_leaves_nothing_half_written(
    sqlite_url: str, root_key: SigningKey, clock: Clock
) -> None:
    engine = make_engine(sqlite_url)
    store = Store(engine, root_key, clock=clock)
    store.create_schema()
    store.genesis(root_key, valid_from=datetime(2026, 1, 1, tzinfo=clock.now.tzinfo))
    site = SampleSite(root_key)
    store.append(site.setup(datetime(2026, 9, 30, tzinfo=clock.now.tzinfo)))
    store.append([site.enroll("w-1", site.subs[0], "T-REBAR", date(2026, 10, 1))])
    head = store.head()

    @event.listens_for(engine, "connect")
    def _tiny(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    engine.dispose()  # new connections get the limit: the disk is now "full"
    big = [site.punch("GATE-01", "w-1", datetime(2026, 10, 2, 7, 0, i % 60, tzinfo=site.tz), "in", i)
           for i in range(400)]  # fmt: skip
    with pytest.raises(StoreError, match="full|nothing was appended"):
        store.append(big)
    event.remove(engine, "connect", _tiny)
    engine.dispose()
    assert store.head() == head
    assert check(store).ok
    assert all(r.status == "accepted" for r in store.append(big[:10]))
