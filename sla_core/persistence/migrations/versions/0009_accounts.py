"""The account directory in the database: customer accounts gain their Slack team and
contact e-mails; their people (administrators, account holders, end users, by Slack user
id and/or e-mail), their shared channels, an audit trail and the seed marker are new.

``account_members`` goes: it was a copy of app.yaml rewritten at every start. The first
start after this upgrade copies app.yaml's accounts into the new tables (the seed marker
is absent), so nothing that file said is lost.

Revision ID: 0009_accounts
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_accounts"
down_revision = "0009_csat"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("customer_accounts") as batch:
        batch.add_column(sa.Column("slack_team_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("contact_emails", _JSON, nullable=True))
    op.drop_table("account_members")
    op.create_table(
        "account_people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("slack_user_id", sa.String(32), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("slack_team_id", sa.String(32), nullable=True),
        sa.Column("resolved_at", _INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["customer_accounts.id"],
                                name="fk_account_people_account_id_customer_accounts", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_account_people"),
        sa.UniqueConstraint("account_id", "slack_user_id", name="uq_account_people_account_user"),
        sa.UniqueConstraint("account_id", "email", name="uq_account_people_account_email"),
    )
    op.create_index("ix_account_people_slack_user", "account_people", ["slack_user_id"])
    op.create_index("ix_account_people_email", "account_people", ["email"])
    op.create_index("ix_account_people_account_role", "account_people", ["account_id", "role"])
    op.create_table(
        "account_channels",
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["customer_accounts.id"],
                                name="fk_account_channels_account_id_customer_accounts", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("channel_id", name="pk_account_channels"),
    )
    op.create_index("ix_account_channels_account", "account_channels", ["account_id"])
    op.create_table(
        "account_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _INSTANT, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("old", _JSON, nullable=True),
        sa.Column("new", _JSON, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_account_audit"),
    )
    op.create_index("ix_account_audit_account_at", "account_audit", ["account_id", "at"])
    op.create_table(
        "directory_seed",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seeded_at", _INSTANT, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_directory_seed"),
    )


def downgrade() -> None:
    op.drop_table("directory_seed")
    op.drop_index("ix_account_audit_account_at", table_name="account_audit")
    op.drop_table("account_audit")
    op.drop_index("ix_account_channels_account", table_name="account_channels")
    op.drop_table("account_channels")
    op.drop_index("ix_account_people_account_role", table_name="account_people")
    op.drop_index("ix_account_people_email", table_name="account_people")
    op.drop_index("ix_account_people_slack_user", table_name="account_people")
    op.drop_table("account_people")
    op.create_table(
        "account_members",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["customer_accounts.id"],
                                name="fk_account_members_account_id_customer_accounts", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "user_id", name="pk_account_members"),
    )
    with op.batch_alter_table("customer_accounts") as batch:
        batch.drop_column("contact_emails")
        batch.drop_column("slack_team_id")
