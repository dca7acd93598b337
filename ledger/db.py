"""Database schema and engines. The only module that knows table layouts.

Times are stored as integer microseconds since the Unix epoch, UTC, so that SQLite and PostgreSQL
sort and compare them the same way. ``log_head`` is a single row that every append locks: it
holds the next sequence number (so seq is gap-free across processes) and a counter bumped on every
key, project and org record (so a process knows when its cached registry is stale).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

import psycopg
from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Column,
    ColumnElement,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    any_,
    bindparam,
    create_engine,
    event,
    text,
)
from sqlalchemy.exc import DisconnectionError, NoResultFound

metadata = MetaData()

NODE_LEVEL_MIN = 4
"""``batch_nodes`` holds a batch tree's interior nodes from this level up; the three levels
below are recomputed from the 16 leaf hashes of the entry's aligned block when a proof needs
them (docs/storage.md)."""


class KeyId(TypeDecorator[str]):
    """A key id (32 lowercase hex characters) stored as its 16 bytes.

    Queries compare with the hex string as before; a string that is not a key id binds to a
    value no stored key id has (so it finds nothing).
    """

    impl = LargeBinary(16)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, bytes):
            return value
        try:
            raw = bytes.fromhex(value)
        except (TypeError, ValueError):
            return b"?"
        return raw if len(raw) == 16 and raw.hex() == value else b"?"

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else bytes(value).hex()


RECORD_TYPES = {
    "key": 1, "project": 2, "org": 3, "enrollment": 4, "exit": 5, "attendance": 6, "wage": 7,
    "payment": 8, "correction": 9, "approval": 10, "ack": 11, "training": 12, "publication": 13,
}  # fmt: skip
"""``entries.type``: a record type's stored number (never reused or renumbered)."""
_TYPE_NAMES = {v: k for k, v in RECORD_TYPES.items()}


class RecordType(TypeDecorator[str]):
    """A record type name stored as its number (``RECORD_TYPES``); queries use the name."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return RECORD_TYPES.get(value, -1)  # an unknown name matches nothing

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else _TYPE_NAMES.get(value, f"unknown-{value}")


SEQ = BigInteger().with_variant(Integer(), "sqlite")
"""Sequence numbers: on SQLite an INTEGER PRIMARY KEY is the table's rowid (no second index)."""

log_head = Table(
    "log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("next_seq", BigInteger, nullable=False),
    Column("registry_version", BigInteger, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=False),
    Column("leaf_hash", LargeBinary(32), nullable=False, unique=True),
    Column("type", RecordType, nullable=False),
    Column("project", String(64)),
    Column("subject", String(64)),
    Column("subject_seq", Integer),
    Column("signer", KeyId, nullable=False),  # key id, 16 bytes
    Column("record_id", String(64), nullable=False),
    Column("record_time", BigInteger, nullable=False),
    Column("target", LargeBinary(32)),  # leaf hash a correction/approval/ack/payment names
    Column("replacement", LargeBinary(32)),  # leaf hash an amend/supplement correction adds
    # the canonical entry bytes (hashed as the leaf) in their stored form: ledger/packing.py
    Column("body", LargeBinary, nullable=False),
    UniqueConstraint("signer", "record_id", name="uq_entries_signer_record"),
    UniqueConstraint("subject", "subject_seq", name="uq_entries_subject_seq"),
    Index("ix_entries_project_type_time", "project", "type", "record_time"),
    # a worker's entries: by (subject, subject_seq) above; a time filter reads that worker's rows
    # few entries name another: index only those (a lookup by value implies IS NOT NULL)
    Index("ix_entries_target", "target", sqlite_where=text("target IS NOT NULL"),
          postgresql_where=text("target IS NOT NULL")),  # fmt: skip
    Index("ix_entries_replacement", "replacement", sqlite_where=text("replacement IS NOT NULL"),
          postgresql_where=text("replacement IS NOT NULL")),  # fmt: skip
)

subjects = Table(
    "subjects",
    metadata,
    Column("subject", String(64), primary_key=True),
    Column("next_seq", Integer, nullable=False),
    Column("last_leaf", LargeBinary(32), nullable=False),
)

