"""Round trips of a proof GET: a bundle is built on one connection with a bounded number of
queries, whatever the size of the log (docs/benchmarks.md, "Serving")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, event

from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.principals import Principals
from ledger.store import Store
from ledger.vault import Keyring, Vault
from tests.api.conftest import OWN, World, build_world, make_app
from tests.conftest import PG_URL, T0, Clock, _reset_pg

# A warm proof GET (the signer's key chain and the project cached): the token, the entry, its
# batch, the leaf siblings, the interior nodes, the entries naming it, the registry version and
# the batch of the cached items (its anchor may have moved), when it is not the entry's own,
# and the witness records of the bundle's batches (batch_witnesses, one read for all of them).
MAX_STATEMENTS = 9
MAX_CONNECTIONS = 2  # the token lookup's and the bundle's
# With several workers on PostgreSQL the rate limit lives in the database (ledger/runtime.py):
# one more connection and its statements, counted apart.
_RUNTIME = ("api_rate", "api_metrics", "SET LOCAL synchronous_commit")


@dataclass
class Counter:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    runtime: int = 0  # the shared rate limit's and metrics' statements (ledger/runtime.py)


@contextmanager
def counting(engine: Engine) -> Iterator[Counter]:
    c = Counter()

    def on_execute(conn: Any, cursor: Any, statement: str, *a: Any) -> None:
        if statement.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK"):
            return
        if any(word in statement for word in _RUNTIME):
            c.runtime += 1
        else:
            c.statements.append(statement)

    def on_checkout(*a: Any) -> None:
        c.checkouts += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield c
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine.pool, "checkout", on_checkout)


def _get(client: FlaskClient, world: World, seq: int, role: str = "admin") -> Counter:
    with counting(world.store.engine) as c:
        r = client.get(f"/v1/records/{seq}/proof", headers=world.headers(role))
    assert r.status_code == 200, r.json
    assert r.json is not None and r.json["record"]["entry"]["seq"] == seq
    return c


def _check_bounded(world: World, client: FlaskClient) -> None:
    world.seal_and_anchor()
    own = world.projects[OWN]
    first = own.seqs["attendance"]
    counts = {}
    for seq in (first, own.seqs["wage"], own.seqs["enrollment"]):
        _get(client, world, seq)  # the signer's key chain, if not cached yet
        c = _get(client, world, seq)
        counts[seq] = len(c.statements)
        assert len(c.statements) <= MAX_STATEMENTS, c.statements
        assert c.checkouts <= MAX_CONNECTIONS + (c.runtime > 0)
    # a larger log, more batches: the same number of reads for the same kind of entry
    for k in range(5):
        world.append([world.punch(n=1000 + 50 * k + i) for i in range(50)])
        world.seal_and_anchor()
    last = world.store.head() - 1
    c = _get(client, world, last)
    assert len(c.statements) <= MAX_STATEMENTS, c.statements
    assert c.checkouts <= MAX_CONNECTIONS + (c.runtime > 0)
    again = _get(client, world, first)
    assert len(again.statements) == counts[first]
    # a disclosure (the enrollment and the vault) and an auditor (the access log) add their own
    c = _get(client, world, first, "auditor")
    assert c.checkouts <= MAX_CONNECTIONS + 1 + (c.runtime > 0)  # + the access log's write


def test_proof_get_round_trips_sqlite(world: World, tmp_path: Path) -> None:
    _check_bounded(world, make_app(world, tmp_path).test_client())


@pytest.mark.postgres
def test_proof_get_round_trips_postgres(root_key: SigningKey, clock: Clock, tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    _reset_pg(PG_URL)
    engine = make_engine(PG_URL)
    try:
        store = Store(engine, root_key, clock=clock)
        store.create_schema()
        assert store.genesis(root_key, valid_from=T0 - timedelta(days=30)).ok
        world = build_world(store, Vault(engine, Keyring.generate()), Principals(engine), clock,
                            root_key)  # fmt: skip
        _check_bounded(world, make_app(world, tmp_path).test_client())
    finally:
        engine.dispose()


def test_reading_block_shares_one_connection(store: Store) -> None:
    """Inside ``Store.reading`` every read uses the block's connection; outside, its own."""
    with counting(store.engine) as c, store.reading():
        for _ in range(5):
            assert store.entry(0) is not None
            assert store.head() == 1
    assert c.checkouts == 1 and len(c.statements) == 10
    with counting(store.engine) as c:
        store.entry(0)
        store.head()
    assert c.checkouts == 2
