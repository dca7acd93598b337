"""A worker's warm-up before its first request (``Store.warm``, ``api.app.warm``) and gunicorn's
``post_worker_init`` hook (``api.commands.worker_ready``).

Without it each HTTP worker answered its first requests 30 ms late or more (a connection opened,
the registry loaded, the shared tables checked), and the queue behind them showed as the slowest
percent of a benchmark's single POSTs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from api import commands
from api.app import warm
from ledger.db import make_engine
from ledger.store import Store
from tests.api.conftest import World, make_app


def test_store_warm_opens_the_pool_and_loads_the_registry(store: Store) -> None:
    fresh = Store(make_engine(str(store.engine.url)), store.operator_key)
    try:
        assert fresh.engine.pool.checkedin() == 0
        fresh.warm(3)
        assert fresh.engine.pool.checkedin() == 3  # open, idle, kept by the pool
        assert fresh._registry.version >= 0 and fresh._registry.grants  # the genesis keys
        connects: list[Any] = []  # the first request after it opens no connection
        event.listen(fresh.engine, "connect", lambda *a: connects.append(a))
        fresh.head()
        assert connects == []
    finally:
        fresh.engine.dispose()


def test_app_warm_prepares_the_shared_tables(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    state = app.extensions["siteledger"].limiter.state
    assert not state._ready
    warm(app, threads=2)
    assert state._ready
    assert world.store._registry.version >= 0


def _worker(app: Flask, log: logging.Logger) -> Any:
    return SimpleNamespace(wsgi=app, cfg=SimpleNamespace(threads=4), log=log, pid=4242)


def test_worker_ready_warms_then_quiets_gc(world: World, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    calls: list[str] = []
    monkeypatch.setattr(commands, "quiet_gc", lambda: calls.append("quiet_gc"))
    app = make_app(world, tmp_path)
    with caplog.at_level(logging.INFO):
        commands.worker_ready(_worker(app, logging.getLogger("test.worker")))
    assert calls == ["quiet_gc"]
    assert app.extensions["siteledger"].limiter.state._ready
    assert "worker 4242 ready" in caplog.text and "not warmed" not in caplog.text


def test_worker_ready_serves_anyway_when_the_database_is_down(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    calls: list[str] = []
    monkeypatch.setattr(commands, "quiet_gc", lambda: calls.append("quiet_gc"))
    secret_url = "postgresql+psycopg://ops:hunter2@127.0.0.1:1/ledger"
    engine = make_engine(secret_url, connect_args={"connect_timeout": 2})
    down = Store(engine, world.store.operator_key)
    app = make_app(world, tmp_path)
    app.extensions["siteledger"].store = down
    with caplog.at_level(logging.INFO):
        commands.worker_ready(_worker(app, logging.getLogger("test.worker")))
    assert calls == ["quiet_gc"]  # the worker goes on
    assert "not warmed up (OperationalError)" in caplog.text
    assert "hunter2" not in caplog.text and "ready" in caplog.text
