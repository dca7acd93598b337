"""Progress of long command-line jobs (export, db check, anchor, imports), on stderr only.

When stderr is a terminal, a live bar (``rich``); otherwise — a pipe, a log file, cron — nothing
while the job runs and one quiet summary line at its end (``export: 83,000 rows in 21.9 s``),
so that logs stay readable and stdout stays the command's output alone.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO

import click


class Progress:
    """``with Progress("export", unit="rows") as p: … p.advance()``; ``total`` may be None
    (unknown: the bar shows the count and the elapsed time) or set later with ``update``."""

    def __init__(self, label: str, *, total: int | None = None, unit: str = "items",
                 stream: TextIO | None = None) -> None:  # fmt: skip
        self.label = label
        self.unit = unit
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None
        self._started = 0.0

    @property
    def live(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._bar = RichProgress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TextColumn(self.unit), TimeElapsedColumn(),
                console=Console(file=self.stream), transient=False,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=self.total)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        if self._bar is not None:
            self._bar.stop()
            return
        if exc_type is None:
            elapsed = time.monotonic() - self._started
            click.echo(f"{self.label}: {self.done:,} {self.unit} in {elapsed:.1f} s",
                       file=self.stream)  # fmt: skip
