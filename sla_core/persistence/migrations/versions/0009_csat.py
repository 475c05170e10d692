"""Satisfaction surveys: one row per ticket whose reporter was asked "How did we do?".

Revision ID: 0009_csat
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_csat"
down_revision = "0008"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "satisfaction_surveys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_ref", sa.String(32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(12), nullable=False),
        sa.Column("agent_id", sa.String(32), nullable=True),
        sa.Column("asked_at", _INSTANT, nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("answered_at", _INSTANT, nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("commented_at", _INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_satisfaction_surveys"),
        sa.UniqueConstraint("ticket_ref", name="uq_satisfaction_surveys_ticket_ref"),
    )
    op.create_index("ix_satisfaction_surveys_reporter_id", "satisfaction_surveys", ["reporter_id", "asked_at"])


def downgrade() -> None:
    op.drop_index("ix_satisfaction_surveys_reporter_id", table_name="satisfaction_surveys")
    op.drop_table("satisfaction_surveys")
