"""Who is on call at an instant: a lead's override if one covers it, else the weekly
rotation of ``app.yaml``. Hand-overs happen at a local weekday and time in the policy's
time zone, so they follow daylight-saving changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sla_core.scheduler.config import Rotation


@dataclass(frozen=True, kw_only=True)
class Override:
    user_id: str
    starts_at: datetime
    ends_at: datetime
    set_by: str


@dataclass(frozen=True, kw_only=True)
class OnCall:
    primary: str | None
    secondary: str | None
    until: datetime | None  # the next hand-over or the end of the override
    source: str  # "override" | "rotation" | "none"


def on_call_at(rotation: Rotation | None, overrides: Sequence[Override], *, now: datetime,
               timezone: ZoneInfo) -> OnCall:
    """The primary and secondary on call at ``now``. The secondary is the next person in
    the rotation (or the rotation's primary when an override stands)."""
    active = [o for o in overrides if o.starts_at <= now < o.ends_at]
    rotating = _rotation_at(rotation, now, timezone) if rotation else None
    if active:
        chosen = max(active, key=lambda o: o.starts_at)  # the latest override wins
        secondary = rotating[0] if rotating and rotating[0] != chosen.user_id else (rotating[1] if rotating else None)
        return OnCall(primary=chosen.user_id, secondary=secondary, until=chosen.ends_at, source="override")
    if rotating is None:
        return OnCall(primary=None, secondary=None, until=None, source="none")
    primary, secondary, until = rotating
    return OnCall(primary=primary, secondary=secondary, until=until, source="rotation")


def _rotation_at(rotation: Rotation, now: datetime, timezone: ZoneInfo) -> tuple[str, str | None, datetime]:
    local = now.astimezone(timezone)
    # The most recent hand-over at or before now, in local wall time.
    days_back = (local.weekday() - rotation.handover_weekday) % 7
    day = local.date() - timedelta(days=days_back)
    handover = datetime.combine(day, rotation.handover_time, tzinfo=timezone)
    if handover > local:
        day -= timedelta(days=7)
        handover = datetime.combine(day, rotation.handover_time, tzinfo=timezone)
    weeks = (day - rotation.starts).days // 7
    people = rotation.people
    primary = people[weeks % len(people)]
    secondary = people[(weeks + 1) % len(people)] if len(people) > 1 else None
    following = datetime.combine(day + timedelta(days=7), rotation.handover_time, tzinfo=timezone)
    return primary, secondary, following
