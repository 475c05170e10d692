"""SLA clocks: one pure function of (policy, opened_at, severity, ordered events, now).

This module is the only place in Astreinte that does deadline arithmetic. Everything else
— tickets, the scheduler, Slack rendering, reports — asks ``compute_clocks`` and reads the
answer.

How a clock is modelled. A clock has a start, pause intervals, an optional stop, and one or
more *regimes*: (anchor instant, clock policy of a severity). A regime's deadline is the
earliest instant at which the regime's target of counted time has elapsed since its anchor,
in its own calendar, leaving out the pauses. The clock's deadline is the earliest deadline
of its regimes. That gives the contract's severity rules (reading 8) directly:

- a downgrade replaces the regimes by one anchored at the clock's original start with the
  new target: elapsed and paused time are kept;
- an upgrade adds a regime anchored at the change: min(current deadline, change + target).

Pauses shift every regime alike, so later pauses need no special case. A pause that is
still open is taken to end at ``now`` (the due instant shown for a paused clock is the one
it would have if the customer answered now), or at the clock's stop.

``model_clocks`` returns, beside the report, the model each state was read from (regimes,
pause spells with their cause and who set them; ``sla_core.clock_model``):
``sla_core.ledger`` explains a deadline from it, with no arithmetic of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sla_core.calendar import Calendar
from sla_core.clock_model import ClockModel, PauseSpell, Regime, ReplayedClock
from sla_core.errors import InputError
from sla_core.intervals import merge_intervals
from sla_core.policy import Policy
from sla_core.severity import ClockKind, Severity


WAITING, PROPOSAL, RESOLVED = "waiting_on_customer", "resolution_proposed", "resolved"  # causes of a pause


class EventType(str, Enum):
    CALLBACK = "callback"
    UPDATE = "update"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLUTION_REJECTED = "resolution_rejected"
    RESOLUTION_ACCEPTED = "resolution_accepted"
    SEVERITY_CHANGED = "severity_changed"
    REOPENED = "reopened"


class ClockStatus(str, Enum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    STOPPED = "stopped"


@dataclass(frozen=True, kw_only=True)
class ClockEvent:
    at: datetime
    type: EventType
    severity: Severity | None = None  # the new severity, for SEVERITY_CHANGED
    by: str | None = None  # who did it (shown in a ledger: "waiting on the customer, set by …")


@dataclass(frozen=True, kw_only=True)
class ClockState:
    kind: ClockKind
    state: ClockStatus
    due: datetime | None = None
    limit: datetime | None = None  # resolution only: the end of the contract's range
    warn_at: tuple[datetime, ...] = ()
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    breached_at: datetime | None = None
    target: timedelta | None = None  # the binding regime's target, in its own calendar
    calendar: str | None = None
    paused: bool = False  # true for a paused clock, also when it is already breached

    @property
    def is_running(self) -> bool:
        """Counting now (a running clock past its due is reported as breached)."""
        return self.state is ClockStatus.RUNNING or (
            self.state is ClockStatus.BREACHED and self.stopped_at is None and not self.paused)


@dataclass(frozen=True, kw_only=True)
class ClockReport:
    severity: Severity
    callback: ClockState
    update: ClockState
    resolution: ClockState
    auto_accept_at: datetime | None = None  # when a pending proposal counts as accepted
    resolved_at: datetime | None = None

    def clock(self, kind: ClockKind) -> ClockState:
        return {ClockKind.CALLBACK: self.callback, ClockKind.UPDATE: self.update,
                ClockKind.RESOLUTION: self.resolution}[kind]

    @property
    def clocks(self) -> tuple[ClockState, ClockState, ClockState]:
        return (self.callback, self.update, self.resolution)


def compute_clocks(
    policy: Policy,
    *,
    opened_at: datetime,
    severity: Severity,
    events: Sequence[ClockEvent],
    now: datetime,
) -> ClockReport:
    """Every clock's state at ``now`` for a ticket opened at ``opened_at`` with
    ``severity``, after ``events`` (in chronological order, none before the opening or
    after ``now``)."""
    return _report(policy, *_replay(policy, opened_at=opened_at, severity=severity, events=events, now=now), now)


def model_clocks(
    policy: Policy,
    *,
    opened_at: datetime,
    severity: Severity,
    events: Sequence[ClockEvent],
    now: datetime,
) -> tuple[ClockReport, dict[ClockKind, ClockModel]]:
    """``compute_clocks``' report, and the model of each clock it was read from."""
    replayed = _replay(policy, opened_at=opened_at, severity=severity, events=events, now=now)
    clocks = replayed[:3]
    return _report(policy, *replayed, now), {clock.kind: _model(policy, clock, now) for clock in clocks}


