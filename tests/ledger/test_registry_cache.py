"""The key registry an append checks signatures with before it takes the write lock
(``Store._registry_snapshot``): the process's cached one, without a read per append. Another
process's key changes still decide: a key registered there is accepted here, a key revoked there
is refused here, at once.

Two ``Store`` objects on one database, each with its own engine, stand for two processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import KeyRecord
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import AppendResult, Store
from tests.conftest import T0, Clock

D1 = date(2026, 10, 1)


def _at(site: SampleSite, day: int) -> datetime:
    return datetime(2026, 10, day, 7, 30, tzinfo=site.tz)


def _ok(results: list[AppendResult]) -> list[AppendResult]:
    assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok]
    return results


@pytest.fixture
def other(store: Store, root_key: SigningKey, clock: Clock) -> Iterator[Store]:
    engine = make_engine(str(store.engine.url))
    yield Store(engine, root_key, clock=clock)
    engine.dispose()


def test_key_changes_made_elsewhere_decide_at_once(store: Store, other: Store,
                                                   site: SampleSite) -> None:  # fmt: skip
    _ok(store.append([site.enroll("w-0001", site.subs[0], "T-REBAR", D1)]))
    _ok(store.append([site.punch("GATE-01", "w-0001", _at(site, 1), "in", 1)]))  # cached here

    # another process registers a new gate and revokes GATE-01
    new_gate = SigningKey(bytes(range(1, 33)))
    site.devices["GATE-09"] = new_gate
    revoke = KeyRecord(
        id="revoke-gate-01", signer=site.admin.key_id, time=T0 + timedelta(days=2),
        action="revoke", public_key=site.devices["GATE-01"].verify_key.public, holder="GATE-01",
        roles=(), projects=(), reason="device stolen",
    )  # fmt: skip
    _ok(other.append([
        site.key_record(new_gate, "GATE-09", ("device",), site.admin, T0 + timedelta(days=1)),
        SignedRecord.sign(revoke, site.admin),
    ]))  # fmt: skip

    checkouts: list[int] = []

    def counted(*_a: Any) -> None:
        checkouts.append(1)

    event.listen(store.engine.pool, "checkout", counted)
    (r,) = store.append([site.punch("GATE-09", "w-0001", _at(site, 3), "out", 1)])
    assert r.status == "accepted", r  # its signature checked under the lock
    (r,) = store.append([site.punch("GATE-01", "w-0001", _at(site, 3), "in", 2)])
    assert r.status == "rejected" and r.code == "unauthorised", r
    assert "revoked" in (r.message or "")
    event.remove(store.engine.pool, "checkout", counted)
    assert len(checkouts) == 2  # one connection an append: the write transaction's
