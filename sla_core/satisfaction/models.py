"""The satisfaction survey's table: one row per ticket whose reporter was asked "How did we
do?", with their answer once given. Who, which severity, account and agent are copied from
the ticket when it is asked, so the monthly report groups answers without replaying logs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime


class SurveyRow(Base):
    """A survey: asked at ``asked_at``; ``score`` (1–5) and ``comment`` once answered."""

    __tablename__ = "satisfaction_surveys"
    # The fatigue window looks up a reporter's latest survey.
    __table_args__ = (Index("ix_satisfaction_surveys_reporter_id", "reporter_id", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_ref: Mapped[str] = mapped_column(String(32), unique=True)  # asked once per ticket
    ticket_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[str] = mapped_column(String(320))  # a Slack user, or mail:<address>
    account_id: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(12))
    agent_id: Mapped[str | None] = mapped_column(String(32))  # the ticket's assignee when it was asked
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    score: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str | None] = mapped_column(Text)
    commented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
