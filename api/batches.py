"""Batches: sealed ranges of the log, their Merkle roots and their anchoring transactions."""

from __future__ import annotations

from flask import Blueprint, Response

from api import serialise
from api.models import Batch, BatchesQuery, BatchPage, BatchPath
from api.problems import Problem
from api.routing import Resp, operation, reply
from api.services import services
from ledger import batcher

bp = Blueprint("batches", __name__, url_prefix="/v1")


@bp.get("/batches")
@operation(
    summary="List batches",
    tags=("batches",),
    query=BatchesQuery,
    description="Batches in order of number, optionally in one state; page with `after`.",
    responses={200: Resp("a page of batches", BatchPage)},
)
def list_batches(query: BatchesQuery) -> Response:
    store = services().store
    found = batcher.batches(store, state=query.state, after=query.after, limit=query.limit)
    body = {
        "batches": [serialise.batch(b, store.operator_key.key_id) for b in found],
        "next_after": found[-1].batch_no if len(found) == query.limit else None,
    }
    return reply(BatchPage, body)


@bp.get("/batches/<int(max=9223372036854775807):batch_no>")
@operation(
    summary="Read one batch",
    tags=("batches",),
    path=BatchPath,
    responses={
        200: Resp("the batch: range, roots, signed head, state and anchor transaction", Batch)
    },
)
def get_batch(batch_no: int) -> Response:
    store = services().store
    b = batcher.batch(store, batch_no)
    if b is None:
        raise Problem("not-found", f"no batch {batch_no}")
    return reply(Batch, serialise.batch(b, store.operator_key.key_id))
