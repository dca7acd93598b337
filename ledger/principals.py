"""Who may call the HTTP API: principals, their bearer tokens, and the log of personal-data reads.

An API principal is not a ledger signing key. A signing key says who *signed* a record and lives
in the log as a ``key`` record; a principal says who may *call* the API (post records someone
signed, read entries, read the identity vault) and lives only here, outside the log.

Tokens are 32 random bytes, shown once when issued and stored only as SHA-256, so a copy of the
database does not let anyone call the API. Every read of personal data (vault lookup, disclosure,
enrolment, erasure) and every access by an auditor or insurer is written to ``access_log`` in
its own transaction before the data is returned.

A token's row (its principal, expiry, revocation, the principal's disabling) is cached in the
process for ``cache_seconds`` (default ``AUTH_CACHE_SECONDS``, 1 s), keyed by the token's hash, so
that a busy caller costs one query a second per process instead of one a request. The expiry is
checked against the request's time on every use. A revocation or a disabling made through the
same ``Principals`` object takes effect at once; one made by another process (another HTTP
worker, the CLI) within ``cache_seconds``. Unknown tokens are never cached: a token just issued
by another process works at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Engine, insert, select, update

from ledger import db
from ledger.core.errors import LedgerError

ROLES: Final = ("admin", "contractor", "device", "auditor", "insurer", "worker")
TOKEN_PREFIX: Final = "slt_"
AUTH_CACHE_SECONDS: Final = 1.0
"""How long a process may answer from a token row it read: the bound on how late another
process's revocation or disabling takes effect here (docs/operations.md, "Tokens")."""
_AUTH_CACHE_MAX: Final = 10_000  # token rows held per process
_MAX_LIST = 1000


class PrincipalError(LedgerError):
    """A principal or token that cannot be created, found or used."""


class LastAdmin(PrincipalError):
    """Disabling this principal would leave no active admin."""


class TokenRejected(PrincipalError):
    """A bearer token that is unknown, expired, revoked, or whose principal is disabled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Principal:
    """An API caller. ``projects`` scopes contractors, devices, auditors and insurers (empty:
    every project, allowed for admin, auditor and insurer only); ``subject`` binds a worker."""

    principal_id: str
    name: str
    role: str
    projects: frozenset[str]
    subject: str | None
    created_at: datetime
    disabled_at: datetime | None = None

    def covers(self, project: str | None) -> bool:
        """True if this principal's project scope includes ``project``."""
        if self.role == "admin" or (not self.projects and self.role in ("auditor", "insurer")):
            return True
        return project is not None and project in self.projects


@dataclass(frozen=True, slots=True)
class Token:
    """A bearer token's metadata (never the token itself)."""

    token_id: str
    principal_id: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Access:
    """One line of the access log."""

    id: int
    at: datetime
    principal_id: str
    action: str
    subject: str | None
    project: str | None
    case_ref: str | None
    detail: str | None


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def check_scope(role: str, projects: frozenset[str], subject: str | None) -> None:
    """Raise PrincipalError unless ``projects`` and ``subject`` fit ``role``."""
    if role not in ROLES:
        raise PrincipalError(f"unknown role {role!r}, want one of {', '.join(ROLES)}")
    if role == "admin" and projects:
        raise PrincipalError("an admin principal is not scoped to projects")
    if role == "contractor" and not projects:
        raise PrincipalError("a contractor principal needs at least one project")
    if role == "device" and len(projects) != 1:
        raise PrincipalError("a device principal belongs to exactly one project")
    if role == "worker":
        if subject is None:
            raise PrincipalError("a worker principal needs the subject it is bound to")
    elif subject is not None:
        raise PrincipalError("only a worker principal is bound to a subject")


@dataclass(frozen=True, slots=True)
class _Cached:
    """A token row as read (``authenticate``), and when it was read (monotonic seconds)."""

    principal: Principal
    expires_at: int | None  # microseconds since the epoch (ledger.db.to_us)
    revoked: bool
    read_at: float


