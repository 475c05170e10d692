"""The monthly summary, for the scheduler's tick: whether last month's is due, and the
notification that posts it. Pure functions; the lead hooks them into the tick."""

from __future__ import annotations

from datetime import datetime

from sla_core.outbox.model import Audience, Notification, NotificationKind
from sla_core.policy import Policy
from sla_core.reports.model import MonthReport
from sla_core.reports.month import Month
from sla_core.reports.text import percent


def monthly_summary_due(policy: Policy, now: datetime, last_posted_month: Month | None) -> Month | None:
    """Last month, once the first business day of this month has opened (local time, the
    policy's business calendar: 1 January and a Monday 1st that is a holiday are skipped)
    and as long as it has not been posted; otherwise None. A replica that was down on the
    day catches up at its next tick."""
    this = Month.of(now, policy.timezone)
    due = policy.business_calendar.next_opening(this.window(policy.timezone)[0])
    previous = this.previous()
    if now < due or (last_posted_month is not None and last_posted_month >= previous):
        return None
    return previous


def summary_text(report: MonthReport) -> str:
    lines = [f"SLA summary for {report.month.label}:"]
    for s in report.severities:
        if s.opened:
            lines.append(f"• {s.severity.value}: {s.opened} opened — callbacks {percent(s.callbacks)}, "
                         f"updates {percent(s.updates)}, resolutions {percent(s.resolutions)} on time")
    if len(lines) == 1:
        lines.append("• no ticket opened")
    worst = report.availability_worst
    lines.append(f"• availability (worst 30 days): {worst.ratio:.2%} against {worst.target:.1%}"
                 + ("" if worst.met else " — missed"))
    budget = report.maintenance_budget
    lines.append(f"• planned maintenance: {int(budget.used.total_seconds() // 60)} of "
                 f"{int(budget.budget.total_seconds() // 60)} minutes")
    lines.append(f"• breaches: {len(report.breaches)} (astreinte report --month {report.month.label})")
    return "\n".join(lines)


def summary_notification(report: MonthReport, *, channel: str | None = None) -> Notification:
    """Posted once per month (the key is ``report:YYYY-MM``): to ``channel`` if given
    (``reports.channel``), else to the leads' channel."""
    payload: dict[str, object] = {
        "rung": "leads", "month": report.month.label, "text": summary_text(report),
        "breaches": len(report.breaches), "availability": round(report.availability_worst.ratio, 6),
    }
    if channel:
        payload["channel"] = channel
    return Notification(key=f"report:{report.month.label}", kind=NotificationKind.ANNOUNCEMENT,
                        audience=Audience.CHANNEL, due_at=report.generated_at, payload=payload)
