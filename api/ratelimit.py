"""Per-principal rate limits, shared by every API process of the deployment.

Each principal may make ``per_minute`` requests a minute on average, in bursts of up to ten
seconds' worth. A bulk POST counts as one request. The buckets live in the database
(``ledger.runtime``: one GCRA row per principal, updated atomically), so with ``--workers N`` or
several hosts a principal still gets its limit once, not once per process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ledger.runtime import RuntimeState


class RateLimiter:
    def __init__(self, per_minute: int, state: RuntimeState,
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        if per_minute < 1:
            raise ValueError("a rate limit needs at least one request a minute")
        self.interval = 60.0 / per_minute
        self.capacity = max(1.0, per_minute / 6.0)
        self.state = state
        self.clock = clock

    def take(self, key: str) -> float:
        """Take one request from ``key``'s bucket: 0 if allowed, else seconds until allowed."""
        return self.state.take(f"principal/{key}", self.clock(), self.interval, self.capacity)

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
