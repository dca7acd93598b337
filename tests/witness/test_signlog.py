"""The sign log survives kill -9: every signature handed out is in it after a restart, and a
different message for one of those batch numbers is refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from hashlib import sha256
from pathlib import Path

import pytest

from witness.errors import EquivocationRefused, WitnessError
from witness.signlog import FILE_NAME, SignLog

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from witness.signlog import SignLog
log = SignLog(Path(sys.argv[1]))
n = 0
while True:
    log.record(n, b"batch %d" % n)
    print(n, flush=True)  # the signature leaves the process only after the log is durable
    n += 1
"""


def test_a_killed_witness_remembers_every_signature_it_handed_out(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        handed_out = []
        assert proc.stdout is not None
        while len(handed_out) < 40:
            line = proc.stdout.readline()
            assert line, "the child stopped"
            handed_out.append(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    log = SignLog(tmp_path)
    for n in handed_out:
        assert log.signed[n] == sha256(b"batch %d" % n).digest()
        log.check(n, b"batch %d" % n)
        with pytest.raises(EquivocationRefused, match=f"batch {n} was already signed"):
            log.check(n, b"another batch")
    assert log.last is not None and log.last >= handed_out[-1]


def test_a_torn_last_line_is_cut_and_a_corrupt_line_is_refused(tmp_path: Path) -> None:
    log = SignLog(tmp_path)
    log.record(0, b"zero")
    log.close()
    with open(tmp_path / FILE_NAME, "ab") as f:
        f.write(b"1 abcd")  # died mid-line
    log = SignLog(tmp_path)
    assert sorted(log.signed) == [0]
    log.record(1, b"one")
    log.close()
    assert (tmp_path / FILE_NAME).read_bytes().count(b"\n") == 2
    with open(tmp_path / FILE_NAME, "ab") as f:
        f.write(b"2 nothex\n")
    with pytest.raises(WitnessError, match="line 3 is corrupt"):
        SignLog(tmp_path)
