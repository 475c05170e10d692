"""When an RCA falls due: ``rca.due_after`` after the ticket's resolution, counted in the
policy's calendar (business time skips nights, weekends and public holidays: the one
calendar the SLA clocks count in, ``sla_core.calendar``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sla_core.config.rca_section import RcaSettings
from sla_core.policy import Policy

_WEEK = timedelta(weeks=1)


def rca_due(policy: Policy, settings: RcaSettings, *, resolved_at: datetime) -> datetime:
    return policy.calendar(settings.due_calendar).add(resolved_at, settings.due_after)


def reminder_at(policy: Policy, settings: RcaSettings, *, due_at: datetime) -> datetime:
    """``remind_before`` the due, counted backwards in its calendar: the latest whole
    second from which ``remind_before`` of counted time remains until the due."""
    calendar = policy.calendar(settings.remind_calendar)
    # Calendars count forwards only: bisect over whole seconds (``between`` only shrinks
    # as its start moves later), within a span wide enough for any closure run.
    span = int((settings.remind_before * 10 + _WEEK * 3).total_seconds())
    if calendar.between(due_at - timedelta(seconds=span), due_at) < settings.remind_before:
        return due_at - timedelta(seconds=span)
    low, high = span, 0  # seconds before the due: ``low`` satisfies, ``high`` does not
    while low - high > 1:
        middle = (low + high) // 2
        if calendar.between(due_at - timedelta(seconds=middle), due_at) >= settings.remind_before:
            low = middle
        else:
            high = middle
    return due_at - timedelta(seconds=low)
