"""Submitting records on behalf of a principal: decode, check the principal's scope, append.

The store checks what the *signing key* may do; this module first checks what the *principal*
may submit (``api.auth.submit_refusal``), so a record outside the caller's scope is refused even
when its signature and signer are perfectly valid. Results come back one per submitted item, in
order; a refused item does not stop the others.

Concurrent requests share transactions (group commit, ``Committer``): every append ends in a
durable commit (an fsync), and the database takes one writer at a time, so single-record POSTs
arriving together are appended together. Each still gets its own results, only after the commit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from api.auth import submit_refusal
from ledger.core.entry import SignedRecord
from ledger.core.errors import EncodingError, LedgerError, StoreError
from ledger.principals import Principal
from ledger.store import MAX_BULK, AppendResult, Store


@dataclass(eq=False)
class _Job:
    records: list[SignedRecord]
    results: list[AppendResult] | None = None
    error: LedgerError | None = None
    done: bool = False


@dataclass(eq=False)
class Committer:
    """Group commit in front of ``Store.append`` for the threads of one server process.

    The first thread to find no append running becomes the leader: it takes every queued job (up
    to the store's bulk limit), appends them in one transaction and hands each its results. The
    others wait for theirs, or lead the next group. Waiting on a Python condition also keeps the
    process's threads off SQLite's busy handler, which sleeps in steps of milliseconds.
    """

    store: Store
    _queue: list[_Job] = field(default_factory=list)
    _busy: bool = False
    _cv: threading.Condition = field(default_factory=threading.Condition)

    def append(self, records: list[SignedRecord]) -> list[AppendResult]:
        if not records:
            return []
        if len(records) > MAX_BULK:
            out: list[AppendResult] = []
            for k in range(0, len(records), MAX_BULK):
                out += self.append(records[k : k + MAX_BULK])
            return out
        job = _Job(records)
        with self._cv:
            self._queue.append(job)
            while not job.done and self._busy:
                self._cv.wait()
            if job.done:
                return self._result(job)
            self._busy = True
            group, size = [], 0
            while self._queue and size + len(self._queue[0].records) <= MAX_BULK:
                size += len(self._queue[0].records)
                group.append(self._queue.pop(0))
        try:
            results = self.store.append([r for j in group for r in j.records])
            k = 0
            for j in group:
                j.results = results[k : k + len(j.records)]
                k += len(j.records)
        except LedgerError as exc:
            for j in group:
                j.error = exc
        finally:
            with self._cv:
                for j in group:
                    j.done = True
                self._busy = False
                self._cv.notify_all()
        return self._result(job)

    @staticmethod
    def _result(job: _Job) -> list[AppendResult]:
        if job.error is not None:
            raise job.error
        if job.results is None:
            raise StoreError("the append this request joined failed")
        return job.results


def submit(committer: Committer, who: Principal, items: list[Any]) -> list[AppendResult]:
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
    appended = committer.append([s for _, s in queue])
    for (i, _), r in zip(queue, appended, strict=True):
        results[i] = r
    return [r if r is not None else AppendResult("rejected", code="rejected") for r in results]
