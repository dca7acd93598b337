"""PostgreSQL connections are pinged before use only after sitting idle (ledger/db.py): a busy
process pays no round trip per transaction, and a connection the server dropped is replaced."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from ledger import db
from tests.conftest import PG_URL

pytestmark = pytest.mark.postgres


@pytest.fixture
def url() -> str:
    if not PG_URL:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    return PG_URL


def _counting_pings(engine: Any) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_conn: Any) -> bool:
        pings.append(1)
        return bool(ping(dbapi_conn))

    engine.dialect.do_ping = counted
    return pings


def test_a_connection_in_steady_use_is_not_pinged(url: str) -> None:
    engine = db.make_engine(url)
    pings = _counting_pings(engine)
    for _ in range(20):
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert pings == []
    engine.dispose()


def test_an_idle_connection_is_pinged_and_replaced_if_dead(url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    engine, other = db.make_engine(url), db.make_engine(url)
    pings = _counting_pings(engine)
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    monkeypatch.setattr(db, "PING_IDLE_SECONDS", 0.0)  # every pooled connection counts as idle
    with engine.connect() as conn:  # alive: pinged and used
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == pid
    assert len(pings) == 1
    with other.begin() as conn:  # the server drops it (a restart, an idle timeout)
        conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    with engine.connect() as conn:  # the ping fails: a new connection, and no error
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    assert len(pings) == 2
    engine.dispose()
    other.dispose()
