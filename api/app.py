"""The Flask application factory."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from flask import Flask, Response, g, request

from api import problems
from api.metrics import SharedMetrics
from api.ratelimit import RateLimiter
from api.services import ChainProbe, Services
from ledger import config as config_mod
from ledger.config import Config
from ledger.db import make_engine
from ledger.principals import Principals
from ledger.runtime import RuntimeState
from ledger.store import Store
from ledger.vault import Vault

_CONFIG_FIELDS = {f.name for f in fields(Config)}


def _config(config: Config | Mapping[str, Any] | None) -> Config:
    """A Config from a Config, from overrides of the loaded one (a mapping), or loaded."""
    if isinstance(config, Config):
        return config
    overrides = {k: v for k, v in (config or {}).items() if k in _CONFIG_FIELDS}
    home = overrides.pop("home", None)
    base = config_mod.load(Path(home) if home is not None else None)
    return replace(base, **overrides)


def chain_probe_from(cfg: Config) -> ChainProbe | None:
    """A probe of the configured chain's JSON-RPC endpoint (anvil or rpc); None for embedded."""
    ch = cfg.chain
    url = ch.rpc_url if ch.backend == "rpc" else (
        f"http://127.0.0.1:{ch.anvil_port}" if ch.backend == "anvil" else None
    )  # fmt: skip
    if url is None:
        return None
    from anchor.reader import ChainReader

    reader = ChainReader.from_url(url, timeout=2.0)
    return reader.head


def preload(cfg: Config) -> None:
    """Import every module the app and its views use, in a process about to fork HTTP workers,
    so that each worker only builds its app (copy-on-write) instead of importing for seconds.

    Imports only: it starts no thread and opens no connection, so a fork after it is safe
    (docs/operations.md, "Process layout").
    """
    from api import admin, batches, health, openapi, records, worker_links, workers  # noqa: F401

    if cfg.chain.backend in ("anvil", "rpc"):  # the /readyz probe's web3 (anchor.reader)
        import web3  # noqa: F401

        from anchor import reader  # noqa: F401


def warm(app: Flask, threads: int) -> None:
    """Get an HTTP worker ready before its first request: the store's pooled connections (one
    per request thread, as many as its pool keeps), the registry signatures are checked with,
    and the shared tables of rate limits and metrics (``Store.warm``). Called by ``serve`` in
    each gunicorn worker once its app is built, before it accepts a connection."""
    svc: Services = app.extensions["siteledger"]
    pool_size = getattr(svc.store.engine.pool, "size", None)
    keeps = pool_size() if callable(pool_size) else 1
    svc.store.warm(min(threads, keeps))
    svc.limiter.state.prepare()


def create_app(
    config: Config | Mapping[str, Any] | None = None,
    *,
    store: Store | None = None,
    vault: Vault | None = None,
    principals: Principals | None = None,
    clock: Callable[[], datetime] | None = None,
    chain_probe: ChainProbe | None | Literal["config"] = "config",
) -> Flask:
    """Build the API app.

    ``config`` is a ``ledger.config.Config``, a mapping (lowercase keys override fields of the
    loaded configuration, e.g. ``{"home": tmp_path, "max_bulk": 10}``; UPPERCASE keys go to
    Flask's ``app.config``, e.g. ``TESTING``), or None to load ``$SITELEDGER_HOME``. Objects
    passed explicitly (a store, vault, principals, a clock, a chain probe) are used as they are;
    anything missing is built from the configuration; the chain probe of ``/readyz`` by default
    asks the configured anvil or RPC node for its block number (pass None for no chain check).
    """
    cfg = _config(config)
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=cfg.max_body_bytes,
        VALIDATE_RESPONSES=False,
    )
    if isinstance(config, Mapping):
        app.config.update({k: v for k, v in config.items() if k.isupper()})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    if store is None:
        store = Store(make_engine(cfg.database_url), cfg.operator_key(), skew=cfg.skew)
    engine = store.engine
    runtime = RuntimeState(engine)
    app.extensions["siteledger"] = Services(
        config=cfg,
        store=store,
        vault=vault if vault is not None else Vault(engine, cfg.vault_keyring()),
        principals=principals if principals is not None else Principals(engine),
        metrics=SharedMetrics(runtime),
        limiter=RateLimiter(cfg.rate_limit_per_minute, runtime),
        clock=clock or store.clock,
        chain_probe=chain_probe_from(cfg) if chain_probe == "config" else chain_probe,
    )

    from api import (
        admin,
        batches,
        health,
        openapi,
        records,
        verify_page,
        worker_links,
        worker_page,
        workers,
    )

    for module in (records, batches, workers, worker_links, admin, health, openapi, verify_page,
                   worker_page):  # fmt: skip
        app.register_blueprint(module.bp)
    problems.register(app)
    _instrument(app)
    return app


def _instrument(app: Flask) -> None:
    """Request latency and status counts for /metrics; security headers on every response."""

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        expect = request.headers.get("Expect")
        if expect is not None and expect.strip().lower() != "100-continue":
            # RFC 9110 §10.1.1: an expectation the server cannot meet is 417, before any work
            raise problems.Problem("expectation-failed", f"Expect: {expect[:80]!r} is not "
                                   "supported; only 100-continue is", field="Expect")  # fmt: skip

    @app.after_request
    def _finish(resp: Response) -> Response:
        started = g.pop("started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            svc: Services = app.extensions["siteledger"]
            svc.metrics.observe(request.method, route, resp.status_code,
                                time.perf_counter() - started)  # fmt: skip
            resp.call_on_close(svc.metrics.publish_soon)  # after the response is sent
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp
