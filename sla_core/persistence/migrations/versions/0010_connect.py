"""Tickets opened from a Slack message: the message (channel id, ts, permalink) and whether
its channel is the account's shared channel, where the customer thread goes.

Revision ID: 0010_connect
Revises: 0009_rca
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_connect"
down_revision = "0009_status_portal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("source_channel", sa.String(32), nullable=True))
        batch.add_column(sa.Column("source_ts", sa.String(32), nullable=True))
        batch.add_column(sa.Column("source_permalink", sa.String(500), nullable=True))
        batch.add_column(sa.Column("source_shared", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("source_shared")
        batch.drop_column("source_permalink")
        batch.drop_column("source_ts")
        batch.drop_column("source_channel")
