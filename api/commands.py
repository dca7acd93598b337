"""``siteledger serve`` and ``siteledger principal …`` (registered by ``api.cli``).

Both read the loaded configuration from ``click.get_current_context().obj["config"]``.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

import click

from ledger.config import Config
from ledger.core.times import format_time, utc_now


def _config() -> Config:
    cfg: Config = click.get_current_context().obj["config"]
    return cfg


# ------------------------------------------------------------------ serve


def _gunicorn(factory: Callable[[], Any], options: dict[str, Any]) -> None:
    """Run gunicorn in this process (its arbiter). The app is built in each worker after the
    fork (no ``preload_app``), and no hook starts anything in the arbiter."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set("post_worker_init", worker_ready)

        def load(self) -> Any:
            return factory()

    App().run()


def worker_ready(worker: Any) -> None:
    """gunicorn's ``post_worker_init``: in each HTTP worker, once its app is built and before it
    accepts a connection. Warms the app up (``api.app.warm``), then quiets the garbage collector
    (``quiet_gc``, which then also leaves out what the warm-up made). A database that cannot be
    reached now does not stop the worker: its requests will answer 503 until it is back."""
    from api.app import warm

    try:
        warm(worker.wsgi, worker.cfg.threads)
    except Exception as exc:  # noqa: BLE001 - logged by type only: a message may hold the URL
        worker.log.warning("siteledger HTTP worker %d not warmed up (%s); it serves anyway",
                           worker.pid, type(exc).__name__)  # fmt: skip
    quiet_gc()
    worker.log.info("siteledger HTTP worker %d ready", worker.pid)


GC_THRESHOLDS: Final = (50_000, 20, 100)
"""Python's cyclic garbage collector in an HTTP worker: a collection of the youngest objects
after 50,000 net allocations (Python's default: 700), of all objects after 20 × 100 of those."""


