"""Packet hand-off: the payer's fax number on the case (the cover's "To"); submission and decision (with their times), the status history, and an
index on updated_at for the packet list's `updated_since` and cursor.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payer_fax", sa.String(length=40), nullable=True))
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("submission", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decision", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("history", sa.JSON(), nullable=True))
        batch_op.create_index("ix_packets_updated_at", ["updated_at"])


def downgrade() -> None:
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.drop_index("ix_packets_updated_at")
        for column in ("history", "decision", "decided_at", "submission", "submitted_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("payer_fax")
