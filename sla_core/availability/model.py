"""Availability values as the services hand them out: frozen, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class Cause(str, Enum):
    """Who an interruption is down to. Only ``vendor`` counts against availability: the
    contract excludes what the customer or its internet connection caused, and planned
    maintenance."""

    VENDOR = "vendor"
    CUSTOMER = "customer"
    CUSTOMER_INTERNET = "customer_internet"
    PLANNED_MAINTENANCE = "planned_maintenance"

    @property
    def counts(self) -> bool:
        return self is Cause.VENDOR


@dataclass(frozen=True, kw_only=True)
class OutageView:
    id: int
    service: str
    cause: Cause
    started_at: datetime
    ended_at: datetime | None  # None: still going on
    ticket_ref: str | None
    note: str
    recorded_by: str
    degraded: bool = False  # the service worked, degraded: shown, never counted

    @property
    def counts(self) -> bool:
        """Whether it counts against availability: vendor-caused and the service down."""
        return self.cause.counts and not self.degraded

    def until(self, now: datetime) -> datetime:
        """Its end, or ``now`` while it is still going on."""
        return self.ended_at if self.ended_at is not None else max(now, self.started_at)


@dataclass(frozen=True, kw_only=True)
class MaintenanceView:
    id: int
    service: str
    starts_at: datetime
    ends_at: datetime
    critical_fixes: bool
    reason: str
    scheduled_by: str
    notified_at: datetime | None
    cancelled_at: datetime | None

    @property
    def active(self) -> bool:
        return self.cancelled_at is None

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


@dataclass(frozen=True, kw_only=True)
class Availability:
    """Availability over one window of real time."""

    window_start: datetime
    window_end: datetime
    downtime: timedelta  # counted: vendor-caused, outside planned maintenance windows
    excluded: timedelta  # interruptions the contract leaves out (customer, internet, maintenance)
    target: float  # e.g. 0.995

    @property
    def length(self) -> timedelta:
        return self.window_end - self.window_start

    @property
    def ratio(self) -> float:
        return 1.0 - self.downtime / self.length if self.length > timedelta(0) else 1.0

    @property
    def budget(self) -> timedelta:
        """The downtime the target allows in this window (216 minutes in 30 days at 99.5 %)."""
        return timedelta(seconds=round(self.length.total_seconds() * (1 - self.target), 6))

    @property
    def budget_left(self) -> timedelta:
        return self.budget - self.downtime  # negative once the target is missed

    @property
    def met(self) -> bool:
        return self.ratio >= self.target


@dataclass(frozen=True, kw_only=True)
class MonthBudget:
    """Planned maintenance in one calendar month (policy time zone)."""

    year: int
    month: int
    budget: timedelta
    used: timedelta

    @property
    def left(self) -> timedelta:
        return max(self.budget - self.used, timedelta(0))

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