def _report(policy: Policy, callback: ReplayedClock, update: ReplayedClock, resolution: ReplayedClock,
            severity: Severity, auto_accept_at: datetime | None, resolved_at: datetime | None,
            now: datetime) -> ClockReport:
    return ClockReport(
        severity=severity,
        callback=_state(policy, callback, now),
        update=_state(policy, update, now),
        resolution=_state(policy, resolution, now, with_limit=True),
        auto_accept_at=auto_accept_at,
        resolved_at=resolved_at,
    )


_Replayed = tuple[ReplayedClock, ReplayedClock, ReplayedClock, Severity, datetime | None, datetime | None]


def _replay(policy: Policy, *, opened_at: datetime, severity: Severity, events: Sequence[ClockEvent],
            now: datetime) -> _Replayed:
    """The events replayed: the three clocks, the severity, the auto-acceptance instant
    of a pending proposal and the resolution instant."""
    _check_order(opened_at, events, now)
    current = severity
    sev = policy.of(current)
    callback = ReplayedClock(kind=ClockKind.CALLBACK)
    update = ReplayedClock(kind=ClockKind.UPDATE)
    resolution = ReplayedClock(kind=ClockKind.RESOLUTION)
    callback.begin(opened_at, sev.callback, current)
    resolution.begin(opened_at, sev.resolution, current)
    called_back = waiting = proposal_pending = resolved = False
    proposed_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    waiting_pauses = policy.pauses_on("waiting_on_customer")
    proposal_pauses = policy.pauses_on("resolution_proposed")
    by_kind = {ClockKind.UPDATE: update, ClockKind.RESOLUTION: resolution}

    def auto_accept_instant(at: datetime) -> datetime:
        return policy.calendar(policy.auto_accept_calendar).add(at, policy.auto_accept_after)

    for event in events:
        # A proposal left unanswered is accepted once the configured silence has passed.
        if proposal_pending and proposed_at is not None and auto_accept_instant(proposed_at) <= event.at:
            resolved_at = auto_accept_instant(proposed_at)
            _resolve(resolution, update, resolved_at, proposal_pauses)
            proposal_pending, resolved, resolved_by = False, True, None
        kind = event.type
        if kind is EventType.CALLBACK:
            if not called_back:
                called_back = True
                callback.end(event.at)
                if not resolved and not proposal_pending:
                    update.begin(event.at, policy.of(current).update, current)
                    if waiting and ClockKind.UPDATE in waiting_pauses:
                        update.pause(event.at, WAITING, event.by)
        elif kind is EventType.UPDATE:
            if called_back and not resolved and not proposal_pending:
                update.begin(event.at, policy.of(current).update, current)
                if waiting and ClockKind.UPDATE in waiting_pauses:
                    update.pause(event.at, WAITING, event.by)
        elif kind is EventType.WAITING_ON_CUSTOMER:
            if not waiting:
                waiting = True
                for k in waiting_pauses:
                    by_kind[k].pause(event.at, WAITING, event.by)
        elif kind is EventType.CUSTOMER_REPLIED:
            if waiting:
                waiting = False
                for k in waiting_pauses:
                    by_kind[k].resume(event.at, WAITING)
        elif kind is EventType.RESOLUTION_PROPOSED:
            if not proposal_pending and not resolved:
                proposal_pending, proposed_at = True, event.at
                for k in proposal_pauses:
                    by_kind[k].pause(event.at, PROPOSAL, event.by)
                if ClockKind.UPDATE not in proposal_pauses:
                    update.end(event.at, met_or_breached=False)
        elif kind is EventType.RESOLUTION_REJECTED:
            if proposal_pending:
                proposal_pending, proposed_at = False, None
                for k in proposal_pauses:
                    by_kind[k].resume(event.at, PROPOSAL)
                if policy.update_restarts_on_rejection and called_back and ClockKind.UPDATE not in proposal_pauses:
                    update.begin(event.at, policy.of(current).update, current)
        elif kind is EventType.RESOLUTION_ACCEPTED:
            if not resolved:
                _resolve(resolution, update, event.at, proposal_pauses if proposal_pending else frozenset())
                proposal_pending, resolved, resolved_at, resolved_by = False, True, event.at, event.by
        elif kind is EventType.REOPENED:
            if resolved:
                resolved, resolved_at = False, None
                # The resolved spell counts as a pause: elapsed time before it is kept.
                resolved_since = _last_stop(resolution, event.at)
                resolution.stop = None
                resolution.pauses.append(PauseSpell(since=resolved_since, until=event.at, cause=RESOLVED,
                                                    by=resolved_by))
                if called_back:
                    update.begin(event.at, policy.of(current).update, current)
        elif kind is EventType.SEVERITY_CHANGED:
            if event.severity is None:
                raise InputError("events[].severity", "a severity_changed event needs the new severity")
            new = event.severity
            if new is not current:
                upgrade = new.is_more_urgent_than(current)
                new_policy = policy.of(new)
                for clock in (callback, update, resolution):
                    clock.change_severity(event.at, new_policy.clock(clock.kind), new, upgrade=upgrade)
                current = new

    auto_accept_at = None
    if proposal_pending and proposed_at is not None:
        auto_accept_at = auto_accept_instant(proposed_at)
        if auto_accept_at <= now:
            resolved_at = auto_accept_at
            _resolve(resolution, update, auto_accept_at, proposal_pauses)
            auto_accept_at = None

    return callback, update, resolution, current, auto_accept_at, resolved_at


