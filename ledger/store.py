"""The append-only store: checks records, gives them their place in the log, serves them back.

An append runs in one database transaction that holds the ``log_head`` row lock, so sequence
numbers are gap-free and subject chains consistent even with several processes on one
PostgreSQL database. A bulk append returns one result per record; a rejected record does not
stop the others. Nothing is returned as accepted before the transaction commits, so every
receipt the store hands out is for a durable entry.
"""

from __future__ import annotations

import contextvars
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from nacl.bindings import crypto_sign, crypto_sign_open
from nacl.exceptions import BadSignatureError
from sqlalchemy import Connection, Engine, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ledger import db, packing
from ledger.core import FORMAT_VERSION
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.entry import Entry, Receipt, SignedRecord
from ledger.core.errors import (
    AuthorisationError,
    EncodingError,
    LedgerError,
    RecordRejected,
    SignatureError,
    StoreError,
)
from ledger.core.keys import RECORD_TAG, SigningKey, VerifyKey, key_id, signing_input
from ledger.core.merkle import hash_leaf
from ledger.core.policy import (
    Grant,
    authorise,
    authorise_revocation,
    verify_ack_in_window,
    verify_received_in_time,
)
from ledger.core.records import (
    DEFAULT_SYNC_ALLOWANCE_DAYS,
    AckRecord,
    ApprovalRecord,
    AttendanceRecord,
    CorrectionRecord,
    EnrollmentRecord,
    ExitRecord,
    KeyRecord,
    OrgRecord,
    PaymentRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
    TrainingRecord,
    WageRecord,
    record_from_json,
)
from ledger.core.times import offset_timezone, utc_now
from ledger.groupcommit import GroupCommit

DEFAULT_SKEW = timedelta(minutes=5)
MAX_BULK = 10_000


@dataclass(frozen=True, slots=True)
class AppendResult:
    """The outcome for one submitted record, in submission order."""

    status: str  # "accepted" | "duplicate" | "rejected"
    seq: int | None = None
    leaf_hash: bytes | None = None
    receipt: Receipt | None = None
    code: str | None = None  # for rejected: RecordRejected codes, or malformed / bad-signature
    message: str | None = None
    field: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


@dataclass(frozen=True, slots=True)
class StoredEntry:
    entry: Entry
    leaf_hash: bytes

    @property
    def seq(self) -> int:
        return self.entry.seq


WITNESS_STATUSES = ("witnessed", "unwitnessed")
MAX_WITNESSES = 256
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class BatchWitnesses:
    """The witness quorum a batch was anchored with (``docs/witnesses.md``), or its absence.

    ``witnessed``: ``bitmap`` (bit i = member i of ``witness_set``) names at least the set's
    threshold, ``signature`` is their 96-byte aggregate BLS signature, ``reason`` is None.
    ``unwitnessed`` (anchored without a quorum under the timeout policy): ``bitmap`` and
    ``signature`` are None and ``reason`` says why. ``witness_set`` is the registry's set as
    JSON (``{"threshold", "witnesses": [{"name", "public_key", "pop"}]}``, hex lowercase);
    ``registry`` is the address of the contract the batch is anchored in. The shape is checked
    here; the BLS signatures are checked by the verifier (``verifier.witnesses``).
    """

    batch_no: int
    registry: str
    status: str
    witness_set: dict[str, Any]
    bitmap: int | None = None
    signature: bytes | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if type(self.batch_no) is not int or not 0 <= self.batch_no < 2**63:
            raise StoreError("batch_witnesses.batch_no: must be an integer from 0 to 2^63 - 1")
        r = self.registry
        if not (isinstance(r, str) and len(r) == 42 and r.startswith("0x")
                and set(r[2:].lower()) <= _HEX):  # fmt: skip
            raise StoreError("batch_witnesses.registry: must be 0x followed by 40 hex digits")
        n, threshold = _check_witness_set(self.witness_set)
        if self.status == "witnessed":
            b = self.bitmap
            if type(b) is not int or b <= 0 or b >> n:
                raise StoreError(
                    f"batch_witnesses.bitmap: must name 1 or more of the {n} witnesses and no other index"
                )
            if b.bit_count() < threshold:
                raise StoreError(
                    f"batch_witnesses.bitmap: names {b.bit_count()} witnesses, the threshold is {threshold}"
                )
            if not isinstance(self.signature, bytes) or len(self.signature) != 96:
                raise StoreError("batch_witnesses.signature: must be 96 bytes")
            if self.reason is not None:
                raise StoreError("batch_witnesses.reason: must be None for a witnessed batch")
        elif self.status == "unwitnessed":
            if self.bitmap is not None or self.signature is not None:
                raise StoreError(
                    "batch_witnesses.bitmap/signature: must be None for an unwitnessed batch"
                )
            if not isinstance(self.reason, str) or not 1 <= len(self.reason) <= 2000:
                raise StoreError("batch_witnesses.reason: must be a string of 1 to 2000 characters")
        else:
            raise StoreError("batch_witnesses.status: must be 'witnessed' or 'unwitnessed'")

    def witness_set_json(self) -> str:
        """The set as canonical JSON (RFC 8785), as stored."""
        return canonical_bytes(self.witness_set).decode()


def _check_witness_set(ws: Any) -> tuple[int, int]:
    """(n, threshold) of a witness set in its JSON form; raise StoreError naming the field."""
    where = "batch_witnesses.witness_set"
    if not isinstance(ws, dict) or set(ws) != {"threshold", "witnesses"}:
        raise StoreError(f"{where}: must be an object with exactly threshold and witnesses")
    items = ws["witnesses"]
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_WITNESSES:
        raise StoreError(f"{where}.witnesses: must be a list of 1 to {MAX_WITNESSES} witnesses")
    keys = set()
    for i, m in enumerate(items):
        at = f"{where}.witnesses[{i}]"
        if not isinstance(m, dict) or set(m) != {"name", "public_key", "pop"}:
            raise StoreError(f"{at}: must be an object with exactly name, public_key and pop")
        if not isinstance(m["name"], str) or not 1 <= len(m["name"]) <= 128:
            raise StoreError(f"{at}.name: must be a string of 1 to 128 characters")
        for field_, size in (("public_key", 48), ("pop", 96)):
            v = m[field_]
            if not isinstance(v, str) or len(v) != 2 * size or not set(v) <= _HEX:
                raise StoreError(f"{at}.{field_}: must be {size} bytes of lowercase hex")
        keys.add(m["public_key"])
    if len(keys) != len(items):
        raise StoreError(f"{where}.witnesses: a public key appears twice")
    t = ws["threshold"]
    if type(t) is not int or not 1 <= t <= len(items):
        raise StoreError(f"{where}.threshold: must be an integer from 1 to {len(items)}")
    return len(items), t


