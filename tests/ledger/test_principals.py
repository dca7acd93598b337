"""Principals on both databases: the last active admin stays, even under concurrent disables."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from ledger.db import make_engine
from ledger.principals import LastAdmin, Principals
from ledger.store import Store

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def test_two_admins_disabling_each_other_at_once_leave_one(store: Store) -> None:
    principals = Principals(store.engine)
    a = principals.create("a", "admin", NOW).principal_id
    b = principals.create("b", "admin", NOW).principal_id
    for _ in range(5):
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def disable(who: str, own: Principals, barrier: threading.Barrier = barrier,
                    outcome: dict[str, str] = outcome) -> None:  # fmt: skip
            barrier.wait()
            try:
                own.disable(who, NOW)
                outcome[who] = "disabled"
            except LastAdmin:
                outcome[who] = "refused"

        engines = [make_engine(str(store.engine.url)) for _ in range(2)]
        threads = [threading.Thread(target=disable, args=(who, Principals(e)))
                   for who, e in zip((a, b), engines, strict=True)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for e in engines:
            e.dispose()
        assert sorted(outcome.values()) == ["disabled", "refused"], outcome
        active = [p.principal_id for p in principals.all() if p.disabled_at is None]
        assert len(active) == 1
        # bring the disabled one back as a fresh admin for the next round
        gone = a if outcome[a] == "disabled" else b
        fresh = principals.create("again", "admin", NOW).principal_id
        a, b = (fresh, b) if gone == a else (a, fresh)
    principals.disable(a, NOW)
    with pytest.raises(LastAdmin, match="last active admin"):
        principals.disable(b, NOW)


def test_disabling_other_roles_and_twice_is_fine(store: Store) -> None:
    principals = Principals(store.engine)
    admin = principals.create("a", "admin", NOW)
    device = principals.create("d", "device", NOW, projects={"P-1"})
    assert principals.disable(device.principal_id, NOW).disabled_at is not None
    assert principals.disable(device.principal_id, NOW).disabled_at is not None
    with pytest.raises(LastAdmin):
        principals.disable(admin.principal_id, NOW)
