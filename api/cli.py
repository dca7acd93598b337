"""The ``siteledger`` command line. Only this module and the Flask error handlers turn errors
into exit codes; every command maps LedgerError to a message on stderr and exit status 1.

Exit codes: 0 success, 1 failure (a LedgerError: the message says what), 2 usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ledger.core.errors import LedgerError


def _config() -> Any:
    return click.get_current_context().obj["config"]


class _Group(click.Group):
    """Turns every expected failure into one line on stderr and exit status 1: the project's
    errors, a database that cannot be reached or a URL that cannot be parsed, a file that is
    missing or not readable. Nothing the user can fix is shown as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

        try:
            return super().invoke(ctx)
        except click.UsageError:
            raise  # a wrong option or argument: click shows the usage with it
        except click.ClickException as exc:  # a command's own refusal, in the same one line
            _fail(ctx, exc.format_message())
        except LedgerError as exc:
            _fail(ctx, str(exc))
        except ArgumentError as exc:  # a malformed URL, or a dialect that is not installed
            _fail(ctx, f"the database URL is not valid: {_first_line(exc)}")
        except DBAPIError as exc:
            _fail(ctx, f"database {_database(ctx)}: {_first_line(exc.orig or exc)}")
        except SQLAlchemyError as exc:
            _fail(ctx, f"database {_database(ctx)}: {_first_line(exc)}")
        except ImportError as exc:  # a URL naming a driver that is not installed
            _fail(ctx, f"the database URL needs the module {exc.name}, which is not installed "
                  "(use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB)")
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(ctx, f"{where}{exc.strerror or exc}")


def _fail(ctx: click.Context, message: str) -> None:
    one_line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    click.echo(f"error: {one_line}", err=True)
    ctx.exit(1)


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def _database(ctx: click.Context) -> str:
    """The configured database URL without its password (for messages), or a placeholder."""
    cfg = (ctx.obj or {}).get("config")
    try:
        return _redact(cfg.database_url) if cfg is not None else "(not configured)"
    except Exception:  # noqa: BLE001 - an unparsable URL is reported by its own error
        return "(unparsable URL)"


@click.group(cls=_Group)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SITELEDGER_HOME",
    help="Data directory (default ~/.siteledger, or $SITELEDGER_HOME).",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """siteledger: a blockchain-anchored attendance and wage ledger for construction workers."""
    from ledger import config

    ctx.ensure_object(dict)
    if "config" not in ctx.obj:
        ctx.obj["config"] = config.load(home)


@main.command()
@click.option("--database-url", help="Database URL (default: SQLite in the data directory).")
@click.option(
    "--chain",
    "backend",
    type=click.Choice(["anvil", "embedded", "rpc"]),
    default="anvil",
    show_default=True,
)
@click.option("--anvil-port", type=click.IntRange(1, 65535), default=8545, show_default=True,
              help="Port of the local anvil chain (anvil backend).")  # fmt: skip
@click.option("--deploy/--no-deploy", default=True, help="Deploy the contract (anvil backend).")
@click.pass_context
def init(
    ctx: click.Context, database_url: str | None, backend: str, anvil_port: int, deploy: bool
) -> None:
    """Create the data directory: configuration, keys, database and the genesis record."""
    from ledger import config as cfgmod
    from ledger.core.keys import SigningKey
    from ledger.migrate import upgrade
    from ledger.vault import Keyring

    cfg = _config()
    home: Path = cfg.home
    if (home / "config.toml").exists():
        raise cfgmod.ConfigError(f"{home} is already initialised")
    if database_url is not None:
        _probe_database(database_url)  # before anything is written: a bad URL leaves no trace
    home.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{home / 'ledger.sqlite'}"
    (home / "config.toml").write_text(
        cfgmod.CONFIG_TEMPLATE.format(
            database_url=url, backend=backend, confirmations=1, anvil_port=anvil_port
        )
    )
    operator = SigningKey.generate()
    cfgmod.write_secret(home / "keys" / "operator.key", operator.seed.hex())
    cfgmod.write_secret(
        home / "keys" / "vault.json", json.dumps(Keyring.generate().to_json(), indent=1)
    )
    cfg = cfgmod.load(home)
    ctx.obj["config"] = cfg
    upgrade(cfg.database_url)
    store = _store(cfg)
    result = store.genesis(operator)
    click.echo(f"initialised {home}")
    click.echo(f"  database      {_redact(cfg.database_url)}")
    click.echo(f"  operator key  {operator.key_id} (genesis entry seq {result.seq})")
    if backend == "anvil" and deploy:
        _deploy(ctx)
        _report_anvil(cfg)
    elif backend == "anvil":
        click.echo("  chain         anvil, not started (`siteledger chain start`, then "
                   "`siteledger chain deploy`)")  # fmt: skip
    elif backend == "embedded":
        click.echo("  chain         embedded: nothing started; each process has its own chain, "
                   "whose anchors end with it")  # fmt: skip
    click.echo(f"  next          siteledger --home {_shell_quote(str(home))} quickstart   "
               "(a project, a gate, a worker, API tokens)")  # fmt: skip