@dataclass(slots=True)
class _Registry:
    """Keys, projects and orgs, cached per process and reloaded when ``registry_version`` moves."""

    version: int = -1
    grants: dict[str, Grant] = field(default_factory=dict)
    projects: dict[str, timezone] = field(default_factory=dict)  # project -> its time zone
    allowances: dict[str, int] = field(default_factory=dict)  # project -> sync allowance, days
    orgs: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # -> team codes


def _rejected(exc: LedgerError) -> AppendResult:
    if isinstance(exc, RecordRejected):
        return AppendResult("rejected", code=exc.code, message=exc.reason, field=exc.field)
    if isinstance(exc, EncodingError):
        return AppendResult("rejected", code="malformed", message=exc.reason, field=exc.field)
    if isinstance(exc, SignatureError):
        return AppendResult("rejected", code="bad-signature", message=str(exc), field="sig")
    if isinstance(exc, AuthorisationError):
        return AppendResult("rejected", code="unauthorised", message=str(exc), field="signer")
    return AppendResult("rejected", code="rejected", message=str(exc))


@dataclass(eq=False, slots=True)
class _AppendJob:
    """One caller's decoded records, waiting for a group's transaction."""

    parsed: list[tuple[int, SignedRecord]]
    results: list[AppendResult | None]
    verified: set[int]
    accepted: list[tuple[int, Entry, bytes]] = field(default_factory=list)


