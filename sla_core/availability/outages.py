"""Interruption services: one call, one transaction (``with uow: … uow.commit()``),
keyword-only, ``now`` passed in. Agents (leads and on-call included) record them."""

from __future__ import annotations

from datetime import datetime

from sla_core.availability.compute import availability_at, worst_window_in_month
from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.errors import InvalidCause, InvalidInterval, OutageAlreadyEnded, OutageNotFound
from sla_core.availability.model import Availability, Cause, OutageView
from sla_core.availability.permissions import Capability, require
from sla_core.availability.store import maintenance_overlapping, outage_view, outages_overlapping
from sla_core.intervals import month_window, trailing_window
from sla_core.availability.models import OutageRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets.support import SupportConfig

CAUSES = ", ".join(c.value for c in Cause)


def parse_cause(value: object) -> Cause:
    try:
        return Cause(str(value).strip().lower())
    except ValueError:
        raise InvalidCause(f"{value!r} is not a cause of interruption (expected one of: {CAUSES}).",
                           cause=str(value), choices=[c.value for c in Cause]) from None


def start_outage(uow: UnitOfWork, *, support: SupportConfig, actor_id: str, service: str, cause: Cause,
                 started_at: datetime | None = None, ticket_ref: str | None = None, note: str = "",
                 now: datetime) -> OutageView:
    """An interruption going on (from ``started_at``, by default ``now``)."""
    require(support, actor_id, Capability.RECORD_OUTAGE)
    start = started_at or now
    _not_future(start, now, "started_at")
    return _insert(uow, actor_id=actor_id, service=service, cause=cause, start=start, end=None,
                   ticket_ref=ticket_ref, note=note, now=now)


def end_outage(uow: UnitOfWork, *, support: SupportConfig, actor_id: str, outage_id: int,
               ended_at: datetime | None = None, now: datetime) -> OutageView:
    require(support, actor_id, Capability.END_OUTAGE)
    end = ended_at or now
    _not_future(end, now, "ended_at")
    with uow:
        row = uow.session.get(OutageRow, outage_id)
        if row is None:
            raise OutageNotFound(outage_id)
        if row.ended_at is not None:
            raise OutageAlreadyEnded(f"Interruption #{outage_id} already ended at {row.ended_at.isoformat()}.",
                                     outage_id=outage_id, ended_at=row.ended_at.isoformat())
        if end <= row.started_at:
            raise InvalidInterval(f"The end ({end.isoformat()}) must be after the start "
                                  f"({row.started_at.isoformat()}).", field="ended_at")
        row.ended_at, row.ended_by = end, actor_id
        uow.session.flush()
        view = outage_view(row)
        uow.commit()
        return view


def record_outage(uow: UnitOfWork, *, support: SupportConfig, actor_id: str, service: str, cause: Cause,
                  started_at: datetime, ended_at: datetime, ticket_ref: str | None = None, note: str = "",
                  now: datetime) -> OutageView:
    """An interruption that is over, recorded afterwards with both instants."""
    require(support, actor_id, Capability.RECORD_OUTAGE)
    if ended_at <= started_at:
        raise InvalidInterval(f"The end ({ended_at.isoformat()}) must be after the start "
                              f"({started_at.isoformat()}).", field="ended_at")
    _not_future(ended_at, now, "ended_at")
    return _insert(uow, actor_id=actor_id, service=service, cause=cause, start=started_at, end=ended_at,
                   ticket_ref=ticket_ref, note=note, now=now)


def list_outages(uow: UnitOfWork, *, start: datetime, end: datetime) -> list[OutageView]:
    """Interruptions touching [start, end), oldest first."""
    with uow:
        return outages_overlapping(uow.session, start=start, end=end)


def list_outages_in_month(uow: UnitOfWork, *, policy: Policy, year: int, month: int) -> list[OutageView]:
    start, end = month_window(policy.timezone, year, month)
    return list_outages(uow, start=start, end=end)


def current_availability(uow: UnitOfWork, *, settings: AvailabilitySettings, now: datetime,
                         service: str | None = None) -> Availability:
    """Availability over the rolling window ending at ``now``."""
    start, end = trailing_window(now, settings.window)
    with uow:
        outages = outages_overlapping(uow.session, start=start, end=end)
        planned = maintenance_overlapping(uow.session, start=start, end=end)
    return availability_at(outages, planned, settings=settings, now=now, service=service)


def worst_availability_in_month(uow: UnitOfWork, *, policy: Policy, settings: AvailabilitySettings, year: int,
                                month: int, now: datetime, service: str | None = None) -> Availability:
    first, last = month_window(policy.timezone, year, month)
    start = trailing_window(first, settings.window)[0]
    with uow:
        outages = outages_overlapping(uow.session, start=start, end=last)
        planned = maintenance_overlapping(uow.session, start=start, end=last)
    return worst_window_in_month(outages, planned, settings=settings, timezone=policy.timezone, year=year,
                                 month=month, now=now, service=service)


def _insert(uow: UnitOfWork, *, actor_id: str, service: str, cause: Cause, start: datetime,
            end: datetime | None, ticket_ref: str | None, note: str, now: datetime) -> OutageView:
    name = (service or "").strip()
    if not name:
        raise InvalidInterval("Name the affected service (e.g. --service api).", code="service_required")
    with uow:
        row = OutageRow(service=name, cause=cause.value, started_at=start, ended_at=end,
                        ticket_ref=(ticket_ref or "").strip() or None, note=(note or "").strip(),
                        recorded_by=actor_id, ended_by=actor_id if end is not None else None, created_at=now)
        uow.session.add(row)
        uow.session.flush()
        view = outage_view(row)
        uow.commit()
        return view


def _not_future(instant: datetime, now: datetime, field: str) -> None:
    if instant > now:
        raise InvalidInterval(f"{field} {instant.isoformat(timespec='minutes')} is in the future: "
                              "record an interruption once it has begun.", field=field)
