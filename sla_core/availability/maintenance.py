"""Planned maintenance services: leads schedule and cancel windows; the monthly budget is
enforced here. One call, one transaction; the window's Slack announcements are written
in it (outbox), the customers' email is composed here and sent by the caller after the
commit (then ``mark_notified``), so a mail server being down never loses the window."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import text

from sla_core.accounts.directory import maintenance_contacts
from sla_core.accounts.seed import ensure_seeded
from sla_core.availability.announce import (
    OutgoingEmail, cancelled_notice, maintenance_email, scheduled_notices, timed_keys,
)
from sla_core.availability.budget import budgets_with, minutes, month_budget, months_touched
from sla_core.availability.config import MaintenanceSettings
from sla_core.availability.errors import (
    AvailabilityError, InvalidInterval, MaintenanceAlreadyCancelled, MaintenanceNotFound, MaintenanceOverBudget,
    MaintenanceStarted,
)
from sla_core.availability.model import MaintenanceView, MonthBudget
from sla_core.availability.permissions import Capability, require
from sla_core.availability.store import drop_pending_notices, maintenance_overlapping, maintenance_view
from sla_core.intervals import month_window
from sla_core.outbox.store import enqueue
from sla_core.availability.models import MaintenanceRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets.support import SupportConfig

_BUDGET_LOCK = 0x6D61696E  # "main": serialises budget checks on PostgreSQL


@dataclass(frozen=True, kw_only=True)
class ScheduledMaintenance:
    window: MaintenanceView
    budgets: tuple[MonthBudget, ...]  # each month the window touches, with it counted
    email: OutgoingEmail | None  # None: carries critical fixes, customers are not emailed


def schedule_maintenance(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, settings: MaintenanceSettings,
                         actor_id: str, service: str, starts_at: datetime, ends_at: datetime,
                         critical_fixes: bool = False, reason: str = "", now: datetime) -> ScheduledMaintenance:
    require(support, actor_id, Capability.SCHEDULE_MAINTENANCE)
    name = (service or "").strip()
    if not name:
        raise InvalidInterval("Name the service under maintenance (e.g. --service api).", code="service_required")
    if ends_at <= starts_at:
        raise InvalidInterval(f"The end ({ends_at.isoformat()}) must be after the start ({starts_at.isoformat()}).",
                              field="end")
    if starts_at <= now:
        raise InvalidInterval("A planned window must start in the future: customers are told beforehand.",
                              code="maintenance_in_past", field="start")
    _seed(uow, support, settings, now)
    recipients = _recipients(uow, settings)
    if not critical_fixes and not recipients:
        raise AvailabilityError("Nobody to email about this window: give the customer accounts a contact_email "
                                "or list addresses in maintenance.notify in app.yaml.", code="no_recipients")
    with uow:
        _lock_budget(uow)
        first = month_window(policy.timezone, *months_touched(policy.timezone, starts_at, ends_at)[0])[0]
        last = month_window(policy.timezone, *months_touched(policy.timezone, starts_at, ends_at)[-1])[1]
        existing = maintenance_overlapping(uow.session, start=first, end=last)
        checks = budgets_with(existing, timezone=policy.timezone, start=starts_at, end=ends_at,
                              budget=settings.monthly_budget)
        for before, after in checks:
            if after.used > after.budget and not critical_fixes:
                raise MaintenanceOverBudget(
                    f"This window would take {after.label} to {minutes(after.used)} of planned maintenance, over "
                    f"its budget of {minutes(after.budget)}: {minutes(before.left)} left that month. Shorten it, "
                    "move it, or flag it --critical-fixes if it carries critical fixes.",
                    month=after.label, left_minutes=int(before.left.total_seconds() // 60),
                    budget_minutes=int(after.budget.total_seconds() // 60))
        row = MaintenanceRow(service=name, starts_at=starts_at, ends_at=ends_at, critical_fixes=critical_fixes,
                             reason=(reason or "").strip(), scheduled_by=actor_id, created_at=now)
        uow.session.add(row)
        uow.session.flush()
        window = maintenance_view(row)
        enqueue(uow.session, scheduled_notices(window, settings=settings, now=now), now=now)
        uow.commit()
    email = None if critical_fixes else maintenance_email(window, recipients=recipients, timezone=policy.timezone)
    return ScheduledMaintenance(window=window, budgets=tuple(after for _, after in checks), email=email)


def _seed(uow: UnitOfWork, support: SupportConfig, settings: MaintenanceSettings, now: datetime) -> None:
    """The directory, seeded from app.yaml if it never was: its accounts with the contact
    e-mails as this section read them (the same file's, in production)."""
    accounts = {a.id: replace(a, contact_emails=tuple(settings.contacts.get(a.id, ())))
                for a in support.accounts.values()}
    ensure_seeded(uow.engine, replace(support, accounts=accounts), now=now)


def _recipients(uow: UnitOfWork, settings: MaintenanceSettings) -> tuple[str, ...]:
    """The active accounts' contact e-mails as the directory has them now, else the
    ``notify`` list of app.yaml."""
    with uow.reading() as connection:
        return replace(settings, contacts=maintenance_contacts(connection)).recipients()


def mark_notified(uow: UnitOfWork, *, window_id: int, now: datetime) -> MaintenanceView:
    """The customers' email went out."""
    with uow:
        row = _row(uow, window_id)
        row.notified_at = now
        uow.session.flush()
        view = maintenance_view(row)
        uow.commit()
        return view


def notice_for(uow: UnitOfWork, *, policy: Policy, settings: MaintenanceSettings, window_id: int) -> OutgoingEmail:
    """The customers' email of a window again (to retry a failed sending)."""
    with uow:
        window = maintenance_view(_row(uow, window_id))
    return maintenance_email(window, recipients=_recipients(uow, settings), timezone=policy.timezone,
                             cancelled=not window.active)


def cancel_maintenance(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, settings: MaintenanceSettings,
                       actor_id: str, window_id: int, now: datetime) -> tuple[MaintenanceView, OutgoingEmail | None]:
    """Cancel a window that has not begun: its start and end announcements are withdrawn,
    the channel is told, and customers who were emailed get a cancellation email."""
    require(support, actor_id, Capability.CANCEL_MAINTENANCE)
    with uow:
        row = _row(uow, window_id)
        if row.cancelled_at is not None:
            raise MaintenanceAlreadyCancelled(f"Maintenance window #{window_id} is already cancelled.",
                                              window_id=window_id)
        if row.starts_at <= now:
            raise MaintenanceStarted(f"Maintenance window #{window_id} has already begun; it cannot be cancelled.",
                                     window_id=window_id)
        row.cancelled_at, row.cancelled_by = now, actor_id
        uow.session.flush()
        window = maintenance_view(row)
        drop_pending_notices(uow.session, timed_keys(window.id))
        enqueue(uow.session, [cancelled_notice(window, settings=settings, now=now)], now=now)
        uow.commit()
    email = None
    if window.notified_at is not None:
        email = maintenance_email(window, recipients=_recipients(uow, settings), timezone=policy.timezone,
                                  cancelled=True)
    return window, email


def list_maintenance(uow: UnitOfWork, *, start: datetime, end: datetime,
                     include_cancelled: bool = True) -> list[MaintenanceView]:
    with uow:
        return maintenance_overlapping(uow.session, start=start, end=end, include_cancelled=include_cancelled)


def maintenance_budget(uow: UnitOfWork, *, policy: Policy, settings: MaintenanceSettings, year: int,
                       month: int) -> MonthBudget:
    start, end = month_window(policy.timezone, year, month)
    with uow:
        windows = maintenance_overlapping(uow.session, start=start, end=end)
    return month_budget(windows, timezone=policy.timezone, year=year, month=month, budget=settings.monthly_budget)


def _row(uow: UnitOfWork, window_id: int) -> MaintenanceRow:
    row = uow.session.get(MaintenanceRow, window_id)
    if row is None:
        raise MaintenanceNotFound(window_id)
    return row


def _lock_budget(uow: UnitOfWork) -> None:
    # Two leads scheduling at once must not both fit in the last hour of a month. SQLite
    # transactions begin IMMEDIATE (one writer); PostgreSQL takes a transaction lock.
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _BUDGET_LOCK})
