"""Liveness, readiness and Prometheus metrics (no token needed: put them behind the firewall)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response
from sqlalchemy.exc import SQLAlchemyError

from api.models import Health, Ready
from api.problems import Problem
from api.routing import Resp, operation, reply
from api.services import services
from ledger import batcher
from ledger.core.errors import LedgerError
from ledger.store import Store

bp = Blueprint("health", __name__)
UNANCHORED = ("sealed", "anchoring", "reorged")


@dataclass(frozen=True, slots=True)
class Lag:
    head: int
    unsealed: int
    batch_lag: float  # seconds the oldest entry not in a batch has waited
    anchor_lag: float  # seconds the oldest sealed batch not anchored has waited
    unanchored_batches: int


def lag(store: Store, now: datetime) -> Lag:
    head = store.head()
    unsealed = batcher.pending_count(store)
    batch_lag = 0.0
    if unsealed:
        oldest = store.entry(head - unsealed)
        if oldest is not None:
            batch_lag = max(0.0, (now - oldest.entry.received_at).total_seconds())
    waiting = [b for state in UNANCHORED for b in batcher.batches(store, state=state, limit=1)]
    anchor_lag = 0.0
    if waiting:
        anchor_lag = max(0.0, (now - min(b.sealed_at for b in waiting)).total_seconds())
    unanchored = sum(
        len(batcher.batches(store, state=state, limit=10_000)) for state in UNANCHORED
    ) if waiting else 0  # fmt: skip
    return Lag(head, unsealed, batch_lag, anchor_lag, unanchored)


@bp.get("/healthz")
@operation(
    summary="Liveness",
    tags=("health",),
    roles=None,
    responses={200: Resp("the process is up", Health)},
)
def healthz() -> Response:
    return reply(Health, {"status": "ok"})


@bp.get("/readyz")
@operation(
    summary="Readiness",
    tags=("health",),
    roles=None,
    description=(
        "Ready when the database answers and, if a chain is configured, the chain does too. "
        "Reports the entries waiting for a batch and the anchoring lag. 503 when not ready."
    ),
    responses={
        200: Resp("ready", Ready),
        503: Resp("not ready: the problem's `checks` say which dependency failed"),
    },
)
def readyz() -> Response:
    svc = services()
    checks: dict[str, str] = {}
    try:
        state = lag(svc.store, svc.clock())
        checks["database"] = "ok"
    except (LedgerError, SQLAlchemyError) as exc:
        state = None
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if svc.chain_probe is None:
        checks["chain"] = "not configured"
    else:
        try:
            checks["chain"] = f"ok (block {svc.chain_probe()})"
        except (LedgerError, OSError) as exc:
            checks["chain"] = f"unreachable: {type(exc).__name__}"
    if state is None or "unreachable" in checks["chain"]:
        failed = ", ".join(k for k, v in checks.items() if v.startswith("unreachable"))
        raise Problem("unavailable", f"not ready: {failed}", checks=checks,
                      headers={"Retry-After": "5"})  # fmt: skip
    return reply(Ready, {
        "status": "ready", "database": checks["database"], "chain": checks["chain"],
        "head": state.head, "unsealed_entries": state.unsealed,
        "batch_lag_seconds": state.batch_lag, "anchor_lag_seconds": state.anchor_lag,
    })  # fmt: skip


@bp.get("/metrics")
@operation(
    summary="Prometheus metrics",
    tags=("health",),
    roles=None,
    description=(
        "Text exposition format: records accepted and rejected by reason, request latency "
        "histogram by route, log head, entries waiting for a batch, batch and anchor lag."
    ),
    responses={200: Resp("metrics", {"type": "string"}, media_type="text/plain")},
)
def metrics() -> Response:
    svc = services()
    gauges: dict[str, tuple[str, float]] = {}
    try:
        state = lag(svc.store, svc.clock())
        gauges = {
            "siteledger_log_head": ("Entries in the log.", state.head),
            "siteledger_unsealed_entries": ("Entries not in a sealed batch yet.", state.unsealed),
            "siteledger_batch_lag_seconds": ("Age of the oldest entry not in a batch.",
                                             state.batch_lag),
            "siteledger_anchor_lag_seconds": ("Age of the oldest sealed batch not anchored.",
                                              state.anchor_lag),
            "siteledger_unanchored_batches": ("Sealed batches not anchored yet.",
                                              state.unanchored_batches),
            "siteledger_database_up": ("1 if the database answered this scrape.", 1),
        }  # fmt: skip
        held = batcher.witness_wait(svc.store)
        gauges["siteledger_witness_quorum_missing"] = (
            "1 while the anchorer holds a batch back for want of a witness quorum (wait policy).",
            0 if held is None else 1)  # fmt: skip
        gauges["siteledger_witness_wait_seconds"] = (
            "Age of the sealed batch held back for want of a witness quorum (0 if none).",
            0 if held is None else max(0.0, (svc.clock() - held.sealed_at).total_seconds()))  # fmt: skip
    except (LedgerError, SQLAlchemyError):
        gauges = {"siteledger_database_up": ("1 if the database answered this scrape.", 0)}
    return Response(svc.metrics.render(gauges),
                    content_type="text/plain; version=0.0.4; charset=utf-8")  # fmt: skip