class Store:
    """The ledger's append-only log on one database.

    ``append`` may be called from many threads at once: appends that arrive while another is
    being written share the next transaction (``ledger.groupcommit``).
    """

    def __init__(
        self,
        engine: Engine,
        operator_key: SigningKey,
        *,
        skew: timedelta = DEFAULT_SKEW,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.operator_key = operator_key
        self.skew = skew
        self.clock = clock
        self._registry = _Registry()
        self._sqlite = engine.dialect.name == "sqlite"
        # the driver's own unique-violation error (raised by statements run on its cursor)
        self._dbapi_integrity: type[Exception] = engine.dialect.loaded_dbapi.IntegrityError
        self._group: GroupCommit[_AppendJob] = GroupCommit(self._append_group, MAX_BULK)

    # ------------------------------------------------------------------ setup

    def create_schema(self) -> None:
        """Create every table (tests and ``siteledger init``; deployments use ``db upgrade``)."""
        db.metadata.create_all(self.engine)
        self.ensure_head()

    def ensure_head(self) -> None:
        with self._write() as conn:
            if conn.execute(select(db.log_head.c.id)).first() is None:
                conn.execute(insert(db.log_head).values(id=1, next_seq=0, registry_version=0))

    def warm(self, connections: int) -> None:
        """Do now what the first appends would do on their way, in a server process about to
        take requests: open ``connections`` pooled connections at once (each reads the log
        head, so the dialect and the statement cache are set up too) and load the registry of
        keys and projects that signatures are checked with.

        A worker that skips this answers its first requests 30 ms late or more, each waiting
        for a connection to open and the registry to load, and at hundreds of requests a second
        the queue behind them takes a few hundred milliseconds to drain
        (``docs/benchmarks.md``, "A worker's first requests")."""
        opened = []
        try:
            for _ in range(max(1, connections)):
                conn = self.engine.connect()
                opened.append(conn)
                conn.execute(select(db.log_head.c.next_seq).where(db.log_head.c.id == 1))
                conn.rollback()
        finally:
            for conn in opened:
                conn.close()
        self._registry_snapshot()

    def _write(self) -> Any:
        """A transaction that holds the write lock (SQLite: BEGIN IMMEDIATE)."""
        conn = self.engine.connect()
        if self._sqlite:
            conn = conn.execution_options(sqlite_immediate=True)
        return _Tx(conn)

    def _read(self) -> Any:
        bound = _READING.get()
        if bound is not None and bound[0] is self:
            return _Shared(bound[1])
        return _Tx(self.engine.connect())

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Every read of this store in this thread (or task) inside the block uses one
        connection and one read transaction, ended when the block ends.

        A proof bundle makes a dozen small reads; each on its own pooled connection would add a
        pre-ping, BEGIN and ROLLBACK round trip (on PostgreSQL, about 100 round trips a bundle
        instead of a dozen). Reads need no transaction of their own: under READ COMMITTED each
        statement sees what was committed before it, and SQLite's read transaction gives the
        block one snapshot. Writes (``_write``) still take a connection of their own. Nested
        blocks share the outer one.
        """
        bound = _READING.get()
        if bound is not None and bound[0] is self:
            yield bound[1]
            return
        conn = self.engine.connect()
        token = _READING.set((self, conn))
        try:
            yield conn
        finally:
            _READING.reset(token)
            try:
                conn.rollback()
            finally:
                conn.close()

    def genesis(
        self, root_key: SigningKey, holder: str = "operator", valid_from: datetime | None = None
    ) -> AppendResult:
        """Append the root key's self-signed registration as seq 0 of an empty log.

        ``valid_from`` may lie in the past when an operator imports records signed before the
        ledger existed; it defaults to now.
        """
        now = self.clock()
        rec = KeyRecord(
            id="genesis",
            signer=root_key.key_id,
            time=now,
            action="register",
            public_key=root_key.verify_key.public,
            holder=holder,
            roles=("operator",),
            projects=(),
            valid_from=valid_from or now,
        )
        return self.append([SignedRecord.sign(rec, root_key)], genesis=True)[0]

    # ------------------------------------------------------------------ append

    def append(self, items: Sequence[Any], *, genesis: bool = False) -> list[AppendResult]:
        """Append signed records (SignedRecord, JSON objects or bytes); one result per item.

        Raises StoreError only when the database itself fails, in which case nothing of the
        bulk was written.
        """
        if len(items) > MAX_BULK:
            raise StoreError(f"{len(items)} records in one append, limit {MAX_BULK}")
        results: list[AppendResult | None] = [None] * len(items)
        accepted: list[tuple[int, Entry, bytes]] = []
        try:
            parsed, verified = self._parse_and_verify(items, results)
            if parsed and genesis:
                accepted = self._write_bulk(parsed, results, verified, genesis)
            elif parsed:  # with the appends of other threads, in one transaction
                job = _AppendJob(parsed, results, verified)
                self._group.submit(job, len(parsed))
                accepted = job.accepted
        except LedgerError:
            self._registry = _Registry()  # it may hold changes that were rolled back
            raise
        except Exception as exc:  # the database failed: the transaction rolled back
            self._registry = _Registry()
            raise StoreError(f"database error, nothing was appended: {exc}") from exc
        # Committed: only now are receipts handed out.
        for (i, _, _), receipt in zip(accepted, self._receipts(accepted), strict=True):
            results[i] = AppendResult("accepted", receipt.seq, receipt.leaf_hash, receipt)
        return [r if r is not None else AppendResult("rejected", code="rejected") for r in results]

    def _append_group(self, jobs: list[_AppendJob]) -> None:
        """One write transaction for the appends of one group (``ledger.groupcommit``): the
        jobs' records as one bulk, in queue order; each job gets back its own results."""
        try:
            if len(jobs) == 1:
                j = jobs[0]
                j.accepted = self._write_bulk(j.parsed, j.results, j.verified, False)
                return
            parsed: list[tuple[int, SignedRecord]] = []
            results: list[AppendResult | None] = []
            verified: set[int] = set()
            offsets = []
            for j in jobs:
                off = len(results)
                offsets.append(off)
                parsed += [(off + i, s) for i, s in j.parsed]
                results += j.results
                verified |= {off + i for i in j.verified}
            accepted = self._write_bulk(parsed, results, verified, False)
        except LedgerError:
            raise
        except Exception as exc:  # the database failed: the transaction rolled back
            raise StoreError(f"database error, nothing was appended: {exc}") from exc
        for j, off in zip(jobs, offsets, strict=True):
            end = off + len(j.results)
            j.results[:] = results[off:end]
            j.accepted = [(i - off, e, leaf) for i, e, leaf in accepted if off <= i < end]

    def _write_bulk(
        self,
        parsed: list[tuple[int, SignedRecord]],
        results: list[AppendResult | None],
        verified: set[int],
        genesis: bool,
    ) -> list[tuple[int, Entry, bytes]]:
        """One write transaction for a bulk; the entries accepted, once committed.

        A bulk is first tried without reading which of its (signer, id) pairs are already
        logged: almost every bulk holds new records only, and that read (one index probe per
        record, plus the bodies of the matches) is a large share of the database's work per
        record. The attempt commits only if every record is accepted; the unique index on
        (signer, record_id) refuses the insert of a record that is already logged. If a record
        is refused by any check, or the insert hits a unique index, the attempt is rolled back
        and the bulk runs again the way it always did, reading the logged records first, so
        duplicates, conflicts and rejections get exactly the results they always got, and
        nothing of the first attempt remains. On PostgreSQL a bulk of up to ``db.SCRIPTED_ROWS``
        records asks ``db.lock_log`` instead whether any may be logged: if none is, a record
        its checks refuse is refused in the first attempt, and the rest are written there.
        """
        tx = self._write()
        tx.close = False  # both attempts on one connection
        try:
            if not genesis:
                before = list(results)
                try:
                    with tx as conn:
                        return self._append_locked(conn, parsed, results, verified, False, False)
                except (_Recheck, IntegrityError, self._dbapi_integrity):
                    results[:] = before
                    self._registry = _Registry()  # it may hold the rolled-back attempt's changes
            with tx as conn:
                return self._append_locked(conn, parsed, results, verified, genesis, True)
        finally:
            tx.conn.close()

    def _parse_and_verify(
        self, items: Sequence[Any], results: list[AppendResult | None]
    ) -> tuple[list[tuple[int, SignedRecord]], set[int]]:
        """Decode every item and check the signatures of those whose key is already known.

        Runs before the write lock is taken. Signature checks go to a thread pool chunk by chunk
        while decoding goes on (libsodium releases the GIL), so both cores work on one bulk. A
        key id is the hash of its public key, so a cached public key is never stale; keys
        registered since the cache was filled are checked under the lock.
        """
        reg = self._registry_snapshot()
        parsed: list[tuple[int, SignedRecord]] = []
        futures = []
        chunk: list[tuple[int, bytes, bytes, bytes]] = []  # position, public key, signed, sig
        for i, item in enumerate(items):
            try:
                signed = _parse(item)
            except LedgerError as exc:
                results[i] = _rejected(exc)
                continue
            parsed.append((i, signed))
            grant = reg.grants.get(signed.record.signer)
            if grant is not None:
                chunk.append((i, grant.public_key, signed.canonical, signed.sig))
                if len(chunk) == _CHUNK:
                    futures.append(_pool().submit(_verify_chunk, chunk))
                    chunk = []
        done = [_verify_chunk(chunk)] + [f.result() for f in futures]
        verified: set[int] = set()
        for outcome in done:
            for i, public_key, ok in outcome:
                if ok:
                    verified.add(i)
                else:
                    results[i] = AppendResult(
                        "rejected",
                        code="bad-signature",
                        message=f"signature does not verify under key {key_id(public_key)}",
                        field="sig",
                    )
        return parsed, verified

    def _receipts(self, accepted: list[tuple[int, Entry, bytes]]) -> list[Receipt]:
        """Sign the receipts of committed entries, in parallel for large bulks."""
        log = self.operator_key.key_id
        unsigned = [Receipt(e.seq, leaf, e.received_at, log, v=e.v) for _, e, leaf in accepted]
        secret = self.operator_key.seed + self.operator_key.verify_key.public
        if len(unsigned) < 2 * _CHUNK:
            return _sign_chunk(unsigned, secret)
        parts = [unsigned[k : k + _CHUNK] for k in range(0, len(unsigned), _CHUNK)]
        return [r for part in _pool().map(_sign_chunk, parts, [secret] * len(parts)) for r in part]

    def _registry_snapshot(self) -> _Registry:
        """The registry to check signatures with before the lock: the cached one as it is, once
        there is one (a round trip fewer per append). It only lends public keys, which a key id
        pins (the id is their hash), so it is never wrong, at worst incomplete: a key it lacks
        is checked under the lock, where ``_append_locked`` authorises every record with the
        registry of the locked version."""
        if self._registry.version >= 0:
            return self._registry
        return self.current_registry()

    def current_registry(self) -> _Registry:
        """The registry as the log stands now: one read of its version, and a reload only if a
        writer (this process or another: every HTTP worker has its own ``Store``) changed it
        since. What a bundle needs: a key registered or revoked by another process must be in
        it (``_registry_snapshot``'s cache may predate them)."""
        with self._read() as conn:
            version = db.registry_version(conn)
            if version is None:
                return self._registry
            return self._load_registry(conn, version)

    def _append_locked(
        self,
        conn: Connection,
        parsed: list[tuple[int, SignedRecord]],
        results: list[AppendResult | None],
        verified: set[int],
        genesis: bool,
        lookup: bool,
    ) -> list[tuple[int, Entry, bytes]]:
        """Check and write ``parsed`` under the log lock. ``lookup`` False: the bulk is
        assumed to hold no logged record; any rejection raises _Recheck (``_write_bulk``),
        unless ``db.lock_log`` was asked and said that none is logged."""
        about = {(s.record.project_code, s.record.subject_id) for i, s in parsed
                 if results[i] is None and s.record.subject_id}  # fmt: skip
        subjects = list({subject for _, subject in about})
        pairs = [(p, s) for p, s in about if p is not None]
        # the first attempt asks whether a record may be logged already, where a write that
        # broke the unique index would put the records in the database's log (db.lock_log)
        check = [] if lookup else [(s.record.signer, s.record.id) for i, s in parsed
                                   if results[i] is None]  # fmt: skip
        next_seq, version, heads, enrolled, logged = db.lock_log(conn, subjects, pairs, check)
        if logged:
            raise _Recheck("some of the bulk's records may be logged already")
        # asked, and none is logged: a record the checks refuse is refused for good, with no
        # second attempt (the read would find nothing)
        final = lookup or logged is False
        if genesis and next_seq != 0:
            raise StoreError("the log already has a genesis record")
        if not genesis and next_seq == 0:
            raise StoreError("the log is empty: run `siteledger init` to write the genesis record")
        reg = self._load_registry(conn, version)
        now = self.clock()
        todo = [s for i, s in parsed if results[i] is None]
        state = _BulkState(self, conn, reg, todo, now, heads, enrolled, lookup)

        entry_rows: list[dict[str, Any]] = []
        accepted: list[tuple[int, Entry, bytes]] = []
        registry_changed = False
        for i, signed in parsed:
            if results[i] is not None:
                continue
            rec = signed.record
            dup = state.duplicate(signed)
            if dup is not None:
                results[i] = dup
                continue
            try:
                if rec.v != FORMAT_VERSION:
                    raise RecordRejected(
                        "unsupported-version",
                        f"the ledger appends only format version {FORMAT_VERSION} records; this "
                        f"one has version {rec.v} (version 1 records are still verified, but no "
                        "longer accepted)",
                        "record.v",
                    )
                if genesis:
                    grant = None
                else:
                    grant = state.grant(rec.signer)
                    if grant is None:
                        raise RecordRejected(
                            "unknown-key", f"no registered key {rec.signer}", "signer"
                        )
                    if i not in verified:
                        signed.verify(VerifyKey(grant.public_key))
                    authorise(grant, rec, next_seq)
                    verify_received_in_time(grant, rec, now, state.allowance(rec))
                self._check_time(rec, now)
                registry_changed |= state.check_and_apply(rec, grant, next_seq)
            except LedgerError as exc:
                if not final:  # maybe a logged record that the checks saw as new
                    raise _Recheck from exc
                results[i] = _rejected(exc)
                continue
            subject = rec.subject_id
            sseq, prev = state.subject_next(subject) if subject else (None, None)
            entry = Entry(next_seq, now, signed, sseq, prev)
            leaf, row = entry_row(entry)
            if subject:
                state.heads[subject] = (sseq + 1, leaf)  # type: ignore[operator]
            state.added(entry, leaf)
            entry_rows.append(row)
            accepted.append((i, entry, leaf))
            next_seq += 1
        if not entry_rows:
            return []
        state.write_registry_changes()
        new_heads = [(s, n, leaf) for s, (n, leaf) in state.heads.items()
                     if s not in state.known_heads]  # fmt: skip
        moved = [(s, n, leaf) for s, (n, leaf) in state.heads.items() if s in state.known_heads]
        db.finish_append(conn, entry_rows, new_heads, moved, next_seq,
                         version + int(registry_changed))  # fmt: skip
        if registry_changed:
            self._registry = _Registry()  # reload on next use; this bulk's changes are committed
        return accepted

    def _check_time(self, rec: Record, now: datetime) -> None:
        if rec.time > now + self.skew:
            raise RecordRejected(
                "future-time",
                f"{rec.time.isoformat()} is more than {self.skew} ahead of the ledger's clock "
                f"({now.isoformat()})",
                "time",
            )

    def _load_registry(self, conn: Connection, version: int) -> _Registry:
        if self._registry.version == version:
            return self._registry
        reg = _Registry(version=version)
        for r in conn.execute(select(db.keys)):
            reg.grants[r.key_id] = _grant_from_row(r)
        c = db.entries.c
        for r in conn.execute(
            select(db.projects.c.project, db.projects.c.tz_offset, c.body).join(
                db.entries, c.seq == db.projects.c.seq
            )
        ):
            reg.projects[r.project] = offset_timezone(r.tz_offset)
            rec = Entry.from_json(decode_json(packing.unpack(r.body))).record
            assert isinstance(rec, ProjectRecord)
            reg.allowances[r.project] = rec.allowance_days
        for r in conn.execute(select(db.orgs)):
            reg.orgs[(r.project, r.corp_code)] = frozenset(r.teams.split())
        self._registry = reg
        return reg

    # ------------------------------------------------------------------ witnesses

    def record_batch_witnesses(self, w: BatchWitnesses, *, conn: Connection | None = None) -> None:
        """Record (or replace) the witness quorum batch ``w.batch_no`` is anchored with.

        The anchorer calls it in the transaction that records the anchor (pass that
        transaction's ``conn``; ``ledger.batcher.mark_anchoring(witnesses=…)`` does); without
        ``conn`` it runs in a transaction of its own. Raises StoreError if the batch does not
        exist.
        """
        if conn is None:
            with self._write() as c:
                self.record_batch_witnesses(w, conn=c)
            return
        if conn.execute(
            select(db.batches.c.batch_no).where(db.batches.c.batch_no == w.batch_no)
        ).first() is None:
            raise StoreError(f"no batch {w.batch_no}")
        row = {
            "batch_no": w.batch_no,
            "registry": w.registry,
            "status": w.status,
            "witness_set": w.witness_set_json(),
            "bitmap": None if w.bitmap is None else w.bitmap.to_bytes(32, "big"),
            "signature": w.signature,
            "reason": w.reason,
        }
        _upsert(conn, db.batch_witnesses, {"batch_no": w.batch_no}, row)

    def forget_batch_witnesses(self, batch_no: int, *, conn: Connection | None = None) -> None:
        """Drop the witness record of a batch (its recorded anchor was replaced by one without)."""
        if conn is None:
            with self._write() as c:
                self.forget_batch_witnesses(batch_no, conn=c)
            return
        conn.execute(delete(db.batch_witnesses).where(db.batch_witnesses.c.batch_no == batch_no))

    def batch_witnesses(self, batch_no: int) -> BatchWitnesses | None:
        """The witness record of a batch, or None (not anchored with a witness set)."""
        found = self.batch_witnesses_of([batch_no])
        return found.get(batch_no)

    def batch_witnesses_of(self, batch_nos: Iterable[int]) -> dict[int, BatchWitnesses]:
        """The witness records of the given batches that have one, by batch number."""
        wanted = sorted(set(batch_nos))
        out: dict[int, BatchWitnesses] = {}
        with self._read() as conn:
            for part in _chunks(wanted, 500):
                rows = conn.execute(
                    select(db.batch_witnesses).where(db.batch_witnesses.c.batch_no.in_(part))
                ).all()
                for r in rows:
                    out[r.batch_no] = BatchWitnesses(
                        batch_no=r.batch_no,
                        registry=r.registry,
                        status=r.status,
                        witness_set=json.loads(r.witness_set),
                        bitmap=None if r.bitmap is None else int.from_bytes(r.bitmap, "big"),
                        signature=None if r.signature is None else bytes(r.signature),
                        reason=r.reason,
                    )
        return out

    # ------------------------------------------------------------------ reads

    def head(self) -> int:
        """The next sequence number, i.e. the number of entries in the log."""
        with self._read() as conn:
            return int(conn.execute(select(db.log_head.c.next_seq)).scalar_one())

    def entry(self, seq: int) -> StoredEntry | None:
        with self._read() as conn:
            row = conn.execute(
                select(db.entries.c.body, db.entries.c.leaf_hash).where(db.entries.c.seq == seq)
            ).first()
        return _stored(row) if row else None

    def find(self, signer: str, record_id: str) -> StoredEntry | None:
        with self._read() as conn:
            row = conn.execute(
                select(db.entries.c.body, db.entries.c.leaf_hash).where(
                    db.entries.c.signer == signer, db.entries.c.record_id == record_id
                )
            ).first()
        return _stored(row) if row else None

    def by_leaf(self, leaf: bytes) -> StoredEntry | None:
        with self._read() as conn:
            row = conn.execute(
                select(db.entries.c.body, db.entries.c.leaf_hash).where(
                    db.entries.c.leaf_hash == leaf
                )
            ).first()
        return _stored(row) if row else None

    def referring(self, leaf: bytes) -> list[StoredEntry]:
        """Entries that name ``leaf``: corrections (as target or replacement), approvals, acks
        and payments of a wage line, in log order."""
        c = db.entries.c
        with self._read() as conn:
            rows = conn.execute(
                select(c.body, c.leaf_hash)
                .where((c.target == leaf) | (c.replacement == leaf))
                .order_by(db.entries.c.seq)
            ).all()
        return [_stored(r) for r in rows]

    def entries(
        self,
        *,
        project: str | None = None,
        subject: str | None = None,
        type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int = -1,
        limit: int = 100,
    ) -> list[StoredEntry]:
        """Entries matching every given filter, ordered by seq, after ``after_seq`` (paging)."""
        c = db.entries.c
        conds = [c.seq > after_seq]
        if project is not None:
            conds.append(c.project == project)
        if subject is not None:
            conds.append(c.subject == subject)
        if type is not None:
            conds.append(c.type == type)
        if since is not None:
            conds.append(c.record_time >= db.to_us(since))
        if until is not None:
            conds.append(c.record_time < db.to_us(until))
        with self._read() as conn:
            rows = conn.execute(
                select(c.body, c.leaf_hash).where(and_(*conds)).order_by(c.seq).limit(limit)
            ).all()
        return [_stored(r) for r in rows]

    def all_entries(self, **filters: Any) -> list[StoredEntry]:
        """Every entry matching ``filters`` (as for ``entries``), read page by page."""
        out: list[StoredEntry] = []
        after = -1
        while True:
            page = self.entries(after_seq=after, limit=1000, **filters)
            out += page
            if len(page) < 1000:
                return out
            after = page[-1].seq

    def subject_chain(
        self, subject: str, first: int = 0, last: int | None = None
    ) -> list[StoredEntry]:
        """A worker's entries by ``subject_seq`` from ``first`` to ``last`` inclusive."""
        c = db.entries.c
        conds = [c.subject == subject, c.subject_seq >= first]
        if last is not None:
            conds.append(c.subject_seq <= last)
        with self._read() as conn:
            rows = conn.execute(
                select(c.body, c.leaf_hash).where(*conds).order_by(c.subject_seq)
            ).all()
        return [_stored(r) for r in rows]

    def grant(self, key_id: str) -> Grant | None:
        with self._read() as conn:
            row = conn.execute(select(db.keys).where(db.keys.c.key_id == key_id)).first()
        return _grant_from_row(row) if row else None

    def grants(self) -> list[Grant]:
        with self._read() as conn:
            return [_grant_from_row(r) for r in conn.execute(select(db.keys))]

    def key_entry(self, key_id: str) -> StoredEntry | None:
        """The entry that registered ``key_id``."""
        g = self.grant(key_id)
        return self.entry(g.registered_seq) if g else None

    def receipt(self, seq: int) -> Receipt | None:
        """The receipt for ``seq``, as issued at append (Ed25519 is deterministic)."""
        stored = self.entry(seq)
        if stored is None:
            return None
        return Receipt.issue(stored.entry, stored.leaf_hash, self.operator_key)


class _BulkState:
    """What one bulk append needs from the database, fetched in a few queries, then updated."""

    def __init__(
        self,
        store: Store,
        conn: Connection,
        reg: _Registry,
        signed: list[SignedRecord],
        now: datetime,
        heads: dict[str, tuple[int, bytes]],
        enrolled: dict[tuple[str, str], dict[str, Any]],
        lookup: bool = True,
    ) -> None:
        self.store, self.conn, self.reg, self.now = store, conn, reg, now
        c = db.entries.c
        ids_by_signer: dict[str, set[str]] = {}
        for s in signed if lookup else ():  # without lookup: Store._write_bulk's first attempt
            ids_by_signer.setdefault(s.record.signer, set()).add(s.record.id)
        self.seen: dict[tuple[str, str], tuple[int, bytes, Entry, bytes]] = {}
        # by (signer, record_id), so that the unique index is used: record_id alone scans the log
        for signer, ids in ids_by_signer.items():
            for chunk in _chunks(sorted(ids), 500):
                for r in conn.execute(
                    select(c.seq, c.signer, c.record_id, c.body, c.leaf_hash).where(
                        c.signer == signer, db.one_of(conn, c.record_id, chunk)
                    )
                ):
                    stored = _stored(r)
                    self.seen[(r.signer, r.record_id)] = (
                        r.seq,
                        stored.entry.signed.canonical,
                        stored.entry,
                        r.leaf_hash,
                    )
        self.heads, self.enrolled = heads, enrolled  # of the bulk's subjects (db.lock_log)
        self.known_heads = set(self.heads)
        self.dirty_enrollments: dict[tuple[str, str], dict[str, Any]] = {}
        self.new_keys: list[dict[str, Any]] = []
        self.revoked: dict[str, int] = {}
        self.new_projects: list[dict[str, Any]] = []
        self.org_upserts: dict[tuple[str, str], dict[str, Any]] = {}
        self.targets: dict[bytes, tuple[str | None, str | None, str]] = {}
        self.records: dict[bytes, Record] = {}  # target records read in full, by leaf hash

    def duplicate(self, signed: SignedRecord) -> AppendResult | None:
        rec = signed.record
        hit = self.seen.get((rec.signer, rec.id))
        if hit is None:
            return None
        seq, canonical, entry, leaf = hit
        if canonical != signed.canonical:
            return AppendResult(
                "rejected",
                seq=seq,
                code="conflict",
                message=f"record id {rec.id!r} of signer {rec.signer} is already logged at seq "
                f"{seq} with different content",
                field="id",
            )
        receipt = Receipt.issue(entry, leaf, self.store.operator_key)
        return AppendResult("duplicate", seq, leaf, receipt)

    def added(self, entry: Entry, leaf: bytes) -> None:
        """Note an entry accepted earlier in this bulk, for duplicates and targets after it."""
        rec = entry.record
        self.seen[(rec.signer, rec.id)] = (entry.seq, entry.signed.canonical, entry, leaf)
        self.targets[leaf] = (rec.project_code, rec.subject_id, rec.TYPE)
        if isinstance(rec, WageRecord | PublicationRecord):
            self.records[leaf] = rec

    def allowance(self, rec: Record) -> int:
        """The sync allowance of ``rec``'s project (7 days without a registered project)."""
        project = rec.project_code
        if project is None:
            return DEFAULT_SYNC_ALLOWANCE_DAYS
        return self.reg.allowances.get(project, DEFAULT_SYNC_ALLOWANCE_DAYS)

    def _target_record(self, leaf: bytes) -> Record:
        """The record of the entry with leaf hash ``leaf`` (which ``_target`` found)."""
        rec = self.records.get(leaf)
        if rec is None:
            body = self.conn.execute(
                select(db.entries.c.body).where(db.entries.c.leaf_hash == leaf)
            ).scalar_one()
            rec = record_from_json(decode_json(packing.unpack(body))["record"])
            self.records[leaf] = rec
        return rec

    def grant(self, key_id: str) -> Grant | None:
        g = self.reg.grants.get(key_id)
        if g is not None and key_id in self.revoked:
            g = _replace_revoked(g, self.revoked[key_id])
        return g

    def subject_next(self, subject: str) -> tuple[int, bytes | None]:
        head = self.heads.get(subject)
        return (0, None) if head is None else head

    def _project_tz(self, project: str) -> timezone:
        tz = self.reg.projects.get(project)
        if tz is None:
            raise RecordRejected("unknown-project", f"no project {project!r} in the log", "project")
        return tz

    def _local_date(self, rec: Record, t: datetime) -> date:
        return t.astimezone(self._project_tz(rec.project_code or "")).date()

    def _enrollment(self, rec: Record) -> dict[str, Any]:
        project, subject = rec.project_code or "", rec.subject_id or ""
        self._project_tz(project)
        e = self.enrolled.get((project, subject))
        if e is None:
            raise RecordRejected(
                "not-enrolled", f"worker {subject} is not enrolled on project {project}", "subject"
            )
        return e

    def _not_future(self, rec: Record, d: date, name: str) -> None:
        today = self._local_date(rec, self.now + self.store.skew)
        if d > today:
            raise RecordRejected("future-time", f"{d.isoformat()} is in the future", name)

    def _target(
        self, rec: Record, leaf: bytes, name: str = "target"
    ) -> tuple[str | None, str | None, str]:
        """(project, subject, type) of the entry with leaf hash ``leaf`` (the member ``name``)."""
        hit = self.targets.get(leaf)
        if hit is None:
            c = db.entries.c
            row = self.conn.execute(
                select(c.project, c.subject, c.type).where(c.leaf_hash == leaf)
            ).first()
            if row is None:
                raise RecordRejected(
                    "unknown-target", f"no entry with leaf hash {leaf.hex()}", name
                )
            hit = (row.project, row.subject, row.type)
            self.targets[leaf] = hit
        if hit[0] is not None and hit[0] != rec.project_code:
            raise RecordRejected(
                "unknown-target",
                f"{name} belongs to project {hit[0]}, not {rec.project_code}",
                name,
            )
        return hit

    def check_and_apply(self, rec: Record, grant: Grant | None, seq: int) -> bool:
        """Check the record against the ledger's state and apply it; True if registry changed."""
        if isinstance(rec, KeyRecord):
            return self._key(rec, grant, seq)
        if isinstance(rec, ProjectRecord):
            if rec.project in self.reg.projects:
                raise RecordRejected(
                    "already-registered", f"project {rec.project} already exists", "project"
                )
            self.reg.projects[rec.project] = rec.tz
            self.reg.allowances[rec.project] = rec.allowance_days
            self.new_projects.append(
                {"project": rec.project, "seq": seq, "tz_offset": rec.tz_offset}
            )
            return True
        if isinstance(rec, OrgRecord):
            self._project_tz(rec.project)
            key = (rec.project, rec.corp_code)
            teams = self.reg.orgs.get(key, frozenset()) | {t.team for t in rec.teams}
            self.reg.orgs[key] = teams
            self.org_upserts[key] = {
                "project": rec.project, "corp_code": rec.corp_code, "seq": seq,
                "corp_type": rec.corp_type, "teams": " ".join(sorted(teams)),
            }  # fmt: skip
            return True
        if isinstance(rec, EnrollmentRecord):
            self._enroll(rec, seq)
        elif isinstance(rec, ExitRecord):
            self._exit(rec, seq)
        elif isinstance(rec, AttendanceRecord):
            self._attendance(rec)
        elif isinstance(rec, WageRecord | PaymentRecord | TrainingRecord):
            self._enrollment(rec)
            when = rec.pay_date if isinstance(rec, WageRecord) else rec.date
            self._not_future(rec, when, "pay_date" if isinstance(rec, WageRecord) else "date")
            if isinstance(rec, PaymentRecord) and rec.wage is not None:
                self._target(rec, rec.wage)
        elif isinstance(rec, CorrectionRecord):
            self._project_tz(rec.project)
            about = []
            for name in ("target", "replacement"):
                leaf = getattr(rec, name)
                if leaf is not None:
                    _, subj, _ = self._target(rec, leaf)
                    self._same_subject(rec, subj, name)
                    about.append(subj)
            self._subject_used(rec, about)
        elif isinstance(rec, ApprovalRecord):
            self._project_tz(rec.project)
            _, subj, _ = self._target(rec, rec.target)
            self._same_subject(rec, subj, "target")
            self._subject_used(rec, [subj])
        elif isinstance(rec, AckRecord):
            self._enrollment(rec)
            _, subj, kind = self._target(rec, rec.target)
            if subj != rec.subject:
                raise RecordRejected("wrong-subject", f"target is about worker {subj}", "target")
            if kind not in ("wage", "payment", "publication"):
                raise RecordRejected("unknown-target", f"cannot acknowledge a {kind}", "target")
            if kind == "publication":
                pub = self._target_record(rec.target)
                assert isinstance(pub, PublicationRecord)
                verify_ack_in_window(pub, self.now)
        elif isinstance(rec, PublicationRecord):
            self._publication(rec)
        return False

    @staticmethod
    def _same_subject(rec: CorrectionRecord | ApprovalRecord, subj: str | None, name: str) -> None:
        """A version 2 correction or approval of an entry about a worker names that worker."""
        if subj is None:
            return
        if rec.subject is None:
            raise RecordRejected(
                "subject-required",
                f"the {name} is about worker {subj}: a {rec.TYPE} of it must name the worker in "
                "subject, so that it joins the worker's chain",
                "subject",
            )
        if rec.subject != subj:
            raise RecordRejected("wrong-subject", f"{name} is about worker {subj}", "subject")

    @staticmethod
    def _subject_used(rec: CorrectionRecord | ApprovalRecord, about: list[str | None]) -> None:
        """A subject names the worker a target is about; none of them being about a worker, a
        subject would put the record into a chain it has nothing to do with."""
        if rec.subject is not None and not any(about):
            raise RecordRejected(
                "wrong-subject",
                f"subject names worker {rec.subject}, but no entry the {rec.TYPE} names is about "
                "a worker",
                "subject",
            )

    def _publication(self, rec: PublicationRecord) -> None:
        """The wage line a publication names exists and is the same worker, project and month,
        with the days, minutes and employer the publication shows."""
        self._enrollment(rec)
        _, subj, kind = self._target(rec, rec.wage, "wage")
        if kind != "wage":
            raise RecordRejected(
                "unknown-target", f"a publication names a wage line, not a {kind}", "wage"
            )
        if subj != rec.subject:
            raise RecordRejected("wrong-subject", f"the wage line is about worker {subj}", "wage")
        wage = self._target_record(rec.wage)
        assert isinstance(wage, WageRecord)
        for name in ("pay_month", "corp_code", "days", "work_minutes"):
            if getattr(wage, name) != getattr(rec, name):
                raise RecordRejected(
                    "publication-mismatch",
                    f"the publication shows {name} {getattr(rec, name)!r}, the wage line it "
                    f"publishes has {getattr(wage, name)!r}",
                    name,
                )

    def _key(self, rec: KeyRecord, grant: Grant | None, seq: int) -> bool:
        kid = rec.subject_key_id
        existing = self.reg.grants.get(kid)
        if rec.action == "register":
            if existing is not None:
                raise RecordRejected(
                    "already-registered", f"key {kid} is already registered", "public_key"
                )
            for p in rec.projects:
                if p not in self.reg.projects:
                    raise RecordRejected(
                        "unknown-project", f"no project {p!r} in the log", "projects"
                    )
            g = Grant.from_record(rec, seq)
            self.reg.grants[kid] = g
            self.new_keys.append(_grant_row(g))
            return True
        if existing is None:
            raise RecordRejected("unknown-key", f"no registered key {kid} to revoke", "public_key")
        if existing.revoked_seq is not None or kid in self.revoked:
            raise RecordRejected("already-revoked", f"key {kid} is already revoked", "public_key")
        if grant is not None:
            authorise_revocation(grant, existing)
        self.revoked[kid] = seq
        return True

    def _enroll(self, rec: EnrollmentRecord, seq: int) -> None:
        self._project_tz(rec.project)
        teams = self.reg.orgs.get((rec.project, rec.corp_code))
        if teams is None:
            raise RecordRejected(
                "unknown-org", f"org {rec.corp_code} is not on project {rec.project}", "corp_code"
            )
        if rec.team not in teams:
            raise RecordRejected(
                "unknown-team", f"team {rec.team!r} is not a team of {rec.corp_code}", "team"
            )
        self._not_future(rec, rec.date, "date")
        key = (rec.project, rec.subject)
        cur = self.enrolled.get(key)
        if cur is not None and cur["exited_seq"] is None:
            raise RecordRejected(
                "already-enrolled",
                f"worker {rec.subject} is already enrolled on {rec.project}",
                "subject",
            )
        if cur is not None and rec.date.isoformat() < (cur["exit_date"] or ""):
            raise RecordRejected(
                "out-of-order",
                f"re-entry on {rec.date} precedes the exit on {cur['exit_date']}",
                "date",
            )
        row = {"project": rec.project, "subject": rec.subject, "enrolled_seq": seq,
               "entry_date": rec.date.isoformat(), "exited_seq": None, "exit_date": None}  # fmt: skip
        self.enrolled[key] = row
        self.dirty_enrollments[key] = row

    def _exit(self, rec: ExitRecord, seq: int) -> None:
        cur = self._enrollment(rec)
        if cur["exited_seq"] is not None:
            raise RecordRejected(
                "already-exited",
                f"worker {rec.subject} left {rec.project} on {cur['exit_date']}",
                "subject",
            )
        if rec.date.isoformat() < cur["entry_date"]:
            raise RecordRejected(
                "out-of-order", f"exit on {rec.date} precedes entry on {cur['entry_date']}", "date"
            )
        self._not_future(rec, rec.date, "date")
        row = {**cur, "exited_seq": seq, "exit_date": rec.date.isoformat()}
        self.enrolled[(rec.project, rec.subject)] = row
        self.dirty_enrollments[(rec.project, rec.subject)] = row

    def _attendance(self, rec: AttendanceRecord) -> None:
        cur = self._enrollment(rec)
        day = self._local_date(rec, rec.time).isoformat()
        if day < cur["entry_date"]:
            raise RecordRejected(
                "not-enrolled", f"punch on {day} precedes entry on {cur['entry_date']}", "time"
            )
        if cur["exit_date"] is not None and day > cur["exit_date"]:
            raise RecordRejected(
                "already-exited", f"punch on {day} follows exit on {cur['exit_date']}", "time"
            )

    def write_registry_changes(self) -> None:
        """Write what the accepted records changed besides entries and chain heads (those go
        with the commit, ``db.finish_append``): enrollments, keys, projects and orgs."""
        conn = self.conn
        for (project, subject), row in self.dirty_enrollments.items():
            _upsert(conn, db.enrollments, {"project": project, "subject": subject}, row)
        if self.new_keys:
            conn.execute(insert(db.keys), self.new_keys)
        for kid, seq in self.revoked.items():
            conn.execute(update(db.keys).where(db.keys.c.key_id == kid).values(revoked_seq=seq))
        if self.new_projects:
            conn.execute(insert(db.projects), self.new_projects)
        for (project, corp_code), row in self.org_upserts.items():
            _upsert(conn, db.orgs, {"project": project, "corp_code": corp_code}, row)


class _Recheck(Exception):
    """A record of a bulk tried without lookup was refused: roll back, run it with lookup."""


class _Tx:
    """Context manager: commit on success, roll back on any error; then close the connection
    (``close=False``: leave it open for another transaction, ``Store._write_bulk``)."""

    def __init__(self, conn: Connection, close: bool = True) -> None:
        self.conn, self.close = conn, close

    def __enter__(self) -> Connection:
        self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            if self.close:
                self.conn.close()


class _Shared:
    """``Store._read`` inside ``Store.reading``: the block's connection, left open."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        return None


_READING: contextvars.ContextVar[tuple[Store, Connection] | None] = contextvars.ContextVar(
    "siteledger_reading", default=None
)
_CHUNK = 128
_POOL: ThreadPoolExecutor | None = None


def _forget_pool() -> None:
    """A forked child inherits the pool object but not its threads: start a new one there."""
    global _POOL
    _POOL = None


os.register_at_fork(after_in_child=_forget_pool)


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="crypto")
    return _POOL


def _verify_chunk(jobs: list[tuple[int, bytes, bytes, bytes]]) -> list[tuple[int, bytes, bool]]:
    """Ed25519 record signature checks through libsodium, about twice OpenSSL's speed here.

    libsodium accepts a subset of what OpenSSL accepts (it also refuses small-order points), so
    every signature accepted on ingest also verifies in ``ledger.core`` and in the verifier.
    """
    out = []
    for i, public_key, canonical, sig in jobs:
        try:
            crypto_sign_open(sig + signing_input(RECORD_TAG, canonical), public_key)
            ok = True
        except (BadSignatureError, ValueError, TypeError):
            ok = False
        out.append((i, public_key, ok))
    return out


def _sign_chunk(receipts: list[Receipt], secret: bytes) -> list[Receipt]:
    """Ed25519 receipt signatures through libsodium (deterministic: the same bytes as OpenSSL's)."""
    return [
        Receipt(
            r.seq, r.leaf_hash, r.received_at, r.log, crypto_sign(r.signed_bytes(), secret)[:64], r.v
        )
        for r in receipts
    ]


def entry_row(entry: Entry) -> tuple[bytes, dict[str, Any]]:
    """The leaf hash of ``entry`` and its ``entries`` row (column name -> value), as an append
    writes it. The bulk loader of the benchmarks (``bench/load.py``) builds its rows here too,
    so that a loaded log holds exactly the rows appends would have written."""
    body = entry.canonical()
    leaf = hash_leaf(body)
    rec = entry.record
    return leaf, {
        "seq": entry.seq,
        "leaf_hash": leaf,
        "type": rec.TYPE,
        "project": rec.project_code,
        "subject": rec.subject_id,
        "subject_seq": entry.subject_seq,
        "signer": rec.signer,
        "record_id": rec.id,
        "record_time": db.to_us(rec.time),
        "target": getattr(rec, "target", None) or getattr(rec, "wage", None),
        "replacement": getattr(rec, "replacement", None),
        "body": packing.pack(body),
    }


def _upsert(conn: Connection, table: Any, key: dict[str, Any], row: dict[str, Any]) -> None:
    """Update the row of ``table`` with primary key ``key``, or insert it (any database)."""
    where = [table.c[name] == value for name, value in key.items()]
    if conn.execute(select(*[table.c[name] for name in key]).where(*where)).first():
        conn.execute(update(table).where(*where).values(**row))
    else:
        conn.execute(insert(table).values(**row))


def _parse(item: Any) -> SignedRecord:
    if isinstance(item, SignedRecord):
        return item
    if isinstance(item, bytes | str):
        return SignedRecord.from_json(decode_json(item))
    return SignedRecord.from_json(item)


def _stored(row: Any) -> StoredEntry:
    return StoredEntry(Entry.from_json(decode_json(packing.unpack(row.body))), row.leaf_hash)


def _chunks(items: list[Any], n: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _grant_row(g: Grant) -> dict[str, Any]:
    return {
        "key_id": g.key_id,
        "public_key": g.public_key,
        "holder": g.holder,
        "roles": " ".join(sorted(g.roles)),
        "projects": " ".join(sorted(g.projects)),
        "valid_from": db.to_us(g.valid_from),
        "valid_until": db.to_us(g.valid_until) if g.valid_until else None,
        "registered_seq": g.registered_seq,
        "revoked_seq": g.revoked_seq,
    }


def _grant_from_row(r: Any) -> Grant:
    return Grant(
        key_id=r.key_id,
        public_key=r.public_key,
        holder=r.holder,
        roles=frozenset(r.roles.split()),
        projects=frozenset(r.projects.split()),
        valid_from=db.from_us(r.valid_from),
        valid_until=db.from_us(r.valid_until) if r.valid_until is not None else None,
        registered_seq=r.registered_seq,
        revoked_seq=r.revoked_seq,
    )


def _replace_revoked(g: Grant, seq: int) -> Grant:
    return replace(g, revoked_seq=seq)

    return replace(g, revoked_seq=seq)


__all__ = ["AppendResult", "Store", "StoredEntry", "UTC", "entry_row"]
