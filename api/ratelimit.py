"""Per-principal rate limits, shared by every API process of the deployment.

Each principal may make ``per_minute`` requests a minute on average, in bursts of up to ten
seconds' worth. A bulk POST counts as one request. The buckets live in the database
(``ledger.runtime``: one GCRA row per principal, updated atomically), so with ``--workers N`` or
several hosts a principal still gets its limit once, not once per process.

A busy principal does not cost a database write per request: a process takes a *lease* of
several requests from the shared bucket at once, sized to what this process saw the principal
make over the last ``LEASE_SECONDS`` (0.2 s; at most ``MAX_LEASE`` = 64, and at most a quarter of
the burst), and answers from it until it is spent or ``LEASE_SECONDS`` old. The requests of a
lease are taken from the bucket before they are answered, so the limit is never exceeded; a
lease left unspent when it lapses is lost, which can refuse a principal running at its very limit
a few requests early. When the bucket cannot give a whole lease, one request is asked for, as
without leases. A principal making fewer than about 10 requests a second in a process (one in
any 0.2 s) gets leases of one: a database write a request, exactly as before.

One thread at a time asks the bucket for a key's next lease; the process's other requests of
that principal wait for its answer instead of each asking too (under load they would all find
the lease spent at once, and queue on the bucket's row lock, each with a commit of its own). A
refusal is remembered until the time it names: no request of that principal is allowed before
then by any process (the others can only take more), so the process answers 429 without asking.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ledger.runtime import RuntimeState

LEASE_SECONDS: Final = 0.2
MAX_LEASE: Final = 64


@dataclass(slots=True)
class _Lease:
    left: int = 0  # requests taken from the bucket and not yet answered
    until: float = 0.0  # monotonic time the lease lapses
    size: int = 0  # requests taken with the lease
    started: float = 0.0  # monotonic time it was taken
    asking: bool = False  # a thread is asking the bucket for the next lease
    refused_until: float = 0.0  # wall-clock time before which the bucket refuses any request


class RateLimiter:
    def __init__(self, per_minute: int, state: RuntimeState,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        if per_minute < 1:
            raise ValueError("a rate limit needs at least one request a minute")
        self.interval = 60.0 / per_minute
        self.capacity = max(1.0, per_minute / 6.0)
        self.state = state
        self.clock = clock
        self.monotonic = monotonic
        self.max_lease = max(1, min(MAX_LEASE, int(self.capacity // 4)))
        self._leases: dict[str, _Lease] = {}
        self._changed = threading.Condition()  # guards _leases; notified when a lease arrives
        self.bucket_takes = 0  # database round trips (for tests and benchmarks)

    def take(self, key: str) -> float:
        """Take one request from ``key``'s bucket: 0 if allowed, else seconds until allowed."""
        with self._changed:
            while True:
                lease = self._leases.setdefault(key, _Lease())
                now = self.monotonic()
                if lease.left > 0 and now < lease.until:
                    lease.left -= 1
                    return 0.0
                refused = lease.refused_until - self.clock()
                if refused > 0:
                    return refused
                if not lease.asking:
                    break
                self._changed.wait()  # for the thread asking for this key's next lease
            # the next lease: what the last one served, scaled to LEASE_SECONDS
            used = lease.size - lease.left
            spent_in = max(now - lease.started, 1e-3)
            recent = used * LEASE_SECONDS / spent_in if now - lease.started < 1.0 else 0.0
            want = max(1, min(self.max_lease, int(recent)))
            lease.asking = True
        wait, answered = 0.0, False
        try:  # outside the lock: the database round trip (other keys are not held up)
            self.bucket_takes += 1
            wait = self._take(key, want)
            if wait > 0 and want > 1:
                self.bucket_takes += 1
                wait, want = self._take(key, 1), 1
            answered = True
        finally:
            with self._changed:
                now = self.monotonic()
                if wait > 0:
                    lease.refused_until = self.clock() + wait
                elif answered:
                    lease = _Lease(want - 1, now + LEASE_SECONDS, want, now)
                lease.asking = False
                self._leases[key] = lease
                if len(self._leases) > 10_000:  # keys seen once long ago
                    for k in [k for k, v in self._leases.items()
                              if v.until < now - 1.0 and not v.asking]:  # fmt: skip
                        del self._leases[k]
                self._changed.notify_all()
        return wait

    def _take(self, key: str, n: int) -> float:
        return self.state.take(f"principal/{key}", self.clock(), self.interval, self.capacity, n)

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
