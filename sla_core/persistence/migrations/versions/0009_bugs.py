"""Bug reports in the vendor's tracker: the bugs heard of, and their links to tickets.

Revision ID: 0009_bugs
Revises: 0009_csat
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_bugs"
down_revision = "0009_rca"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_UNCLOSED = sa.text("state <> 'closed'")


def upgrade() -> None:
    op.create_table(
        "bugs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracker", sa.String(10), nullable=False),
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("status", sa.String(80), nullable=False),
        sa.Column("fix_version", sa.String(80), nullable=True),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("checked_at", _INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_bugs"),
        sa.UniqueConstraint("tracker", "key", name="uq_bugs_tracker_key"),
    )
    op.create_index("ix_bugs_unclosed_checked", "bugs", ["checked_at"], postgresql_where=_UNCLOSED,
                    sqlite_where=_UNCLOSED)
    op.create_table(
        "bug_links",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("bug_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", _INSTANT, nullable=False),
        sa.Column("linked_by", sa.String(32), nullable=False),
        sa.Column("filed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_bug_links_ticket_id_tickets",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["bug_id"], ["bugs.id"], name="fk_bug_links_bug_id_bugs", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "bug_id", name="pk_bug_links"),
    )
    op.create_index("ix_bug_links_bug", "bug_links", ["bug_id"])


def downgrade() -> None:
    op.drop_index("ix_bug_links_bug", table_name="bug_links")
    op.drop_table("bug_links")
    op.drop_index("ix_bugs_unclosed_checked", table_name="bugs")
    op.drop_table("bugs")
