"""Properties of the calendars (readings 1–3) and of the clocks, over any start in 2026–2028:
any time of day, weekends, holidays, the 09:00/18:00 edges and DST nights, and business
durations from one microsecond to 60 business days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sla_core.calendar import RoundTheClock
from sla_core.clocks import ClockEvent, EventType, compute_clocks
from sla_core.config import load_config
from sla_core.severity import Severity
from tests.engine.conftest import APP_YAML, PARIS

POLICY = load_config(APP_YAML).policy
BUSINESS = POLICY.business_calendar
US = timedelta(microseconds=1)
BUSINESS_DAY = timedelta(hours=9)
FAST = settings(max_examples=250, deadline=None)

FIRST, LAST = datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
DST_NIGHTS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31),
              date(2028, 3, 26), date(2028, 10, 29)]
HOLIDAYS = [date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15), date(2026, 12, 25),
            date(2027, 1, 1), date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17), date(2028, 5, 1)]
EDGES = [time(9), time(18), time(8, 59, 59, 999_999), time(17, 59, 59, 999_999), time(18, 0, 0, 1), time(0)]

anywhere = st.integers(0, (LAST - FIRST) // US).map(lambda us: FIRST + us * US)
on_the_edge = st.builds(
    lambda day, at, fold: datetime.combine(day, at, tzinfo=PARIS).replace(fold=fold).astimezone(UTC),
    st.dates(date(2026, 1, 1), date(2028, 12, 30)), st.sampled_from(EDGES), st.integers(0, 1))
in_a_dst_night = st.builds(
    lambda day, us: datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC) + us * US,
    st.sampled_from(DST_NIGHTS), st.integers(0, 6 * 3600 * 10**6))
around_a_holiday = st.builds(
    lambda day, us: datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC) + us * US,
    st.sampled_from(HOLIDAYS), st.integers(-36 * 3600 * 10**6, 60 * 3600 * 10**6))
utc_instants = st.one_of(anywhere, on_the_edge, in_a_dst_night, around_a_holiday)
# Half the time the same instant as Paris wall time: arithmetic must not depend on the zone.
starts = st.builds(lambda t, local: t.astimezone(PARIS) if local else t, utc_instants, st.booleans())

business_durations = st.one_of(
    st.integers(1, 60 * BUSINESS_DAY // US).map(lambda us: us * US),
    st.sampled_from([US, timedelta(minutes=45), timedelta(hours=1), BUSINESS_DAY, 2 * BUSINESS_DAY,
                     5 * BUSINESS_DAY, 7 * BUSINESS_DAY, 14 * BUSINESS_DAY, 28 * BUSINESS_DAY, 60 * BUSINESS_DAY]))


@FAST
@given(start=starts, duration=business_durations)
def test_a_business_deadline_is_the_end_of_counted_time_inside_an_open_window(start: datetime,
                                                                            duration: timedelta) -> None:
    due = BUSINESS.add(start, duration)
    assert due > start
    assert BUSINESS.is_open(due - US), "a deadline lies in (open, close] of an opening day"
    local = (due - US).astimezone(PARIS)
    assert time(9) <= local.time() < time(18) and local.weekday() < 5


@FAST
@given(start=starts, duration=business_durations)
def test_between_a_start_and_its_deadline_is_the_duration_and_the_deadline_is_the_earliest(
        start: datetime, duration: timedelta) -> None:
    due = BUSINESS.add(start, duration)
    assert BUSINESS.between(start, due) == duration
    assert BUSINESS.between(start, due - US) == duration - US


@FAST
@given(start=starts, shorter=business_durations, longer=business_durations)
def test_a_longer_target_never_has_an_earlier_deadline(start: datetime, shorter: timedelta,
                                                       longer: timedelta) -> None:
    shorter, longer = sorted((shorter, longer))
    assert BUSINESS.add(start, shorter) <= BUSINESS.add(start, longer)


@FAST
@given(earlier=starts, later=starts, duration=business_durations)
def test_a_later_start_never_has_an_earlier_deadline(earlier: datetime, later: datetime,
                                                     duration: timedelta) -> None:
    earlier, later = sorted((earlier, later))
    assert BUSINESS.add(earlier, duration) <= BUSINESS.add(later, duration)


@FAST
@given(a=starts, b=starts, c=starts)
def test_business_time_between_instants_adds_up(a: datetime, b: datetime, c: datetime) -> None:
    assert BUSINESS.between(a, b) + BUSINESS.between(b, c) == BUSINESS.between(a, c)
    assert BUSINESS.between(a, b) == -BUSINESS.between(b, a)


@FAST
@given(instant=starts)
def test_next_opening_is_open_and_nothing_is_counted_on_the_way(instant: datetime) -> None:
    opening = BUSINESS.next_opening(instant)
    assert opening >= instant
    assert BUSINESS.is_open(opening)
    assert BUSINESS.between(instant, opening) == timedelta(0)
    assert (opening == instant) is BUSINESS.is_open(instant)


@FAST
@given(start=starts, duration=st.integers(0, 60 * 24 * 3600 * 10**6).map(lambda us: us * US))
def test_round_the_clock_deadlines_are_real_elapsed_time(start: datetime, duration: timedelta) -> None:
    clock = RoundTheClock()
    due = clock.add(start, duration)
    assert due - start == duration
    assert due.astimezone(UTC) - start.astimezone(UTC) == duration
    assert clock.between(start, due) == duration


# ---- the clocks --------------------------------------------------------------------------
severities = st.sampled_from(list(Severity))
offsets = st.integers(0, 10 * 24 * 3600).map(lambda s: timedelta(seconds=s))


@settings(max_examples=120, deadline=None)
@given(opened=utc_instants, severity=severities, wait=offsets, waited=offsets, later=offsets)
def test_waiting_on_the_customer_never_brings_a_deadline_earlier(
        opened: datetime, severity: Severity, wait: timedelta, waited: timedelta, later: timedelta) -> None:
    now = opened + wait + waited + later
    plain = compute_clocks(POLICY, opened_at=opened, severity=severity, events=[], now=now)
    paused = compute_clocks(POLICY, opened_at=opened, severity=severity, now=now, events=[
        ClockEvent(at=opened + wait, type=EventType.WAITING_ON_CUSTOMER),
        ClockEvent(at=opened + wait + waited, type=EventType.CUSTOMER_REPLIED)])
    assert paused.callback.due == plain.callback.due  # the callback never pauses
    assert plain.resolution.due is not None and paused.resolution.due is not None
    assert paused.resolution.due >= plain.resolution.due
    assert paused.resolution.limit is not None and plain.resolution.limit is not None
    assert paused.resolution.limit >= plain.resolution.limit


@settings(max_examples=120, deadline=None)
@given(opened=utc_instants, pair=st.lists(severities, min_size=2, max_size=2, unique=True), change=offsets)
def test_an_upgrade_never_moves_a_deadline_later_and_warnings_precede_it(
        opened: datetime, pair: list[Severity], change: timedelta) -> None:
    upgraded, original = sorted(pair, key=lambda s: s.rank)
    at = opened + change
    before = compute_clocks(POLICY, opened_at=opened, severity=original, events=[], now=at)
    after = compute_clocks(POLICY, opened_at=opened, severity=original, now=at,
                           events=[ClockEvent(at=at, type=EventType.SEVERITY_CHANGED, severity=upgraded)])
    for old, new in ((before.callback, after.callback), (before.resolution, after.resolution)):
        assert old.due is not None and new.due is not None
        assert new.due <= old.due
        assert list(new.warn_at) == sorted(new.warn_at)
        assert all(w <= new.due for w in new.warn_at)