keys = Table(
    "keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("holder", String(64), nullable=False),
    Column("roles", Text, nullable=False),  # space-separated
    Column("projects", Text, nullable=False),  # space-separated; empty means every project
    Column("valid_from", BigInteger, nullable=False),
    Column("valid_until", BigInteger),
    Column("registered_seq", BigInteger, nullable=False),
    Column("revoked_seq", BigInteger),
)

projects = Table(
    "projects",
    metadata,
    Column("project", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("tz_offset", String(6), nullable=False),
)

orgs = Table(
    "orgs",
    metadata,
    Column("project", String(64), primary_key=True),
    Column("corp_code", String(18), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("corp_type", String(3), nullable=False),
    Column("teams", Text, nullable=False),  # space-separated team codes
)

enrollments = Table(
    "enrollments",
    metadata,
    Column("project", String(64), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("enrolled_seq", BigInteger, nullable=False),
    Column("entry_date", String(10), nullable=False),
    Column("exited_seq", BigInteger),
    Column("exit_date", String(10)),
)

batches = Table(
    "batches",
    metadata,
    Column("batch_no", BigInteger, primary_key=True, autoincrement=False),
    Column("first_seq", BigInteger, nullable=False, unique=True),
    Column("size", Integer, nullable=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("state", String(12), nullable=False),
    Column("sealed_at", BigInteger, nullable=False),
    Column("chain_id", BigInteger),
    Column("contract", String(42)),
    Column("registry", SmallInteger),  # AnchorRegistry version of ``contract`` (1 or 2)
    Column("tx_hash", String(66)),
    Column("tx_nonce", BigInteger),
    Column("block_number", BigInteger),
    Column("block_hash", String(66)),
    Column("block_time", BigInteger),
    Column("anchored_at", BigInteger),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("heads_root", LargeBinary(32)),  # the head map's root after this batch (ledger/heads)
    Column("heads_keys", BigInteger),  # number of keys in that map
    Column("head_sig", LargeBinary(64)),  # the operator's signature over the batch head
    Index("ix_batches_state", "state"),
)

# The witness quorum a batch was anchored with (docs/witnesses.md; ledger.store.BatchWitnesses).
batch_witnesses = Table(
    "batch_witnesses",
    metadata,
    Column("batch_no", BigInteger, ForeignKey("batches.batch_no", name="fk_batch_witnesses_batch"),
           primary_key=True, autoincrement=False),  # fmt: skip
    Column("registry", String(42), nullable=False),  # the contract's address, 0x + 40 hex
    Column("status", String(12), nullable=False),  # 'witnessed' or 'unwitnessed'
    Column("witness_set", Text, nullable=False),  # canonical JSON of the set
    Column("bitmap", LargeBinary(32)),  # uint256 big-endian, bit i = member i; NULL unwitnessed
    Column("signature", LargeBinary(96)),  # compressed G2 aggregate; NULL when unwitnessed
    Column("reason", Text),  # why no quorum; NULL when witnessed
    CheckConstraint(
        "(status = 'witnessed' AND bitmap IS NOT NULL AND signature IS NOT NULL"
        " AND reason IS NULL) OR (status = 'unwitnessed' AND bitmap IS NULL"
        " AND signature IS NULL AND reason IS NOT NULL)",
        name="ck_batch_witnesses_status",
    ),
)

batch_nodes = Table(
    "batch_nodes",
    metadata,
    Column("batch_no", BigInteger, primary_key=True, autoincrement=False),
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
    sqlite_with_rowid=False,
)

# --- head maps (ledger/heads.py): every key ever seen (written once), each key's value per batch
# in which it changed, and the map's subtree hashes at depths 8 and 16 per batch in which they
# changed.

head_keys = Table(
    "head_keys",
    metadata,
    Column("bucket", Integer, primary_key=True, autoincrement=False),  # first 16 bits of kh
    Column("kh", LargeBinary(32), primary_key=True),
    Column("key_no", BigInteger, nullable=False),  # its value per batch: head_versions
    sqlite_with_rowid=False,
)

head_versions = Table(
    "head_versions",
    metadata,
    Column("key_no", BigInteger, primary_key=True, autoincrement=False),
    Column("batch_no", BigInteger, primary_key=True, autoincrement=False),
    Column("counter", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False),  # the entry whose leaf hash is in the value
    sqlite_with_rowid=False,
)

head_nodes = Table(
    "head_nodes",
    metadata,
    Column("node_id", Integer, primary_key=True, autoincrement=False),  # 2**depth + prefix
    Column("batch_no", BigInteger, primary_key=True, autoincrement=False),
    Column("node", LargeBinary(65), nullable=False),
    sqlite_with_rowid=False,
)

vault = Table(
    "vault",
    metadata,
    Column("subject", String(64), primary_key=True),
    Column("project", String(64), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("nonce", LargeBinary(12)),
    Column("ciphertext", LargeBinary),
    Column("lookup", LargeBinary(32), unique=True),
    Column("commitment", LargeBinary(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("erased_at", BigInteger),
    Column("erase_reason", Text),
)

meta = Table(
    "meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# --- the append's hot statements (ledger/store.py), on the driver's cursor

ENTRY_COLUMNS = (
    "seq", "leaf_hash", "type", "project", "subject", "subject_seq", "signer", "record_id",
    "record_time", "target", "replacement", "body",
)  # fmt: skip

_COPY_ENTRIES = f"COPY entries ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
_INSERT_ENTRIES = (
    f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})"
)


def _stored_entry(row: dict[str, Any]) -> tuple[Any, ...]:
    """An ``entries`` row (column -> value, as ``ledger.store.entry_row`` builds it) as the
    values stored, in ``ENTRY_COLUMNS`` order: what ``RecordType`` and ``KeyId`` bind."""
    return (
        row["seq"], row["leaf_hash"], RECORD_TYPES[row["type"]], row["project"], row["subject"],
        row["subject_seq"], bytes.fromhex(row["signer"]), row["record_id"], row["record_time"],
        row["target"], row["replacement"], row["body"],
    )  # fmt: skip


_ENROLLMENT_COLUMNS = ("project", "subject", "enrolled_seq", "entry_date", "exited_seq", "exit_date")


def _sqlite_subject_state(
    conn: Connection, subjects: list[str], pairs: list[tuple[str, str]]
) -> tuple[dict[str, tuple[int, bytes]], dict[tuple[str, str], dict[str, Any]]]:
    """``lock_log``'s reads on SQLite, in statements of up to 400 subjects or pairs."""
    heads: dict[str, tuple[int, bytes]] = {}
    enrolled: dict[tuple[str, str], dict[str, Any]] = {}
    for k in range(0, len(subjects), 400):
        part = tuple(subjects[k : k + 400])
        for subject, next_seq, last_leaf in conn.exec_driver_sql(
            f"SELECT subject, next_seq, last_leaf FROM subjects "
            f"WHERE subject IN ({', '.join('?' * len(part))})",
            part,
        ):
            heads[subject] = (next_seq, last_leaf)
    for k in range(0, len(pairs), 400):
        some = pairs[k : k + 400]
        for row in conn.exec_driver_sql(
            f"WITH k(p, s) AS (VALUES {', '.join(['(?, ?)'] * len(some))}) "
            f"SELECT {', '.join('e.' + c for c in _ENROLLMENT_COLUMNS)} FROM k "
            "JOIN enrollments e ON e.project = k.p AND e.subject = k.s",
            tuple(v for pair in some for v in pair),
        ):
            enrolled[(row[0], row[1])] = dict(zip(_ENROLLMENT_COLUMNS, row, strict=True))
    return heads, enrolled


def insert_entries(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert ``entries`` rows (column -> value, as ``ledger.store.entry_row`` builds them).

    It skips SQLAlchemy's per-row parameter handling: on PostgreSQL it is one ``COPY`` (one
    statement for the bulk, not one per row), on SQLite one ``executemany`` on the driver's
    cursor. A row that breaks a unique index raises the driver's IntegrityError and the
    statement leaves nothing behind (the caller's transaction rolls back).
    """
    values = [_stored_entry(r) for r in rows]
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.cursor()
        try:
            with cursor.copy(_COPY_ENTRIES) as copy:
                for v in values:
                    copy.write_row(v)
        finally:
            cursor.close()
    else:
        conn.exec_driver_sql(_INSERT_ENTRIES, values)


# PostgreSQL: an append's statements go to the server as one script per round trip: several
# statements in one query string (the simple query protocol), their parameters bound by psycopg
# on the client (``ClientCursor``). The server runs them one after another, each on a snapshot
# of its own (READ COMMITTED); if one fails, the rest do not run. Subjects go as one text value
# (codes never hold a space), split by the server.
_PG_LOCK_LOG = "SELECT next_seq, registry_version FROM log_head WHERE id = 1 FOR UPDATE"
_PG_HEADS = (
    "SELECT subject, next_seq, last_leaf FROM subjects "
    "WHERE subject = ANY(string_to_array(%s, ' '))"
)
_PG_ENROLLED = (  # by (project, subject): the primary key, whose first column is the project
    f"SELECT {', '.join('e.' + c for c in _ENROLLMENT_COLUMNS)} FROM enrollments e "
    "JOIN unnest(string_to_array(%s, ' '), string_to_array(%s, ' ')) AS k(p, s) "
    "ON e.project = k.p AND e.subject = k.s"
)
_PG_LOGGED = (  # any of the signers with any of the ids, by the unique index (signer, record_id)
    "SELECT EXISTS (SELECT FROM entries "
    "WHERE signer = ANY(%s) AND record_id = ANY(string_to_array(%s, ' ')))"
)
SCRIPTED_ROWS: Final = 256
"""Up to this many entries an append inserts them in its last round trip, in the statement that
moves the heads; a larger bulk sends them by ``COPY`` first (``insert_entries``: no statement
text of that size to build and parse)."""


@functools.lru_cache(maxsize=512)
def _pg_finish(entries: int, new_heads: int, moved_heads: int) -> str:
    """The one statement that ends an append on PostgreSQL: ``entries`` rows inserted,
    ``new_heads`` subjects given a chain head, ``moved_heads`` moved, and the log head set (its
    last two parameters)."""

    def values(rows: int, width: int) -> str:
        row = "(" + ", ".join(["%s"] * width) + ")"
        return ", ".join([row] * rows)

    parts = []
    if entries:
        parts.append(f"e AS (INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) "
                     f"VALUES {values(entries, len(ENTRY_COLUMNS))})")  # fmt: skip
    if new_heads:
        parts.append("n AS (INSERT INTO subjects (subject, next_seq, last_leaf) "
                     f"VALUES {values(new_heads, 3)})")  # fmt: skip
    if moved_heads:
        parts.append("m AS (UPDATE subjects SET next_seq = v.n, last_leaf = v.l "
                     f"FROM (VALUES {values(moved_heads, 3)}) AS v(s, n, l) "
                     "WHERE subjects.subject = v.s)")  # fmt: skip
    with_ = "WITH " + ", ".join(parts) + " " if parts else ""
    return with_ + "UPDATE log_head SET next_seq = %s, registry_version = %s WHERE id = 1"


def _pg_script(conn: Connection, statements: list[str], params: Sequence[Any]) -> Any:
    """Run ``statements`` on PostgreSQL in one round trip; the cursor (the caller closes it,
    or uses it in ``with``), at the first result (``nextset()`` moves to the next)."""
    driver: psycopg.Connection[Any] = conn.connection.driver_connection  # type: ignore[assignment]
    cursor = psycopg.ClientCursor(driver)
    cursor.execute("; ".join(statements), params)
    return cursor


def lock_log(
    conn: Connection,
    subjects: list[str],
    pairs: list[tuple[str, str]],
    records: Sequence[tuple[str, str]] = (),
) -> tuple[
    int, int, dict[str, tuple[int, bytes]], dict[tuple[str, str], dict[str, Any]], bool | None
]:
    """Take the log's write lock and read what every append starts from: ``(next_seq,
    registry_version, heads, enrollments, logged)``: the chain heads of ``subjects`` as
    ``subject -> (next_seq, last_leaf)``, the enrollment rows of the ``(project, subject)``
    ``pairs`` (those that exist) by that pair, as dicts of the table's columns, and whether
    some of ``records``, given as ``(signer key id in hex, record id)``, may be logged already
    (below).

    ``records`` is for an append that skips the duplicate read (``Store._write_bulk``'s first
    attempt). ``finish_append`` sends up to ``SCRIPTED_ROWS`` entries to PostgreSQL as literals,
    and PostgreSQL logs the text of a failing statement: a resent record would put the records
    of its group, worker pseudonyms and times, in the database's log. So for such a bulk
    ``logged`` says whether any of ``records`` may be logged already, and the caller takes the
    read path before writing anything. It asks for any of their signers with any of their ids
    (probes of the unique index, about 50 µs of the server's CPU a group; the exact pairs cost
    about 30 µs more): never False when one is logged, and exact for one signer. False thus
    means that none of ``records`` is logged, so the caller may take a refusal by its checks as
    final. For a larger bulk (sent by ``COPY``, whose failure logs no values), on SQLite (no
    server log) and with no ``records``, it is None: not asked; the insert's unique index
    refuses a logged record, as before.

    On PostgreSQL the lock (``SELECT … FOR UPDATE`` of the ``log_head`` row) and the reads
    go to the server in one round trip (``_pg_script``). The server runs them in order, each on
    a snapshot of its own (READ COMMITTED), so the reads start after the lock was granted and
    see every append committed before it. On SQLite the transaction's ``BEGIN IMMEDIATE`` already
    holds the lock.
    """
    if conn.dialect.name != "postgresql":
        row = conn.exec_driver_sql(
            "SELECT next_seq, registry_version FROM log_head WHERE id = 1"
        ).one()
        return (int(row[0]), int(row[1]), *_sqlite_subject_state(conn, subjects, pairs),
                None)  # fmt: skip
    statements: list[str] = [_PG_LOCK_LOG]
    params: list[Any] = []
    if subjects:
        statements.append(_PG_HEADS)
        params.append(" ".join(subjects))
    if pairs:
        statements.append(_PG_ENROLLED)
        params += [" ".join(p for p, _ in pairs), " ".join(s for _, s in pairs)]
    records = records if len(records) <= SCRIPTED_ROWS else ()  # more go by COPY
    if records:
        statements.append(_PG_LOGGED)
        params += [sorted({bytes.fromhex(k) for k, _ in records}),
                   " ".join(sorted({r for _, r in records}))]  # fmt: skip
    heads: dict[str, tuple[int, bytes]] = {}
    enrolled: dict[tuple[str, str], dict[str, Any]] = {}
    logged: bool | None = None
    with _pg_script(conn, statements, params) as cursor:
        found = cursor.fetchone()
        if found is None:
            raise NoResultFound("the log_head row is missing")
        if subjects:
            cursor.nextset()
            heads = {r[0]: (r[1], r[2]) for r in cursor}
        if pairs:
            cursor.nextset()
            enrolled = {(r[0], r[1]): dict(zip(_ENROLLMENT_COLUMNS, r, strict=True))
                        for r in cursor}  # fmt: skip
        if records:
            cursor.nextset()
            logged = bool(cursor.fetchone()[0])
    return int(found[0]), int(found[1]), heads, enrolled, logged


_REGISTRY_VERSION: Final = "SELECT registry_version FROM log_head WHERE id = 1"


def registry_version(conn: Connection) -> int | None:
    """The log head's registry version (None before ``ensure_head``). Every proof bundle asks
    it once (``Store.current_registry``), so on PostgreSQL it goes by the driver as a prepared
    statement: 60 µs of client CPU against 180 µs through SQLAlchemy's statement machinery."""
    if conn.dialect.name != "postgresql":
        return conn.exec_driver_sql(_REGISTRY_VERSION).scalar()
    driver: psycopg.Connection[Any] = conn.connection.driver_connection  # type: ignore[assignment]
    row = driver.execute(_REGISTRY_VERSION, prepare=True).fetchone()
    return None if row is None else int(row[0])


def finish_append(
    conn: Connection,
    rows: list[dict[str, Any]],
    new_heads: list[tuple[str, int, bytes]],
    moved_heads: list[tuple[str, int, bytes]],
    next_seq: int,
    registry_version: int,
) -> None:
    """The writes every append ends with, then the commit: the ``entries`` rows, the chain
    heads of subjects new to the log and of those that had one, and the log head.

    On PostgreSQL one statement and the ``COMMIT`` go to the server in one round trip
    (``_pg_script``; a bulk of more than ``SCRIPTED_ROWS`` entries sends them by COPY first), so
    the log lock is held for that round trip and not one per statement. A statement that fails (a row
    that breaks a unique index: the driver's IntegrityError) skips the rest and the ``COMMIT``;
    the transaction is left to roll back. On SQLite the statements run one by one, then the
    commit. On both, the transaction has ended when this returns: a caller's commit after it
    has nothing left to do (SQLAlchemy's and psycopg's are no-ops outside a transaction).
    """
    if conn.dialect.name != "postgresql":
        insert_entries(conn, rows)
        if new_heads:
            conn.exec_driver_sql(
                "INSERT INTO subjects (subject, next_seq, last_leaf) VALUES (?, ?, ?)", new_heads
            )
        if moved_heads:
            conn.exec_driver_sql(
                "UPDATE subjects SET next_seq = ?, last_leaf = ? WHERE subject = ?",
                [(n, leaf, s) for s, n, leaf in moved_heads],
            )
        conn.exec_driver_sql(
            "UPDATE log_head SET next_seq = ?, registry_version = ? WHERE id = 1",
            (next_seq, registry_version),
        )
        conn.commit()
        return
    params: list[Any] = []
    scripted = len(rows) <= SCRIPTED_ROWS
    if scripted:
        for r in rows:
            params += _stored_entry(r)
    else:
        insert_entries(conn, rows)
    for heads in (new_heads, moved_heads):
        for h in heads:
            params += h
    params += (next_seq, registry_version)
    finish = _pg_finish(len(rows) if scripted else 0, len(new_heads), len(moved_heads))
    _pg_script(conn, [finish, "COMMIT"], params).close()


def one_of(conn: Connection, column: Any, values: list[Any]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(array)``: one parameter whatever
    the number of values, so the statement's text (compiled and parsed once) never changes."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]


def to_us(t: datetime) -> int:
    """Microseconds since the epoch, UTC. Requires an aware datetime."""
    delta = t - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int) -> datetime:
    return datetime.fromtimestamp(us // 1_000_000, UTC).replace(microsecond=us % 1_000_000)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA page_size=8192")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://…``).

    SQLite gets WAL, synchronous=FULL (a committed append survives power loss), foreign keys and
    a busy timeout. A connection with the execution option ``sqlite_immediate=True`` begins with
    BEGIN IMMEDIATE, so that two writers queue for the lock instead of failing on upgrade.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "connect")
        def _no_pysqlite_tx(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


PING_IDLE_SECONDS = 5.0
"""A pooled PostgreSQL connection idle for longer is pinged before use (``_ping_when_idle``)."""


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use if it sat idle ``PING_IDLE_SECONDS`` or more, and
    replace it if the ping fails (a restarted or failed-over server, an idle timeout).

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: a round trip per transaction, which
    a busy API process (a checkout or two a request, the connection back in the pool
    milliseconds before) pays for nothing. A connection broken while in steady use fails the
    transaction it is in, which rolls back; SQLAlchemy then discards the pool's connections.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("a pooled connection failed its ping") from exc


# --- API principals and access log (ledger/principals.py)

api_principals = Table(
    "api_principals",
    metadata,
    Column("principal_id", String(32), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("projects", Text, nullable=False),  # space-separated
    Column("subject", String(64)),  # the worker a worker principal is bound to
    Column("created_at", BigInteger, nullable=False),
    Column("disabled_at", BigInteger),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(16), primary_key=True),
    Column("token_hash", LargeBinary(32), nullable=False, unique=True),  # SHA-256 of the token
    Column("principal_id", String(32), nullable=False),
    Column("label", String(128)),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger),
    Column("revoked_at", BigInteger),
    Index("ix_api_tokens_principal", "principal_id"),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("principal_id", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(64)),
    Column("project", String(64)),
    Column("case_ref", String(128)),
    Column("detail", Text),
    Index("ix_access_log_subject", "subject"),
)


# --- worker page: enrollment codes, the keys they register, session challenges (ledger/workerlinks.py)

worker_links = Table(
    "worker_links",
    metadata,
    Column("link_id", String(24), primary_key=True),
    Column("code_hash", LargeBinary(32), nullable=False, unique=True),  # SHA-256 of the code
    Column("project", String(64), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("created_by", String(32), nullable=False),  # the principal that made the code
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("state", String(12), nullable=False),  # open, pending, approved, rejected
    Column("redeemed_at", BigInteger),
    Column("public_key", LargeBinary(32)),
    Column("key_id", String(32), unique=True),
    Column("decided_by", String(32)),
    Column("decided_at", BigInteger),
    Column("key_seq", BigInteger),  # the entry of the worker's key record
    Column("principal_id", String(32)),  # the worker principal its sessions belong to
    Index("ix_worker_links_project_state", "project", "state"),
)

worker_challenges = Table(
    "worker_challenges",
    metadata,
    Column("challenge", LargeBinary(32), primary_key=True),
    Column("key_id", String(32), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger),
)
