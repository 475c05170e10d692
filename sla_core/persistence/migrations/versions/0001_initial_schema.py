"""Initial schema: customer accounts, tickets, the ticket event log, reference counters.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Migrations are frozen history: plain column types here, not the application's
# TypeDecorators (UTCDateTime stores exactly a DateTime(timezone=True)).
_INSTANT = sa.DateTime(timezone=True)
_OPEN = sa.text("status IN ('opened', 'acknowledged', 'in_progress', 'waiting_on_customer', "
                "'resolution_proposed')")


def upgrade() -> None:
    op.create_table(
        "customer_accounts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_accounts"),
    )
    op.create_table(
        "ticket_counters",
        sa.Column("prefix", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name="pk_ticket_counters"),
    )
    op.create_table(
        "account_members",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["customer_accounts.id"],
                                name="fk_account_members_account_id_customer_accounts", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "user_id", name="pk_account_members"),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ref", sa.String(32), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("reporter_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("assignee_id", sa.String(32), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("product_version", sa.String(40), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("contact_channel", sa.String(10), nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=True),
        sa.Column("affected_users", sa.String(200), nullable=True),
        sa.Column("code_sample", sa.Text(), nullable=True),
        sa.Column("severity", sa.String(12), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("opened_at", _INSTANT, nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.Column("resolved_at", _INSTANT, nullable=True),
        sa.Column("closed_at", _INSTANT, nullable=True),
        sa.Column("next_due_at", _INSTANT, nullable=True),
        sa.Column("slack_channel", sa.String(32), nullable=True),
        sa.Column("slack_ts", sa.String(32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["customer_accounts.id"],
                                name="fk_tickets_account_id_customer_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
        sa.UniqueConstraint("idempotency_key", name="uq_tickets_idempotency_key"),
        sa.UniqueConstraint("ref", name="uq_tickets_ref"),
    )
    op.create_index("ix_tickets_open_next_due", "tickets", ["next_due_at"],
                    postgresql_where=_OPEN, sqlite_where=_OPEN)
    op.create_index("ix_tickets_assignee_open_next_due", "tickets", ["assignee_id", "next_due_at"],
                    postgresql_where=_OPEN, sqlite_where=_OPEN)
    op.create_index("ix_tickets_reporter_status", "tickets", ["reporter_id", "status"])
    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("at", _INSTANT, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_ticket_events_ticket_id_tickets",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_events"),
        sa.UniqueConstraint("ticket_id", "seq", name="uq_ticket_events_ticket_seq"),
    )


def downgrade() -> None:
    op.drop_table("ticket_events")
    op.drop_index("ix_tickets_reporter_status", table_name="tickets")
    op.drop_index("ix_tickets_assignee_open_next_due", table_name="tickets")
    op.drop_index("ix_tickets_open_next_due", table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("account_members")
    op.drop_table("ticket_counters")
    op.drop_table("customer_accounts")
