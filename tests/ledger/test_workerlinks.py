"""Enrollment codes and session challenges (``ledger.workerlinks``) on SQLite and PostgreSQL:
a code is spent once even when phones race for it, expires, and is kept only hashed; a
challenge is used once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from ledger import db
from ledger.core.keys import SigningKey
from ledger.store import Store
from ledger.workerlinks import MAX_TTL, MIN_TTL, LinkError, WorkerLinks
from tests.conftest import Clock


def _code(links: WorkerLinks, clock: Clock, **kw: timedelta) -> str:
    return links.create("P-DEMO-001", "w-000001", "pr-test", clock(), **kw)[1]


def test_a_code_is_stored_only_as_its_hash(store: Store, clock: Clock) -> None:
    links = WorkerLinks(store.engine)
    link, code = links.create("P-DEMO-001", "w-000001", "pr-test", clock())
    assert code.startswith("slw_") and len(code) == 4 + 24
    with store.engine.connect() as conn:
        row = conn.execute(select(db.worker_links)).one()
    assert code.encode() not in b"".join(str(v).encode() for v in row)
    assert link.state == "open" and link.expires_at - link.created_at == timedelta(hours=24)


def test_a_code_is_spent_once_when_phones_race_for_it(store: Store, clock: Clock) -> None:
    links = WorkerLinks(store.engine)
    code = _code(links, clock)
    won: list[str] = []
    lost: list[str] = []
    start = threading.Barrier(8)

    def phone() -> None:
        start.wait()
        try:
            won.append(links.redeem(code, SigningKey.generate().verify_key.public, clock()).link_id)
        except LinkError as exc:
            lost.append(exc.code)

    threads = [threading.Thread(target=phone) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and lost == ["link-code-used"] * 7


def test_expiry_and_lifetimes(store: Store, clock: Clock) -> None:
    links = WorkerLinks(store.engine)
    code = _code(links, clock, ttl=MIN_TTL)
    clock.advance(minutes=5)
    with pytest.raises(LinkError) as err:
        links.redeem(code, SigningKey.generate().verify_key.public, clock())
    assert err.value.code == "link-code-expired"
    for ttl in (MIN_TTL - timedelta(seconds=1), MAX_TTL + timedelta(seconds=1)):
        with pytest.raises(LinkError):
            _code(links, clock, ttl=ttl)


def test_decisions_only_on_pending_requests(store: Store, clock: Clock) -> None:
    links = WorkerLinks(store.engine)
    link, code = links.create("P-DEMO-001", "w-000001", "pr-test", clock())
    with pytest.raises(LinkError) as err:
        links.reject(link.link_id, "pr-test", clock())  # not redeemed yet
    assert err.value.code == "conflict-state"
    links.redeem(code, SigningKey.generate().verify_key.public, clock())
    assert links.approve(link.link_id, "pr-test", clock(), 7, "pr-worker").state == "approved"
    with pytest.raises(LinkError):
        links.reject(link.link_id, "pr-test", clock())
    with pytest.raises(LinkError) as err:
        links.approve("wl-0000000000000000", "pr-test", clock(), 8, "pr-worker")
    assert err.value.code == "not-found"
    assert [x.link_id for x in links.list(frozenset({"P-DEMO-001"}), state="approved")] == [
        link.link_id
    ]
    assert links.list(frozenset({"P-OTHER-002"})) == []


def test_a_challenge_is_used_once_by_its_key(store: Store, clock: Clock) -> None:
    links = WorkerLinks(store.engine)
    value, expires = links.challenge("ab" * 16, clock())
    assert expires - clock() == timedelta(minutes=2)
    with pytest.raises(LinkError):
        links.spend_challenge(value, "cd" * 16, clock())  # another key's
    links.spend_challenge(value, "ab" * 16, clock())
    with pytest.raises(LinkError) as err:
        links.spend_challenge(value, "ab" * 16, clock())
    assert err.value.code == "challenge-invalid"
    late, _ = links.challenge("ab" * 16, clock())
    clock.advance(minutes=2)
    with pytest.raises(LinkError):
        links.spend_challenge(late, "ab" * 16, clock())
