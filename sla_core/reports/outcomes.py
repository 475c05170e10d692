"""Each ticket's clocks replayed from its event log into outcomes: met, breached or
pending, with how long and by how much, every measure in the clock's own calendar.

No deadline arithmetic here: every due comes from ``compute_clocks``. The update clock
restarts at each update, so one report at the end shows only its last interval; we ask
the engine at successive event instants instead. Just before event *j* (the log up to
*j*-1, evaluated at event *j*'s instant) the running interval has its due; if event *j*
restarts or stops it, that interval ended at event *j* — late if after its due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sla_core.clocks import ClockEvent, ClockState, ClockStatus, compute_clocks
from sla_core.policy import Policy
from sla_core.reports.model import BREACHED, MET, PENDING, ClockOutcome, Reason, TicketOutcome
from sla_core.tickets.lifecycle import EventKind
from sla_core.tickets.records import clock_events, opening_severity
from sla_core.tickets.views import EventView

_DONE = {ClockStatus.MET: MET, ClockStatus.BREACHED: BREACHED}


def ticket_outcome(policy: Policy, *, ref: str, title: str, events: Sequence[EventView],
                   now: datetime) -> TicketOutcome:
    opened_at = events[0].at
    severity = opening_severity(events)
    clock_log = clock_events(events)
    as_of = max(now, events[-1].at)
    report = compute_clocks(policy, opened_at=opened_at, severity=severity, events=clock_log, now=as_of)
    return TicketOutcome(
        ref=ref, title=title, severity=report.severity, opened_at=opened_at,
        callback=_outcome(policy, "callback", report.callback, as_of),
        resolution=_outcome(policy, "resolution", report.resolution, as_of),
        updates=tuple(update_intervals(policy, opened_at=opened_at, severity=severity, events=clock_log, now=as_of)),
        reasons=tuple(reasons(events)),
    )


def _outcome(policy: Policy, clock: str, state: ClockState, as_of: datetime) -> ClockOutcome:
    calendar = state.calendar or "24/7"
    cal = policy.calendar(calendar)
    assert state.started_at is not None
    outcome = _DONE.get(state.state, PENDING)
    if state.state is ClockStatus.STOPPED:
        outcome = PENDING  # never reached: not a measure of the clock
    elapsed = cal.between(state.started_at, state.stopped_at) if state.stopped_at is not None else None
    late_by = None
    if outcome == BREACHED and state.due is not None:
        late_by = cal.between(state.due, state.stopped_at or as_of)
    return ClockOutcome(clock=clock, outcome=outcome, started_at=state.started_at, due=state.due,
                        stopped_at=state.stopped_at, calendar=calendar, elapsed=elapsed, late_by=late_by)


def update_intervals(policy: Policy, *, opened_at: datetime, severity: object, events: Sequence[ClockEvent],
                     now: datetime) -> list[ClockOutcome]:
    """Every update interval: closed ones met or breached, the last one pending unless
    already past its due at ``now``."""
    out: list[ClockOutcome] = []

    def update_state(prefix: int, at: datetime) -> ClockState:
        return compute_clocks(policy, opened_at=opened_at, severity=severity,  # type: ignore[arg-type]
                              events=events[:prefix], now=at).update

    for j, event in enumerate(events):
        before = update_state(j, event.at)
        if before.started_at is None or before.stopped_at is not None or before.due is None:
            continue
        after = update_state(j + 1, event.at)
        if after.started_at != before.started_at or after.stopped_at is not None:
            out.append(_interval(policy, before, stop=event.at, index=len(out) + 1, as_of=now))
    last = update_state(len(events), now)
    if last.started_at is not None and last.stopped_at is None and last.due is not None:
        late = last.due < now
        cal = policy.calendar(last.calendar or "24/7")
        out.append(ClockOutcome(clock="update", outcome=BREACHED if late else PENDING, started_at=last.started_at,
                                due=last.due, stopped_at=None, calendar=last.calendar or "24/7",
                                late_by=cal.between(last.due, now) if late else None, index=len(out) + 1))
    return out


def _interval(policy: Policy, state: ClockState, *, stop: datetime, index: int, as_of: datetime) -> ClockOutcome:
    assert state.started_at is not None and state.due is not None
    calendar = state.calendar or "24/7"
    cal = policy.calendar(calendar)
    late = stop > state.due
    return ClockOutcome(clock="update", outcome=BREACHED if late else MET, started_at=state.started_at,
                        due=state.due, stopped_at=stop, calendar=calendar,
                        elapsed=cal.between(state.started_at, stop),
                        late_by=cal.between(state.due, stop) if late else None, index=index)


def reasons(events: Sequence[EventView]) -> list[Reason]:
    """What the log says about why clocks moved: severity changes with their reasons,
    waiting periods, rejected resolutions, reopenings."""
    out: list[Reason] = []
    waiting_since: EventView | None = None
    for e in events:
        p = e.payload
        if e.type is EventKind.SEVERITY_CHANGED:
            out.append(Reason(kind="severity_changed", at=e.at, before=str(p.get("from", "?")),
                              after=str(p.get("to", "?")), text=str(p.get("reason") or "")))
        elif e.type is EventKind.WAITING_ON_CUSTOMER and waiting_since is None:
            waiting_since = e
        elif e.type is EventKind.CUSTOMER_REPLIED and waiting_since is not None:
            out.append(Reason(kind="waiting", at=waiting_since.at, until=e.at,
                              text=str(waiting_since.payload.get("question") or "")))
            waiting_since = None
        elif e.type is EventKind.RESOLUTION_REJECTED:
            out.append(Reason(kind="resolution_rejected", at=e.at, text=str(p.get("reason") or "")))
        elif e.type is EventKind.REOPENED:
            out.append(Reason(kind="reopened", at=e.at, text=str(p.get("reason") or "")))
    if waiting_since is not None:
        out.append(Reason(kind="waiting", at=waiting_since.at, until=None,
                          text=str(waiting_since.payload.get("question") or "")))
    return out
