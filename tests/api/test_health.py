"""Health, readiness, metrics, the OpenAPI document, the docs page, and errors outside views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from sqlalchemy.exc import OperationalError

from api.app import create_app
from ledger.core.errors import AnchorError
from tests.api.conftest import OWN, World
from tests.api.test_records import assert_problem, post


def test_healthz(client: FlaskClient) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok"}


def test_readyz_reports_lag(client: FlaskClient, world: World) -> None:
    world.clock.advance(seconds=30)
    resp = client.get("/readyz")
    assert resp.status_code == 200
    body = resp.json
    assert body["database"] == "ok" and body["chain"] == "not configured"
    assert body["unsealed_entries"] == world.store.head() and body["batch_lag_seconds"] >= 30
    world.seal_and_anchor()
    assert client.get("/readyz").json["unsealed_entries"] == 0


def _app_with_probe(world: World, tmp_path: Path, probe: Any) -> Flask:
    from ledger.config import ChainConfig, Config

    app = create_app(Config(home=tmp_path, database_url="sqlite://",
                            chain=ChainConfig(backend="embedded")), store=world.store,
                     vault=world.vault, principals=world.principals, clock=world.clock,
                     chain_probe=probe)  # fmt: skip
    app.config.update(TESTING=True, VALIDATE_RESPONSES=True)
    return app


def test_readyz_checks_the_chain(world: World, tmp_path: Path) -> None:
    ok = _app_with_probe(world, tmp_path, lambda: 1234).test_client().get("/readyz")
    assert ok.status_code == 200 and ok.json["chain"] == "ok (block 1234)"

    def down() -> int:
        raise AnchorError("connection refused")

    resp = _app_with_probe(world, tmp_path, down).test_client().get("/readyz")
    body = assert_problem(resp, 503, "unavailable")
    assert body["checks"]["chain"].startswith("unreachable") and body["checks"]["database"] == "ok"
    assert resp.headers["Retry-After"]


def test_database_errors_are_503_problems(client: FlaskClient, world: World,
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    def broken(*a: Any, **kw: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(world.store, "entries", broken)
    monkeypatch.setattr(world.store, "head", broken)
    resp = client.get("/v1/entries", headers=world.headers("admin"))
    body = assert_problem(resp, 503, "unavailable")
    assert "locked" not in body["detail"] and resp.headers["Retry-After"] == "1"
    assert_problem(client.get("/readyz"), 503, "unavailable")
    assert "siteledger_database_up 0" in client.get("/metrics").get_data(as_text=True)


def test_unexpected_errors_are_500_problems_without_a_trace(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*a: Any, **kw: Any) -> Any:
        raise RuntimeError("secret internals /srv/app.py line 3")

    monkeypatch.setattr(world.store, "entry", bug)
    resp = client.get("/v1/records/1", headers=world.headers("admin"))
    body = assert_problem(resp, 500, "internal")
    assert "secret" not in json.dumps(body)


def test_metrics_count_records_by_outcome_and_reason(client: FlaskClient, world: World) -> None:
    good = world.punch().to_json()
    bad = world.punch(n=101).to_json()
    bad["sig"] = "00" * 64
    post(client, world, [good, bad], role="device")
    post(client, world, good, role="device")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'siteledger_records_total{status="accepted",reason=""} 1' in text
    assert 'siteledger_records_total{status="duplicate",reason=""} 1' in text
    assert 'siteledger_records_total{status="rejected",reason="bad-signature"} 1' in text
    assert 'route="/v1/records",le="+Inf"} 2' in text
    assert "# TYPE siteledger_http_request_duration_seconds histogram" in text
    assert f"siteledger_log_head {world.store.head()}" in text
    for name in ("siteledger_batch_lag_seconds", "siteledger_anchor_lag_seconds",
                 "siteledger_unsealed_entries"):  # fmt: skip
        assert f"# TYPE {name} gauge" in text


def test_openapi_is_a_valid_3_1_document(client: FlaskClient) -> None:
    resp = client.get("/openapi.json")
    spec = resp.json
    assert spec["openapi"] == "3.1.0"
    errors = [e.message for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert op["responses"]["default"]["content"]["application/problem+json"], (path, method)
            assert op["summary"] and op["operationId"]


def test_docs_page_renders_every_operation_without_external_resources(
    client: FlaskClient,
) -> None:
    resp = client.get("/docs")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    spec = client.get("/openapi.json").json
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page
    assert "http://" not in page and "https://cdn" not in page and "<script" not in page


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not-found"),
        ("GET", "/v1", 404, "not-found"),
        ("DELETE", "/v1/records", 405, "method-not-allowed"),
        ("PUT", "/v1/records/1", 405, "method-not-allowed"),
        ("POST", "/healthz", 405, "method-not-allowed"),
    ],
)
def test_routing_errors_are_problems(client: FlaskClient, method: str, path: str, status: int,
                                     code: str) -> None:  # fmt: skip
    resp = client.open(path, method=method)
    assert_problem(resp, status, code)
    if status == 405:
        assert "GET" in resp.headers["Allow"] or "POST" in resp.headers["Allow"]


def test_create_app_from_a_mapping(world: World, tmp_path: Path) -> None:
    app = create_app({"home": tmp_path, "max_bulk": 5, "TESTING": True}, store=world.store,
                     vault=world.vault, chain_probe=None)  # fmt: skip
    assert app.testing and app.extensions["siteledger"].config.max_bulk == 5
    resp = app.test_client().get(f"/v1/projects/{OWN}/orgs", headers=world.headers("admin"))
    assert resp.status_code == 200


def test_model_literals_follow_the_ledger() -> None:
    from typing import get_args

    from api.models import RecordType, Role
    from ledger.core.records import RECORD_TYPES
    from ledger.principals import ROLES

    assert set(get_args(RecordType)) == set(RECORD_TYPES)
    assert set(get_args(Role)) == set(ROLES)


def test_default_chain_probe_asks_the_configured_node(world: World, tmp_path: Path) -> None:
    """anvil backend, nothing listening on its port: not ready, and the problem says why."""
    import socket

    from api.app import chain_probe_from
    from ledger.config import ChainConfig, Config

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and closed again: nothing listens there
    cfg = Config(home=tmp_path, database_url="sqlite://",
                 chain=ChainConfig(backend="anvil", anvil_port=port))  # fmt: skip
    assert chain_probe_from(Config(home=tmp_path, database_url="sqlite://",
                                   chain=ChainConfig(backend="embedded"))) is None  # fmt: skip
    app = create_app(cfg, store=world.store, vault=world.vault, principals=world.principals)
    body = assert_problem(app.test_client().get("/readyz"), 503, "unavailable")
    assert body["checks"]["chain"].startswith("unreachable")
