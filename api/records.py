"""Records and entries: submit signed records, read entries back, fetch proofs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from api import auth, serialise
from api.ingest import submit
from api.models import (
    BulkResult,
    EntriesQuery,
    EntryOut,
    EntryPage,
    ProofAnchored,
    ProofBundle,
    ProofPending,
    ProofQuery,
    RecordResult,
    SeqPath,
    SignerRecordPath,
    record_body_schema,
)
from api.problems import Problem, problem_body
from api.routing import Resp, operation, reply
from api.services import services
from ledger import batcher
from ledger.core.entry import Receipt
from ledger.store import AppendResult, StoredEntry
from ledger.vault import Erased, VaultError

try:  # the proof-bundle builder (ledger/bundle.py); without it, a proof is path + anchor only
    from ledger.bundle import BundleError
    from ledger.bundle import build_bundle as _build_bundle
except ImportError:  # pragma: no cover - only before ledger.bundle existed
    _build_bundle = None  # type: ignore[assignment]
    BundleError = LookupError  # type: ignore[assignment,misc]

bp = Blueprint("records", __name__, url_prefix="/v1")

POSTERS = ("admin", "contractor", "device", "worker")
PENDING_RETRY_SECONDS = 5
DISCLOSERS = ("admin", "auditor", "worker")


def _single_status(r: AppendResult) -> int:
    return 201 if r.status == "accepted" else 200


def _bulk_status(results: list[AppendResult]) -> int:
    if any(r.status == "rejected" for r in results):
        return 207
    return 201 if any(r.status == "accepted" for r in results) else 200


@bp.post("/records")
@operation(
    summary="Submit signed records",
    tags=("records",),
    roles=POSTERS,
    raw_body=lambda: record_body_schema(services().config.max_bulk),
    description=(
        "Send one signed record (an object) or a bulk of them (an array, at most the configured "
        "`max_bulk`, default 1,000, and `max_body_bytes`, default 4 MiB). Idempotent: the signer "
        "and the record `id` identify a record, so a retry returns `duplicate` with the original "
        "receipt, and the same id with different content is a `conflict`.\n\n"
        "One object: **201** accepted, **200** duplicate, or a problem (409 conflict, 403 out of "
        "the caller's scope, 422 any other refusal). An array: **201** if every record is "
        "accepted or duplicate and at least one is new, **200** if all are duplicates, **207** "
        "if any was rejected; each result then says why, as a problem object."
    ),
    responses={
        201: Resp("accepted: a RecordResult for one record, a BulkResult for an array",
                  {"anyOf": [{"$ref": "#/components/schemas/RecordResult"},
                             {"$ref": "#/components/schemas/BulkResult"}]}),
        200: Resp("duplicate(s) only: the original receipts",
                  {"anyOf": [{"$ref": "#/components/schemas/RecordResult"},
                             {"$ref": "#/components/schemas/BulkResult"}]}),
        207: Resp("bulk with at least one rejected record", BulkResult),
        409: Resp("one record whose id is already logged with other content"),
        413: Resp("body or bulk too large"),
    },
)  # fmt: skip
def post_records(body: Any) -> Response:
    svc = services()
    single = isinstance(body, dict)
    if not single and not isinstance(body, list):
        raise Problem("invalid-body", "send a signed record object or an array of them",
                      field="body")  # fmt: skip
    items = [body] if single else body
    if not items:
        raise Problem("empty-bulk", "the array holds no records", field="body")
    if len(items) > svc.config.max_bulk:
        raise Problem(
            "too-many-records", f"{len(items)} records, limit {svc.config.max_bulk} a request",
            field="body",
        )  # fmt: skip
    results = submit(svc.store, auth.principal(), items)
    svc.metrics.record_results((r.status, r.code or "") for r in results)
    if single:
        r = results[0]
        if r.status == "rejected":
            return problem_body(serialise.rejection(r))
        headers = {"Location": f"/v1/records/{r.seq}"} if r.status == "accepted" else {}
        return reply(RecordResult, serialise.result(0, r), _single_status(r), headers)
    out = [serialise.result(i, r) for i, r in enumerate(results)]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("accepted", "duplicate", "rejected")}
    return reply(BulkResult, {**counts, "results": out}, _bulk_status(results))


def _visible(stored: StoredEntry | None, what: str) -> StoredEntry:
    if stored is None:
        raise Problem("not-found", f"no entry {what}")
    auth.check_read_entry(auth.principal(), stored.entry.record, stored.seq)
    return stored


@bp.get("/records/<int(max=9223372036854775807):seq>")
@operation(
    summary="Read one entry",
    tags=("records",),
    path=SeqPath,
    responses={200: Resp("the entry and its leaf hash", EntryOut)},
)
def get_record(seq: int) -> Response:
    stored = _visible(services().store.entry(seq), f"with seq {seq}")
    return reply(EntryOut, serialise.entry(stored))


@bp.get("/signers/<signer>/records/<record_id>")
@operation(
    summary="Find an entry by signer and record id",
    tags=("records",),
    path=SignerRecordPath,
    description="The idempotency key of a record is its signer's key id and its own `id`.",
    responses={200: Resp("the entry", EntryOut)},
)
def find_record(signer: str, record_id: str) -> Response:
    stored = _visible(services().store.find(signer, record_id), f"{record_id} of {signer}")
    return reply(EntryOut, serialise.entry(stored))


def entry_filters(who: Any, q: EntriesQuery) -> dict[str, Any]:
    """The store filters for ``q`` as ``who`` may see them; raises 403 outside its scope."""
    project, subject, kind = q.project, q.subject, q.type
    if who.role == "worker":
        if subject not in (None, who.subject):
            raise auth.forbid("a worker may list own entries only")
        subject = who.subject
    elif who.role != "admin" and not (who.role == "auditor" and not who.projects):
        if project is None and len(who.projects) == 1:
            project = next(iter(who.projects))
        if project is None:
            raise Problem("invalid-parameter", "name the project to list", field="project")
        auth.require_project(who, project)
        if who.role == "device":
            if kind not in (None, "attendance"):
                raise auth.forbid("a device may list attendance entries only")
            kind = "attendance"
    return {
        "project": project,
        "subject": subject,
        "type": kind,
        "since": q.since,
        "until": q.until,
        "after_seq": q.after_seq,
        "limit": q.limit,
    }


@bp.get("/entries")
@operation(
    summary="List entries",
    tags=("records",),
    roles=("admin", "contractor", "device", "auditor", "worker"),
    query=EntriesQuery,
    description=(
        "Entries matching every filter, in log order, at most `limit` (≤ 1,000) a page. Pass "
        "`next_after_seq` back as `after_seq` for the next page. Times filter on the record's "
        "own time. Contractors, devices and scoped auditors name a project (or have only one); "
        "devices see attendance only; workers see their own entries only."
    ),
    responses={200: Resp("a page of entries", EntryPage)},
)
def list_entries(query: EntriesQuery) -> Response:
    filters = entry_filters(auth.principal(), query)
    entries = services().store.entries(**filters)
    if auth.principal().role == "auditor":
        auth.log_access("entries", subject=query.subject, project=filters["project"])
    return reply(EntryPage, serialise.page(entries, query.limit))


# ------------------------------------------------------------------ proofs


def _receipt(stored: StoredEntry) -> dict[str, Any]:
    svc = services()
    return Receipt.issue(stored.entry, stored.leaf_hash, svc.store.operator_key).to_json()


def _pending(stored: StoredEntry, proof: batcher.InclusionProof | None) -> Response:
    """202: the receipt, and once sealed the batch and the inclusion path."""
    b = proof.batch if proof is not None else None
    body: dict[str, Any] = {
        "seq": stored.seq,
        "state": "pending" if b is None else b.state,
        "receipt": _receipt(stored),
        "batch": serialise.batch(b) if b is not None else None,
        "inclusion": serialise.inclusion(proof) if proof is not None else None,
        "retry_after": PENDING_RETRY_SECONDS,
    }
    return reply(ProofPending, body, 202, {"Retry-After": str(PENDING_RETRY_SECONDS)})


def anchored_proof(
    stored: StoredEntry, disclose: bool, proof: batcher.InclusionProof | None = None
) -> dict[str, Any]:
    """The 200 body of an anchored entry: the proof bundle (docs/proof-format.md)."""
    svc = services()
    if _build_bundle is not None:
        return _build_bundle(
            svc.store, stored.seq, disclose=disclose, vault=svc.vault,
            explorer_tx_url=svc.config.chain.explorer_tx_url, stored=stored, proof=proof,
        )  # fmt: skip
    proof = proof or batcher.inclusion_proof(svc.store, stored.seq)
    return {
        "seq": stored.seq,
        "state": "anchored",
        "leaf_hash": stored.leaf_hash.hex(),
        "entry": stored.entry.to_json(),
        "receipt": _receipt(stored),
        "batch": serialise.batch(proof.batch),
        "inclusion": serialise.inclusion(proof),
        "anchor": serialise.anchor(proof.batch),
    }


@bp.get("/records/<int(max=9223372036854775807):seq>/proof")
@operation(
    summary="Get the proof of an entry",
    tags=("proofs",),
    path=SeqPath,
    query=ProofQuery,
    description=(
        "**202** with the operator's receipt and the batch state (and the inclusion path once "
        "sealed) until the entry's batch is anchored on chain; ask again after `Retry-After` "
        "seconds. **200** with the self-contained proof bundle once anchored. "
        "`disclose=true` adds the worker's identity and salt (admin, the worker, or an auditor "
        "under a case reference; written to the access log)."
    ),
    responses={
        200: Resp("the proof bundle",
                  ProofBundle if _build_bundle is not None else ProofAnchored),
        202: Resp("not anchored yet", ProofPending, headers={"Retry-After": "integer"}),
        410: Resp("the identity to disclose was erased"),
    },
)  # fmt: skip
def get_proof(seq: int, query: ProofQuery) -> Response:
    with services().store.reading():  # one connection for every read of the bundle
        return _get_proof(seq, query)


def _get_proof(seq: int, query: ProofQuery) -> Response:
    svc = services()
    who = auth.principal()
    stored = _visible(svc.store.entry(seq), f"with seq {seq}")
    try:
        proof = batcher.inclusion_proof(svc.store, seq)
    except batcher.NotSealed:
        return _pending(stored, None)
    if proof.batch.state != "anchored":
        return _pending(stored, proof)
    if query.disclose:
        if who.role not in DISCLOSERS:
            raise auth.forbid(f"role {who.role} may not see identities")
        subject = stored.entry.record.subject_id
        auth.log_access("disclose", subject=subject, project=stored.entry.record.project_code,
                        detail=f"proof of seq {seq}")  # fmt: skip
    try:
        bundle = anchored_proof(stored, query.disclose, proof)
    except batcher.NotSealed:  # anchored, but a key or related entry it needs is not yet
        return _pending(stored, proof)
    except Erased as exc:
        raise Problem("erased", str(exc)) from exc
    except (BundleError, VaultError) as exc:
        raise Problem("conflict-state", str(exc)) from exc
    model = ProofBundle if _build_bundle is not None else ProofAnchored
    return reply(model, bundle)

