"""Runtime state shared by API processes: GCRA rate-limit buckets and metrics snapshots.

Two ``RuntimeState`` objects on one database stand for two processes (each has its own engine
and connections, as a gunicorn worker does).
"""

from __future__ import annotations

import threading

from ledger.db import make_engine
from ledger.runtime import RuntimeState


def _two(db_url: str) -> tuple[RuntimeState, RuntimeState]:
    return RuntimeState(make_engine(db_url)), RuntimeState(make_engine(db_url))


def test_a_bucket_is_shared_between_processes(db_url: str) -> None:
    a, b = _two(db_url)
    now = 1_000_000.0
    # 6 a minute in bursts of 2: interval 10 s
    assert a.take("p", now, 10.0, 2.0) == 0.0
    assert b.take("p", now, 10.0, 2.0) == 0.0
    assert b.take("p", now, 10.0, 2.0) == 10.0  # the third at once waits one interval
    assert a.take("p", now + 4, 10.0, 2.0) == 6.0
    assert a.take("p", now + 10, 10.0, 2.0) == 0.0  # one interval later: one more
    assert b.take("p", now + 10, 10.0, 2.0) == 10.0
    assert a.take("q", now, 10.0, 2.0) == 0.0  # other keys have their own buckets
    assert b.take("p", now + 100, 10.0, 2.0) == 0.0  # idle: the burst is back, not more
    assert a.take("p", now + 100, 10.0, 2.0) == 0.0
    assert a.take("p", now + 100, 10.0, 2.0) > 0


def test_concurrent_takes_never_exceed_the_burst(db_url: str) -> None:
    states = _two(db_url)
    now = 2_000_000.0
    got: list[float] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        for _ in range(10):
            wait = states[k % 2].take("hot", now, 60.0, 5.0)
            with lock:
                got.append(wait)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert len(got) == 60 and got.count(0.0) == 5


def test_metrics_snapshots_are_one_row_per_process(db_url: str) -> None:
    a, b = _two(db_url)
    assert a.snapshots() == []
    a.publish("host/1/1", 1.0, '{"n": 1}')
    b.publish("host/2/1", 1.0, '{"n": 2}')
    a.publish("host/1/1", 2.0, '{"n": 3}')  # replaced, not added
    assert sorted(b.snapshots()) == ['{"n": 2}', '{"n": 3}']
