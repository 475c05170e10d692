"""The monthly summary, for the scheduler's tick: whether last month's is owed, and the
notification that posts it. Pure functions; ``sla_core.scheduler.periodic`` reads the
store and records the decision.

When it is owed: from the opening of this month's first business day (local time, the
policy's business calendar: 1 January, and a Monday 1st that is a holiday, are skipped),
for the month that ended, until it has been decided. A replica that was down on the day
catches up at its next tick, and the summary then says it is late: *late* means decided
after that first business day (a later calendar day), not a tick or two after 09:00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sla_core.outbox.address import AnnouncementChannel, Fallback
from sla_core.outbox.model import MonthlySummary, Notification
from sla_core.policy import Policy
from sla_core.reports.model import MonthReport
from sla_core.reports.month import Month


@dataclass(frozen=True, kw_only=True)
class SummaryOwed:
    month: Month  # the month that ended
    due: datetime  # the opening of the next month's first business day
    late: bool  # ``now`` is past that day


def monthly_summary_due(policy: Policy, now: datetime, last_decided: Month | None) -> SummaryOwed | None:
    """Last month's summary, if it is owed at ``now`` and was not decided yet (the latest
    month decided is ``last_decided``); otherwise None."""
    this = Month.of(now, policy.timezone)
    due = policy.business_calendar.next_opening(this.window(policy.timezone)[0])
    previous = this.previous()
    if now < due or (last_decided is not None and last_decided >= previous):
        return None
    late = now.astimezone(policy.timezone).date() > due.astimezone(policy.timezone).date()
    return SummaryOwed(month=previous, due=due, late=late)


def summary_notification(report: MonthReport, owed: SummaryOwed, *, channel: str | None = None) -> Notification:
    """Posted once per month (the key is ``report:YYYY-MM``): to ``channel`` if given
    (``reports.channel``), else to the leads' channel."""
    payload = MonthlySummary(month=report.month.label, breaches=len(report.breaches),
                             availability=round(report.availability_worst.ratio, 6), due=owed.due, late=owed.late)
    return Notification(key=f"report:{report.month.label}", payload=payload,
                        address=AnnouncementChannel(channel=channel, otherwise=Fallback.LEADS), due_at=owed.due,
                        ready_at=max(owed.due, report.generated_at))