def _probe_database(url: str) -> None:
    """Connect once to ``url``; ConfigError naming the URL (without its password) if not."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

    from ledger.config import ConfigError
    from ledger.db import make_engine

    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"--database-url is not a usable URL: {_first_line(exc)}") from exc
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
        raise ConfigError(f"database {_redact(url)}: {_first_line(reason)}") from exc
    finally:
        engine.dispose()


def _report_anvil(cfg: Any) -> None:
    """Say what `init` left running: the anvil process, where its state is, how to stop it."""
    from anchor.backends import AnvilBackend, from_config

    backend = from_config(cfg)
    if not isinstance(backend, AnvilBackend):
        return
    pid = backend.running_pid()
    if pid is None:
        click.echo("  chain         anvil is not running (`siteledger chain start` starts it)")
        return
    home = _shell_quote(str(cfg.home))
    click.echo(f"  chain         started anvil, pid {pid}, on {backend.url}; it keeps running")
    click.echo(f"                (state {backend.state_file}, log {backend.log_file})")
    click.echo(f"  stop it with  siteledger --home {home} chain stop   (anchors stay in the "
               "state file)")  # fmt: skip


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _deploy(ctx: click.Context) -> None:
    from anchor.commands import chain

    deploy_cmd = chain.commands["deploy"] if isinstance(chain, click.Group) else None
    if deploy_cmd is not None:
        ctx.invoke(deploy_cmd)


def _redact(url: str) -> str:
    """A database URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _store(cfg: Any) -> Any:
    from ledger.db import make_engine
    from ledger.store import Store

    return Store(make_engine(cfg.database_url), cfg.operator_key(), skew=cfg.skew)


@main.group()
def db() -> None:
    """Database schema and integrity."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations up to the newest schema."""
    from ledger.migrate import upgrade

    cfg = _config()
    upgrade(cfg.database_url)
    click.echo(f"database at {_redact(cfg.database_url)} is up to date")


@db.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def db_check(as_json: bool) -> None:
    """Recompute leaf hashes, subject chains and batch roots; exit 1 on any mismatch."""
    from api.progress import Progress
    from ledger.check import check

    cfg = _config()
    store = _store(cfg)
    with Progress("db check", unit="entries") as bar:
        report = check(store, progress=bar.update)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        sys.exit(1)


@main.group()
def keys() -> None:
    """Signing keys registered in the log."""


@keys.command("list")
def keys_list() -> None:
    """List registered keys with their roles, projects and state."""
    store = _store(_config())
    for g in sorted(store.grants(), key=lambda g: g.registered_seq):
        state = f"revoked at seq {g.revoked_seq}" if g.revoked_seq is not None else "active"
        projects = ",".join(sorted(g.projects)) or "*"
        click.echo(
            f"{g.key_id}  {g.holder:<20} {','.join(sorted(g.roles)):<22} {projects:<20} "
            f"seq {g.registered_seq}  {state}"
        )


@keys.command("generate")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def keys_generate(out: Path) -> None:
    """Write a new Ed25519 signing key seed (hex, mode 0600) and print its key id and public key."""
    from ledger.config import write_secret
    from ledger.core.keys import SigningKey

    key = SigningKey.generate()
    try:
        write_secret(out, key.seed.hex())
    except FileExistsError as exc:
        raise click.ClickException(f"{out} exists; refusing to overwrite a key") from exc
    click.echo(f"key id     {key.key_id}")
    click.echo(f"public key {key.verify_key.public.hex()}")


@main.command("export")
@click.argument("kind", type=click.Choice(["attendance", "payroll", "workers"]))
@click.option("--project", required=True, help="Project code (项目编码).")
@click.option("--month", help="Only this month, YYYY-MM (local time of the project).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File (default stdout).")
def export(kind: str, project: str, month: str | None, fmt: str, out: Any) -> None:
    """Rows for the national platform (WorkerAttendance, PayRollDetail, WorkerEntryExit).

    Workers appear by pseudonymous subject id; records voided by an approved correction are left
    out. Identity fields are not exported from the command line.
    """
    import csv

    from ledger.core.times import parse_month
    from ledger.export import rows

    if month is not None:
        parse_month(month, "--month")
    from api.progress import Progress

    found: list[dict[str, Any]] = []
    with Progress(f"export {kind}", unit="rows") as bar:
        try:
            for row in rows(_store(_config()), kind, project, month):
                found.append(row)
                bar.advance()
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if fmt == "jsonl":
        for row in found:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    fields = sorted({k for row in found for k in row})
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(found)


def _register() -> None:
    """Commands that live with their packages: chain and anchor, worker, serve and principal,
    demo, quickstart, import, and the witness service's own command line."""
    from anchor.commands import anchor, chain
    from anchor.service import worker
    from api.bulk_import import import_cmd
    from api.commands import principal, serve
    from api.demo import demo
    from api.quickstart import quickstart_cmd
    from api.witness_cmd import witness

    for command in (chain, anchor, serve, worker, principal, demo, quickstart_cmd, import_cmd,
                    witness):
        main.add_command(command)
    _show_anchoring_progress(anchor)


def _show_anchoring_progress(command: click.Command) -> None:
    """Wrap `siteledger anchor` in a progress bar of batches anchored / batches waiting, read
    from the database twice a second while the command runs (the anchor package stays free of
    the command line's display)."""
    inner = command.callback
    if inner is None:
        return

    def with_progress(**kwargs: Any) -> Any:
        import threading

        from api.progress import Progress
        from ledger import batcher

        store = _store(_config())
        stop = threading.Event()

        def counts() -> tuple[int, int]:
            by_state = batcher.count_by_state(store)
            anchored = by_state.get("anchored", 0)
            return anchored, sum(by_state.values()) - anchored

        start, _ = counts()
        with Progress("anchor", unit="batches") as bar:

            def poll() -> None:
                while not stop.wait(0.5):
                    try:
                        anchored, waiting = counts()
                    except Exception:  # noqa: BLE001 - the display must never stop the command
                        continue
                    bar.update(anchored - start, anchored - start + waiting)

            watcher = threading.Thread(target=poll, name="anchor-progress", daemon=True)
            watcher.start()
            try:
                return inner(**kwargs)
            finally:
                stop.set()
                watcher.join(timeout=5)
                anchored, waiting = counts()
                bar.update(anchored - start, anchored - start + waiting)

    command.callback = with_progress


_register()

if __name__ == "__main__":
    main()
