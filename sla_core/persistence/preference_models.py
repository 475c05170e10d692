"""Tables of ``sla_core.preferences``: users' own choices, and the Slack events already
handled (Slack's retries are recognised by their ``event_id``)."""

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


class UserPreference(Base):
    """A user's own choices (App Home), e.g. the language they want to be spoken to in."""

    __tablename__ = "user_preferences"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
