"""Slack event ids already handled (dedupe across replicas) and users' preferences.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "seen_slack_events",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("received_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_seen_slack_events"),
    )
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_preferences"),
    )


def downgrade() -> None:
    op.drop_table("user_preferences")
    op.drop_table("seen_slack_events")
