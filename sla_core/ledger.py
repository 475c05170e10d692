"""SLA evidence: each clock's ledger, the answer to "why is this deadline where it is?".

A ledger is read from the model ``sla_core.clocks.model_clocks`` computed the clocks from
(the same regimes, pause spells and dues) and from the calendar's own account of the
time it counts (``Calendar.explain``, the windows ``between`` sums). It does no deadline
arithmetic of its own: it lays out, for the regime that set the due, which pieces of time
counted (in which opening window) and which did not, and why: night, weekend, a named
public holiday, an extra closed day, a pause (waiting on the customer, a pending
proposal, a resolved spell) with who set it, or time before an upgrade that restarted
the target. The counted pieces add up to the time elapsed on the clock, to the
microsecond; with the projected pieces from ``now`` to the due they add up to the target.

Planned maintenance does not appear: the policy never excludes it from the ticket clocks
(it is excluded from availability, ``sla_core.availability``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sla_core.calendar import Calendar
from sla_core.clock_model import ClockModel, PauseSpell, Regime
from sla_core.clocks import ClockEvent, ClockReport, ClockState, model_clocks
from sla_core.intervals import Interval
from sla_core.policy import Policy
from sla_core.severity import Severity

BEFORE_REGIME = "before_regime"  # time before an upgrade: the deciding target counts from the change


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One piece of a clock's time. Counted pieces carry their opening ``window`` (None
    on a 24/7 clock); the others their ``reason`` (night, weekend, holiday, closed_day,
    waiting_on_customer, resolution_proposed, resolved, before_regime), the holiday's
    name and local ``day``, or the pause ``spell`` (its whole span and who set it)."""

    start: datetime
    end: datetime
    counted: bool
    window: Interval | None = None
    reason: str | None = None
    holiday: str | None = None
    day: date | None = None
    spell: PauseSpell | None = None

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, kw_only=True)
class RegimeLine:
    """A regime of the clock, its due and the counted time it had consumed at the horizon."""

    regime: Regime
    due: datetime
    consumed: timedelta
    deciding: bool


@dataclass(frozen=True, kw_only=True)
class ClockLedger:
    state: ClockState
    start: datetime | None
    horizon: datetime  # the clock's stop, else now
    regimes: tuple[RegimeLine, ...]
    entries: tuple[Entry, ...]  # [start, horizon), in order, without gaps
    projected: tuple[Entry, ...]  # [horizon, due) of a clock still counting: what the due assumes
    target: timedelta | None
    elapsed: timedelta  # counted time of the deciding regime up to the horizon

    @property
    def remaining(self) -> timedelta | None:
        """Target left (negative: exceeded by that much)."""
        return None if self.target is None else self.target - self.elapsed

    @property
    def deciding(self) -> RegimeLine | None:
        return next((line for line in self.regimes if line.deciding), None)


@dataclass(frozen=True, kw_only=True)
class Ledger:
    severity: Severity
    opened_at: datetime
    now: datetime
    report: ClockReport
    clocks: tuple[ClockLedger, ClockLedger, ClockLedger]  # callback, update, resolution


def ledger(policy: Policy, *, opened_at: datetime, severity: Severity, events: Sequence[ClockEvent],
           now: datetime) -> Ledger:
    """The ledger of every clock of a ticket, from the same replay as ``compute_clocks``."""
    report, models = model_clocks(policy, opened_at=opened_at, severity=severity, events=events, now=now)
    clocks = tuple(_clock_ledger(policy, models[state.kind], state) for state in report.clocks)
    return Ledger(severity=report.severity, opened_at=opened_at, now=now, report=report,
                  clocks=clocks)  # type: ignore[arg-type]


