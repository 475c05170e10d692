"""The table of the monthly summaries decided (``sla_core.reports.schedule``).

One row per month, inserted with ``ON CONFLICT DO NOTHING`` in the transaction that
enqueues the summary: the replica whose insert wins posts it, every other one sees the
month as done. A row is the decision, not the delivery: the outbox row (``outbox_key``)
says whether Slack has it yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime


class MonthlySummaryRow(Base):
    __tablename__ = "monthly_summaries"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM, policy time zone
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean)  # decided after the month's first business day
    outbox_key: Mapped[str] = mapped_column(String(300))
