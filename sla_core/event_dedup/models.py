"""The table of ``sla_core.event_dedup``: the events already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime


class SeenSlackEvent(Base):
    """Slack retries an event it thinks we missed (X-Slack-Retry-Num); Bolt does not
    dedupe. Every replica records the ``event_id`` it handles here first: the one whose
    insert wins handles it."""

    __tablename__ = "seen_slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
