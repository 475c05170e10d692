"""Service interruptions and planned maintenance windows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.Column("cause", sa.String(24), nullable=False),
        sa.Column("started_at", _INSTANT, nullable=False),
        sa.Column("ended_at", _INSTANT, nullable=True),
        sa.Column("ticket_ref", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(32), nullable=False),
        sa.Column("ended_by", sa.String(32), nullable=True),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outages"),
    )
    op.create_index("ix_outages_started_at", "outages", ["started_at"])
    op.create_table(
        "maintenance_windows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.Column("starts_at", _INSTANT, nullable=False),
        sa.Column("ends_at", _INSTANT, nullable=False),
        sa.Column("critical_fixes", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scheduled_by", sa.String(32), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("notified_at", _INSTANT, nullable=True),
        sa.Column("cancelled_at", _INSTANT, nullable=True),
        sa.Column("cancelled_by", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_maintenance_windows"),
    )
    op.create_index("ix_maintenance_windows_starts_at", "maintenance_windows", ["starts_at"])


def downgrade() -> None:
    op.drop_index("ix_maintenance_windows_starts_at", table_name="maintenance_windows")
    op.drop_table("maintenance_windows")
    op.drop_index("ix_outages_started_at", table_name="outages")
    op.drop_table("outages")
