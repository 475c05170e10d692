"""The outbox table: every message the bot owes Slack, written in the transaction of the
change that caused it, delivered later by the sender (``bot/delivery``).

``key`` is unique: ``INSERT … ON CONFLICT DO NOTHING`` makes deciding a notification
idempotent (two replicas deciding the same reminder write one row). A sender claims rows
with a short lease (``claimed_until``) that it renews while it works; a row whose lease
ran out while ``sending`` (its holder died or stalled) is taken over by another sender
(``takeovers`` counts it), with an unknown outcome: it is checked against Slack (message
metadata) before it is sent again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import JSONPayload, UTCDateTime


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # The sender's query: what is ready to go (pending, or sending with an expired lease).
        Index("ix_outbox_status_ready", "status", "ready_at"),
        Index("ix_outbox_ticket", "ticket_id", "id"),
        # /metrics sums take-overs at every scrape: only the few rows ever taken over.
        Index("ix_outbox_taken_over", "id", postgresql_where=text("takeovers > 0"), sqlite_where=text("takeovers > 0")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONPayload)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when it became due
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime())  # not before (next opening, backoff, lease)
    status: Mapped[str] = mapped_column(String(10))  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last renewal + lease
    takeovers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
