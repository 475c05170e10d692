"""Error-budget warnings for the agents' channel, as a pure function the scheduler's tick
calls: ``budget_warnings(outages, maintenance, settings=…, now=…)``.

A rolling window moves every tick, so a warning cannot be keyed by the window itself or
it would repeat every 15 seconds. It is keyed by the threshold and by the first counted
interruption still inside the window: the same episode of downtime warns once per
threshold; when that interruption has slid out of the 30 days and the budget is still
short, the next one anchors a new warning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sla_core.availability.compute import availability_at, counted_intervals
from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import MaintenanceView, OutageView
from sla_core.outbox.address import AnnouncementChannel, Fallback
from sla_core.outbox.model import AvailabilityWarning, Notification


def budget_warnings(outages: Sequence[OutageView], maintenance: Sequence[MaintenanceView], *,
                    settings: AvailabilitySettings, now: datetime, service: str | None = None) -> list[Notification]:
    figure = availability_at(outages, maintenance, settings=settings, now=now, service=service)
    counted = [(s, e) for s, e in counted_intervals(outages, maintenance, now=now, service=service)
               if e > figure.window_start and s < figure.window_end]
    if not counted:
        return []
    anchor = counted[0][0].strftime("%Y%m%dT%H%MZ")
    scope = service or "all"
    share_left = figure.budget_left / figure.budget if figure.budget else 0.0
    out = []
    thresholds = [(f"{round(f * 100)}pct", f) for f in settings.warn_below] + [("missed", 0.0)]
    for label, fraction in thresholds:
        if (share_left < fraction) or (label == "missed" and not figure.met):
            payload = AvailabilityWarning(
                threshold=label, service=scope, availability=round(figure.ratio, 6),
                budget_left_minutes=int(figure.budget_left.total_seconds() // 60),
                budget_minutes=int(figure.budget.total_seconds() // 60),
                window_start=figure.window_start, window_end=figure.window_end)
            out.append(Notification(key=f"availability:{scope}:{label}:{anchor}", payload=payload,
                                    address=AnnouncementChannel(channel=settings.channel, otherwise=Fallback.LEADS),
                                    due_at=now))
    return out