class Principals:
    """Principals, tokens and the access log on one database (tables in ``ledger.db``).

    ``cache_seconds`` bounds how long ``authenticate`` answers from a token row it read before
    (0: a query every time); ``monotonic`` is its clock (tests move it).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        cache_seconds: float = AUTH_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._cache: dict[bytes, _Cached] = {}
        self._cache_lock = threading.Lock()
        self._generation = 0  # bumped by forget_tokens: a read begun before is not cached
        self.token_reads = 0  # token rows read from the database (for tests and benchmarks)

    def forget_tokens(self) -> None:
        """Drop every cached token row: the next use of any token reads it again."""
        with self._cache_lock:
            self._cache.clear()
            self._generation += 1

    # ------------------------------------------------------------------ principals

    def create(
        self,
        name: str,
        role: str,
        now: datetime,
        *,
        projects: frozenset[str] | set[str] | tuple[str, ...] = frozenset(),
        subject: str | None = None,
    ) -> Principal:
        scope = frozenset(projects)
        check_scope(role, scope, subject)
        if not name.strip() or len(name) > 128:
            raise PrincipalError("a principal needs a name of 1..128 characters")
        p = Principal("pr-" + secrets.token_hex(8), name, role, scope, subject, now)
        with self.engine.begin() as conn:
            conn.execute(
                insert(db.api_principals).values(
                    principal_id=p.principal_id, name=name, role=role,
                    projects=" ".join(sorted(scope)), subject=subject, created_at=db.to_us(now),
                )
            )  # fmt: skip
        return p

    def get(self, principal_id: str) -> Principal | None:
        t = db.api_principals
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.principal_id == principal_id)).first()
        return _principal(row) if row else None

    def all(self, *, after: str = "", limit: int = _MAX_LIST) -> list[Principal]:
        t = db.api_principals
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t).where(t.c.principal_id > after).order_by(t.c.principal_id).limit(limit)
            ).all()
        return [_principal(r) for r in rows]

    def disable(self, principal_id: str, now: datetime) -> Principal:
        """Disable a principal: every token of it stops working at once.

        The last active admin cannot be disabled (``LastAdmin``), by itself or by anyone: the
        API would have no principal left to manage principals. The active admins are locked
        for the check (FOR UPDATE; SQLite: BEGIN IMMEDIATE), so two admins disabling each other
        at the same moment cannot both succeed. Roles never change, so an admin cannot be
        demoted either; create another admin first, then disable this one.
        """
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                self._disable(conn, principal_id, now)
        self.forget_tokens()  # this process stops accepting its tokens at once
        p = self.get(principal_id)
        assert p is not None
        return p

    def _disable(self, conn: Any, principal_id: str, now: datetime) -> None:
        t = db.api_principals
        row = conn.execute(select(t).where(t.c.principal_id == principal_id)).first()
        if row is None:
            raise PrincipalError(f"no principal {principal_id}")
        if row.disabled_at is not None:
            return
        if row.role == "admin":
            admins = conn.execute(
                select(t.c.principal_id)
                .where(t.c.role == "admin", t.c.disabled_at.is_(None))
                .with_for_update()
            ).scalars().all()
            if admins == [principal_id]:
                raise LastAdmin(
                    f"{principal_id} is the last active admin; create another admin "
                    "before disabling it"
                )
        conn.execute(
            update(t).where(t.c.principal_id == principal_id).values(disabled_at=db.to_us(now))
        )

    # ------------------------------------------------------------------ tokens

    def issue_token(
        self,
        principal_id: str,
        now: datetime,
        *,
        expires_at: datetime | None = None,
        label: str | None = None,
    ) -> tuple[Token, str]:
        """A new bearer token for ``principal_id``: (metadata, the token text, shown only now)."""
        p = self.get(principal_id)
        if p is None:
            raise PrincipalError(f"no principal {principal_id}")
        if p.disabled_at is not None:
            raise PrincipalError(f"principal {principal_id} is disabled")
        if expires_at is not None and expires_at <= now:
            raise PrincipalError("a token must expire in the future")
        secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        text = TOKEN_PREFIX + secret
        digest = hash_token(text)
        token = Token(digest[:8].hex(), principal_id, label, now, expires_at, None)
        with self.engine.begin() as conn:
            conn.execute(
                insert(db.api_tokens).values(
                    token_id=token.token_id, token_hash=digest, principal_id=principal_id,
                    label=label, created_at=db.to_us(now),
                    expires_at=db.to_us(expires_at) if expires_at else None,
                )
            )  # fmt: skip
        return token, text

    def tokens(self, principal_id: str) -> list[Token]:
        t = db.api_tokens
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t).where(t.c.principal_id == principal_id).order_by(t.c.created_at)
            ).all()
        return [_token(r) for r in rows]

    def token(self, token_id: str) -> Token | None:
        t = db.api_tokens
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.token_id == token_id)).first()
        return _token(row) if row else None

    def revoke_token(self, token_id: str, now: datetime) -> Token:
        t = db.api_tokens
        with self.engine.begin() as conn:
            row = conn.execute(select(t).where(t.c.token_id == token_id)).first()
            if row is None:
                raise PrincipalError(f"no token {token_id}")
            if row.revoked_at is None:
                conn.execute(
                    update(t).where(t.c.token_id == token_id).values(revoked_at=db.to_us(now))
                )
        self.forget_tokens()
        tok = self.token(token_id)
        assert tok is not None
        return tok

    def authenticate(self, text: str, now: datetime) -> Principal:
        """The principal a bearer token belongs to; raises TokenRejected saying why not.

        Answers from the token row read within the last ``cache_seconds`` when there is one
        (module docstring); the expiry is always checked against ``now``.
        """
        if not text.startswith(TOKEN_PREFIX) or len(text) > 128:
            raise TokenRejected("not a siteledger token")
        digest = hash_token(text)
        cached = self._cache.get(digest)
        if cached is None or self._monotonic() - cached.read_at >= self.cache_seconds:
            cached = self._read_token(digest)
        if cached.revoked:
            raise TokenRejected("the token was revoked")
        if cached.expires_at is not None and db.to_us(now) >= cached.expires_at:
            raise TokenRejected("the token has expired")
        if cached.principal.disabled_at is not None:
            raise TokenRejected("the principal was disabled")
        return cached.principal

    def _read_token(self, digest: bytes) -> _Cached:
        t, p = db.api_tokens, db.api_principals
        read_at = self._monotonic()  # before the read: a row is never trusted past its age
        generation = self._generation
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.c.token_hash, t.c.expires_at, t.c.revoked_at, p)
                .join(p, p.c.principal_id == t.c.principal_id)
                .where(t.c.token_hash == digest)
            ).first()
        self.token_reads += 1
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            raise TokenRejected("unknown token")
        cached = _Cached(_principal(row), row.expires_at, row.revoked_at is not None, read_at)
        if self.cache_seconds > 0:
            with self._cache_lock:
                if generation != self._generation:
                    return cached  # revoked or disabled here meanwhile: use once, keep nothing
                if len(self._cache) >= _AUTH_CACHE_MAX:
                    self._cache.pop(next(iter(self._cache)))  # the oldest read
                self._cache.pop(digest, None)
                self._cache[digest] = cached
        return cached

    # ------------------------------------------------------------------ access log

    def log_access(
        self,
        principal: Principal,
        action: str,
        now: datetime,
        *,
        subject: str | None = None,
        project: str | None = None,
        case_ref: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Write one access-log line and commit it before the caller returns any data."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(db.access_log).values(
                    at=db.to_us(now), principal_id=principal.principal_id, action=action,
                    subject=subject, project=project, case_ref=case_ref,
                    detail=detail[:1000] if detail else None,
                )
            )  # fmt: skip

    def access_log(
        self, *, subject: str | None = None, after_id: int = 0, limit: int = 100
    ) -> list[Access]:
        t = db.access_log
        q = select(t).where(t.c.id > after_id)
        if subject is not None:
            q = q.where(t.c.subject == subject)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(t.c.id).limit(limit)).all()
        return [
            Access(r.id, db.from_us(r.at), r.principal_id, r.action, r.subject, r.project,
                   r.case_ref, r.detail)
            for r in rows
        ]  # fmt: skip


def _principal(r: Any) -> Principal:
    return Principal(
        principal_id=r.principal_id,
        name=r.name,
        role=r.role,
        projects=frozenset(r.projects.split()),
        subject=r.subject,
        created_at=db.from_us(r.created_at),
        disabled_at=db.from_us(r.disabled_at) if r.disabled_at is not None else None,
    )


def _token(r: Any) -> Token:
    return Token(
        token_id=r.token_id,
        principal_id=r.principal_id,
        label=r.label,
        created_at=db.from_us(r.created_at),
        expires_at=db.from_us(r.expires_at) if r.expires_at is not None else None,
        revoked_at=db.from_us(r.revoked_at) if r.revoked_at is not None else None,
    )
