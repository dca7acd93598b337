"""The per-process cache of token rows in ``Principals.authenticate`` (ledger/principals.py).

Two ``Principals`` objects, each on its own engine, stand for two processes (two HTTP workers, or
a worker and the CLI). A clock (``Tick``) stands for the monotonic time the cache ages by.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from ledger.db import make_engine
from ledger.principals import AUTH_CACHE_SECONDS, Principals, TokenRejected
from ledger.store import Store

NOW = datetime(2026, 11, 20, tzinfo=UTC)


class Tick:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def two(store: Store) -> Iterator[tuple[Principals, Principals, Tick]]:
    tick = Tick()
    engines = [make_engine(str(store.engine.url)) for _ in range(2)]
    yield Principals(engines[0], monotonic=tick), Principals(engines[1], monotonic=tick), tick
    for e in engines:
        e.dispose()


def _reason(p: Principals, token: str, now: datetime = NOW) -> str:
    with pytest.raises(TokenRejected) as exc:
        p.authenticate(token, now)
    return exc.value.reason


def test_a_token_row_is_read_once_a_second(two: tuple[Principals, Principals, Tick]) -> None:
    a, _, tick = two
    pid = a.create("gate", "device", NOW, projects={"P1"}).principal_id
    _, token = a.issue_token(pid, NOW)
    for _ in range(50):
        assert a.authenticate(token, NOW).principal_id == pid
    assert a.token_reads == 1
    tick.t += AUTH_CACHE_SECONDS - 0.01
    a.authenticate(token, NOW)
    assert a.token_reads == 1
    tick.t += 0.01
    a.authenticate(token, NOW)
    assert a.token_reads == 2
    uncached = Principals(a.engine, cache_seconds=0)
    for _ in range(3):
        uncached.authenticate(token, NOW)
    assert uncached.token_reads == 3


def test_revoked_elsewhere_stops_within_the_cache_time(
    two: tuple[Principals, Principals, Tick],
) -> None:
    worker, cli, tick = two
    pid = worker.create("gate", "device", NOW, projects={"P1"}).principal_id
    tok, token = worker.issue_token(pid, NOW)
    worker.authenticate(token, NOW)
    cli.revoke_token(tok.token_id, NOW)
    assert _reason(cli, token) == "the token was revoked"  # the revoking process: at once
    tick.t += AUTH_CACHE_SECONDS / 2
    worker.authenticate(token, NOW)  # the other process: not yet (the documented bound) ...
    tick.t += AUTH_CACHE_SECONDS / 2
    assert _reason(worker, token) == "the token was revoked"  # ... but once the row is 1 s old
    tick.t += 100
    assert _reason(worker, token) == "the token was revoked"  # and for good


def test_disabled_elsewhere_stops_within_the_cache_time(
    two: tuple[Principals, Principals, Tick],
) -> None:
    worker, cli, tick = two
    pid = worker.create("sub", "contractor", NOW, projects={"P1"}).principal_id
    tokens = [worker.issue_token(pid, NOW)[1] for _ in range(2)]
    for t in tokens:
        worker.authenticate(t, NOW)
    cli.disable(pid, NOW)
    tick.t += AUTH_CACHE_SECONDS
    assert {_reason(worker, t) for t in tokens} == {"the principal was disabled"}


def test_revoked_or_disabled_here_stops_at_once(two: tuple[Principals, Principals, Tick]) -> None:
    worker, _, _ = two
    pid = worker.create("gate", "device", NOW, projects={"P1"}).principal_id
    tok, token = worker.issue_token(pid, NOW)
    _, other = worker.issue_token(pid, NOW)
    worker.authenticate(token, NOW)
    worker.authenticate(other, NOW)
    worker.revoke_token(tok.token_id, NOW)
    assert _reason(worker, token) == "the token was revoked"
    worker.authenticate(other, NOW)
    worker.disable(pid, NOW)
    assert _reason(worker, other) == "the principal was disabled"


def test_expiry_is_checked_on_every_use(two: tuple[Principals, Principals, Tick]) -> None:
    worker, _, _ = two
    pid = worker.create("gate", "device", NOW, projects={"P1"}).principal_id
    _, token = worker.issue_token(pid, NOW, expires_at=NOW + timedelta(hours=1))
    worker.authenticate(token, NOW + timedelta(minutes=59))
    assert _reason(worker, token, NOW + timedelta(hours=1)) == "the token has expired"
    assert worker.token_reads == 1  # from the cached row, without waiting for it to age


def test_unknown_tokens_are_not_cached(two: tuple[Principals, Principals, Tick]) -> None:
    worker, cli, _ = two
    for _ in range(2):
        assert _reason(worker, "slt_nope") == "unknown token"
    assert worker.token_reads == 2
    pid = cli.create("gate", "device", NOW, projects={"P1"}).principal_id
    _, token = cli.issue_token(pid, NOW)
    # issued by another process a moment ago: works here at once
    for _ in range(3):
        assert worker.authenticate(token, NOW).principal_id == pid
    assert worker.token_reads == 3


def test_a_read_overtaken_by_a_revocation_here_is_not_kept(
    two: tuple[Principals, Principals, Tick],
) -> None:
    """A row read while this process revokes (the read's query ran first) serves the request
    it was read for only: the next request reads again."""
    worker, _, _ = two
    pid = worker.create("gate", "device", NOW, projects={"P1"}).principal_id
    _, token = worker.issue_token(pid, NOW)

    def revoked_meanwhile(*_a: Any) -> None:
        worker.forget_tokens()  # what revoke_token does once its update has committed

    event.listen(worker.engine, "after_cursor_execute", revoked_meanwhile)
    worker.authenticate(token, NOW)
    event.remove(worker.engine, "after_cursor_execute", revoked_meanwhile)
    worker.authenticate(token, NOW)
    worker.authenticate(token, NOW)
    assert worker.token_reads == 2  # the overtaken row was not cached; the next one is
