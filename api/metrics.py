"""Prometheus metrics in the text exposition format, summed over every API process.

Each process counts in memory and, after every request it answers, publishes its cumulative
counters to the database (``ledger.runtime``: one row per process, replaced). ``/metrics``
publishes its own, then renders the sum of every process's row, so with ``--workers N`` any
worker answers with the deployment's totals. A process's row stays after it exits: the sums are
counters and never go down when gunicorn replaces a worker. Ledger gauges (head, lag) are read
from the database at scrape time.

Publishing runs after the response has been sent (``call_on_close``), at most one at a time per
process: a request that ends while another thread publishes marks the counters dirty, and that
thread publishes again before it lets go. A scrape may so miss a request answered by another
process a few milliseconds earlier, never more.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlalchemy.exc import SQLAlchemyError

from ledger.runtime import RuntimeState

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

    def __init__(self, state: RuntimeState, local: Metrics | None = None) -> None:
        self.local = local or Metrics()
        self.state = state
        self.process = f"{socket.gethostname()}/{os.getpid()}/{time.time_ns()}"
        self._dirty = False
        self._publishing = threading.Lock()

    def record_results(self, outcomes: Iterable[tuple[str, str]]) -> None:
        self.local.record_results(outcomes)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.local.observe(method, route, status, seconds)

    def publish(self) -> None:
        """Write this process's counters if they changed, unless another thread is at it (it
        then writes them again before it returns). Database errors are left for the next time:
        counting must never fail a request."""
        self._dirty = True
        while self._dirty:
            if not self._publishing.acquire(blocking=False):
                return
            try:
                while self._dirty:
                    self._dirty = False
                    snapshot = json.dumps(self.local.state(), separators=(",", ":"))
                    self.state.publish(self.process, time.time(), snapshot)
            except SQLAlchemyError:
                self._dirty = True
                return
            finally:
                self._publishing.release()

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
