"""Users' preferences, read and written in the caller's session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sla_core.preferences.models import UserPreference


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def language_preference(session: Session, user_id: str) -> str | None:
    if "\x00" in user_id:  # no such user can have stored anything; PostgreSQL refuses NUL in text
        return None
    return session.scalar(select(UserPreference.language).where(UserPreference.user_id == user_id))


def set_language_preference(session: Session, *, user_id: str, language: str | None, now: datetime) -> None:
    stmt = _insert(session)(UserPreference).values(user_id=user_id, language=language, updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["user_id"],
                                               set_={"language": language, "updated_at": now}))
