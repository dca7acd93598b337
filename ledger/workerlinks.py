"""Worker page enrollment: one-time codes, the keys they register, and session challenges.

A contractor makes a **one-time enrollment code** for one of its workers (``create``); the code
travels to the worker as a link or a printed QR code and is stored here only as its SHA-256. The
worker's browser makes an Ed25519 key and **redeems** the code with the public key (``redeem``):
the code is spent at once, whatever happens next, and the request waits for the contractor. The
contractor **approves** it (the API then logs the worker's ``key`` record, signed by the operator
root key, and records its seq here with ``approve``) or **rejects** it. An approved key then
signs single-use **challenges** (``challenge`` / ``spend_challenge``) to get short-lived session
tokens of a worker principal (``ledger.principals``).

Nothing here is ledger data: the key registration that matters is the ``key`` record in the log,
which every proof carries. This is the workflow around it (docs/worker-page.md).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Engine, and_, insert, select, update

from ledger import db
from ledger.core.errors import LedgerError
from ledger.core.keys import key_id as key_id_of

CODE_PREFIX: Final = "slw_"
CODE_BYTES: Final = 15  # 120 bits: 24 base32 characters, short enough for a QR code
DEFAULT_TTL: Final = timedelta(hours=24)
MAX_TTL: Final = timedelta(days=7)
MIN_TTL: Final = timedelta(minutes=5)
CHALLENGE_TTL: Final = timedelta(minutes=2)
STATES: Final = ("open", "pending", "approved", "rejected")
_MAX_LIST = 1000


class LinkError(LedgerError):
    """A code, request or challenge that cannot be used. ``code`` is the API problem code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Link:
    """One enrollment code and what became of it (never the code itself)."""

    link_id: str
    project: str
    subject: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    state: str
    redeemed_at: datetime | None = None
    public_key: bytes | None = None
    key_id: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    key_seq: int | None = None
    principal_id: str | None = None


def hash_code(code: str) -> bytes:
    return hashlib.sha256(code.encode("utf-8")).digest()


def _new_code() -> str:
    return CODE_PREFIX + base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().lower()


