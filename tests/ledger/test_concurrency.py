"""Several processes appending to one database: unique, gap-free seq; consistent subject chains."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.check import check
from ledger.core.keys import SigningKey
from ledger.store import Store
from tests.ledger.crash_common import prepare

ROOT = Path(__file__).resolve().parents[2]
PARTS = 4


@pytest.mark.slow
def test_processes_append_concurrently(
    db_url: str, make_store: Callable[[str], Store], root_key: SigningKey
) -> None:
    store = make_store(db_url)
    prepare(store, root_key)
    base = store.head()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.ledger.multi_writer",
                db_url,
                root_key.seed.hex(),
                str(p),
                str(PARTS),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for p in range(PARTS)
    ]
    outs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=240)
            assert p.returncode == 0, err
            outs.append(int(out.strip()))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert sum(outs) == 2_000
    assert store.head() == base + 2_000
    report = check(store)
    assert report.ok, report.lines()
    chain = store.subject_chain("w-000")
    assert [c.entry.subject_seq for c in chain] == list(range(len(chain)))
