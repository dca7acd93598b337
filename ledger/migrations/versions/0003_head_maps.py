"""head maps: batches.heads_root, heads_keys and head_sig; head_keys, head_versions, head_nodes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 12:20:00

Batches sealed before this revision get their head map and signed head from
``ledger.heads.backfill`` (run by the next seal), computed from the log in batch order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heads_root", sa.LargeBinary(length=32), nullable=True))
        batch_op.add_column(sa.Column("heads_keys", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("head_sig", sa.LargeBinary(length=64), nullable=True))
    op.create_table(
        "head_keys",
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kh", sa.LargeBinary(length=32), nullable=False),
        sa.Column("key_no", sa.BigInteger(), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("vh", sa.LargeBinary(length=32), nullable=False),
        sa.Column("leaf", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "kh"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "head_versions",
        sa.Column("key_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("batch_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key_no", "batch_no"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "head_nodes",
        sa.Column("node_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("batch_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("node", sa.LargeBinary(length=65), nullable=False),
        sa.PrimaryKeyConstraint("node_id", "batch_no"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("head_nodes")
    op.drop_table("head_versions")
    op.drop_table("head_keys")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_column("head_sig")
        batch_op.drop_column("heads_keys")
        batch_op.drop_column("heads_root")
