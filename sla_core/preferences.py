"""Users' preferences and the record of Slack events already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sla_core.persistence.preference_models import SeenSlackEvent, UserPreference


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def first_time_seen(session: Session, *, event_id: str, now: datetime) -> bool:
    """True for the first delivery of ``event_id``; False for Slack's retries of it."""
    stmt = _insert(session)(SeenSlackEvent).values(event_id=event_id, received_at=now)
    # RETURNING, not rowcount: psycopg 3 may report -1 for INSERT … ON CONFLICT.
    inserted = session.scalar(stmt.on_conflict_do_nothing(index_elements=["event_id"])
                              .returning(SeenSlackEvent.event_id))
    return inserted is not None


def language_preference(session: Session, user_id: str) -> str | None:
    if "\x00" in user_id:  # no such user can have stored anything; PostgreSQL refuses NUL in text
        return None
    return session.scalar(select(UserPreference.language).where(UserPreference.user_id == user_id))


def set_language_preference(session: Session, *, user_id: str, language: str | None, now: datetime) -> None:
    stmt = _insert(session)(UserPreference).values(user_id=user_id, language=language, updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["user_id"],
                                               set_={"language": language, "updated_at": now}))
