"""Progress on long commands: a rich bar when stderr is a terminal (a real pseudo-terminal
here), one summary line when it is not, and stdout left to the command's own output."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from api.progress import Progress
from tests.api.live import ROOT, cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_live_bar_and_a_pipe_one_line() -> None:
    tty = _Terminal()
    with Progress("export attendance", total=3, unit="rows", stream=tty) as bar:
        for _ in range(3):
            bar.advance()
    assert "export attendance" in tty.getvalue() and "3/3" in tty.getvalue()
    pipe = io.StringIO()
    with Progress("db check", unit="entries", stream=pipe) as bar:
        bar.update(41, 41)
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("db check: 41 entries in ")


def test_no_summary_line_when_the_job_fails() -> None:
    pipe = io.StringIO()
    with pytest.raises(RuntimeError), Progress("export", stream=pipe):
        raise RuntimeError("boom")
    assert pipe.getvalue() == ""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    cli(root / "home", "init", "--chain", "embedded")
    cli(root / "home", "quickstart", "--project", "P-QS-PROGRESS", "--dir", str(root / "qs"))
    return root / "home"


def test_db_check_and_export_print_one_quiet_line_into_a_pipe(home: Path) -> None:
    out = cli(home, "db", "check", "--json")
    assert json.loads(out.stdout)["ok"] is True  # stdout: the report alone
    assert out.stderr.splitlines()[-1].startswith("db check: 12 entries in ")
    out = cli(home, "export", "workers", "--project", "P-QS-PROGRESS")
    assert len(out.stdout.splitlines()) == 1  # the one enrollment
    assert out.stderr.strip().startswith("export workers: 1 rows in ")


def test_db_check_on_a_terminal_draws_a_bar(home: Path) -> None:
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), "db",
                               "check"], cwd=ROOT, stdout=subprocess.PIPE, stderr=slave,
                              timeout=60, env={**os.environ, "COLUMNS": "100"})  # fmt: skip
        os.close(slave)
        slave = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0 and b"OK" in proc.stdout
    text = drawn.decode("utf-8", "replace")
    assert "db check" in text and "12/12" in text and "entries" in text, text
    assert "db check: 12 entries in" not in text  # the bar, not the pipe's summary line


@pytest.mark.slow
def test_anchor_reports_the_batches_it_anchored(home: Path) -> None:
    out = cli(home, "anchor", "--no-wait", timeout=180)
    assert "anchored batch 0" in out.stdout
    assert out.stderr.splitlines()[-1].startswith("anchor: 1 batches in "), out.stderr


def test_import_appends_a_file_with_progress_and_reports_refusals(home: Path,
                                                                  tmp_path: Path) -> None:  # fmt: skip
    qs = home.parent / "qs"
    punches = json.loads((qs / "punches.json").read_text())
    edited = (qs / "punch-edited.json").read_text()
    lines = [json.dumps(p) for p in punches] + ["", edited, "{not json"]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    out = cli(home, "import", str(tmp_path / "in.jsonl"), check=False)
    assert out.returncode == 1, out.stderr
    assert out.stdout.strip() == "5 records: 3 accepted, 0 duplicate, 2 rejected"
    err = out.stderr.splitlines()
    assert err[0].startswith("import: 5 records in ")  # the quiet line: stderr is a pipe
    assert err[1].startswith("line 5: conflict") and err[2].startswith("line 6: malformed")
    again = cli(home, "import", str(tmp_path / "in.jsonl"), check=False)
    assert again.stdout.strip() == "5 records: 0 accepted, 3 duplicate, 2 rejected"
    missing = cli(home, "import", str(tmp_path / "nowhere.jsonl"), check=False)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().endswith("No such file or directory")
