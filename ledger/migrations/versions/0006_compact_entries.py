"""compact entries: packed bodies, 16-byte signers, numbered types, fewer index and tree bytes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:05:00

What an attendance record costs on disk goes from about 1,160 bytes to about 600
(docs/storage.md, "What each byte is for"). The entries table is rebuilt and every row copied:

* ``body`` holds the entry's canonical bytes in their packed form (``ledger/packing.py``: raw
  DEFLATE with a preset dictionary; unpacking gives the exact bytes that were hashed and
  signed, and packing checks that before a row is written);
* ``signer`` is the key id's 16 bytes instead of 32 hex characters, ``type`` the record type's
  number (``ledger.db.RECORD_TYPES``) instead of its name;
* ``received_at`` is dropped: it is the first field of the body (the sealer reads it there);
* on SQLite ``seq`` becomes an INTEGER PRIMARY KEY (the rowid itself, no second index);
* the ``target`` and ``replacement`` indexes hold only the entries that name another one, and
  ``ix_entries_subject_time`` goes (a worker's entries are found by the unique (subject,
  subject_seq) index; a time filter reads that worker's rows);
* ``batch_nodes`` keeps the interior nodes from level 4 up; proofs recompute levels 1 to 3 from
  the 16 leaf hashes of the entry's aligned block.

The downgrade restores the previous layout, bodies and nodes included. A test upgrades a
database holding data and checks every proof and ``db check`` again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from ledger.core import merkle
from ledger.core.times import parse_time
from ledger.packing import pack, unpack

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TYPES = {
    "key": 1,
    "project": 2,
    "org": 3,
    "enrollment": 4,
    "exit": 5,
    "attendance": 6,
    "wage": 7,
    "payment": 8,
    "correction": 9,
    "approval": 10,
    "ack": 11,
    "training": 12,
    "publication": 13,
}  # fmt: skip  (the same numbers as ledger.db.RECORD_TYPES; never renumbered)
NAMES = {v: k for k, v in TYPES.items()}
NODE_LEVEL_MIN = 4
CHUNK = 5000
_RECEIVED_AT = re.compile(rb'^\{"received_at":"([^"]+)"')


def _common(signer: Any, kind: Any) -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),  # fmt: skip
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("type", kind, nullable=False),
        sa.Column("project", sa.String(length=64), nullable=True),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("subject_seq", sa.Integer(), nullable=True),
        sa.Column("signer", signer, nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("record_time", sa.BigInteger(), nullable=False),
    ]


def _new_columns() -> list[sa.Column[Any]]:
    return [*_common(sa.LargeBinary(length=16), sa.SmallInteger()),
            sa.Column("target", sa.LargeBinary(length=32), nullable=True),
            sa.Column("replacement", sa.LargeBinary(length=32), nullable=True),
            sa.Column("body", sa.LargeBinary(), nullable=False)]  # fmt: skip


def _old_columns() -> list[sa.Column[Any]]:
    return [*_common(sa.String(length=32), sa.String(length=16)),
            sa.Column("received_at", sa.BigInteger(), nullable=False),
            sa.Column("target", sa.LargeBinary(length=32), nullable=True),
            sa.Column("replacement", sa.LargeBinary(length=32), nullable=True),
            sa.Column("body", sa.LargeBinary(), nullable=False)]  # fmt: skip


def _rows(conn: Any, columns: list[str]) -> Iterator[list[Any]]:
    last = -1
    while True:
        rows = conn.execute(
            sa.text(
                f"SELECT {', '.join(columns)} FROM entries WHERE seq > :last ORDER BY seq LIMIT :n"
            ),  # fmt: skip
            {"last": last, "n": CHUNK},
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1].seq


def _rebuild(
    columns: list[sa.Column[Any]], read: list[str], convert: Callable[[Any], dict[str, Any]],
    partial: bool,
) -> None:  # fmt: skip
    """Copy ``entries`` into a new table of ``columns``, row by row through ``convert``, then
    put the new table in its place with the indexes."""
    conn = op.get_bind()
    new = op.create_table("entries_new", *columns, sa.PrimaryKeyConstraint("seq"))
    for rows in _rows(conn, read):
        conn.execute(new.insert(), [convert(r) for r in rows])
    op.drop_table("entries")
    op.rename_table("entries_new", "entries")
    if conn.dialect.name == "postgresql":
        op.execute("ALTER INDEX entries_new_pkey RENAME TO entries_pkey")
    op.create_index("uq_entries_leaf_hash", "entries", ["leaf_hash"], unique=True)
    op.create_index("uq_entries_signer_record", "entries", ["signer", "record_id"], unique=True)
    op.create_index("uq_entries_subject_seq", "entries", ["subject", "subject_seq"], unique=True)
    op.create_index("ix_entries_project_type_time", "entries", ["project", "type", "record_time"])
    if not partial:  # before 0006; a worker's entries are found by (subject, subject_seq) now
        op.create_index("ix_entries_subject_time", "entries", ["subject", "record_time"])
    for name in ("target", "replacement"):
        where = {f"{d}_where": sa.text(f"{name} IS NOT NULL") for d in ("sqlite", "postgresql")}
        op.create_index(f"ix_entries_{name}", "entries", [name], **(where if partial else {}))


_COPIED = ["seq", "leaf_hash", "project", "subject", "subject_seq", "record_id", "record_time",
           "target", "replacement"]  # fmt: skip


def upgrade() -> None:
    def convert(r: Any) -> dict[str, Any]:
        body = unpack(r.body)
        if merkle.hash_leaf(body) != bytes(r.leaf_hash):
            raise RuntimeError(f"entry {r.seq}: its body does not hash to its leaf: log corrupt")
        return {**{k: getattr(r, k) for k in _COPIED}, "type": TYPES[r.type],
                "signer": bytes.fromhex(r.signer), "body": pack(body)}  # fmt: skip

    _rebuild(_new_columns(), [*_COPIED, "type", "signer", "body"], convert, partial=True)
    op.execute(f"DELETE FROM batch_nodes WHERE level < {NODE_LEVEL_MIN}")


def downgrade() -> None:
    def convert(r: Any) -> dict[str, Any]:
        body = unpack(r.body)
        m = _RECEIVED_AT.match(body)
        if m is None:
            raise RuntimeError(f"entry {r.seq}: no received_at in its body")
        t = parse_time(m.group(1).decode(), "received_at")
        us = int(t.timestamp()) * 1_000_000 + t.microsecond
        return {**{k: getattr(r, k) for k in _COPIED}, "type": NAMES[r.type],
                "signer": bytes(r.signer).hex(), "received_at": us, "body": body}  # fmt: skip

    _rebuild(_old_columns(), [*_COPIED, "type", "signer", "body"], convert, partial=False)
    conn = op.get_bind()
    nodes = sa.table("batch_nodes", sa.column("batch_no"), sa.column("level"), sa.column("idx"),
                     sa.column("hash"))  # fmt: skip
    for b in conn.execute(sa.text("SELECT batch_no, first_seq, size FROM batches")).all():
        leaves = [bytes(h) for h in conn.execute(
            sa.text("SELECT leaf_hash FROM entries WHERE seq >= :a AND seq < :e ORDER BY seq"),
            {"a": b.first_seq, "e": b.first_seq + b.size},
        ).scalars()]  # fmt: skip
        if len(leaves) != b.size:  # a batch over missing entries: `db check` reports it
            continue
        levels = merkle.levels(leaves)
        rows = [{"batch_no": b.batch_no, "level": lv, "idx": i, "hash": h}
                for lv in range(1, min(NODE_LEVEL_MIN, len(levels)))
                for i, h in enumerate(levels[lv])]  # fmt: skip
        if rows:
            conn.execute(nodes.insert(), rows)
