"""State the API processes of one deployment share: rate-limit buckets and metrics snapshots.

With ``serve --workers N`` (or several hosts behind a balancer) every process must see the same
rate-limit buckets and the same counters, or a principal gets N times its limit and ``/metrics``
shows whichever process answered. The state lives in the database:

* ``api_rate`` — one row per rate-limited key: the GCRA *theoretical arrival time* ``tat``
  (seconds since the epoch). A request at time ``now`` is allowed iff
  ``max(tat, now) - now <= tau``, and then ``tat = max(tat, now) + T`` — one atomic
  ``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING``, so concurrent processes never both take
  the last request. ``T`` = 60 s / the limit a minute; ``tau = (burst - 1) * T`` allows ``burst``
  requests at once. This is a token bucket of ``burst`` tokens refilled at the limit's rate.
  ``n`` requests may be taken at once (a process's lease, ``api.ratelimit``): allowed iff
  ``max(tat, now) - now <= tau - (n - 1) T``, and then ``tat = max(tat, now) + n T``.
* ``api_metrics`` — one row per API process: its cumulative counters as JSON, replaced at most
  once a second while it answers requests (``api.metrics``). ``/metrics`` sums the rows of every
  process that ever ran (a counter never goes down when a worker is replaced). The rows are
  small (a few kB) and one per process start.

This is runtime state, not ledger data: nothing here is signed, anchored, backed up or migrated.
The tables are created on first use (``CREATE TABLE IF NOT EXISTS``) and may be dropped at any
time (buckets and counters then start again from zero). On PostgreSQL they are ``UNLOGGED`` and
written with ``synchronous_commit = off`` (no WAL, no fsync: they cost no durable commit of the
ledger). On SQLite they live in a side file, ``<database>-runtime.sqlite`` next to the ledger's
(``synchronous=OFF``), so they never wait for the ledger's write lock; an in-memory ledger gets an
in-memory side database (one process).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

_PG_TABLES = (
    "CREATE UNLOGGED TABLE IF NOT EXISTS api_rate (key TEXT PRIMARY KEY, tat DOUBLE PRECISION"
    " NOT NULL)",
    "CREATE UNLOGGED TABLE IF NOT EXISTS api_metrics (process TEXT PRIMARY KEY, updated_at"
    " DOUBLE PRECISION NOT NULL, snapshot TEXT NOT NULL)",
)
_SQLITE_TABLES = (
    "CREATE TABLE IF NOT EXISTS api_rate (key TEXT PRIMARY KEY, tat REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS api_metrics (process TEXT PRIMARY KEY, updated_at REAL NOT NULL,"
    " snapshot TEXT NOT NULL)",
)


def _sqlite_side_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _side_engine(ledger: Engine) -> Engine:
    database = ledger.url.database
    if not database or database == ":memory:":
        return create_engine("sqlite://", poolclass=StaticPool,
                             connect_args={"check_same_thread": False})  # fmt: skip
    engine = create_engine(f"sqlite:///{database}-runtime.sqlite")
    event.listen(engine, "connect", _sqlite_side_pragmas)
    return engine


class RuntimeState:
    """The shared rate-limit buckets and metrics snapshots of the API processes on ``ledger``'s
    database (see the module docstring)."""

    def __init__(self, ledger: Engine) -> None:
        self._pg = ledger.dialect.name == "postgresql"
        self.engine = ledger if self._pg else _side_engine(ledger)
        self._ready = False
        self._lock = threading.Lock()
        self._max = "GREATEST" if self._pg else "MAX"

    def prepare(self) -> None:
        """Create the shared tables if they are missing (``_PG_TABLES`` / ``_SQLITE_TABLES``);
        done once per process, by the first use or by a server warming up."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    for attempt in (1, 2):
                        try:
                            with self.engine.begin() as conn:
                                for ddl in _PG_TABLES if self._pg else _SQLITE_TABLES:
                                    conn.execute(text(ddl))
                            break
                        except SQLAlchemyError:
                            # two processes creating the same table at once: one of them gets
                            # a unique violation in the catalog; the table exists after it
                            if attempt == 2:
                                raise
                    self._ready = True

    def _begin(self) -> Any:
        self.prepare()
        return self.engine.begin()

    def _fast(self, conn: Any) -> None:
        if self._pg:
            conn.execute(text("SET LOCAL synchronous_commit TO OFF"))

    def take(self, key: str, now: float, interval: float, burst: float, n: int = 1) -> float:
        """Take ``n`` requests at once from ``key``'s bucket at ``now`` (epoch seconds): 0.0 if
        all ``n`` were granted (nothing is taken otherwise), else the seconds until one request
        would be. Requires ``interval > 0``, ``burst >= 1`` and ``1 <= n <= burst``."""
        tau = (burst - 1.0) * interval
        room = tau - (n - 1) * interval  # n at once: the bucket must hold n - 1 more than one
        m = self._max
        with self._begin() as conn:
            self._fast(conn)
            row = conn.execute(text(
                "INSERT INTO api_rate (key, tat) VALUES (:k, :now + :nt) "
                f"ON CONFLICT (key) DO UPDATE SET tat = {m}(api_rate.tat, :now) + :nt "
                f"WHERE {m}(api_rate.tat, :now) - :now <= :room RETURNING tat"
            ), {"k": key, "now": now, "nt": n * interval, "room": room}).first()  # fmt: skip
            if row is not None:
                return 0.0
            tat = conn.execute(text("SELECT tat FROM api_rate WHERE key = :k"), {"k": key}).scalar()
        return max(1e-3, float(tat or now) - now - tau)

    def publish(self, process: str, now: float, snapshot: str) -> None:
        """Replace ``process``'s metrics snapshot."""
        with self._begin() as conn:
            self._fast(conn)
            conn.execute(text(
                "INSERT INTO api_metrics (process, updated_at, snapshot) VALUES (:p, :now, :s) "
                "ON CONFLICT (process) DO UPDATE SET updated_at = :now, snapshot = :s"
            ), {"p": process, "now": now, "s": snapshot})  # fmt: skip

    def snapshots(self) -> list[str]:
        """Every process's latest metrics snapshot."""
        with self._begin() as conn:
            return [r[0] for r in conn.execute(text("SELECT snapshot FROM api_metrics"))]

    def dispose(self) -> None:
        if not self._pg:
            self.engine.dispose()
