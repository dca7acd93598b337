"""Prometheus metrics in the text exposition format, kept in process memory.

Counters and the latency histogram are per process (with ``--workers N`` each worker reports its
own; Prometheus sums them by instance). Ledger gauges (head, lag) are read from the database at
scrape time, so every process reports the same values for them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Final

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
