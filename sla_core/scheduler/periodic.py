"""What the tick decides beyond tickets: the availability error budget running low
(rolling 30 days) and last month's SLA summary on the first business day of a month.

Availability warnings carry unique keys, so every replica may decide them at every tick:
the outbox keeps one row of each. The summary is decided once per month in the
``monthly_summaries`` table: the replica whose ``INSERT … ON CONFLICT DO NOTHING`` wins
enqueues it, in the same transaction.

A month the store holds no data for gets no summary: a desk whose first ticket was opened,
and whose first interruption was recorded, after that month's end (a server started
mid-month, say on 15 December) was not running then, and a summary of zeros would read as
a perfect month. Any ticket opened, outage recorded or maintenance window planned before
the month's end counts as data, even in an earlier month: a desk that ran through a quiet
month does post its (empty) summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sla_core.availability.config import AvailabilityConfig
from sla_core.availability.store import maintenance_overlapping, outages_overlapping
from sla_core.availability.warnings import budget_warnings
from sla_core.intervals import trailing_window
from sla_core.outbox.model import Notification
from sla_core.outbox.store import enqueue
from sla_core.availability.models import MaintenanceRow, OutageRow
from sla_core.persistence.models import Ticket
from sla_core.reports.models import MonthlySummaryRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.reports.build import build_month_report
from sla_core.reports.month import Month
from sla_core.reports.schedule import monthly_summary_due, summary_notification


def availability_notices(uow: UnitOfWork, *, config: AvailabilityConfig, now: datetime) -> list[Notification]:
    start, end = trailing_window(now, config.availability.window)
    with uow:
        outages = outages_overlapping(uow.session, start=start, end=end)
        planned = maintenance_overlapping(uow.session, start=start, end=end)
    return budget_warnings(outages, planned, settings=config.availability, now=now)


def last_summary_decided(session: Session) -> Month | None:
    label = session.scalar(select(func.max(MonthlySummaryRow.month)))
    return Month.parse(label, field="monthly_summaries") if label else None


def holds_data_before(session: Session, end: datetime) -> bool:
    """Whether anything was recorded before ``end``: a ticket, an outage, a window."""
    return any(session.scalar(select(exists().where(condition))) for condition in (
        Ticket.opened_at < end, OutageRow.started_at < end, MaintenanceRow.starts_at < end))


def post_monthly_summary(new_uow: Callable[[], UnitOfWork], *, policy: Policy, config: AvailabilityConfig,
                         now: datetime) -> Notification | None:
    """Decide last month's summary if it is owed and nobody has; returns it when this call
    decided it (and enqueued it), None otherwise."""
    uow = new_uow()
    with uow:
        owed = monthly_summary_due(policy, now, last_summary_decided(uow.session))
        if owed is None or not holds_data_before(uow.session, owed.month.window(policy.timezone)[1]):
            return None
    report = build_month_report(new_uow(), policy=policy, config=config, month=owed.month, now=now)
    notice = summary_notification(report, owed, channel=config.reports.channel)
    uow = new_uow()
    with uow:
        insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        won = uow.session.scalar(
            insert(MonthlySummaryRow).values(month=owed.month.label, decided_at=now, late=owed.late,
                                             outbox_key=notice.key)
            .on_conflict_do_nothing(index_elements=["month"]).returning(MonthlySummaryRow.month))
        if won is None:  # another replica decided it first
            return None
        enqueue(uow.session, [notice], now=now)
        uow.commit()
    return notice


def run_periodic(new_uow: Callable[[], UnitOfWork], *, policy: Policy, config: AvailabilityConfig,
                 now: datetime) -> int:
    """Decide and enqueue; returns how many rows were new."""
    added = 1 if post_monthly_summary(new_uow, policy=policy, config=config, now=now) else 0
    notices = availability_notices(new_uow(), config=config, now=now)
    if not notices:
        return added
    uow = new_uow()
    with uow:
        added += len(enqueue(uow.session, notices, now=now))
        uow.commit()
    return added
