"""Building a month's report: one read transaction, then pure figures.

The tickets of a month are those opened in it (policy time zone); their outcomes are
known as of ``now`` (a ticket opened on the 30th may be resolved in the next month: its
resolution still belongs to the month it was opened in). Pending clocks are counted
apart, never as met."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from sla_core.availability.budget import month_budget
from sla_core.availability.compute import availability_between, worst_window_in_month
from sla_core.availability.config import AvailabilityConfig
from sla_core.availability.store import maintenance_overlapping, outages_overlapping
from sla_core.intervals import trailing_window
from sla_core.persistence.models import Ticket
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.reports.model import (
    BREACHED, MET, PENDING, Breach, ClockOutcome, ClockTarget, MonthReport, Rate, RcaFigures, SeverityFigures,
    TicketOutcome, Timing,
)
from sla_core.config.rca_section import RcaSettings
from sla_core.rca.obligations import obligations
from sla_core.reports.month import Month
from sla_core.config.satisfaction import SatisfactionSettings
from sla_core.satisfaction.figures import month_figures
from sla_core.reports.outcomes import ticket_outcome
from sla_core.severity import Severity
from sla_core.tickets.records import event_view


def build_month_report(uow: UnitOfWork, *, policy: Policy, config: AvailabilityConfig, month: Month,
                       now: datetime, satisfaction: SatisfactionSettings | None = None,
                       rca: RcaSettings | None = None) -> MonthReport:
    start, end = month.window(policy.timezone)
    horizon = min(end, max(now, start))
    history_start = trailing_window(start, config.availability.window)[0]
    with uow:
        rows = list(uow.session.scalars(select(Ticket).where(Ticket.opened_at >= start, Ticket.opened_at < end)
                                        .order_by(Ticket.opened_at, Ticket.id)))
        logs = uow.tickets.events_of([r.id for r in rows])
        outcomes = [ticket_outcome(policy, ref=r.ref, title=r.title,
                                   events=[event_view(r.ref, e) for e in logs[r.id]], now=now) for r in rows]
        outages = outages_overlapping(uow.session, start=history_start, end=end)
        planned = maintenance_overlapping(uow.session, start=history_start, end=end, include_cancelled=True)
        low_mark = (satisfaction or SatisfactionSettings()).low_score_at_most
        csat = month_figures(uow.session, start=start, end=end, low_score_at_most=low_mark,
                             severities=[s.value for s in Severity])
        rca_figures = rca_counts(uow, policy=policy, settings=rca, start=start, end=end, now=now) if rca else None
    active = [m for m in planned if m.active]
    worst = worst_window_in_month(outages, active, settings=config.availability, timezone=policy.timezone,
                                  year=month.year, month=month.month, now=now)
    w_start, w_end = trailing_window(horizon, config.availability.window)
    at_end = availability_between(outages, active, settings=config.availability, start=w_start, end=w_end, now=now)
    return MonthReport(
        month=month, timezone=policy.timezone.key, generated_at=now,
        severities=tuple(severity_figures(s, [o for o in outcomes if o.severity is s], policy=policy)
                         for s in Severity),
        breaches=tuple(breaches(outcomes)), business_day=policy.business_day,
        availability_worst=worst, availability_end=at_end,
        outages=tuple(o for o in outages if o.started_at < end and o.until(now) > start),
        maintenance_budget=month_budget(active, timezone=policy.timezone, year=month.year, month=month.month,
                                        budget=config.maintenance.monthly_budget),
        maintenance=tuple(m for m in planned if m.starts_at < end and m.ends_at > start),
        satisfaction=csat,
        rca=rca_figures,
    )


def rca_counts(uow: UnitOfWork, *, policy: Policy, settings: RcaSettings, start: datetime, end: datetime,
               now: datetime) -> RcaFigures:
    """The RCAs due in [start, end): on time, late (delivered after the due, or still owed
    past it at ``now``), pending (owed, not yet due)."""
    owed = [o for o in obligations(uow, policy=policy, settings=settings) if start <= o.due_at < end]
    on_time = sum(o.on_time() for o in owed)
    pending = sum(o.delivered_at is None and o.due_at > now for o in owed)
    return RcaFigures(due=len(owed), on_time=on_time, late=len(owed) - on_time - pending, pending=pending)


def severity_figures(severity: Severity, outcomes: Sequence[TicketOutcome], *, policy: Policy) -> SeverityFigures:
    callbacks = [o.callback for o in outcomes]
    resolutions = [o.resolution for o in outcomes]
    updates = [u for o in outcomes for u in o.updates]
    cb_times = [c.elapsed for c in callbacks if c.outcome != PENDING and c.elapsed is not None]
    res_times = [r.elapsed for r in resolutions if r.outcome != PENDING and r.elapsed is not None]
    return SeverityFigures(
        severity=severity, opened=len(outcomes), callbacks=rate(callbacks), updates=rate(updates),
        resolutions=rate(resolutions), callback_median=median(cb_times), callback_p90=percentile(cb_times, 90),
        resolution_median=median(res_times), resolution_p90=percentile(res_times, 90),
        callback_calendar=_calendar(callbacks), resolution_calendar=_calendar(resolutions),
        targets={kind: ClockTarget(amount=clock.target, calendar=clock.calendar)
                 for kind in ("callback", "update", "resolution")
                 for clock in (getattr(policy.of(severity), kind),)},
        callback_timings=timings(callbacks), resolution_timings=timings(resolutions),
    )


def timings(runs: Sequence[ClockOutcome]) -> tuple[Timing, ...]:
    return tuple(Timing(elapsed=r.elapsed, met=r.outcome == MET) for r in runs
                 if r.outcome != PENDING and r.elapsed is not None)


def rate(runs: Sequence[ClockOutcome]) -> Rate:
    return Rate(met=sum(r.outcome == MET for r in runs), breached=sum(r.outcome == BREACHED for r in runs),
                pending=sum(r.outcome == PENDING for r in runs))


def median(values: Sequence[timedelta]) -> timedelta | None:
    return statistics.median(sorted(values)) if values else None


def percentile(values: Sequence[timedelta], p: int) -> timedelta | None:
    """Nearest rank: the smallest value with at least p % of the values at or below it
    (always one of the measured times, never an interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def breaches(outcomes: Sequence[TicketOutcome]) -> list[Breach]:
    out = []
    for o in outcomes:
        for run in o.breaches:
            assert run.due is not None and run.late_by is not None
            out.append(Breach(ref=o.ref, title=o.title, severity=o.severity, clock=run.clock,
                              index=run.index if run.clock == "update" else 0,
                              due=run.due, stopped_at=run.stopped_at, late_by=run.late_by, calendar=run.calendar,
                              reasons=o.reasons))
    return sorted(out, key=lambda b: (b.severity.rank, b.due, b.ref))


def _calendar(runs: Sequence[ClockOutcome]) -> str:
    calendars = {r.calendar for r in runs}
    return calendars.pop() if len(calendars) == 1 else ("mixed" if calendars else "")
