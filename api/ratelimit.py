"""Per-principal rate limits: a token bucket per principal, in process memory.

Each principal may make ``per_minute`` requests a minute on average, in bursts of up to ten
seconds' worth. A bulk POST counts as one request. Buckets live in each server process, so with
``--workers N`` a principal gets up to N times the limit; a shared limiter belongs in front of
the API (a reverse proxy) when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("a rate limit needs at least one request a minute")
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute / 6.0)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one request from ``key``'s bucket: 0 if allowed, else seconds until allowed."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
