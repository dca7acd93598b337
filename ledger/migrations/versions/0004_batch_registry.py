"""batches.registry: the AnchorRegistry version of the contract a batch is anchored in

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:40:00

Every batch anchored before this revision was anchored in a registry version 1 contract (the
only version there was), so those rows get 1; batches anchored from now on record the version
of the contract the worker anchors in (docs/contract.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registry", sa.SmallInteger(), nullable=True))
    op.execute("UPDATE batches SET registry = 1 WHERE contract IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_column("registry")
