"""Root-cause analyses: one row per version of a ticket's RCA (``sla_core/rca/models.py``).

Revision ID: 0009_rca
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_rca"
down_revision = "0009_accounts"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rcas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("content", _JSON, nullable=False),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.Column("edits", sa.Integer(), nullable=False),
        sa.Column("submitted_at", _INSTANT, nullable=True),
        sa.Column("approved_by", sa.String(32), nullable=True),
        sa.Column("approved_at", _INSTANT, nullable=True),
        sa.Column("sent_at", _INSTANT, nullable=True),
        sa.Column("corrects", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_rcas_ticket_id_tickets", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_rcas"),
        sa.UniqueConstraint("ticket_id", "version", name="uq_rcas_ticket_version"),
    )
    op.create_index("ix_rcas_status", "rcas", ["status"])


def downgrade() -> None:
    op.drop_index("ix_rcas_status", table_name="rcas")
    op.drop_table("rcas")
