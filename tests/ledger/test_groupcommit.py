"""Group commit: concurrent appends share transactions; each caller gets exactly its results."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from ledger.check import check
from ledger.core.errors import StoreError
from ledger.groupcommit import GroupCommit
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import T0


def _wait_until(cond: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


class _Gate:
    """A group runner that holds its first group until released, and records every group."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.groups: list[list[str]] = []
        self.fail: set[str] = set()

    def __call__(self, jobs: list[str]) -> None:
        if not self.groups:
            self.entered.set()
            self.release.wait(10)
        self.groups.append(list(jobs))
        if self.fail & set(jobs):
            raise StoreError(f"database error in group {jobs}")


def _submit_all(gc: GroupCommit[str], names: list[str], sizes: dict[str, int],
                errors: dict[str, str]) -> list[threading.Thread]:  # fmt: skip
    def one(name: str) -> None:
        try:
            gc.submit(name, sizes.get(name, 1))
        except StoreError as exc:
            errors[name] = str(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for th in threads:
        th.start()
    return threads


def test_jobs_arriving_during_a_commit_share_the_next_one() -> None:
    gate = _Gate()
    gc: GroupCommit[str] = GroupCommit(gate, max_items=100)
    errors: dict[str, str] = {}
    first = _submit_all(gc, ["a"], {}, errors)
    assert gate.entered.wait(10)
    rest = _submit_all(gc, ["b", "c", "d", "e"], {}, errors)
    _wait_until(lambda: len(gc._queue) == 4)
    gate.release.set()
    for th in first + rest:
        th.join(10)
    assert gate.groups[0] == ["a"]
    assert sorted(gate.groups[1]) == ["b", "c", "d", "e"] and len(gate.groups) == 2
    assert (gc.groups, gc.jobs, errors) == (2, 5, {})


def test_a_group_never_exceeds_max_items_and_every_job_runs() -> None:
    """The leader takes the oldest jobs first; its own may have to wait for a later group."""
    gate = _Gate()
    gc: GroupCommit[str] = GroupCommit(gate, max_items=5)
    errors: dict[str, str] = {}
    sizes = {"a": 1, "b": 3, "c": 3, "d": 3, "big": 9}
    threads = _submit_all(gc, ["a"], sizes, errors)
    assert gate.entered.wait(10)
    for name in ("b", "c", "d", "big"):
        threads += _submit_all(gc, [name], sizes, errors)
        _wait_until(lambda n=name: any(s.job == n for s in gc._queue))  # type: ignore[misc]
    gate.release.set()
    for th in threads:
        th.join(10)
    assert [sorted(g) for g in gate.groups] == [["a"], ["b"], ["c"], ["d"], ["big"]]
    assert all(sum(sizes[j] for j in g) <= 5 for g in gate.groups if g != ["big"])
    assert errors == {}


def test_a_failed_group_fails_each_of_its_jobs_and_not_the_next() -> None:
    gate = _Gate()
    gate.fail = {"c"}
    gc: GroupCommit[str] = GroupCommit(gate, max_items=2)
    errors: dict[str, str] = {}
    threads = _submit_all(gc, ["a"], {}, errors)
    assert gate.entered.wait(10)
    for name in ("b", "c", "d"):
        threads += _submit_all(gc, [name], {}, errors)
        _wait_until(lambda n=name: any(s.job == n for s in gc._queue))  # type: ignore[misc]
    gate.release.set()
    for th in threads:
        th.join(10)
    assert gate.groups == [["a"], ["b", "c"], ["d"]]
    assert set(errors) == {"b", "c"}
    assert errors["b"] == errors["c"] == "database error in group ['b', 'c']"


def test_many_threads_each_job_runs_once_and_every_caller_returns() -> None:
    """Only a group's jobs and the next leader are woken when a group ends: under a storm of
    callers with jobs of mixed sizes, none is left waiting and none runs twice."""
    runs: list[str] = []

    def run(jobs: list[str]) -> None:
        runs.extend(jobs)
        time.sleep(0.0005)

    gc: GroupCommit[str] = GroupCommit(run, max_items=7)
    errors: dict[str, str] = {}
    names = [f"j{i}" for i in range(400)]
    sizes = {n: 1 + i % 4 for i, n in enumerate(names)}
    threads: list[threading.Thread] = []
    for k in range(0, len(names), 50):
        threads += _submit_all(gc, names[k : k + 50], sizes, errors)
    for th in threads:
        th.join(30)
    assert not any(th.is_alive() for th in threads)
    assert sorted(runs) == sorted(names) and errors == {}
    assert gc.jobs == len(names)


@pytest.mark.slow
def test_threads_appending_to_one_store(store: Store, site: SampleSite) -> None:
    """16 threads append 25 records each, one record submitted by two threads at once: every
    thread gets its own results in its order, seqs are gap-free and each thread's accepted
    records are consecutive (a group is its jobs' bulks in queue order)."""
    at = T0 + timedelta(hours=1)
    subjects = [f"w-{i:03d}" for i in range(40)]
    team = site.subs[0].teams[0]
    enrolled = store.append([site.enroll(s, site.subs[0], team, T0.date()) for s in subjects])
    assert all(r.ok for r in enrolled), [r for r in enrolled if not r.ok][:1]
    base = store.head()
    jobs = [[site.punch("GATE-01", subjects[(t * 25 + i) % 40], at + timedelta(minutes=i),
                        "in", 1000 * t + i) for i in range(25)] for t in range(16)]  # fmt: skip
    jobs[3][0] = jobs[4][0]
    out: dict[int, list[tuple[str, int | None]]] = {}
    start = threading.Barrier(16)

    def run(t: int) -> None:
        start.wait()
        out[t] = [(r.status, r.seq) for r in store.append(jobs[t])]

    threads = [threading.Thread(target=run, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted([out[3][0][0], out[4][0][0]]) == ["accepted", "duplicate"]
    seqs = sorted(seq for res in out.values() for status, seq in res if status == "accepted")
    assert seqs == list(range(base, base + 16 * 25 - 1))
    for res in out.values():
        mine = [seq for status, seq in res if status == "accepted"]
        assert mine == list(range(mine[0], mine[0] + len(mine)))
    assert store._group.jobs == 2 + 16  # the site setup, the enrolments, ours (not genesis)
    report = check(store)
    assert report.ok, report.lines()
