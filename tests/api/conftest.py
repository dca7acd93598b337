"""Fixtures for the API tests (flaskr style: ``app`` and ``client``), on SQLite.

``world`` is a ledger with two projects, each with its orgs, keys, devices and workers whose
identities are in the vault, a few punches and a wage line each, and one API principal of every
role scoped to the first project (``OWN``). ``OTHER`` is the second project, which no principal
but the admin may touch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from api.app import create_app
from ledger import batcher, db
from ledger.config import ChainConfig, Config
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.principals import Principals
from ledger.runtime import RuntimeState
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Keyring, Vault
from tests.conftest import T0, Clock

OWN = "P-DEMO-001"
OTHER = "P-OTHER-002"
TZ8 = SampleSite.tz


@dataclass
class Project:
    site: SampleSite
    workers: list[str] = field(default_factory=list)
    identities: list[dict[str, str]] = field(default_factory=list)  # of ``workers``, in order
    seqs: dict[str, int] = field(default_factory=dict)  # kind -> seq of one such entry
    leaves: dict[str, bytes] = field(default_factory=dict)


@dataclass
class World:
    store: Store
    vault: Vault
    principals: Principals
    clock: Clock
    root: SigningKey
    projects: dict[str, Project]
    tokens: dict[str, str] = field(default_factory=dict)  # role -> bearer token
    principal_ids: dict[str, str] = field(default_factory=dict)

    def append(self, records: list[SignedRecord]) -> list[Any]:
        results = self.store.append(records)
        assert all(r.ok for r in results), [r for r in results if not r.ok]
        return results

    def headers(self, role: str, **extra: str) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.tokens[role]}"}
        if role == "auditor":
            h["X-Case-Reference"] = "ARB-2026-0042"
        h.update(extra)
        return h

    def punch(self, project: str = OWN, n: int = 100, direction: str = "in") -> SignedRecord:
        """A new attendance record of the project's first worker, device record number ``n``."""
        proj = self.projects[project]
        at = datetime(2026, 10, 6, 7, 0, tzinfo=TZ8) + timedelta(minutes=n)
        return proj.site.punch("GATE-01", proj.workers[0], at, direction, n)

    def seal_and_anchor(self) -> None:
        """Seal everything waiting and mark every batch anchored (as the anchor worker would)."""
        batcher.seal(self.store, max_size=1000, force=True)
        with self.store.engine.begin() as conn:
            conn.execute(
                update(db.batches)
                .where(db.batches.c.state != "anchored")
                .values(
                    state="anchored", chain_id=31337,
                    contract="0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    tx_hash="0x" + "ab" * 32, block_number=7, block_hash="0x" + "cd" * 32,
                    block_time=db.to_us(self.clock()), anchored_at=db.to_us(self.clock()),
                )
            )  # fmt: skip


def build_world(store: Store, vault: Vault, principals: Principals, clock: Clock,
                root: SigningKey) -> World:  # fmt: skip
    projects: dict[str, Project] = {}
    for n, code in enumerate((OWN, OTHER), start=1):
        site = SampleSite(root, project=code, seed=n)
        proj = Project(site)
        projects[code] = proj
        results = store.append(site.setup(T0))
        assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok]
        proj.seqs["key"] = results[1].seq  # the admin key's registration (no project)
        proj.seqs["project"] = results[0].seq
        org = site.subs[0]
        day = date(2026, 10, 1)
        for i in range(2):
            identity = site.identity(n * 100 + i)
            proj.identities.append(identity)
            got = vault.enroll(code, identity, clock())
            rec = site.enroll(got.subject, org, "T-REBAR", day, commitment=got.commitment)
            r = store.append([rec, site.worker_key(got.subject, T0 + timedelta(days=1))])
            assert all(x.ok for x in r), r
            proj.workers.append(got.subject)
            if i == 0:
                proj.seqs["enrollment"] = r[0].seq
        w = proj.workers[0]
        at = datetime(2026, 10, 5, 7, 30, tzinfo=TZ8)
        r = store.append([
            site.punch("GATE-01", w, at, "in", 1),
            site.punch("GATE-01", w, at + timedelta(hours=10), "out", 2),
            site.wage(w, org, "2026-10", 1, 600, 35000, {"income_tax": 1000},
                      date(2026, 11, 10), datetime(2026, 11, 10, 9, 0, tzinfo=TZ8)),
        ])  # fmt: skip
        assert all(x.ok for x in r), r
        proj.seqs["attendance"] = r[0].seq
        proj.seqs["wage"] = r[2].seq
        proj.leaves["wage"] = r[2].leaf_hash  # type: ignore[assignment]
    world = World(store, vault, principals, clock, root, projects)
    roles = {
        "admin": {},
        "contractor": {"projects": {OWN}},
        "device": {"projects": {OWN}},
        "auditor": {"projects": {OWN}},
        "insurer": {"projects": {OWN}},
        "worker": {"subject": projects[OWN].workers[0]},
    }
    for role, kw in roles.items():
        p = principals.create(f"test {role}", role, clock(), **kw)  # type: ignore[arg-type]
        _, token = principals.issue_token(p.principal_id, clock())
        world.tokens[role] = token
        world.principal_ids[role] = p.principal_id
    return world


@pytest.fixture
def api_store(sqlite_url: str, root_key: SigningKey, clock: Clock) -> Iterator[Store]:
    engine = make_engine(sqlite_url)
    store = Store(engine, root_key, clock=clock)
    store.create_schema()
    assert store.genesis(root_key, valid_from=T0 - timedelta(days=30)).status == "accepted"
    yield store
    engine.dispose()


@pytest.fixture
def world(api_store: Store, clock: Clock, root_key: SigningKey) -> World:
    vault = Vault(api_store.engine, Keyring.generate())
    return build_world(api_store, vault, Principals(api_store.engine), clock, root_key)


def make_app(world: World, tmp_path: Path, **overrides: Any) -> Flask:
    cfg = Config(home=tmp_path, database_url=str(world.store.engine.url),
                 chain=ChainConfig(backend="embedded"), **overrides)  # fmt: skip
    app = create_app(cfg, store=world.store, vault=world.vault, principals=world.principals,
                     clock=world.clock)  # fmt: skip
    app.config.update(TESTING=True, VALIDATE_RESPONSES=True)
    return app


@pytest.fixture
def app(world: World, tmp_path: Path) -> Flask:
    return make_app(world, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


__all__ = ["OTHER", "OWN", "T0", "UTC", "World", "make_app"]


@pytest.fixture
def states(db_url: str) -> Iterator[list[RuntimeState]]:
    """Four ``RuntimeState`` objects on ``db_url``, each with an engine of its own: the runtime
    state of four API processes sharing one database."""
    out = [RuntimeState(make_engine(db_url)) for _ in range(4)]
    yield out
    for s in out:
        s.dispose()
        s.engine.dispose()
