"""Prometheus metrics in the text exposition format, summed over every API process.

Each process counts in memory and publishes its cumulative counters to the database
(``ledger.runtime``: one row per process, replaced) at most once every ``PUBLISH_SECONDS``
(1 s): after a request, if the last publication is that old, or else by a timer that fires
when it will be, so the last requests before a quiet spell are published too. ``/metrics``
publishes its own, then renders the sum of every process's row, so with ``--workers N`` any
worker answers with the deployment's totals, short of what the other processes counted in
the last ``PUBLISH_SECONDS`` (plus the time a publication takes). A process's row stays after
it exits: the sums are counters and never go down when gunicorn replaces a worker. Ledger
gauges (head, lag) are read from the database at scrape time.

Publishing runs after the response has been sent (``call_on_close``) or in the timer's thread,
at most one at a time per process: a request that ends while another thread publishes marks the
counters dirty, and the publication that follows carries it. The timer is a short-lived thread
started by a request, never in a process about to fork (gunicorn's arbiter answers none).
"""

from __future__ import annotations

import json
import math
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from sqlalchemy.exc import SQLAlchemyError

from ledger.runtime import RuntimeState

PUBLISH_SECONDS: Final = 1.0
LATENCY_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


def _num(x: float) -> str:
    return repr(float(x)) if isinstance(x, float) else str(x)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.records: dict[tuple[str, str], int] = defaultdict(int)  # (status, reason)
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)  # method, route, code
        self._hist: dict[tuple[str, str], list[int]] = {}  # (method, route) -> bucket counts
        self._sum: dict[tuple[str, str], float] = defaultdict(float)
        self._count: dict[tuple[str, str], int] = defaultdict(int)

    def record_results(self, outcomes: Iterable[tuple[str, str]]) -> None:
        """Count submitted records by (status, reason); reason is "" unless rejected."""
        with self._lock:
            for status, reason in outcomes:
                self.records[(status, reason)] += 1

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route)
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            counts = self._hist.setdefault(key, [0] * len(LATENCY_BUCKETS))
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self._sum[key] += seconds
            self._count[key] += 1

    def state(self) -> dict[str, Any]:
        """The cumulative counters, as JSON-able lists."""
        with self._lock:
            return {
                "records": [[st, reason, n] for (st, reason), n in self.records.items()],
                "requests": [[m, r, c, n] for (m, r, c), n in self.requests.items()],
                "latency": [[m, r, counts, self._sum[(m, r)], self._count[(m, r)]]
                            for (m, r), counts in self._hist.items()],
            }  # fmt: skip

    def absorb(self, state: Mapping[str, Any]) -> None:
        """Add another process's ``state()`` to these counters."""
        with self._lock:
            for st, reason, n in state.get("records", []):
                self.records[(st, reason)] += n
            for m, r, c, n in state.get("requests", []):
                self.requests[(m, r, c)] += n
            for m, r, counts, total, count in state.get("latency", []):
                mine = self._hist.setdefault((m, r), [0] * len(LATENCY_BUCKETS))
                for i, n in enumerate(counts[: len(mine)]):
                    mine[i] += n
                self._sum[(m, r)] += total
                self._count[(m, r)] += count

    def render(self, gauges: Mapping[str, tuple[str, float]]) -> str:
        """The exposition text; ``gauges`` maps a name to (help, value)."""
        lines: list[str] = []
        with self._lock:
            lines += [
                "# HELP siteledger_records_total Records submitted, by outcome and reason.",
                "# TYPE siteledger_records_total counter",
            ]
            for (status, reason), n in sorted(self.records.items()):
                lines.append(
                    f"siteledger_records_total{_labels([('status', status), ('reason', reason)])}"
                    f" {n}"
                )
            lines += [
                "# HELP siteledger_http_requests_total HTTP requests, by route and status.",
                "# TYPE siteledger_http_requests_total counter",
            ]
            for (method, route, code), n in sorted(self.requests.items()):
                labels = _labels([("method", method), ("route", route), ("status", code)])
                lines.append(f"siteledger_http_requests_total{labels} {n}")
            lines += [
                "# HELP siteledger_http_request_duration_seconds Request latency.",
                "# TYPE siteledger_http_request_duration_seconds histogram",
            ]
            for (method, route), counts in sorted(self._hist.items()):
                base = [("method", method), ("route", route)]
                for bound, n in zip(LATENCY_BUCKETS, counts, strict=True):
                    labels = _labels([*base, ("le", _num(bound))])
                    lines.append(f"siteledger_http_request_duration_seconds_bucket{labels} {n}")
                total = self._count[(method, route)]
                labels = _labels([*base, ("le", "+Inf")])
                lines.append(f"siteledger_http_request_duration_seconds_bucket{labels} {total}")
                lines.append(
                    f"siteledger_http_request_duration_seconds_sum{_labels(base)} "
                    f"{_num(self._sum[(method, route)])}"
                )
                lines.append(f"siteledger_http_request_duration_seconds_count{_labels(base)} {total}")
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {_num(value)}"]
        return "\n".join(lines) + "\n"


class SharedMetrics:
    """This process's ``Metrics``, published to and summed from ``RuntimeState``."""

    def __init__(self, state: RuntimeState, local: Metrics | None = None, *,
                 every: float = PUBLISH_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.local = local or Metrics()
        self.state = state
        self.process = f"{socket.gethostname()}/{os.getpid()}/{time.time_ns()}"
        self.every = every
        self._monotonic = monotonic
        self._dirty = False
        self._published_at = -math.inf
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        self._publishing = threading.Lock()
        self.publications = 0  # rows written (for tests and benchmarks)

    def record_results(self, outcomes: Iterable[tuple[str, str]]) -> None:
        self.local.record_results(outcomes)
        self._dirty = True

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.local.observe(method, route, status, seconds)
        self._dirty = True

    def publish_soon(self) -> None:
        """After a request: publish now if the last publication is ``every`` old, else make
        sure a timer will when it is."""
        self._dirty = True
        if self._monotonic() - self._published_at >= self.every and self.publish():
            return
        self._schedule()

    def _schedule(self) -> None:
        with self._timer_lock:
            if self._timer is not None:
                return
            wait = max(0.001, self._published_at + self.every - self._monotonic())
            self._timer = threading.Timer(wait, self._on_timer)
            self._timer.daemon = False  # a worker that exits publishes its last counts first
            self._timer.start()

    def _on_timer(self) -> None:
        with self._timer_lock:
            self._timer = None
        if not self.publish() and self._dirty:
            self._schedule()  # another thread was publishing: ours may have missed its snapshot

    def publish(self) -> bool:
        """Write this process's counters now if they changed; False if another thread is at it
        (its snapshot may be older than the last count). Database errors are left for the next
        time: counting must never fail a request."""
        if not self._dirty:
            return True
        if not self._publishing.acquire(blocking=False):
            return False
        try:
            self._dirty = False
            self._published_at = self._monotonic()
            snapshot = json.dumps(self.local.state(), separators=(",", ":"))
            self.state.publish(self.process, time.time(), snapshot)
            self.publications += 1
        except SQLAlchemyError:
            self._dirty = True
        finally:
            self._publishing.release()
        return True

    def render(self, gauges: Mapping[str, tuple[str, float]]) -> str:
        """The deployment's totals (every process's last published counters, this one's now)."""
        try:
            self.publish()
            total = Metrics()
            for snapshot in self.state.snapshots():
                total.absorb(json.loads(snapshot))
        except SQLAlchemyError:
            total = self.local  # the database is away: this process's own counters
        return total.render(gauges)
