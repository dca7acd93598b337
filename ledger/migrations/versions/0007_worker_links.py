"""worker page: enrollment codes (worker_links) and session challenges (worker_challenges)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 15:40:00

Two tables of the worker page (docs/worker-page.md): one row per one-time enrollment code a
contractor makes for a worker (only the code's SHA-256 is kept), the public key the worker's
browser redeemed it with and the contractor's decision; and the single-use challenges a worker's
key signs to get a session token. Nothing in them is ledger data: the worker's key registration
is a ``key`` record in the log.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_links",
        sa.Column("link_id", sa.String(length=24), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("project", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("redeemed_at", sa.BigInteger(), nullable=True),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=True),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("key_seq", sa.BigInteger(), nullable=True),
        sa.Column("principal_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("link_id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("key_id"),
    )
    with op.batch_alter_table("worker_links", schema=None) as batch_op:
        batch_op.create_index("ix_worker_links_project_state", ["project", "state"], unique=False)
    op.create_table(
        "worker_challenges",
        sa.Column("challenge", sa.LargeBinary(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("challenge"),
    )


def downgrade() -> None:
    op.drop_table("worker_challenges")
    with op.batch_alter_table("worker_links", schema=None) as batch_op:
        batch_op.drop_index("ix_worker_links_project_state")
    op.drop_table("worker_links")
