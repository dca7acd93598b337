"""Submitting records on behalf of a principal: decode, check the principal's scope, append.

The store checks what the *signing key* may do; this module first checks what the *principal*
may submit (``api.auth.submit_refusal``), so a record outside the caller's scope is refused even
when its signature and signer are perfectly valid. Results come back one per submitted item, in
order; a refused item does not stop the others.

Concurrent requests share transactions: ``Store.append`` does group commit
(``ledger.groupcommit``), so single-record POSTs arriving together are appended in one durable
commit. Each still gets its own results, only after the commit.
"""

from __future__ import annotations

from typing import Any

from api.auth import submit_refusal
from ledger.core.entry import SignedRecord
from ledger.core.errors import EncodingError, LedgerError
from ledger.principals import Principal
from ledger.store import MAX_BULK, AppendResult, Store


def submit(store: Store, who: Principal, items: list[Any]) -> list[AppendResult]:
    """Append ``items`` (JSON signed records) as ``who``; one result per item, in order."""
    results: list[AppendResult | None] = [None] * len(items)
    queue: list[tuple[int, SignedRecord]] = []
    for i, item in enumerate(items):
        try:
            signed = SignedRecord.from_json(item)
        except EncodingError as exc:
            results[i] = AppendResult("rejected", code="malformed", message=exc.reason,
                                      field=exc.field)  # fmt: skip
            continue
        except LedgerError as exc:
            results[i] = AppendResult("rejected", code="malformed", message=str(exc))
            continue
        refusal = submit_refusal(who, signed.record)
        if refusal is not None:
            results[i] = AppendResult("rejected", code="forbidden", message=refusal, field="record")
            continue
        queue.append((i, signed))
    signed = [s for _, s in queue]
    appended = [r for k in range(0, len(signed), MAX_BULK)
                for r in store.append(signed[k : k + MAX_BULK])]  # fmt: skip
    for (i, _), r in zip(queue, appended, strict=True):
        results[i] = r
    return [r if r is not None else AppendResult("rejected", code="rejected") for r in results]
