"""``siteledger worker``: the process that seals batches and anchors them, apart from HTTP.

The HTTP workers only serve. Sealing and anchoring run here, in a process of their own that
``siteledger serve`` starts as a child (or that systemd starts next to the API): never as a
thread of a process that forks afterwards. A thread that is importing a module while its
process forks leaves that module's import lock held, for ever, in the child (see
docs/operations.md, "Process layout"); a process started by ``fork`` + ``exec`` carries no such
state.

Any number of worker processes may run against one database: the one holding the anchoring
lock (``anchor.lock``: a PostgreSQL session advisory lock, or an ``flock`` beside a SQLite
file) is *active* and seals and anchors; the others are *standby* and try the lock once a
second. The lock belongs to a connection (or an open file), so it goes away with a process that
dies in any way, and a standby takes over within about a second.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

import click

from anchor.lock import AnchorLock
from ledger.config import Config

log = logging.getLogger("siteledger.worker")


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    anchor: bool = True  # False: seal only (anchoring is left to `siteledger anchor`)
    standby_poll: float = 1.0  # seconds between tries of the lock while standby
    seal_poll: float = 1.0  # seconds between sealing passes (seal-only mode)
    parent: int | None = None  # exit when this process is no longer our parent
    grace: float = 5.0  # seconds a pass may go on after SIGTERM before the process exits


def _store(cfg: Config) -> Any:
    from ledger.db import make_engine
    from ledger.store import Store

    return Store(make_engine(cfg.database_url), cfg.operator_key(), skew=cfg.skew)


def _orphaned(opts: WorkerOptions) -> bool:
    return opts.parent is not None and os.getppid() != opts.parent


def _watch_parent(opts: WorkerOptions, stop: threading.Event) -> None:
    """Sets ``stop`` when the parent that started us has gone (killed without stopping us)."""
    while not stop.wait(0.5):
        if _orphaned(opts):
            log.warning("parent process %s is gone: stopping", opts.parent)
            stop.set()


def _seal_forever(cfg: Config, store: Any, lock: AnchorLock, opts: WorkerOptions,
                  stop: threading.Event) -> None:  # fmt: skip
    """Seal due batches once every ``seal_poll`` seconds while we hold the lock."""
    from sqlalchemy.exc import SQLAlchemyError

    from ledger import batcher
    from ledger.core.errors import LedgerError

    while not stop.is_set():
        try:
            if not lock.acquire():
                log.warning("lost the anchoring lock: standby")
                return
            for b in batcher.seal(store, max_size=cfg.batch_max_size, max_age=cfg.batch_max_age):
                log.info("sealed batch %d: seq %d..%d", b.batch_no, b.first_seq, b.end_seq - 1)
        except (LedgerError, SQLAlchemyError) as exc:  # the database is away: next round
            log.error("sealing failed: %s", exc)
        stop.wait(opts.seal_poll)


def run(cfg: Config, opts: WorkerOptions, stop: threading.Event) -> None:
    """Standby until the anchoring lock is ours, then seal (and anchor) until ``stop``.

    Returns when ``stop`` is set; the lock is released on the way out.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from anchor.worker import Anchorer, Sealer

    store = _store(cfg)
    lock = AnchorLock(store.engine)
    standby_said = False
    try:
        while not stop.is_set():
            try:
                got = lock.acquire()
            except SQLAlchemyError as exc:
                log.error("cannot reach the database for the anchoring lock: %s", exc)
                got = False
            if not got:
                if not standby_said:
                    log.info("standby: another process holds the anchoring lock")
                    standby_said = True
                stop.wait(opts.standby_poll)
                continue
            standby_said = False
            log.info("active: holding the anchoring lock (pid %d)", os.getpid())
            if opts.anchor:
                # the sealer in a thread of its own, with its own connections: it never waits
                # for the chain, so the maximum batch age holds while a pass waits on the node
                sealer_store = _store(cfg)
                sealing = threading.Thread(target=Sealer(sealer_store, cfg).run_forever,
                                           args=(stop,), name="sealer", daemon=True)  # fmt: skip
                sealing.start()
                anchorer = Anchorer(store, cfg, lock=lock)
                try:
                    anchorer.run_forever(stop)  # closes the anchorer (and releases the lock)
                finally:
                    sealing.join(10)
                    sealer_store.engine.dispose()
            else:
                _seal_forever(cfg, store, lock, opts, stop)
                lock.release()
    finally:
        lock.release()
        store.engine.dispose()


@click.command("worker")
@click.option("--anchor/--no-anchor", default=True, show_default=True,
              help="Anchor sealed batches on the configured chain; --no-anchor only seals.")  # fmt: skip
@click.option("--parent", type=int, hidden=True,
              help="Stop when this process (the `serve` that started us) is gone.")  # fmt: skip
def worker(anchor: bool, parent: int | None) -> None:
    """Seal and anchor batches (one process active per database, the others standby).

    `siteledger serve` starts one as its child; run more (on this host or others) for a
    standby that takes over within a second when the active one dies.
    """
    cfg: Config = click.get_current_context().obj["config"]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker[%(process)d] %(message)s")
    opts = WorkerOptions(anchor=anchor, parent=parent)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            return
        log.info("signal %d: stopping (at most %.0f s more)", signum, opts.grace)
        stop.set()
        # A pass that is connecting to the chain (or waiting on it) may take longer than a
        # service manager waits. Ending mid-pass is safe: every step is recorded in the database
        # before and after it happens, and the next active worker reads the chain before sending
        # (docs/chain.md), so a batch is never anchored twice.
        timer = threading.Timer(opts.grace, os._exit, (0,))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if parent is not None:
        if _orphaned(opts):
            return
        threading.Thread(target=_watch_parent, args=(opts, stop), name="parent-watch",
                         daemon=True).start()  # fmt: skip
    run(cfg, opts, stop)
