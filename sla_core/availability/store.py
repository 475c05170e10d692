"""Reading and writing interruptions and maintenance windows inside a unit of work's
session. Never commits: the service owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from sla_core.availability.model import Cause, MaintenanceView, OutageView
from sla_core.outbox.store import PENDING
from sla_core.availability.models import MaintenanceRow, OutageRow
from sla_core.outbox.models import OutboxRow


def outage_view(row: OutageRow) -> OutageView:
    return OutageView(id=row.id, service=row.service, cause=Cause(row.cause), started_at=row.started_at,
                      ended_at=row.ended_at, ticket_ref=row.ticket_ref, note=row.note, recorded_by=row.recorded_by)


def maintenance_view(row: MaintenanceRow) -> MaintenanceView:
    return MaintenanceView(id=row.id, service=row.service, starts_at=row.starts_at, ends_at=row.ends_at,
                           critical_fixes=row.critical_fixes, reason=row.reason, scheduled_by=row.scheduled_by,
                           notified_at=row.notified_at, cancelled_at=row.cancelled_at)


def outages_overlapping(session: Session, *, start: datetime, end: datetime) -> list[OutageView]:
    """Interruptions that touch [start, end), still-open ones included."""
    query = (select(OutageRow)
             .where(OutageRow.started_at < end, or_(OutageRow.ended_at.is_(None), OutageRow.ended_at > start))
             .order_by(OutageRow.started_at, OutageRow.id))
    return [outage_view(r) for r in session.scalars(query)]


def maintenance_overlapping(session: Session, *, start: datetime, end: datetime,
                            include_cancelled: bool = False) -> list[MaintenanceView]:
    query = select(MaintenanceRow).where(MaintenanceRow.starts_at < end, MaintenanceRow.ends_at > start)
    if not include_cancelled:
        query = query.where(MaintenanceRow.cancelled_at.is_(None))
    return [maintenance_view(r) for r in session.scalars(query.order_by(MaintenanceRow.starts_at, MaintenanceRow.id))]


def drop_pending_notices(session: Session, keys: list[str]) -> int:
    """Withdraw announcements that were never sent (a cancelled window's start and end)."""
    result = session.execute(delete(OutboxRow).where(OutboxRow.key.in_(keys), OutboxRow.status == PENDING))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
