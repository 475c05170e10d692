"""The status page as a pure function of what was recorded and ``now``.

- State: an interruption going on outside any maintenance window is "interrupted"; a
  maintenance window under way (or an interruption recorded as planned maintenance) is
  "in maintenance"; an interruption recorded as degraded is "degraded"; else
  "operational". The worst applies.
- Interruptions the customer caused (theirs, their internet) concern one customer, not
  the service: they are not listed, and count in the bars only as excluded time, as the
  contract excludes them.
- Days are local calendar days in the policy's time zone, so a DST day lasts 23 or 25
  hours; today lasts until ``now``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sla_core.availability.compute import availability_at, counted_intervals, excluded_intervals
from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import Cause, MaintenanceView, OutageView
from sla_core.intervals import Interval, covered
from sla_core.status.model import DayBar, Interruption, PlannedWindow, PublishedUpdate, State, StatusPage

DAYS_SHOWN = 90
# The causes that are the service's own state; the others are one customer's.
SERVICE_CAUSES = frozenset({Cause.VENDOR, Cause.PLANNED_MAINTENANCE})


def build_status(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                 updates: Mapping[str, Sequence[PublishedUpdate]], settings: AvailabilitySettings,
                 timezone: ZoneInfo, now: datetime, days: int = DAYS_SHOWN) -> StatusPage:
    """``outages`` and ``maintenance``: at least those touching the last ``days`` days and
    the rolling window, and the windows to come; ``updates``: published updates by ticket
    reference."""
    now = now.astimezone(UTC)
    windows = [m for m in maintenance if m.active]
    shown = [o for o in outages if o.cause in SERVICE_CAUSES and o.started_at <= now]
    going_on = [o for o in shown if o.ended_at is None or o.ended_at > now]
    under_way = [m for m in windows if m.starts_at <= now < m.ends_at]
    bars = _days(outages, windows, timezone=timezone, now=now, count=days)
    first_day = datetime.combine(bars[0].day, time(0), tzinfo=timezone).astimezone(UTC)
    rolling = availability_at(outages, windows, settings=settings, now=now)
    return StatusPage(
        now=now, timezone=timezone.key, state=_state(going_on, under_way),
        current=tuple(_interruption(o, updates) for o in reversed(going_on)),
        maintenance_now=tuple(_planned(m) for m in under_way),
        upcoming=tuple(_planned(m) for m in sorted(windows, key=lambda m: m.starts_at) if m.starts_at > now),
        days=bars, availability=rolling.ratio, target=settings.target, window_days=settings.window.days,
        downtime=rolling.downtime,
        past=tuple(_interruption(o, updates) for o in sorted(shown, key=lambda o: o.started_at, reverse=True)
                   if o not in going_on and o.ended_at is not None and o.ended_at > first_day))


def _state(going_on: Sequence[OutageView], under_way: Sequence[MaintenanceView]) -> State:
    down = [o for o in going_on if not o.degraded]
    if any(o.cause is Cause.VENDOR for o in down) and not under_way:
        return State.INTERRUPTED
    if under_way or any(o.cause is Cause.PLANNED_MAINTENANCE for o in down):
        return State.MAINTENANCE
    if going_on:
        return State.DEGRADED
    return State.OPERATIONAL


def _interruption(o: OutageView, updates: Mapping[str, Sequence[PublishedUpdate]]) -> Interruption:
    published = updates.get(o.ticket_ref, ()) if o.ticket_ref else ()
    return Interruption(id=o.id, service=o.service, started_at=o.started_at, ended_at=o.ended_at,
                        degraded=o.degraded, counted=o.counts,
                        updates=tuple(sorted(published, key=lambda u: u.at, reverse=True)))


def _planned(m: MaintenanceView) -> PlannedWindow:
    return PlannedWindow(id=m.id, service=m.service, starts_at=m.starts_at, ends_at=m.ends_at, reason=m.reason)


def local_days(timezone: ZoneInfo, now: datetime, count: int) -> list[tuple[date, datetime, datetime]]:
    """The last ``count`` local days, oldest first: (date, start, end) in UTC, today's end
    being ``now``. Midnight exists every day in every zone we serve (changes happen at
    night but not at midnight in Europe); the UTC subtraction gives 23 or 25 hours."""
    today = now.astimezone(timezone).date()
    out = []
    for back in range(count - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time(0), tzinfo=timezone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=timezone).astimezone(UTC)
        out.append((day, start, min(end, now)))
    return out


def _days(outages: Sequence[OutageView], windows: Sequence[MaintenanceView], *, timezone: ZoneInfo,
          now: datetime, count: int) -> tuple[DayBar, ...]:
    counted = counted_intervals(outages, windows, now=now)
    excluded: list[Interval] = [*excluded_intervals(outages, now=now),
                                *((m.starts_at, min(m.ends_at, now)) for m in windows)]
    degraded = [(o.started_at, o.until(now)) for o in outages if o.degraded and o.cause.counts]
    return tuple(DayBar(day=day, length=end - start, downtime=covered(counted, start=start, end=end),
                        excluded=covered(excluded, start=start, end=end),
                        degraded=covered(degraded, start=start, end=end))
                 for day, start, end in local_days(timezone, now, count))
