"""The month's report as plain frozen values; renderers only read these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sla_core.availability.model import Availability, MaintenanceView, MonthBudget, OutageView
from sla_core.reports.month import Month
from sla_core.satisfaction.figures import SatisfactionFigures
from sla_core.severity import Severity

MET, BREACHED, PENDING = "met", "breached", "pending"


@dataclass(frozen=True, kw_only=True)
class ClockOutcome:
    """One clock run: the callback, the resolution, or one update interval."""

    clock: str  # callback | update | resolution
    outcome: str  # met | breached | pending
    started_at: datetime
    due: datetime | None
    stopped_at: datetime | None
    calendar: str  # business | 24/7: what ``elapsed`` and ``late_by`` are counted in
    elapsed: timedelta | None = None  # start to stop, in the clock's own calendar
    late_by: timedelta | None = None  # breached: due to stop (or to the report's instant)
    index: int = 0  # update intervals: 1, 2, … in the ticket's order


@dataclass(frozen=True, kw_only=True)
class Reason:
    """Something the ticket's log says about why its clocks moved; renderers word it.

    ``kind``: severity_changed (``before`` → ``after`` at ``at``), waiting (``at`` to
    ``until``; ``until`` None: still waiting), resolution_rejected, reopened. ``text`` is
    the person's own words (a reason, the question asked)."""

    kind: str
    at: datetime
    until: datetime | None = None
    before: str = ""
    after: str = ""
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class ClockTarget:
    """What a clock promises: ``amount`` in ``calendar`` (business | 24/7)."""

    amount: timedelta
    calendar: str


@dataclass(frozen=True, kw_only=True)
class Timing:
    """One decided callback or resolution: how long it took (its calendar) and whether on time."""

    elapsed: timedelta
    met: bool


@dataclass(frozen=True, kw_only=True)
class TicketOutcome:
    ref: str
    title: str
    severity: Severity  # the ticket's severity as of the report (what its clocks were held to)
    opened_at: datetime
    callback: ClockOutcome
    resolution: ClockOutcome
    updates: tuple[ClockOutcome, ...]
    reasons: tuple[Reason, ...]  # severity changes, waiting periods, rejected resolutions

    @property
    def breaches(self) -> tuple[ClockOutcome, ...]:
        return tuple(c for c in (self.callback, *self.updates, self.resolution) if c.outcome == BREACHED)


@dataclass(frozen=True, kw_only=True)
class Rate:
    met: int
    breached: int
    pending: int = 0

    @property
    def decided(self) -> int:
        return self.met + self.breached

    @property
    def percent(self) -> float | None:
        return 100.0 * self.met / self.decided if self.decided else None


@dataclass(frozen=True, kw_only=True)
class SeverityFigures:
    severity: Severity
    opened: int
    callbacks: Rate
    updates: Rate
    resolutions: Rate
    callback_median: timedelta | None
    callback_p90: timedelta | None
    resolution_median: timedelta | None
    resolution_p90: timedelta | None
    callback_calendar: str
    resolution_calendar: str
    targets: dict[str, ClockTarget]  # callback, update, resolution: the policy's for this severity
    callback_timings: tuple[Timing, ...] = ()  # every decided callback (its distribution)
    resolution_timings: tuple[Timing, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Breach:
    ref: str
    title: str
    severity: Severity
    clock: str  # callback | update | resolution
    index: int  # update intervals: 1, 2, … (0 for the others)
    due: datetime
    stopped_at: datetime | None  # None: still running at the report's instant
    late_by: timedelta
    calendar: str
    reasons: tuple[Reason, ...]

    @property
    def clock_id(self) -> str:
        """``callback``, ``update #2``, ``resolution``: as machines read it (CSV)."""
        return f"update #{self.index}" if self.clock == "update" else self.clock


@dataclass(frozen=True, kw_only=True)
class RcaFigures:
    """Root-cause analyses falling due in the month: delivered by their due, delivered
    after it or still owed past it (late), and not yet due (pending)."""

    due: int
    on_time: int
    late: int
    pending: int


@dataclass(frozen=True, kw_only=True)
class MonthReport:
    month: Month
    timezone: str
    generated_at: datetime
    severities: tuple[SeverityFigures, ...]
    breaches: tuple[Breach, ...]
    business_day: timedelta  # one opening window: how business targets are written in days
    availability_worst: Availability
    availability_end: Availability  # the 30 days ending at the month's end (or now)
    outages: tuple[OutageView, ...]
    maintenance_budget: MonthBudget
    maintenance: tuple[MaintenanceView, ...]
    satisfaction: SatisfactionFigures | None = None  # "How did we do?" answers of the month
    rca: RcaFigures | None = None  # None: not asked for (sla_core.rca)