class WorkerLinks:
    """Enrollment codes and session challenges on one database (tables in ``ledger.db``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A transaction that reads and then writes: on SQLite it takes the write lock first
        (BEGIN IMMEDIATE), so two of them queue instead of deadlocking on the lock upgrade."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ codes

    def create(
        self, project: str, subject: str, created_by: str, now: datetime,
        ttl: timedelta = DEFAULT_TTL,
    ) -> tuple[Link, str]:  # fmt: skip
        """A new code for ``subject`` on ``project``: (the link, the code text, shown only now).

        Requires ``MIN_TTL <= ttl <= MAX_TTL``; the caller has checked that ``created_by`` may
        see the worker."""
        if not MIN_TTL <= ttl <= MAX_TTL:
            raise LinkError("invalid-body", f"a code lives {MIN_TTL} to {MAX_TTL}, not {ttl}")
        code = _new_code()
        link = Link("wl-" + secrets.token_hex(8), project, subject, created_by, now, now + ttl,
                    "open")  # fmt: skip
        with self.engine.begin() as conn:
            conn.execute(insert(db.worker_links).values(
                link_id=link.link_id, code_hash=hash_code(code), project=project, subject=subject,
                created_by=created_by, created_at=db.to_us(now), expires_at=db.to_us(now + ttl),
                state="open",
            ))  # fmt: skip
        return link, code

    def redeem(self, code: str, public_key: bytes, now: datetime) -> Link:
        """Spend ``code`` for ``public_key``; the request then waits for the contractor.

        Raises LinkError ``link-code-unknown`` (no such code), ``link-code-expired``,
        ``link-code-used`` (redeemed before: a code is spent once, by whoever comes first) or
        ``key-in-use`` (this public key already redeemed a code). The check and the spending
        are one conditional UPDATE, so two browsers racing with one code cannot both win."""
        kid = key_id_of(public_key)
        t = db.worker_links
        digest = hash_code(code)
        with self._write() as conn:
            row = conn.execute(select(t).where(t.c.code_hash == digest)).first()
            if row is None:
                raise LinkError("link-code-unknown", "no such enrollment code")
            if row.state != "open":
                raise LinkError("link-code-used", "this enrollment code was already used; ask "
                                                  "the contractor for a new one")  # fmt: skip
            if db.to_us(now) >= row.expires_at:
                raise LinkError("link-code-expired", "this enrollment code expired at "
                                f"{db.from_us(row.expires_at).isoformat()}; ask for a new one")
            if conn.execute(select(t.c.link_id).where(t.c.key_id == kid)).first() is not None:
                raise LinkError("key-in-use", f"key {kid} already redeemed an enrollment code")
            done = conn.execute(
                update(t)
                .where(and_(t.c.code_hash == digest, t.c.state == "open"))
                .values(state="pending", redeemed_at=db.to_us(now), public_key=public_key,
                        key_id=kid)  # fmt: skip
            )
            if done.rowcount != 1:
                raise LinkError("link-code-used", "this enrollment code was already used")
        link = self.get(row.link_id)
        assert link is not None
        return link

    def get(self, link_id: str) -> Link | None:
        t = db.worker_links
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.link_id == link_id)).first()
        return _link(row) if row else None

    def by_key(self, key_id: str) -> Link | None:
        t = db.worker_links
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.key_id == key_id)).first()
        return _link(row) if row else None

    def list(
        self, projects: frozenset[str] | None, *, state: str | None = None,
        subject: str | None = None, limit: int = 100,
    ) -> list[Link]:  # fmt: skip
        """Links of ``projects`` (None: every project), newest first."""
        t = db.worker_links
        q = select(t)
        if projects is not None:
            q = q.where(t.c.project.in_(sorted(projects)))
        if state is not None:
            q = q.where(t.c.state == state)
        if subject is not None:
            q = q.where(t.c.subject == subject)
        with self.engine.connect() as conn:
            rows = conn.execute(
                q.order_by(t.c.created_at.desc()).limit(min(limit, _MAX_LIST))
            ).all()
        return [_link(r) for r in rows]

    def approve(self, link_id: str, by: str, now: datetime, key_seq: int,
                principal_id: str) -> Link:  # fmt: skip
        """Mark a pending request approved, with its key record's seq and worker principal."""
        return self._decide(link_id, "approved", by, now, key_seq=key_seq,
                            principal_id=principal_id)  # fmt: skip

    def reject(self, link_id: str, by: str, now: datetime) -> Link:
        return self._decide(link_id, "rejected", by, now)

    def _decide(self, link_id: str, state: str, by: str, now: datetime, **values: Any) -> Link:
        t = db.worker_links
        with self._write() as conn:
            done = conn.execute(
                update(t).where(and_(t.c.link_id == link_id, t.c.state == "pending"))
                .values(state=state, decided_by=by, decided_at=db.to_us(now), **values)
            )  # fmt: skip
        link = self.get(link_id)
        if link is None:
            raise LinkError("not-found", f"no enrollment request {link_id}")
        if done.rowcount != 1:
            raise LinkError("conflict-state", f"request {link_id} is {link.state}, not pending")
        return link

    # ------------------------------------------------------------------ session challenges

    def challenge(self, key_id: str, now: datetime) -> tuple[bytes, datetime]:
        """A new single-use challenge for ``key_id``: (32 random bytes, when it expires)."""
        value = secrets.token_bytes(32)
        expires = now + CHALLENGE_TTL
        with self._write() as conn:
            conn.execute(insert(db.worker_challenges).values(
                challenge=value, key_id=key_id, expires_at=db.to_us(expires),
            ))  # fmt: skip
        return value, expires

    def spend_challenge(self, value: bytes, key_id: str, now: datetime) -> None:
        """Use a challenge once; raises LinkError ``challenge-invalid`` saying why not."""
        t = db.worker_challenges
        with self._write() as conn:
            row = conn.execute(select(t).where(t.c.challenge == value)).first()
            if row is None or row.key_id != key_id:
                raise LinkError("challenge-invalid", "no such challenge for this key")
            if row.used_at is not None:
                raise LinkError("challenge-invalid", "the challenge was already used")
            if db.to_us(now) >= row.expires_at:
                raise LinkError("challenge-invalid", "the challenge expired; ask for a new one")
            done = conn.execute(
                update(t).where(and_(t.c.challenge == value, t.c.used_at.is_(None)))
                .values(used_at=db.to_us(now))
            )  # fmt: skip
            if done.rowcount != 1:
                raise LinkError("challenge-invalid", "the challenge was already used")
            # expired challenges are of no use to anyone: drop them while we hold the row lock
            conn.execute(t.delete().where(t.c.expires_at < db.to_us(now - CHALLENGE_TTL)))


def _opt(us: int | None) -> datetime | None:
    return db.from_us(us) if us is not None else None


def _link(r: Any) -> Link:
    return Link(
        link_id=r.link_id, project=r.project, subject=r.subject, created_by=r.created_by,
        created_at=db.from_us(r.created_at), expires_at=db.from_us(r.expires_at), state=r.state,
        redeemed_at=_opt(r.redeemed_at),
        public_key=bytes(r.public_key) if r.public_key is not None else None, key_id=r.key_id,
        decided_by=r.decided_by, decided_at=_opt(r.decided_at), key_seq=r.key_seq,
        principal_id=r.principal_id,
    )  # fmt: skip
