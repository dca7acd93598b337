"""``siteledger import FILE``: append signed records from a file, in bulks, with progress.

For backlogs that do not go through HTTP: a gate gateway's offline buffer copied over, records
exported from another system and signed at the source. The file is JSON Lines — one signed record
(``{"record": …, "sig": …}``) per line; blank lines are skipped — or ``-`` for standard input.
Each line goes to ``Store.append`` as its bytes, so it is decoded as strictly and checked
exactly as a record posted to ``POST /v1/records`` (signature, signer's grant, time, ledger
state); the command adds no authority of its own beyond the database access it already has.
Appends are grouped by ``ingest.max_bulk`` (one transaction each). Importing the same file again
is harmless: every record comes back as ``duplicate``.

Exit status 0 when every record was accepted or duplicate, 1 when any was rejected (each refusal
is reported on stderr with its line number, code and message).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

SHOWN_REFUSALS = 20


@dataclass
class ImportReport:
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    refusals: list[str] = field(default_factory=list)  # the first SHOWN_REFUSALS, one line each

    @property
    def total(self) -> int:
        return self.accepted + self.duplicate + self.rejected


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        line = raw.strip()
        if line:
            yield number, line


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def import_records(store: Any, stream: IO[bytes], *, bulk: int,
                   progress: Any = None) -> ImportReport:  # fmt: skip
    """Append every line of ``stream`` (JSON Lines of signed records) in groups of ``bulk``."""
    report = ImportReport()
    group: list[tuple[int, bytes]] = []

    def flush() -> None:
        results = store.append([line for _, line in group])
        for (number, _), r in zip(group, results, strict=True):
            if r.status == "accepted":
                report.accepted += 1
            elif r.status == "duplicate":
                report.duplicate += 1
            else:
                report.rejected += 1
                if len(report.refusals) < SHOWN_REFUSALS:
                    where = f" ({r.field})" if r.field else ""
                    report.refusals.append(f"line {number}: {r.code}{where}: {r.message}")
        if progress is not None:
            progress.advance(len(group))
        group.clear()

    for item in _lines(stream):
        group.append(item)
        if len(group) >= bulk:
            flush()
    if group:
        flush()
    return report


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def import_cmd(file: Path) -> None:
    """Append signed records from FILE (JSON Lines; - for stdin), checked as the API checks them."""
    from api.progress import Progress
    from ledger.db import make_engine
    from ledger.store import Store

    cfg = click.get_current_context().obj["config"]
    stdin = str(file) == "-"
    total = None if stdin else _count_lines(file)  # raises FileNotFoundError: one line, exit 1
    store = Store(make_engine(cfg.database_url), cfg.operator_key(), skew=cfg.skew)
    with Progress("import", total=total, unit="records") as bar:
        if stdin:
            report = import_records(store, sys.stdin.buffer, bulk=cfg.max_bulk, progress=bar)
        else:
            with file.open("rb") as f:
                report = import_records(store, f, bulk=cfg.max_bulk, progress=bar)
    click.echo(f"{report.total} records: {report.accepted} accepted, {report.duplicate} "
               f"duplicate, {report.rejected} rejected")  # fmt: skip
    for line in report.refusals:
        click.echo(line, err=True)
    if report.rejected > len(report.refusals):
        click.echo(f"… and {report.rejected - len(report.refusals)} more refusals", err=True)
    if report.rejected:
        sys.exit(1)


__all__ = ["ImportReport", "import_cmd", "import_records"]