def _resolve(resolution: ReplayedClock, update: ReplayedClock, at: datetime,
             pauses_to_close: Iterable[ClockKind]) -> None:
    for clock in (resolution, update):
        if clock.kind in pauses_to_close:
            clock.resume(at, PROPOSAL)
    resolution.end(at)
    update.end(at, met_or_breached=False)


def _last_stop(clock: ReplayedClock, fallback: datetime) -> datetime:
    return clock.stop if clock.stop is not None else fallback


def _check_order(opened_at: datetime, events: Sequence[ClockEvent], now: datetime) -> None:
    if opened_at.tzinfo is None or now.tzinfo is None:
        raise InputError("opened_at" if opened_at.tzinfo is None else "now", "needs a time zone offset")
    if now < opened_at:
        raise InputError("now", f"{now.isoformat()} is before the ticket was opened ({opened_at.isoformat()})")
    previous = opened_at
    for i, event in enumerate(events):
        if event.at < opened_at:
            raise InputError(f"events[{i}].at", f"{event.at.isoformat()} is before the ticket was opened")
        if event.at < previous:
            raise InputError(f"events[{i}].at", f"{event.at.isoformat()} is earlier than the event before it")
        if event.at > now:
            raise InputError(f"events[{i}].at", f"{event.at.isoformat()} is after now ({now.isoformat()})")
        previous = event.at


# ---- deadline arithmetic -----------------------------------------------------------------
def deadline(calendar: Calendar, anchor: datetime, amount: timedelta,
             pauses: Sequence[tuple[datetime, datetime]]) -> datetime:
    """The earliest instant at which ``amount`` of counted time has elapsed since
    ``anchor`` in ``calendar``, not counting the (sorted, disjoint) ``pauses``."""
    cursor, remaining = anchor, amount
    for start, end in pauses:
        if end <= cursor:
            continue
        if start > cursor:
            candidate = calendar.add(cursor, remaining)
            if candidate <= start:
                return candidate
            remaining -= calendar.between(cursor, start)
        cursor = max(cursor, end)
    return calendar.add(cursor, remaining)


def _spells(clock: ReplayedClock, now: datetime) -> list[PauseSpell]:
    """The clock's pause spells of every cause, open ones ending at the stop (or ``now``)."""
    horizon = clock.stop if clock.stop is not None else now
    return [*clock.pauses, *(PauseSpell(since=s.since, until=max(horizon, s.since), cause=s.cause, by=s.by)
                             for s in clock.open_pauses.values())]


def _closed_pauses(clock: ReplayedClock, now: datetime) -> list[tuple[datetime, datetime]]:
    """The clock's pauses of every cause, open ones ending at the stop (or ``now``), merged."""
    horizon = clock.stop if clock.stop is not None else now
    return merge_intervals([*((s.since, s.until) for s in clock.pauses if s.until is not None),
                            *((s.since, max(horizon, s.since)) for s in clock.open_pauses.values())])


