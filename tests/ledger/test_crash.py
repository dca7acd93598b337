"""kill -9 in the middle of a bulk load loses no acknowledged record and duplicates none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from ledger import batcher
from ledger.check import check
from ledger.core.keys import SigningKey
from ledger.store import Store
from tests.ledger.crash_common import prepare, punches

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_kill_minus_nine_mid_bulk(
    db_url: str, make_store: Callable[[str], Store], root_key: SigningKey
) -> None:
    store = make_store(db_url)
    site = prepare(store, root_key)
    base = store.head()

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.crash_writer", db_url, root_key.seed.hex()],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    acked: dict[int, str] = {}
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 60
        while len(acked) < 1_500 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            fields = line.split()
            assert len(fields) == 2 and line.endswith("\n"), f"the writer printed {line!r}"
            acked[int(fields[0])] = fields[1]
        time.sleep(0.05)  # let it get into the next transaction
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        rest = child.stdout.read().split("\n")  # the last item: a line the kill cut, or ""
        for ln in rest[:-1]:
            fields = ln.split()
            assert len(fields) == 2, f"the writer printed {ln!r}"
            acked[int(fields[0])] = fields[1]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert len(acked) >= 1_000, child.stderr.read() if child.stderr else ""

    # After the crash: a fresh process (new engine) sees every acknowledged record exactly once.
    after = make_store(db_url)
    after.skew = timedelta(days=3650)
    for seq, leaf in acked.items():
        got = after.entry(seq)
        assert got is not None and got.leaf_hash.hex() == leaf, seq
    head = after.head()
    assert head >= base + len(acked)
    assert check(after).ok, check(after).lines()

    # Retrying everything (the client never heard back about the last bulk) duplicates nothing.
    records = punches(site, head - base + 400)
    results = after.append(records[: head - base + 400])
    assert {r.status for r in results[: head - base]} == {"duplicate"}
    assert {r.status for r in results[head - base :]} == {"accepted"}
    assert after.head() == head + 400
    batcher.seal(after, force=True)
    assert check(after).ok
