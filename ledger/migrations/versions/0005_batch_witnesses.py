"""batch_witnesses: the witness quorum (or its absence) each batch was anchored with

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 15:40:00

One row per batch anchored in a registry with a witness set (docs/witnesses.md): the set as
canonical JSON, and either the signer bitmap and the 96-byte aggregate BLS signature
(``witnessed``) or the reason it was anchored without a quorum (``unwitnessed``, the timeout
policy). Batches anchored before this revision, or in a registry without witnesses, have no
row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_witnesses",
        sa.Column("batch_no", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("registry", sa.String(length=42), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("witness_set", sa.Text(), nullable=False),
        sa.Column("bitmap", sa.LargeBinary(length=32), nullable=True),
        sa.Column("signature", sa.LargeBinary(length=96), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["batch_no"], ["batches.batch_no"], name="fk_batch_witnesses_batch"),
        sa.PrimaryKeyConstraint("batch_no"),
        sa.CheckConstraint(
            "(status = 'witnessed' AND bitmap IS NOT NULL AND signature IS NOT NULL"
            " AND reason IS NULL) OR (status = 'unwitnessed' AND bitmap IS NULL"
            " AND signature IS NULL AND reason IS NOT NULL)",
            name="ck_batch_witnesses_status",
        ),
    )


def downgrade() -> None:
    op.drop_table("batch_witnesses")
