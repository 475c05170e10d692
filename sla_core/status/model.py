"""The status page's values: frozen, no ORM row, no text (the words are the adapter's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum


class State(str, Enum):
    """The service's state at one instant, worst first when several apply."""

    INTERRUPTED = "interrupted"  # a vendor interruption is going on outside any maintenance window
    MAINTENANCE = "maintenance"  # a planned maintenance window is under way
    DEGRADED = "degraded"  # an interruption recorded as degraded is going on
    OPERATIONAL = "operational"


@dataclass(frozen=True, kw_only=True)
class PublishedUpdate:
    """An agent's update on a ticket linked to an interruption, marked "publish on the
    status page": its instant and its text, nothing else of the ticket."""

    at: datetime
    text: str


@dataclass(frozen=True, kw_only=True)
class Interruption:
    id: int
    service: str
    started_at: datetime
    ended_at: datetime | None  # None: still going on
    degraded: bool
    counted: bool  # counts against availability (vendor-caused, the service down)
    updates: tuple[PublishedUpdate, ...]  # newest first

    @property
    def ongoing(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True, kw_only=True)
class PlannedWindow:
    id: int
    service: str
    starts_at: datetime
    ends_at: datetime
    reason: str  # written by a lead for the customers' announcement


@dataclass(frozen=True, kw_only=True)
class DayBar:
    """One local calendar day (23 or 25 hours on a DST change), up to ``now`` for today."""

    day: date
    length: timedelta  # the real time of the day that has passed
    downtime: timedelta  # counted against availability
    excluded: timedelta  # planned maintenance and interruptions the contract leaves out
    degraded: timedelta  # degraded service: shown, not counted

    @property
    def availability(self) -> float:
        return 1.0 - self.downtime / self.length if self.length > timedelta(0) else 1.0

    @property
    def quiet(self) -> bool:
        return not (self.downtime or self.excluded or self.degraded)


@dataclass(frozen=True, kw_only=True)
class StatusPage:
    now: datetime
    timezone: str  # the policy's, in which days and times are written
    state: State
    current: tuple[Interruption, ...]  # going on now
    maintenance_now: tuple[PlannedWindow, ...]  # under way now
    upcoming: tuple[PlannedWindow, ...]  # to come, soonest first
    days: tuple[DayBar, ...]  # oldest first, today last
    availability: float  # over the rolling window ending now
    target: float
    window_days: int
    downtime: timedelta  # counted in the rolling window
    past: tuple[Interruption, ...]  # ended within the days shown, newest first

    @property
    def met(self) -> bool:
        return self.availability >= self.target
