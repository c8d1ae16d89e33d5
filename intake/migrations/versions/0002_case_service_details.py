"""Case service details: anticipated date of service, place of service, units, episode and
the out-of-network flag (the checker's request fields).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_of_service", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("place_of_service", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("units", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("episode", sa.String(length=16), nullable=False, server_default="initial"))
        batch_op.add_column(sa.Column("out_of_network", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("out_of_network")
        batch_op.drop_column("episode")
        batch_op.drop_column("units")
        batch_op.drop_column("place_of_service")
        batch_op.drop_column("date_of_service")
