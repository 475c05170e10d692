"""Events delivered at least once (Slack retries what it thinks we missed): each is
handled once, by the replica whose record of its id wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sla_core.event_dedup.models import SeenSlackEvent


def first_time_seen(session: Session, *, event_id: str, now: datetime) -> bool:
    """True for the first delivery of ``event_id``; False for Slack's retries of it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SeenSlackEvent).values(event_id=event_id, received_at=now)
    # RETURNING, not rowcount: psycopg 3 may report -1 for INSERT … ON CONFLICT.
    inserted = session.scalar(stmt.on_conflict_do_nothing(index_elements=["event_id"])
                              .returning(SeenSlackEvent.event_id))
    return inserted is not None


__all__ = ["first_time_seen"]
