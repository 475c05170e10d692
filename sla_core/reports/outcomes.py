"""Each ticket's clocks replayed from its event log into outcomes: met, breached or
pending, with how long and by how much, every measure in the clock's own calendar.

No deadline arithmetic here: every due comes from ``compute_clocks``. The update clock
restarts at each update, so one report at the end shows only its last interval; we ask
the engine at successive event instants instead. Just before event *j* (the log up to
*j*-1, evaluated at event *j*'s instant) the running interval has its due; if event *j*
restarts or stops it, that interval ended at event *j* — late if after its due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sla_core.clocks import ClockEvent, ClockState, ClockStatus, compute_clocks
from sla_core.instants import format_instant
from sla_core.policy import Policy
from sla_core.reports.model import BREACHED, MET, PENDING, ClockOutcome, TicketOutcome
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
        reasons=tuple(reasons(policy, events)),
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


def reasons(policy: Policy, events: Sequence[EventView]) -> list[str]:
    """What the log says about why clocks moved: severity changes with their reasons,
    waiting periods, rejected resolutions, reopenings."""
    def at(t: datetime) -> str:
        return str(format_instant(t, timezone=policy.timezone))[:16].replace("T", " ")

    out: list[str] = []
    waiting_since: EventView | None = None
    for e in events:
        p = e.payload
        if e.type is EventKind.SEVERITY_CHANGED:
            out.append(f"severity {p.get('from', '?')} → {p.get('to', '?')} at {at(e.at)}: {p.get('reason', '')}")
        elif e.type is EventKind.WAITING_ON_CUSTOMER and waiting_since is None:
            waiting_since = e
        elif e.type is EventKind.CUSTOMER_REPLIED and waiting_since is not None:
            question = waiting_since.payload.get("question") or ""
            out.append(f"waiting on the customer {at(waiting_since.at)} – {at(e.at)}"
                       + (f" ({question})" if question else ""))
            waiting_since = None
        elif e.type is EventKind.RESOLUTION_REJECTED:
            out.append(f"resolution rejected at {at(e.at)}: {p.get('reason', '')}")
        elif e.type is EventKind.REOPENED:
            out.append(f"reopened at {at(e.at)}: {p.get('reason', '')}")
    if waiting_since is not None:
        out.append(f"waiting on the customer since {at(waiting_since.at)}")
    return out


def duration_text(amount: timedelta | None, calendar: str = "24/7") -> str:
    """ "1 h 05 min", "2 d 3 h" (business: "business" said), "—" for nothing."""
    if amount is None:
        return "—"
    total = int(amount.total_seconds() // 60)
    if calendar == "business":  # a business day is not 24 hours: say hours
        hours, mins = divmod(total, 60)
        return (f"{hours} h {mins:02d} min" if hours else f"{mins} min") + " business"
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if hours else [])
    return " ".join([*parts, f"{mins:02d} min" if parts else f"{mins} min"])
