"""Reading what the status page is built from, and a cheap fingerprint of it.

``data_version`` is one query of aggregates over the interruptions, the maintenance
windows and the ticket updates: it changes whenever a row is added, ended, cancelled or
an update is posted, so a cache can ask it instead of reading everything."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.store import maintenance_overlapping, outages_overlapping
from sla_core.availability.models import MaintenanceRow, OutageRow
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.status.build import DAYS_SHOWN, build_status
from sla_core.status.model import PublishedUpdate, StatusPage
from sla_core.tickets.actions import EventKind

# The key of an update's payload saying it was marked "publish on the status page".
PUBLISH = "publish"
UPCOMING = timedelta(days=366)  # maintenance to come further off is not announced yet


def read_status(uow: UnitOfWork, *, settings: AvailabilitySettings, timezone: ZoneInfo, now: datetime,
                days: int = DAYS_SHOWN) -> StatusPage:
    """The page at ``now``, read in one transaction."""
    start = now - max(settings.window, timedelta(days=days + 1))
    with uow:
        outages = outages_overlapping(uow.session, start=start, end=now + timedelta(seconds=1))
        windows = maintenance_overlapping(uow.session, start=start, end=now + UPCOMING)
        updates = published_updates(uow.session, {o.ticket_ref for o in outages if o.ticket_ref})
    return build_status(outages, windows, updates=updates, settings=settings, timezone=timezone, now=now,
                        days=days)


def published_updates(session: Session, refs: Iterable[str]) -> dict[str, list[PublishedUpdate]]:
    """The updates marked for the status page of the tickets ``refs``, by reference. Only
    an update's instant and text leave this function."""
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    rows = session.execute(
        select(Ticket.ref, TicketEvent.at, TicketEvent.payload)
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(Ticket.ref.in_(wanted), TicketEvent.type == EventKind.UPDATE_POSTED.value)
        .order_by(TicketEvent.at, TicketEvent.id))
    out: dict[str, list[PublishedUpdate]] = {}
    for ref, at, payload in rows:
        # JSON is read in Python: one test the same way on SQLite and PostgreSQL.
        if isinstance(payload, dict) and payload.get(PUBLISH) is True and str(payload.get("text") or "").strip():
            out.setdefault(ref, []).append(PublishedUpdate(at=at, text=str(payload["text"]).strip()))
    return out


def data_version(session: Session) -> tuple[object, ...]:
    """A fingerprint of everything the page is built from, in one round trip."""
    o, m, e = OutageRow, MaintenanceRow, TicketEvent
    query = select(
        select(func.count(o.id)).scalar_subquery(), select(func.max(o.id)).scalar_subquery(),
        select(func.count(o.ended_at)).scalar_subquery(), select(func.max(o.ended_at)).scalar_subquery(),
        select(func.count(m.id)).scalar_subquery(), select(func.max(m.id)).scalar_subquery(),
        select(func.count(m.cancelled_at)).scalar_subquery(),
        select(func.max(e.id)).where(e.type == EventKind.UPDATE_POSTED.value).scalar_subquery())
    row = session.execute(query).one()
    return tuple(str(v) if isinstance(v, datetime) else v for v in row)
