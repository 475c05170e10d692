"""The tables. Only this module knows SQLAlchemy mappings; the domain sees frozen views.

The ticket event log is the single source of truth: SLA clocks are derived from it with
``sla_core.clocks.compute_clocks``. The ``tickets`` row keeps only what the log implies and
queries need fast: current status and severity, a version for optimistic concurrency and
``next_due_at`` (the scheduler's index), all rewritten in the transaction of each event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, false, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sla_core.field_limits import TICKET_FIELDS
from sla_core.persistence.types import JSONPayload, UTCDateTime

# Stable constraint names, so migrations can refer to them on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Statuses in which SLA work is still owed; the partial indexes below cover them only.
OPEN_STATUSES = ("opened", "acknowledged", "in_progress", "waiting_on_customer", "resolution_proposed")
_OPEN_SQL = "status IN ('opened', 'acknowledged', 'in_progress', 'waiting_on_customer', 'resolution_proposed')"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def typed_text(field: str) -> String:
    """The column type of a field the reporter types (``sla_core.field_limits``): as long
    as the modal lets them write, so that no accepted form can fail to be stored."""
    limit = TICKET_FIELDS[field]
    return Text() if limit.multiline else String(limit.max_length)


class TicketCounter(Base):
    """The last number handed out per (prefix, year). Incremented with one atomic upsert
    whose row lock lasts until commit, so references are distinct and gap-free."""

    __tablename__ = "ticket_counters"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # The scheduler's tick: open tickets due before T.
        Index("ix_tickets_open_next_due", "next_due_at",
              postgresql_where=text(_OPEN_SQL), sqlite_where=text(_OPEN_SQL)),
        # An agent's open queue ordered by next due.
        Index("ix_tickets_assignee_open_next_due", "assignee_id", "next_due_at",
              postgresql_where=text(_OPEN_SQL), sqlite_where=text(_OPEN_SQL)),
        Index("ix_tickets_reporter_status", "reporter_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    reporter_id: Mapped[str] = mapped_column(String(320))  # a Slack user, or mail:<address> (sla_core.email)
    account_id: Mapped[str] = mapped_column(ForeignKey("customer_accounts.id"))
    assignee_id: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(typed_text("title"))
    description: Mapped[str] = mapped_column(typed_text("description"))
    category: Mapped[str] = mapped_column(String(40))
    product_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    contact_channel: Mapped[str] = mapped_column(String(10))
    contact_phone: Mapped[str | None] = mapped_column(typed_text("contact_phone"))
    affected_users: Mapped[str | None] = mapped_column(typed_text("affected_users"))
    code_sample: Mapped[str | None] = mapped_column(typed_text("code_sample"))
    severity: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(24))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))  # a string: "1700000000.000100"
    version: Mapped[int] = mapped_column(Integer)  # optimistic concurrency, see repository
    # The Slack message the ticket was opened from (sla_core/tickets/source.py), if any.
    source_channel: Mapped[str | None] = mapped_column(String(32))
    source_ts: Mapped[str | None] = mapped_column(String(32))
    source_permalink: Mapped[str | None] = mapped_column(String(500))
    source_shared: Mapped[bool] = mapped_column(Boolean, server_default=false())


class TicketEvent(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "ticket_events"
    __table_args__ = (UniqueConstraint("ticket_id", "seq", name="uq_ticket_events_ticket_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str] = mapped_column(String(320))  # as reporter_id
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONPayload)


# Tickets refer to customer_accounts, which the account directory defines: registered with
# this module so that any import of the tickets' tables sees it too.
from sla_core.accounts import models as _account_models  # noqa: E402,F401
