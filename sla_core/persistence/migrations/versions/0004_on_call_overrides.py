"""On-call overrides set by leads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "on_call_overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("starts_at", _INSTANT, nullable=False),
        sa.Column("ends_at", _INSTANT, nullable=False),
        sa.Column("set_by", sa.String(32), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_on_call_overrides"),
    )
    op.create_index("ix_on_call_overrides_ends_at", "on_call_overrides", ["ends_at"])


def downgrade() -> None:
    op.drop_index("ix_on_call_overrides_ends_at", table_name="on_call_overrides")
    op.drop_table("on_call_overrides")
