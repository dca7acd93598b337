"""/metrics with N processes (api/metrics.py): each publishes its counters at most once every
``every`` seconds, and a timer publishes the last ones of a burst, so any process renders the
deployment's exact totals once the others have been quiet for ``every``.

Several ``SharedMetrics`` objects, each with its own ``RuntimeState`` and engine, stand for the
HTTP workers of one deployment.
"""

from __future__ import annotations

import threading
import time

from api.metrics import SharedMetrics
from ledger.runtime import RuntimeState

ROUTE = 'siteledger_http_requests_total{method="POST",route="/v1/records",status="201"}'


def _value(text: str, line_start: str) -> int:
    return sum(int(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(line_start))  # fmt: skip


def _request(m: SharedMetrics) -> None:
    """What the app does for one answered POST (api/app.py and api/records.py)."""
    m.record_results([("accepted", "")])
    m.observe("POST", "/v1/records", 201, 0.003)
    m.publish_soon()


def test_a_busy_process_publishes_once_per_interval(states: list[RuntimeState]) -> None:
    t = [100.0]
    m = SharedMetrics(states[0], every=1.0, monotonic=lambda: t[0])
    for _ in range(100):
        _request(m)
        t[0] += 0.001
    assert m.publications == 1  # the first request's; the others wait for the timer
    timer = m._timer
    assert timer is not None
    timer.cancel()
    t[0] += 1.0
    m._timer = None
    _request(m)
    assert m.publications == 2
    assert _value(m.render({}), ROUTE) == 101


def test_n_processes_add_up_exactly(states: list[RuntimeState]) -> None:
    every = 0.05
    workers = [SharedMetrics(s, every=every) for s in states[:3]]
    scraper = SharedMetrics(states[3], every=every)  # a worker that answered nothing yet

    def serve(m: SharedMetrics, n: int) -> None:
        for _ in range(n):
            _request(m)

    threads = [threading.Thread(target=serve, args=(m, 200)) for m in workers for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    deadline = time.monotonic() + 10
    while _value(scraper.render({}), ROUTE) != 1200 and time.monotonic() < deadline:
        time.sleep(every)
    text = scraper.render({})
    assert _value(text, ROUTE) == 1200
    assert _value(text, 'siteledger_records_total{status="accepted"') == 1200
    assert _value(text, 'siteledger_http_request_duration_seconds_count{method="POST"') == 1200
    assert all(m.publications < 400 for m in workers)  # not a row write a request


def test_the_last_requests_before_a_quiet_spell_are_published(states: list[RuntimeState]) -> None:
    every = 1.0  # long enough that the second request is still unpublished when first scraped
    worker, scraper = SharedMetrics(states[0], every=every), SharedMetrics(states[1], every=every)
    _request(worker)  # published at once
    _request(worker)  # published by the timer, with no request after it
    assert _value(scraper.render({}), ROUTE) == 1
    deadline = time.monotonic() + 10  # the timer fires after ``every``; a loaded machine is late
    while _value(scraper.render({}), ROUTE) != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _value(scraper.render({}), ROUTE) == 2
    assert worker.publications == 2
