"""Mail to the support address: every mail received and what was done with it, and the
dead letters (mail kept whole that could not be acted on).

A customer administrator known by their e-mail address only acts as ``mail:<address>``
(``sla_core.email.incoming.mail_actor``): ``tickets.reporter_id``,
``ticket_events.actor_id`` and ``satisfaction_surveys.reporter_id`` (a mailed ticket's
reporter is asked too) widen from 32 to 320 characters (5 + an address of up to 254, with
room). The directory's people keep their Slack id and their address in columns of their own
(``account_people``, 0009_accounts): no actor id is stored there, nothing to widen. PostgreSQL widens a VARCHAR in place; SQLite rebuilds the tables in batch
mode, as 0006 did, with foreign keys off (``sla_core.persistence.migrate``).

Revision ID: 0010_mail_in
Revises: 0009_rca
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_mail_in"
down_revision = "0010_connect"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_PENDING = "answer_to IS NOT NULL AND answered_at IS NULL"
_SLACK_ID, _ANY_ACTOR = 32, 320


_WIDENED = (("tickets", "reporter_id"), ("ticket_events", "actor_id"), ("satisfaction_surveys", "reporter_id"))


def _widen(size_before: int, size_after: int) -> None:
    for table, column in _WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(size_before), type_=sa.String(size_after),
                               existing_nullable=False)


def upgrade() -> None:
    _widen(_SLACK_ID, _ANY_ACTOR)
    op.create_table(
        "mail_in_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("received_at", _INSTANT, nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("ticket_ref", sa.String(32), nullable=True),
        sa.Column("answer_to", sa.String(320), nullable=True),
        sa.Column("answer_reason", sa.String(16), nullable=True),
        sa.Column("answer_language", sa.String(8), nullable=True),
        sa.Column("answer_account", sa.String(64), nullable=True),
        sa.Column("answered_at", _INSTANT, nullable=True),
        sa.Column("answer_attempts", sa.Integer(), nullable=False),
        sa.Column("answer_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_in_messages"),
        sa.UniqueConstraint("dedupe_key", name="uq_mail_in_messages_dedupe_key"),
    )
    op.create_index("ix_mail_in_messages_sender_received", "mail_in_messages", ["sender", "received_at"])
    op.create_index("ix_mail_in_messages_answer_pending", "mail_in_messages", ["id"],
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    op.create_table(
        "mail_in_dead_letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("received_at", _INSTANT, nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("envelope_sender", sa.String(320), nullable=True),
        sa.Column("sender", sa.String(320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("retried_at", _INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_in_dead_letters"),
    )
    op.create_index("ix_mail_in_dead_letters_status", "mail_in_dead_letters", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_mail_in_dead_letters_status", table_name="mail_in_dead_letters")
    op.drop_table("mail_in_dead_letters")
    op.drop_index("ix_mail_in_messages_answer_pending", table_name="mail_in_messages")
    op.drop_index("ix_mail_in_messages_sender_received", table_name="mail_in_messages")
    op.drop_table("mail_in_messages")
    longer = op.get_bind().execute(sa.text(
        "SELECT reporter_id FROM tickets WHERE length(reporter_id) > :n UNION "
        "SELECT actor_id FROM ticket_events WHERE length(actor_id) > :n UNION "
        "SELECT reporter_id FROM satisfaction_surveys WHERE length(reporter_id) > :n"), {"n": _SLACK_ID}).scalars().all()
    if longer:  # never cut who reported or did something to make it fit
        raise RuntimeError(f"cannot narrow reporter and actor ids to {_SLACK_ID} characters: {', '.join(longer)}")
    _widen(_ANY_ACTOR, _SLACK_ID)
