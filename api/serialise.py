"""Ledger values to the JSON the API sends (the shapes are documented in ``api.models``)."""

from __future__ import annotations

from typing import Any

from api.problems import problem_json
from ledger.batcher import Batch, InclusionProof
from ledger.core.times import format_time
from ledger.principals import Access, Principal, Token
from ledger.store import AppendResult, StoredEntry


def _t(value: Any) -> str | None:
    return format_time(value) if value is not None else None


def entry(s: StoredEntry) -> dict[str, Any]:
    return {"seq": s.seq, "leaf_hash": s.leaf_hash.hex(), "entry": s.entry.to_json()}


def page(entries: list[StoredEntry], limit: int) -> dict[str, Any]:
    return {
        "entries": [entry(s) for s in entries],
        "next_after_seq": entries[-1].seq if len(entries) == limit else None,
    }


def anchor(b: Batch) -> dict[str, Any] | None:
    if b.tx_hash is None and b.block_number is None:
        return None
    return {
        "chain_id": b.chain_id,
        "contract": b.contract,
        "tx_hash": b.tx_hash,
        "block_number": b.block_number,
        "block_hash": b.block_hash,
        "block_time": _t(b.block_time),
        "anchored_at": _t(b.anchored_at),
    }


def batch(b: Batch, log: str | None = None) -> dict[str, Any]:
    """``log``: the receipt key's id, to include the signed batch head."""
    return {
        "batch_no": b.batch_no,
        "first_seq": b.first_seq,
        "size": b.size,
        "end_seq": b.end_seq,
        "root": b.root.hex(),
        "state": b.state,
        "sealed_at": format_time(b.sealed_at),
        "attempts": b.attempts,
        "last_error": b.last_error,
        "anchor": anchor(b),
        "heads_root": b.heads_root.hex() if b.heads_root else None,
        "head": b.head(log).to_json() if log is not None and b.head_sig else None,
    }


def inclusion(p: InclusionProof) -> dict[str, Any]:
    return {
        "index": p.index,
        "size": p.batch.size,
        "path": [h.hex() for h in p.path],
        "root": p.batch.root.hex(),
    }


def result(index: int, r: AppendResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": index,
        "status": r.status,
        "seq": r.seq,
        "leaf_hash": r.leaf_hash.hex() if r.leaf_hash is not None else None,
        "receipt": r.receipt.to_json() if r.receipt is not None else None,
        "problem": None,
    }
    if r.status == "rejected":
        out["seq"] = out["leaf_hash"] = out["receipt"] = None
        out["problem"] = rejection(r)
    return out


def rejection(r: AppendResult) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if r.seq is not None:
        extra["seq"] = r.seq  # a conflict names the entry that holds the id already
    return problem_json(r.code or "rejected", r.message, field=r.field, **extra)


def principal(p: Principal, tokens: list[Token] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "principal_id": p.principal_id,
        "name": p.name,
        "role": p.role,
        "projects": sorted(p.projects),
        "subject": p.subject,
        "created_at": format_time(p.created_at),
        "disabled_at": _t(p.disabled_at),
    }
    if tokens is not None:
        out["tokens"] = [token(t) for t in tokens]
    return out


def token(t: Token) -> dict[str, Any]:
    return {
        "token_id": t.token_id,
        "label": t.label,
        "created_at": format_time(t.created_at),
        "expires_at": _t(t.expires_at),
        "revoked_at": _t(t.revoked_at),
    }


def access(a: Access) -> dict[str, Any]:
    return {
        "id": a.id,
        "at": format_time(a.at),
        "principal_id": a.principal_id,
        "action": a.action,
        "subject": a.subject,
        "project": a.project,
        "case_ref": a.case_ref,
        "detail": a.detail,
    }