def _dues(policy: Policy, clock: ReplayedClock,
          pauses: Sequence[tuple[datetime, datetime]]) -> tuple[list[datetime], int]:
    """Each regime's due, and the index of the deciding regime: the earliest due, the
    latest regime on a tie (it re-arms the warnings)."""
    dues = [deadline(policy.calendar(r.policy.calendar), r.anchor, r.policy.target, pauses) for r in clock.regimes]
    best = 0
    for i, due in enumerate(dues):
        if due <= dues[best]:
            best = i
    return dues, best


def _model(policy: Policy, clock: ReplayedClock, now: datetime) -> ClockModel:
    horizon = clock.stop if clock.stop is not None else now
    if clock.start is None or not clock.regimes:
        return ClockModel(kind=clock.kind, start=None, stop=None, horizon=horizon, regimes=(), dues=(),
                          deciding=None, spells=(), pauses=())
    pauses = _closed_pauses(clock, now)
    dues, best = _dues(policy, clock, pauses)
    return ClockModel(kind=clock.kind, start=clock.start, stop=clock.stop, horizon=horizon,
                      regimes=tuple(clock.regimes), dues=tuple(dues), deciding=best,
                      spells=tuple(sorted(_spells(clock, now), key=lambda s: s.since)), pauses=tuple(pauses))


def _state(policy: Policy, clock: ReplayedClock, now: datetime, *, with_limit: bool = False) -> ClockState:
    if clock.start is None or not clock.regimes:
        return ClockState(kind=clock.kind, state=ClockStatus.NOT_STARTED)
    pauses = _closed_pauses(clock, now)
    dues, index = _dues(policy, clock, pauses)
    best, best_due = clock.regimes[index], dues[index]
    limit: datetime | None = None
    for regime in clock.regimes:
        cal = policy.calendar(regime.policy.calendar)
        if with_limit:
            amount = regime.policy.limit or regime.policy.target
            regime_limit = deadline(cal, regime.anchor, amount, pauses)
            limit = regime_limit if limit is None else min(limit, regime_limit)
    cal = policy.calendar(best.policy.calendar)
    warn_at = tuple(
        deadline(cal, best.anchor, _fraction(best.policy.target, f), pauses) for f in best.policy.warnings
    )
    paused = clock.stop is None and clock.paused
    if clock.stop is not None:
        if clock.stop > best_due:
            status, breached_at = ClockStatus.BREACHED, best_due
        else:
            status = ClockStatus.MET if clock.stopped_as_met_or_breached else ClockStatus.STOPPED
            breached_at = None
    elif best_due < now:
        status, breached_at = ClockStatus.BREACHED, best_due
    else:
        status, breached_at = (ClockStatus.PAUSED if paused else ClockStatus.RUNNING), None
    return ClockState(
        kind=clock.kind, state=status, due=best_due, limit=limit, warn_at=warn_at,
        started_at=clock.start, stopped_at=clock.stop, breached_at=breached_at,
        target=best.policy.target, calendar=best.policy.calendar, paused=paused,
    )


def _fraction(target: timedelta, fraction: float) -> timedelta:
    # Whole microseconds, rounded, so that 75 % of 60 minutes is exactly 45 minutes.
    return timedelta(microseconds=round(target / timedelta(microseconds=1) * fraction))


# ---- recurrences (escalations, pages) ----------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Recurrence:
    """Where ``now`` stands in the series ``start, start + period, start + 2·period, …``
    counted in a calendar: the latest occurrence at or before ``now`` (with its index), and
    the next one after it."""

    index: int | None  # None: the series has not begun
    latest: datetime | None
    following: datetime


def recurrence(calendar: Calendar, *, start: datetime, period: timedelta, now: datetime) -> Recurrence:
    if period <= timedelta(0):
        raise ValueError("a recurrence needs a positive period")
    if now < start:
        return Recurrence(index=None, latest=None, following=start)
    elapsed = calendar.between(start, now)
    index = elapsed // period
    latest = calendar.add(start, period * index)
    if latest > now:  # a window edge: the instant is reached at the window's close, not now
        index -= 1
        latest = calendar.add(start, period * index)
    return Recurrence(index=index, latest=latest, following=calendar.add(start, period * (index + 1)))


# =========================================================================================