def quiet_gc() -> None:
    """Fewer and shorter pauses of the garbage collector in an HTTP worker, once its app is
    loaded: what exists then (modules, the app, its engine) is frozen out of every collection
    (``gc.freeze``), and collections run less often (``GC_THRESHOLDS``). A request makes hundreds
    of objects, and a collection stops every thread of the worker: with Python's defaults a
    collection ran every few requests and a full one every few seconds, which showed as the
    slowest percent of single POSTs (``docs/benchmarks.md``). Memory grows only by the young
    objects left between collections."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _check_database(cfg: Config) -> None:
    """Read the log head once, so that a bad database URL fails here, in one line, and not in
    every request after the server has said it is listening."""
    from ledger.db import make_engine
    from ledger.store import Store

    engine = make_engine(cfg.database_url)
    try:
        Store(engine, cfg.operator_key(), skew=cfg.skew).head()
    finally:
        engine.dispose()


def start_worker(cfg: Config, *, anchor: bool) -> subprocess.Popen[bytes]:
    """Start ``siteledger worker`` as a child process (fork + exec: it inherits no threads and
    no import state from us) that stops by itself if this process dies."""
    cmd = [sys.executable, "-m", "api.cli", "--home", str(cfg.home), "worker",
           "--parent", str(os.getpid())]  # fmt: skip
    if not anchor:
        cmd.append("--no-anchor")
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL)


def stop_worker(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM to the worker by its PID, then SIGKILL if it has not exited within ``timeout``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=0,
    type=click.IntRange(0, 64),
    help="Run gunicorn with N HTTP worker processes; 0: the development server.",
)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads per gunicorn worker: requests it serves at once.")  # fmt: skip
@click.option("--seal/--no-seal", default=True, show_default=True,
              help="Start `siteledger worker` as a child process to seal batches (by size and "
                   "age from the configuration).")  # fmt: skip
@click.option("--anchor/--no-anchor", default=True, show_default=True,
              help="The child worker also anchors; --no-anchor leaves anchoring to "
                   "`siteledger anchor` or another process.")  # fmt: skip
def serve(host: str, port: int, workers: int, threads: int, seal: bool, anchor: bool) -> None:
    """Serve the HTTP API (the development server, or gunicorn --workers N), with a
    `siteledger worker` child process that seals and anchors."""
    from api.app import create_app
    from api.server import WORKER_CLASS, bind_dev_server, check_port

    cfg = _config()
    check_port(host, port)  # one line and exit 1 on a busy port, before anything starts
    _check_database(cfg)  # and on a database that cannot be reached or has no schema
    # Nothing in this process may start a thread: gunicorn forks its workers from it.
    child = start_worker(cfg, anchor=anchor) if seal else None
    if child is not None:
        click.echo(f"siteledger worker started (pid {child.pid}): it seals"
                   f"{' and anchors' if anchor else ''} batches", err=True)  # fmt: skip
    try:
        if workers == 0:
            app = create_app(cfg)
            server = bind_dev_server(host, port, app)
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            click.echo(f"siteledger API on http://{host}:{server.port} (development server)",
                       err=True)  # fmt: skip
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                server.server_close()
            return
        from api.app import preload

        preload(cfg)  # imports only: nothing here may start a thread before gunicorn forks
        options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": WORKER_CLASS,  # gthread, answering its own refusals as problems
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 10,
            "limit_request_line": 8190,
            "control_socket_disable": True,  # two servers on one machine would share its path
            # each worker listens on its own SO_REUSEPORT socket: the kernel spreads new
            # connections over the workers evenly, where a shared socket lets the busiest
            # worker, awake already, accept most of them (api/server.py)
            "reuse_port": True,
        }
        # each worker binds its own socket (reuse_port), so gunicorn's arbiter, which binds
        # none, cannot say where it listens: this line does, once the port and the database
        # were checked
        click.echo(f"siteledger API on http://{host}:{port} (gunicorn: {workers} HTTP "
                   f"worker{'s' if workers > 1 else ''}, {threads} threads each)", err=True)  # fmt: skip
        _gunicorn(lambda: create_app(cfg), options)
    finally:
        if child is not None:
            stop_worker(child)


# ------------------------------------------------------------------ principals


def _principals() -> Any:
    from ledger.db import make_engine
    from ledger.principals import Principals

    return Principals(make_engine(_config().database_url))


def _principal_json(p: Any) -> dict[str, Any]:
    return {
        "principal_id": p.principal_id, "name": p.name, "role": p.role,
        "projects": sorted(p.projects), "subject": p.subject,
        "created_at": format_time(p.created_at),
        "disabled_at": format_time(p.disabled_at) if p.disabled_at else None,
    }  # fmt: skip


@click.group()
def principal() -> None:
    """API principals (who may call the API) and their bearer tokens.

    Not to be confused with ledger signing keys (`siteledger keys`), which say who signed a record.
    """


@principal.command("create")
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(["admin", "contractor", "device", "auditor", "insurer", "worker"]))  # fmt: skip
@click.option("--project", "projects", multiple=True, help="Project in scope (repeatable).")
@click.option("--subject", help="The worker a worker principal is bound to.")
@click.option("--token/--no-token", default=True, show_default=True, help="Issue a token too.")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Token lifetime in days.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def principal_create(name: str, role: str, projects: tuple[str, ...], subject: str | None,
                     token: bool, expires_days: int | None, as_json: bool) -> None:  # fmt: skip
    """Create a principal and (by default) issue its first token."""
    store = _principals()
    now = utc_now()
    p = store.create(name, role, now, projects=set(projects), subject=subject)
    out = _principal_json(p)
    if token:
        expires = now + timedelta(days=expires_days) if expires_days else None
        tok, text = store.issue_token(p.principal_id, now, expires_at=expires)
        out.update(token_id=tok.token_id, token=text)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(f"principal {p.principal_id}  {role}  {','.join(sorted(p.projects)) or '*'}")
    if token:
        click.echo(f"token     {out['token']}")
        click.echo("          (shown once; the server keeps only its SHA-256)")


@principal.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def principal_list(as_json: bool) -> None:
    """List principals and their tokens."""
    store = _principals()
    rows = []
    for p in store.all():
        item = _principal_json(p)
        item["tokens"] = [
            {"token_id": t.token_id, "label": t.label, "revoked": t.revoked_at is not None,
             "expires_at": format_time(t.expires_at) if t.expires_at else None}
            for t in store.tokens(p.principal_id)
        ]  # fmt: skip
        rows.append(item)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for item in rows:
        state = "disabled" if item["disabled_at"] else "active"
        live = [t["token_id"] + (f"({t['label']})" if t["label"] else "")
                for t in item["tokens"] if not t["revoked"]]  # fmt: skip
        click.echo(
            f"{item['principal_id']}  {item['role']:<10} {','.join(item['projects']) or '*':<20} "
            f"{state:<8} tokens: {' '.join(live) or '-'}  {item['name']}"
        )


@principal.command("disable")
@click.argument("principal_id")
def principal_disable(principal_id: str) -> None:
    """Disable a principal: all its tokens stop working (within 1 s on a running API)."""
    p = _principals().disable(principal_id, utc_now())
    click.echo(f"disabled {p.principal_id}")


@principal.command("token")
@click.argument("principal_id")
@click.option("--label", help="What the token is for (a device serial, a person).")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Token lifetime in days.")
def principal_token(principal_id: str, label: str | None, expires_days: int | None) -> None:
    """Issue a new token; prints only the token on stdout (for scripts), its id on stderr."""
    now = utc_now()
    expires = now + timedelta(days=expires_days) if expires_days else None
    tok, text = _principals().issue_token(principal_id, now, expires_at=expires, label=label)
    click.echo(text)
    click.echo(f"token id {tok.token_id}{f' ({label})' if label else ''}: shown once; "
               f"`siteledger principal revoke-token {tok.token_id}` revokes it", err=True)  # fmt: skip


@principal.command("revoke-token")
@click.argument("token_id")
def principal_revoke_token(token_id: str) -> None:
    """Revoke one token by its id (as `principal list` shows); a running API refuses it
    within 1 s."""
    tok = _principals().revoke_token(token_id, utc_now())
    click.echo(f"revoked token {tok.token_id} of {tok.principal_id}")
