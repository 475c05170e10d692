"""The ledger against the clocks, over thousands of random event logs: its sums give back
every clock's due and state, to the microsecond, whatever the log (pauses of both causes,
proposals, reopenings, upgrades and downgrades, over nights, weekends, holidays and DST
changes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sla_core.clock_model import ClockModel
from sla_core.clocks import ClockEvent, ClockStatus, EventType, compute_clocks, model_clocks
from sla_core.ledger import BEFORE_REGIME, ClockLedger, Entry, ledger
from sla_core.severity import Severity
from tests.engine.test_calendar_properties import POLICY, utc_instants

ZERO = timedelta(0)
steps = st.one_of(st.integers(0, 3 * 24 * 3600), st.integers(0, 4 * 3600), st.just(0)).map(
    lambda s: timedelta(seconds=s))
event = st.tuples(steps, st.sampled_from(list(EventType)), st.sampled_from(list(Severity)))


@st.composite
def logs(draw: st.DrawFn) -> tuple[datetime, Severity, list[ClockEvent], datetime]:
    opened = draw(utc_instants)
    at, events = opened, []
    for step, kind, severity in draw(st.lists(event, max_size=12)):
        at += step
        events.append(ClockEvent(at=at, type=kind, by=f"U{len(events)}",
                                 severity=severity if kind is EventType.SEVERITY_CHANGED else None))
    return opened, draw(st.sampled_from(list(Severity))), events, at + draw(steps)


def counted(entries: tuple[Entry, ...], until: datetime) -> timedelta:
    return sum((min(e.end, until) - e.start for e in entries if e.counted and e.start < until), ZERO)


@settings(max_examples=2000, deadline=None)
@given(log=logs())
def test_the_ledger_adds_up_to_every_clocks_due_and_state(log: tuple[datetime, Severity, list[ClockEvent],
                                                                     datetime]) -> None:
    opened, severity, events, now = log
    book = ledger(POLICY, opened_at=opened, severity=severity, events=events, now=now)
    assert book.report == compute_clocks(POLICY, opened_at=opened, severity=severity, events=events, now=now)
    models = model_clocks(POLICY, opened_at=opened, severity=severity, events=events, now=now)[1]
    for clock in book.clocks:
        check_clock(clock, models[clock.state.kind], now)


def check_clock(clock: ClockLedger, model: ClockModel, now: datetime) -> None:
    state = clock.state
    if state.state is ClockStatus.NOT_STARTED:
        assert clock.entries == () and clock.projected == () and clock.elapsed == ZERO
        return
    assert clock.start == state.started_at and clock.horizon == (state.stopped_at or now)
    # The entries cover [start, horizon) exactly: in order, disjoint, without gaps.
    pieces = [*clock.entries, *clock.projected]
    assert all(e.end > e.start for e in pieces)
    bounds = [clock.start, *(e.end for e in clock.entries)]
    assert [e.start for e in clock.entries] == bounds[:-1] and bounds[-1] == clock.horizon
    # The counted pieces are the time elapsed on the clock, and the consumed part of the target.
    assert clock.elapsed == counted(clock.entries, clock.horizon)
    assert clock.target == state.target and clock.remaining == state.target - clock.elapsed
    deciding = clock.deciding
    assert deciding is not None and deciding.due == state.due and deciding.consumed == clock.elapsed
    assert all(line.due >= deciding.due for line in clock.regimes)
    assert all(e.reason == BEFORE_REGIME for e in clock.entries if e.end <= deciding.regime.anchor)
    # From the deciding regime's anchor to the due, exactly its target counts (a clock
    # stopped before its due shows no projection: the rest of its target went unused, and
    # a pause that ended after the stop still moved the due).
    rest = ZERO
    if state.stopped_at is not None and state.due > clock.horizon:
        calendar = POLICY.calendar(deciding.regime.policy.calendar)
        rest = calendar.between(clock.horizon, state.due) - sum(
            (calendar.between(max(a, clock.horizon), min(b, state.due))
             for a, b in model.pauses if b > clock.horizon and a < state.due), ZERO)
    assert counted(tuple(pieces), state.due) + rest == state.target
    if clock.projected:
        assert clock.projected[0].start == clock.horizon and clock.projected[-1].end == state.due
        assert state.stopped_at is None
    # The state is the one the sums imply.
    breached = clock.horizon > state.due
    assert (state.state is ClockStatus.BREACHED) == breached
    assert (clock.elapsed >= state.target) if breached else (clock.elapsed <= state.target)
    # A counted piece lies in its opening window; a pause piece within its spell.
    for e in pieces:
        if e.counted and e.window is not None:
            assert e.window[0] <= e.start and e.end <= e.window[1]
        if e.spell is not None:
            assert e.spell.until is not None and e.spell.since <= e.start and e.end <= e.spell.until
            assert not e.counted and e.reason == e.spell.cause


@settings(max_examples=300, deadline=None)
@given(start=utc_instants, length=st.integers(0, 40 * 24 * 3600).map(lambda s: timedelta(seconds=s)))
def test_the_calendar_explains_exactly_the_time_it_counts(start: datetime, length: timedelta) -> None:
    calendar = POLICY.business_calendar
    spans = calendar.explain(start, start + length)
    assert sum((s.end - s.start for s in spans if s.counted), ZERO) == calendar.between(start, start + length)
    assert all(calendar.is_open(s.start) == s.counted for s in spans)
