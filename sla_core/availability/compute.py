"""Availability as pure functions of the recorded interruptions and maintenance windows.

What counts (the contract's exclusions): only vendor-caused interruptions, and only
outside the planned maintenance windows (a vendor outage during a scheduled window is
the maintenance itself; one that overruns the window counts from the window's end).
Overlapping interruptions are counted once: availability is about time, not records.
An interruption still going on counts up to ``now``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import Availability, MaintenanceView, OutageView
from sla_core.intervals import (
    Interval, covered, month_window, subtract_intervals, trailing_window, worst_window,
)
from zoneinfo import ZoneInfo


def counted_intervals(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                      now: datetime, service: str | None = None) -> list[Interval]:
    """The downtime that counts against the target, as disjoint intervals."""
    vendor = [(o.started_at, o.until(now)) for o in outages
              if o.counts and (service is None or o.service == service)]
    planned = [(m.starts_at, m.ends_at) for m in maintenance
               if m.active and (service is None or m.service == service)]
    return subtract_intervals(vendor, planned)


def excluded_intervals(outages: Sequence[OutageView], *, now: datetime, service: str | None = None) -> list[Interval]:
    return [(o.started_at, o.until(now)) for o in outages
            if not o.cause.counts and (service is None or o.service == service)]


def availability_between(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                         settings: AvailabilitySettings, start: datetime, end: datetime, now: datetime,
                         service: str | None = None) -> Availability:
    counted = counted_intervals(outages, maintenance, now=now, service=service)
    excluded = excluded_intervals(outages, now=now, service=service)
    return Availability(window_start=start, window_end=end, downtime=covered(counted, start=start, end=end),
                        excluded=covered(excluded, start=start, end=end), target=settings.target)


def availability_at(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                    settings: AvailabilitySettings, now: datetime, service: str | None = None) -> Availability:
    """Availability over the configured window (30 days) ending at ``now``."""
    start, end = trailing_window(now, settings.window)
    return availability_between(outages, maintenance, settings=settings, start=start, end=end, now=now,
                                service=service)


def worst_window_in_month(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                          settings: AvailabilitySettings, timezone: ZoneInfo, year: int, month: int,
                          now: datetime, service: str | None = None) -> Availability:
    """The lowest availability of any rolling window ending in the calendar month (up to
    ``now`` for the current month): "every 30-day period" is met in the month only if
    this one is."""
    first, last = month_window(timezone, year, month)
    last = min(last, max(now, first))
    counted = counted_intervals(outages, maintenance, now=now, service=service)
    (start, end), _ = worst_window(counted, first_end=first, last_end=last, length=settings.window)
    return availability_between(outages, maintenance, settings=settings, start=start, end=end, now=now,
                                service=service)
