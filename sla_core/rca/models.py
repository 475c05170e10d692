"""The ``rcas`` table: one row per version of a ticket's root-cause analysis.

A version is edited in place while it is a draft or waiting for approval; once sent it is
never written again, and a correction is a new row (``version`` + 1, ``corrects`` naming
the one it replaces), so every version the customer received is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import JSONPayload, UTCDateTime


class RcaRow(Base):
    __tablename__ = "rcas"
    __table_args__ = (
        UniqueConstraint("ticket_id", "version", name="uq_rcas_ticket_version"),
        Index("ix_rcas_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # sla_core.rca.model.RcaStatus
    content: Mapped[dict[str, Any]] = mapped_column(JSONPayload)  # RcaContent.to_json()
    author_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edits: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    corrects: Mapped[int | None] = mapped_column(Integer)
