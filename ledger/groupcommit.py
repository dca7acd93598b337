"""Group commit: appends that arrive together share one write transaction, and one fsync.

Every append ends in a durable commit, and the database takes one writer at a time (the
``log_head`` row lock; SQLite's file lock). When many threads of one process append at once —
single-record POSTs through the API, an import with several threads — each waiting for its own
transaction would cost a commit (an fsync) per caller and, on SQLite, queue the callers on the
busy handler, which sleeps in steps of milliseconds. Instead:

* each caller decodes and checks the signatures of its own records in its own thread, outside
  any lock (``Store.append`` does this before it gets here);
* it then queues its job; the first caller to find no transaction running becomes the *leader*:
  it takes every queued job (up to ``max_items`` records in all), runs them through one
  transaction as one bulk, in queue order, and hands each job its outcome; the others wait,
  each on a condition variable of its own, for theirs, or to lead the next group (when a group
  ends, its jobs and the job then oldest in the queue are woken, and no other);
* a job's results are filled in only after the shared transaction committed; if it fails, every
  job of the group gets the same error and nothing of the group was written.

A group is exactly a bulk append of its jobs' records concatenated in queue order, so its rules
(order of sequence numbers, duplicates within a bulk) are the bulk rules of ``docs/storage.md``.
The grouping is per process (per ``Store``); processes still take turns on the database lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ledger.core.errors import LedgerError, StoreError

J = TypeVar("J")


@dataclass(eq=False, slots=True)
class _Slot(Generic[J]):
    job: J
    size: int
    wake: threading.Condition  # on the GroupCommit's lock: notified for this job only
    error: LedgerError | None = None
    done: bool = False


@dataclass(eq=False)
class GroupCommit(Generic[J]):
    """Runs jobs through ``run(jobs)`` in groups: one call (one transaction) per group.

    ``run`` is called by one thread at a time, with the jobs of one group in queue order; it
    stores each job's outcome in the job itself and raises a LedgerError if the group as a whole
    failed. ``size`` of a job counts towards ``max_items``; a single job larger than
    ``max_items`` still runs, alone.
    """

    run: Callable[[list[J]], None]
    max_items: int
    groups: int = 0  # transactions run so far (for tests and benchmarks)
    jobs: int = 0  # jobs run so far
    _queue: list[_Slot[J]] = field(default_factory=list)
    _busy: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, job: J, size: int) -> None:
        """Run ``job`` in the next group; returns once its group committed (or raises)."""
        slot = _Slot(job, size, threading.Condition(self._lock))
        with self._lock:
            self._queue.append(slot)
            while True:
                while not slot.done and self._busy:
                    slot.wake.wait()
                if slot.done:
                    break
                # lead: the queue's oldest jobs first (ours may have to wait for the next group)
                self._busy = True
                group = [self._queue.pop(0)]
                total = group[0].size
                while self._queue and total + self._queue[0].size <= self.max_items:
                    total += self._queue[0].size
                    group.append(self._queue.pop(0))
                self._lock.release()
                try:
                    self._lead(group)
                finally:
                    self._lock.acquire()
        self._raise(slot)

    def _lead(self, group: list[_Slot[J]]) -> None:
        """Run one group, then wake its jobs and the job now at the head of the queue (which
        leads the next group): no other waiting thread is woken for nothing."""
        error: LedgerError | None = None
        try:
            self.run([s.job for s in group])
        except LedgerError as exc:
            error = exc
        except BaseException:
            error = StoreError("the append this request joined failed")
            raise
        finally:
            with self._lock:
                self.groups += 1
                self.jobs += len(group)
                for s in group:
                    s.error, s.done = error, True
                    s.wake.notify()
                self._busy = False
                if self._queue:
                    self._queue[0].wake.notify()

    @staticmethod
    def _raise(slot: _Slot[J]) -> None:
        if slot.error is not None:
            raise slot.error
