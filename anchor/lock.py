"""Exactly one anchoring worker per database, however many service processes run.

On PostgreSQL the worker holds a session-level advisory lock (``pg_try_advisory_lock``) on a
connection it keeps open: the lock goes away with the connection, so a killed process never
leaves it behind, and a standby process takes over at its next pass. On SQLite (one host by
construction) an exclusive ``flock`` on ``<database>.anchor-lock`` does the same. The lock is
taken without waiting: a process that does not get it simply does not anchor.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from typing import IO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

#: The advisory lock key: the first 8 bytes of SHA-256("siteledger/anchor"), as a signed bigint.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"siteledger/anchor").digest()[:8], "big", signed=True)


class AnchorLock:
    """A non-blocking, process-wide lock on anchoring for one database."""

    def __init__(self, engine: Engine, key: int = LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """Take the lock if free, or confirm that we still hold it. Never waits."""
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            return self._acquire_pg()
        if dialect == "sqlite":
            return self._acquire_file()
        self._held = True  # no cross-process lock known for this database: one worker assumed
        return True

    def release(self) -> None:
        if self._conn is not None:
            try:
                if self._held:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                    self._conn.commit()
            except SQLAlchemyError:
                pass  # a broken connection released the lock with it
            finally:
                self._conn.close()
                self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._held = False

    def _acquire_pg(self) -> bool:
        if self._held and self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
                return True
            except SQLAlchemyError:
                self.release()  # the connection died, and the lock with it
        if self._conn is None:
            self._conn = self.engine.connect()
        got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
        self._held = bool(got.scalar())
        self._conn.commit()
        if not self._held:
            self._conn.close()
            self._conn = None
        return self._held

    def _acquire_file(self) -> bool:
        if self._held:
            return True
        database = self.engine.url.database
        if not database or database == ":memory:":
            self._held = True  # an in-memory database lives in one process
            return True
        path = os.path.abspath(database) + ".anchor-lock"
        f = open(path, "ab")  # noqa: SIM115 - held open for as long as the lock is held
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            return False
        self._file = f
        self._held = True
        return True

    def __enter__(self) -> AnchorLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