def _clock_ledger(policy: Policy, model: ClockModel, state: ClockState) -> ClockLedger:
    if model.start is None or model.deciding is None:
        return ClockLedger(state=state, start=None, horizon=model.horizon, regimes=(), entries=(), projected=(),
                           target=None, elapsed=timedelta(0))
    lines = []
    spells = _Spells(model.spells)
    for i, (regime, due) in enumerate(zip(model.regimes, model.dues, strict=True)):
        counted = _pieces(policy.calendar(regime.policy.calendar), model, regime.anchor, model.horizon, spells)
        lines.append(RegimeLine(regime=regime, due=due, deciding=i == model.deciding,
                                consumed=sum((e.length for e in counted if e.counted), timedelta(0))))
    deciding, due = model.regimes[model.deciding], model.dues[model.deciding]
    calendar = policy.calendar(deciding.policy.calendar)
    entries: list[Entry] = []
    if deciding.anchor > model.start:
        entries.append(Entry(start=model.start, end=min(deciding.anchor, model.horizon), counted=False,
                             reason=BEFORE_REGIME))
    entries.extend(_pieces(calendar, model, deciding.anchor, model.horizon, spells))
    projected: tuple[Entry, ...] = ()
    if model.stop is None and due > model.horizon:
        projected = tuple(_calendar_entries(calendar, model.horizon, due))
    return ClockLedger(state=state, start=model.start, horizon=model.horizon, regimes=tuple(lines),
                       entries=tuple(entries), projected=projected, target=deciding.policy.target,
                       elapsed=sum((e.length for e in entries if e.counted), timedelta(0)))


def _pieces(calendar: Calendar, model: ClockModel, start: datetime, end: datetime,
            spells: _Spells | None = None) -> list[Entry]:
    """[start, end) cut by the clock's (merged) pauses, as the dues count them: the pauses
    named by the spells that cover them, the rest as the calendar explains it."""
    index = spells or _Spells(model.spells)
    out: list[Entry] = []
    cursor = start
    for p_start, p_end in model.pauses:
        if p_end <= cursor or p_start >= end:
            continue
        if p_start > cursor:
            out.extend(_calendar_entries(calendar, cursor, p_start))
        out.extend(_pause_entries(index, max(p_start, cursor), min(p_end, end)))
        cursor = max(cursor, min(p_end, end))
    if cursor < end:
        out.extend(_calendar_entries(calendar, cursor, end))
    return out


def _calendar_entries(calendar: Calendar, start: datetime, end: datetime) -> list[Entry]:
    return [Entry(start=s.start, end=s.end, counted=s.counted, window=s.window,
                  reason=None if s.closure is None else s.closure.reason,
                  holiday=None if s.closure is None else s.closure.holiday,
                  day=None if s.closure is None else s.closure.day)
            for s in calendar.explain(start, end)]


class _Spells:
    """The clock's spells (sorted by ``since``, as the model keeps them), indexed so that
    the earliest one covering an instant is found by two bisections rather than a scan of
    every spell (a ticket paused hundreds of times took seconds to explain)."""

    def __init__(self, spells: Sequence[PauseSpell]) -> None:
        self.spells = spells
        self.sinces = [s.since for s in spells]
        # The latest ``until`` among the spells up to each one: all spells before the first
        # whose running maximum passes an instant ended at or before it.
        self.reach: list[datetime | None] = []
        latest: datetime | None = None
        for spell in spells:
            if spell.until is not None and (latest is None or spell.until > latest):
                latest = spell.until
            self.reach.append(latest)

    def covering(self, instant: datetime) -> PauseSpell | None:
        """The first spell (in ``since`` order) with ``since <= instant < until``."""
        started = bisect_right(self.sinces, instant)  # spells[:started] began at or before it
        low, high = 0, started
        while low < high:  # the first spell whose running maximum of ``until`` passes the instant
            middle = (low + high) // 2
            reach = self.reach[middle]
            if reach is None or reach <= instant:
                low = middle + 1
            else:
                high = middle
        # That spell's own ``until`` is the running maximum (it raised it): it covers the
        # instant, and every spell before it ended at or before the instant.
        return self.spells[low] if low < started else None


def _pause_entries(spells: Sequence[PauseSpell] | _Spells, start: datetime, end: datetime) -> list[Entry]:
    """A merged pause, each piece named after the earliest spell covering it (two causes
    may overlap: waiting on the customer while a proposal is pending)."""
    index = spells if isinstance(spells, _Spells) else _Spells(spells)
    out: list[Entry] = []
    cursor = start
    while cursor < end:
        spell = index.covering(cursor)
        if spell is None:  # cannot happen: the pauses are these spells merged
            raise AssertionError(f"no pause spell covers {cursor.isoformat()}")
        stop = min(spell.until or end, end)
        out.append(Entry(start=cursor, end=stop, counted=False, reason=spell.cause, spell=spell))
        cursor = stop
    return out
