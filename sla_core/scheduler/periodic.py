"""What the tick decides beyond tickets: the availability error budget running low
(rolling 30 days) and last month's SLA summary on the first business day of a month.
Both return notifications with unique keys, so every replica may decide them at every
tick: the outbox keeps one row of each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from sla_core.availability.config import AvailabilityConfig
from sla_core.availability.store import maintenance_overlapping, outages_overlapping
from sla_core.availability.warnings import budget_warnings
from sla_core.intervals import trailing_window
from sla_core.outbox.model import Notification
from sla_core.outbox.store import enqueue
from sla_core.persistence.outbox_models import OutboxRow
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


def last_summary_posted(uow: UnitOfWork) -> Month | None:
    with uow:
        key = uow.session.scalar(select(OutboxRow.key).where(OutboxRow.key.like("report:%"))
                                 .order_by(OutboxRow.key.desc()).limit(1))
    return Month.parse(key.removeprefix("report:"), field="outbox") if key else None


def monthly_summary_notice(new_uow: Callable[[], UnitOfWork], *, policy: Policy, config: AvailabilityConfig,
                           now: datetime) -> Notification | None:
    month = monthly_summary_due(policy, now, last_summary_posted(new_uow()))
    if month is None:
        return None
    report = build_month_report(new_uow(), policy=policy, config=config, month=month, now=now)
    return summary_notification(report, channel=config.reports.channel)


def run_periodic(new_uow: Callable[[], UnitOfWork], *, policy: Policy, config: AvailabilityConfig,
                 now: datetime) -> int:
    """Decide and enqueue; returns how many rows were new."""
    notices = availability_notices(new_uow(), config=config, now=now)
    summary = monthly_summary_notice(new_uow, policy=policy, config=config, now=now)
    if summary is not None:
        notices.append(summary)
    if not notices:
        return 0
    uow = new_uow()
    with uow:
        added = enqueue(uow.session, notices, now=now)
        uow.commit()
    return len(added)
