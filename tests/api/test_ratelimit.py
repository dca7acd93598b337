"""Rate limits with leases (api/ratelimit.py): a busy principal costs a database write per lease,
not per request, and the limit shared by the processes is never exceeded.

Two ``RateLimiter`` objects, each with its own ``RuntimeState`` and engine (the ``states``
fixture of ``tests/api/conftest.py``), stand for two HTTP workers; the wall clock (``clock``) is frozen unless a test moves it, so that the bucket refills
only when the test says; the monotonic clock (``mono``) times the leases.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.ratelimit import LEASE_SECONDS, MAX_LEASE, RateLimiter, _Lease
from ledger.runtime import RuntimeState


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _limiters(states: list[RuntimeState], per_minute: int, wall: Clock,
              mono: Clock) -> list[RateLimiter]:  # fmt: skip
    return [RateLimiter(per_minute, s, clock=wall, monotonic=mono) for s in states]


def test_a_busy_principal_takes_leases(states: list[RuntimeState]) -> None:
    wall, mono = Clock(1_000_000.0), Clock(50.0)
    (lim,) = _limiters(states[:1], 60_000, wall, mono)  # 1,000 a second, bursts of 10,000
    allowed = 0
    for _ in range(2_000):  # 2,000 requests a second, for a second
        mono.t += 0.0005
        wall.t += 0.0005
        allowed += lim.take("busy") == 0.0
    assert allowed == 2_000  # well within the burst
    # the first leases are small; then each covers LEASE_SECONDS of traffic, up to MAX_LEASE
    assert lim.bucket_takes < 2 * 2_000 / MAX_LEASE, lim.bucket_takes
    assert lim.max_lease == MAX_LEASE


def test_a_slow_principal_costs_a_write_a_request(states: list[RuntimeState]) -> None:
    wall, mono = Clock(1_000_000.0), Clock(50.0)
    (lim,) = _limiters(states[:1], 60_000, wall, mono)
    for _ in range(20):  # 4 a second: a lease of one each time, exactly as without leases
        mono.t += 0.25
        wall.t += 0.25
        assert lim.take("slow") == 0.0
    assert lim.bucket_takes == 20


def test_leases_of_two_processes_never_exceed_the_limit(states: list[RuntimeState]) -> None:
    """Requests at a frozen wall clock: the bucket holds its burst (capacity), no more; the two
    processes together are granted at most that many, and lose at most a lease each."""
    wall, mono = Clock(2_000_000.0), Clock(50.0)
    limiters = _limiters(states[:2], 600, wall, mono)  # 10 a second, bursts of 100
    cap = int(limiters[0].capacity)
    assert cap == 100 and limiters[0].max_lease == 25
    allowed = 0
    for k in range(400):
        mono.t += 0.0002  # 5,000 requests a second, alternating processes
        allowed += limiters[k % 2].take("hot") == 0.0
    assert cap - 2 * limiters[0].max_lease <= allowed <= cap, allowed
    # ten seconds later the bucket holds 100 again; each process's lease lapsed long ago
    wall.t += 10.0
    mono.t += 10.0
    again = sum(limiters[k % 2].take("hot") == 0.0 for k in range(200))
    assert cap - 2 * limiters[0].max_lease <= again <= cap, again


def test_a_lease_lapses(states: list[RuntimeState]) -> None:
    """Unspent requests of a lease are not used after LEASE_SECONDS: the next request asks the
    shared bucket again (where a lower limit, or other processes, may have taken the rest)."""
    wall, mono = Clock(3_000_000.0), Clock(50.0)
    (lim,) = _limiters(states[:1], 60_000, wall, mono)
    for _ in range(40):
        mono.t += 0.001
        lim.take("p")
    takes = lim.bucket_takes
    lim.take("p")
    assert lim.bucket_takes == takes  # within the lease
    mono.t += LEASE_SECONDS
    lim.take("p")
    assert lim.bucket_takes == takes + 1


def test_low_limits_take_one_request_at_a_time(states: list[RuntimeState]) -> None:
    """6 a minute (bursts of 1): leases of one, and the second request at once waits 10 s."""
    wall, mono = Clock(4_000_000.0), Clock(50.0)
    a, b = _limiters(states[:2], 6, wall, mono)
    assert a.max_lease == 1
    assert a.take("p") == 0.0
    assert b.take("p") == pytest.approx(10.0)
    assert a.take("p") == pytest.approx(10.0)
    wall.t += 10.0
    assert b.take("p") == 0.0


def test_take_n_at_once(states: list[RuntimeState]) -> None:
    """``RuntimeState.take(n=…)``: all n or none."""
    a, b = states[:2]
    now = 5_000_000.0
    assert a.take("k", now, 1.0, 10.0, n=6) == 0.0
    assert b.take("k", now, 1.0, 10.0, n=5) > 0  # 4 left: nothing taken
    assert b.take("k", now, 1.0, 10.0, n=4) == 0.0
    assert a.take("k", now, 1.0, 10.0) == pytest.approx(1.0)


class _SlowBucket:
    """A shared bucket that answers only when the test lets it (``release``), counting asks."""

    def __init__(self, wait: float = 0.0) -> None:
        self.asks: list[int] = []
        self.release = threading.Event()
        self.wait = wait

    def take(self, key: str, now: float, interval: float, burst: float, n: int = 1) -> float:
        self.asks.append(n)
        assert self.release.wait(10)
        return self.wait


def test_one_thread_asks_for_the_next_lease_the_others_wait_for_it() -> None:
    """Eight threads find the lease spent at once: one asks the bucket, the rest are answered
    from the lease it brings back (under load they used to queue on the bucket's row, each
    with a commit of its own)."""
    wall, mono = Clock(1_000_000.0), Clock(50.0)
    bucket = _SlowBucket()
    lim = RateLimiter(60_000, bucket, clock=wall, monotonic=mono)  # type: ignore[arg-type]
    lim._leases["p"] = _Lease(0, mono.t + 1.0, 40, mono.t - 0.1)  # 40 served in the last 0.1 s
    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(lim.take, "p") for _ in range(8)]
        deadline = time.monotonic() + 5
        while not bucket.asks and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.05)  # the other seven are waiting now, not asking
        assert bucket.asks == [MAX_LEASE]
        bucket.release.set()
        assert [a.result(10) for a in answers] == [0.0] * 8
    assert bucket.asks == [MAX_LEASE] and lim.bucket_takes == 1


def test_a_refusal_is_remembered_until_the_time_it_names() -> None:
    wall, mono = Clock(1_000_000.0), Clock(50.0)
    bucket = _SlowBucket(wait=5.0)
    bucket.release.set()
    lim = RateLimiter(6, bucket, clock=wall, monotonic=mono)  # type: ignore[arg-type]
    assert lim.take("p") == pytest.approx(5.0)
    wall.t += 2.0
    assert lim.take("p") == pytest.approx(3.0)  # no second ask: nobody can be allowed earlier
    assert len(bucket.asks) == 1
    wall.t += 3.0
    bucket.wait = 0.0
    assert lim.take("p") == 0.0
    assert len(bucket.asks) == 2


def test_a_failed_ask_lets_the_next_thread_ask() -> None:
    """The database failing while one thread asks: that request fails, the next one asks again."""

    class Failing(_SlowBucket):
        def take(self, key: str, now: float, interval: float, burst: float, n: int = 1) -> float:
            self.asks.append(n)
            if len(self.asks) == 1:
                raise RuntimeError("database down")
            return 0.0

    bucket = Failing()
    lim = RateLimiter(6, bucket, clock=Clock(1_000_000.0), monotonic=Clock(50.0))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        lim.take("p")
    assert lim.take("p") == 0.0
    assert len(bucket.asks) == 2
