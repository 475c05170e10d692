"""The planned-maintenance budget: at most so much a calendar month (3 hours by the
contract), months taken in the policy's time zone. A window across a month's end counts
in each month for the part that falls there. Windows that overlap (two services at once)
are counted once: the budget is about time the customer cannot rely on the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sla_core.availability.model import MaintenanceView, MonthBudget
from sla_core.intervals import covered, month_window


def months_touched(timezone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The calendar months (local) that [start, end) has time in."""
    first = start.astimezone(timezone)
    last = (end - timedelta(microseconds=1)).astimezone(timezone)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_budget(windows: Sequence[MaintenanceView], *, timezone: ZoneInfo, year: int, month: int,
                 budget: timedelta) -> MonthBudget:
    start, end = month_window(timezone, year, month)
    used = covered([(w.starts_at, w.ends_at) for w in windows if w.active], start=start, end=end)
    return MonthBudget(year=year, month=month, budget=budget, used=used)


def budgets_with(windows: Sequence[MaintenanceView], *, timezone: ZoneInfo, start: datetime, end: datetime,
                 budget: timedelta) -> list[tuple[MonthBudget, MonthBudget]]:
    """For each month a new window [start, end) touches: (before, after) adding it."""
    out = []
    for year, month in months_touched(timezone, start, end):
        before = month_budget(windows, timezone=timezone, year=year, month=month, budget=budget)
        m_start, m_end = month_window(timezone, year, month)
        used = covered([*[(w.starts_at, w.ends_at) for w in windows if w.active], (start, end)],
                       start=m_start, end=m_end)
        out.append((before, MonthBudget(year=year, month=month, budget=budget, used=used)))
    return out


def minutes(amount: timedelta) -> str:
    """ "2 h 05 min", "45 min": how budgets are written to people."""
    total = int(amount.total_seconds() // 60)
    hours, mins = divmod(abs(total), 60)
    sign = "-" if total < 0 else ""
    return f"{sign}{hours} h {mins:02d} min" if hours else f"{sign}{mins} min"
