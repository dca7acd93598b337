"""The API on PostgreSQL: the principal, token and access-log tables, ingest and proofs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.principals import Principals
from ledger.store import Store
from ledger.vault import Keyring, Vault
from tests.api.conftest import OWN, World, build_world, make_app
from tests.api.test_records import post
from tests.conftest import PG_URL, T0, Clock, _reset_pg

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_world(root_key: SigningKey, clock: Clock) -> Iterator[World]:
    if not PG_URL:
        pytest.skip("SITELEDGER_TEST_DATABASE_URL is not set")
    _reset_pg(PG_URL)
    engine = make_engine(PG_URL)
    store = Store(engine, root_key, clock=clock)
    store.create_schema()
    assert store.genesis(root_key, valid_from=T0 - timedelta(days=30)).ok
    yield build_world(store, Vault(engine, Keyring.generate()), Principals(engine), clock, root_key)
    engine.dispose()


def test_api_on_postgres(pg_world: World, tmp_path: Path) -> None:
    world = pg_world
    client: FlaskClient = make_app(world, tmp_path).test_client()
    recs = [world.punch(n=n).to_json() for n in range(600, 610)]
    assert post(client, world, recs, role="device").status_code == 201
    assert post(client, world, recs[0], role="device").json["status"] == "duplicate"
    world.seal_and_anchor()
    seq = world.projects[OWN].seqs["attendance"]
    proof = client.get(f"/v1/records/{seq}/proof", headers=world.headers("auditor"))
    assert proof.status_code == 200
    subject = world.projects[OWN].workers[0]
    q = f"/v1/presence?project={OWN}&subject={subject}&at=2026-10-05T12:00:00%2B08:00"
    assert client.get(q, headers=world.headers("insurer")).json["present"] is True
    log = world.principals.access_log()
    assert {a.action for a in log} >= {"records.get_proof", "workers.get_presence", "presence"}
    assert client.get("/v1/principals", headers=world.headers("admin")).status_code == 200
    assert client.get("/readyz").status_code == 200
