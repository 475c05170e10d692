"""The table of ``sla_core.preferences``: users' own choices. (The frozen answers are plain
values; this module is the only one that knows the mapping.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime


class UserPreference(Base):
    """A user's own choices (App Home), e.g. the language they want to be spoken to in."""

    __tablename__ = "user_preferences"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
