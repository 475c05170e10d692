"""The bugs a ticket is linked to. The links are events in the ticket's log too (filed,
linked, recorded, status changed), which is what the ticket's surfaces show; these tables
answer the questions the log cannot answer quickly: which tickets does tracker issue X
concern (a webhook names the issue, not the ticket), and which linked bugs are still open
(polling)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime

# Known states of a bug: "unknown" until the tracker has told us, then "open" or "closed".
UNKNOWN, OPEN, CLOSED = "unknown", "open", "closed"


class Bug(Base):
    """One issue in the tracker, as last heard of (webhook, poll, or our own call)."""

    __tablename__ = "bugs"
    __table_args__ = (
        UniqueConstraint("tracker", "key", name="uq_bugs_tracker_key"),
        # Polling: the linked bugs not closed, least recently checked first.
        Index("ix_bugs_unclosed_checked", "checked_at", postgresql_where=text("state <> 'closed'"),
              sqlite_where=text("state <> 'closed'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracker: Mapped[str] = mapped_column(String(10))  # github | jira
    key: Mapped[str] = mapped_column(String(160))  # owner/name#42, PLAT-12
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(10))  # unknown | open | closed
    status: Mapped[str] = mapped_column(String(80), default="")  # the tracker's own word: "In Progress", "completed"
    fix_version: Mapped[str | None] = mapped_column(String(80))  # milestone / fixVersion: what a customer may see
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last heard from the tracker


class BugLink(Base):
    """A ticket ↔ a bug. ``filed``: the ticket's own filing created the issue."""

    __tablename__ = "bug_links"
    __table_args__ = (Index("ix_bug_links_bug", "bug_id"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    bug_id: Mapped[int] = mapped_column(ForeignKey("bugs.id", ondelete="CASCADE"), primary_key=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    linked_by: Mapped[str] = mapped_column(String(32))
    filed: Mapped[bool] = mapped_column(Boolean, default=False)
