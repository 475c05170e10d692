"""The business calendar (contract reading 1) and round-the-clock time (reading 3): opening
windows per Paris local date, French public holidays, the 09:00 and 18:00 edges, DST
nights, the Alsace-Moselle subdivision and extra closed days. Every instant is explicit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from sla_core.calendar import BusinessCalendar, RoundTheClock
from sla_core.config import load_config
from sla_core.policy import Policy
from tests.engine.conftest import APP_YAML, CliResult, iso, paris

US = timedelta(microseconds=1)
H = timedelta(hours=1)


@pytest.fixture(scope="module")
def business() -> BusinessCalendar:
    return load_config(APP_YAML).policy.business_calendar


# ---- is_open ----------------------------------------------------------------------------
IS_OPEN = [
    # (instant, open?, why)
    ("2026-11-23T09:00", True, "opening-time-09:00-is-in-hours"),
    ("2026-11-23T08:59:59.999999", False, "a-microsecond-before-09:00-is-out-of-hours"),
    ("2026-11-23T17:59:59.999999", True, "the-last-microsecond-before-18:00-is-in-hours"),
    ("2026-11-23T18:00", False, "closing-time-18:00-is-out-of-hours"),
    ("2026-11-21T10:00", False, "saturday-is-closed"),
    ("2026-11-22T10:00", False, "sunday-is-closed"),
    ("2026-12-24T10:00", True, "christmas-eve-is-open"),
    ("2026-12-25T10:00", False, "christmas-is-closed"),
    ("2026-05-13T10:00", True, "ascension-eve-is-open"),
    ("2026-05-14T10:00", False, "ascension-is-closed"),
    ("2026-05-15T10:00", True, "the-friday-after-ascension-is-open"),
    ("2026-05-25T10:00", False, "whit-monday-is-closed"),
    ("2026-07-13T10:00", True, "13-july-is-open"),
    ("2026-07-14T10:00", False, "14-july-is-closed"),
    ("2026-08-14T10:00", True, "the-friday-before-a-saturday-holiday-is-open"),
    ("2026-08-17T10:00", True, "the-monday-after-a-saturday-holiday-is-open"),
    ("2026-04-03T10:00", True, "good-friday-is-open-outside-alsace-moselle"),
    ("2025-12-26T10:00", True, "26-december-is-open-outside-alsace-moselle"),
    ("2026-05-01T10:00", False, "labour-day-is-closed"),
    ("2026-11-11T10:00", False, "armistice-day-is-closed"),
    ("2027-01-01T10:00", False, "new-years-day-is-closed"),
    ("2027-03-29T10:00", False, "easter-monday-2027-the-day-after-the-dst-night-is-closed"),
    ("2026-03-30T09:00", True, "monday-after-spring-dst-night-opens-at-09:00-summer-time"),
    ("2026-03-30T08:59:59.999999", False, "monday-after-spring-dst-night-is-closed-at-08:59-summer-time"),
    ("2026-10-26T09:00", True, "monday-after-autumn-dst-night-opens-at-09:00-winter-time"),
    ("2026-10-26T17:59:59", True, "monday-after-autumn-dst-night-is-open-until-18:00-winter-time"),
    ("2026-10-26T18:00", False, "monday-after-autumn-dst-night-closes-at-18:00-winter-time"),
    ("2026-10-26T08:00+00:00", True, "09:00-paris-in-winter-is-08:00-utc"),
    ("2026-10-23T07:30+00:00", True, "09:30-paris-in-summer-is-07:30-utc"),
    ("2026-10-26T07:30+00:00", False, "the-same-07:30-utc-in-winter-is-08:30-paris"),
]


@pytest.mark.parametrize(("instant", "expected"), [(i, e) for i, e, _ in IS_OPEN], ids=[w for *_, w in IS_OPEN])
def test_the_desk_is_open_only_in_the_local_window_of_a_business_day(
        business: BusinessCalendar, instant: str, expected: bool) -> None:
    assert business.is_open(paris(instant)) is expected


# ---- next_opening -----------------------------------------------------------------------
NEXT_OPENING = [
    ("2026-11-23T09:00", "2026-11-23T09:00:00+01:00", "at-09:00-the-desk-is-already-open"),
    ("2026-11-23T12:34:56.789", "2026-11-23T12:34:56+01:00", "in-hours-it-is-the-instant-itself"),
    ("2026-11-23T18:00", "2026-11-24T09:00:00+01:00", "at-18:00-it-is-tomorrow-09:00"),
    ("2026-11-20T18:00", "2026-11-23T09:00:00+01:00", "friday-18:00-opens-monday"),
    ("2026-11-23T07:00", "2026-11-23T09:00:00+01:00", "early-morning-opens-the-same-day"),
    ("2026-03-28T12:00", "2026-03-30T09:00:00+02:00", "across-the-spring-dst-night-opens-09:00-summer-time"),
    ("2026-10-24T12:00", "2026-10-26T09:00:00+01:00", "across-the-autumn-dst-night-opens-09:00-winter-time"),
    ("2027-03-27T12:00", "2027-03-30T09:00:00+02:00", "spring-dst-2027-then-easter-monday-opens-tuesday"),
    ("2026-12-24T18:00", "2026-12-28T09:00:00+01:00", "christmas-eve-evening-opens-the-next-monday"),
    ("2026-05-13T18:00", "2026-05-15T09:00:00+02:00", "ascension-eve-evening-opens-the-friday"),
    ("2026-05-23T10:00", "2026-05-26T09:00:00+02:00", "whitsun-weekend-opens-tuesday"),
    ("2026-07-13T18:00", "2026-07-15T09:00:00+02:00", "13-july-evening-opens-15-july"),
    ("2026-08-15T10:00", "2026-08-17T09:00:00+02:00", "a-saturday-holiday-does-not-close-monday"),
    ("2026-12-31T23:30", "2027-01-04T09:00:00+01:00", "new-years-eve-night-opens-the-first-monday"),
]


@pytest.mark.parametrize(("instant", "expected"), [(i, e) for i, e, _ in NEXT_OPENING],
                         ids=[w for *_, w in NEXT_OPENING])
def test_next_opening_is_the_instant_itself_in_hours_else_the_next_09_00(
        business: BusinessCalendar, instant: str, expected: str) -> None:
    assert iso(business.next_opening(paris(instant))) == expected


def test_next_opening_keeps_microseconds_in_hours(business: BusinessCalendar) -> None:
    t = paris("2026-11-23T12:34:56.789012")
    assert business.next_opening(t) == t


# ---- between ----------------------------------------------------------------------------
BETWEEN = [
    ("2026-11-23T09:00", "2026-11-23T18:00", 9 * H, "one-window-is-nine-business-hours"),
    ("2026-11-23T18:00", "2026-11-24T09:00", timedelta(0), "the-night-counts-nothing"),
    ("2026-11-20T17:00", "2026-11-23T10:00", 2 * H, "a-weekend-counts-nothing"),
    ("2026-03-27T09:00", "2026-03-30T18:00", 18 * H, "two-full-days-across-the-spring-dst-night"),
    ("2026-03-27T17:00", "2026-03-30T10:00", 2 * H, "friday-to-monday-across-the-spring-dst-night"),
    ("2026-10-23T17:00", "2026-10-26T10:00", 2 * H, "friday-to-monday-across-the-autumn-dst-night"),
    ("2026-10-23T09:00", "2026-10-26T18:00", 18 * H, "two-full-days-across-the-autumn-dst-night"),
    ("2027-03-26T09:00", "2027-03-30T18:00", 18 * H, "spring-dst-2027-and-easter-monday"),
    ("2026-12-24T09:00", "2026-12-28T18:00", 18 * H, "christmas-eve-counts-christmas-does-not"),
    ("2026-05-13T09:00", "2026-05-15T18:00", 18 * H, "ascension-eve-and-friday-count-ascension-does-not"),
    ("2026-05-22T17:00", "2026-05-26T10:00", 2 * H, "whit-monday-counts-nothing"),
    ("2026-07-13T09:00", "2026-07-15T18:00", 18 * H, "13-july-counts-14-july-does-not"),
    ("2026-08-14T09:00", "2026-08-17T18:00", 18 * H, "a-saturday-holiday-takes-nothing-from-friday-or-monday"),
    ("2026-11-23T10:00", "2026-11-23T09:30", timedelta(minutes=-30), "backwards-is-negative"),
    ("2026-11-21T03:00", "2026-11-22T23:00", timedelta(0), "inside-a-weekend-is-zero"),
]


@pytest.mark.parametrize(("start", "end", "expected"), [(s, e, d) for s, e, d, _ in BETWEEN],
                         ids=[w for *_, w in BETWEEN])
def test_between_counts_only_opening_hours(business: BusinessCalendar, start: str, end: str,
                                           expected: timedelta) -> None:
    assert business.between(paris(start), paris(end)) == expected


def test_the_windows_of_the_dst_weeks_are_09_to_18_local_time(business: BusinessCalendar) -> None:
    for first, last in ((date(2026, 3, 27), date(2026, 3, 30)), (date(2026, 10, 23), date(2026, 10, 26)),
                        (date(2027, 3, 26), date(2027, 3, 30))):
        windows = business.windows(first, last)
        assert len(windows) == 2
        for opens, closes in windows:
            local_open, local_close = opens.astimezone(business.timezone), closes.astimezone(business.timezone)
            assert (local_open.hour, local_open.minute, local_close.hour, local_close.minute) == (9, 0, 18, 0)
            assert closes - opens == 9 * H


# ---- add --------------------------------------------------------------------------------
ADD = [
    ("2026-11-23T09:00", 9 * H, "2026-11-23T18:00:00+01:00", "a-deadline-may-land-exactly-at-18:00"),
    ("2026-11-23T17:00", H, "2026-11-23T18:00:00+01:00", "the-last-hour-ends-at-18:00-not-next-morning"),
    ("2026-11-23T18:00", H, "2026-11-24T10:00:00+01:00", "from-18:00-counting-starts-next-morning"),
    ("2026-11-23T07:00", H, "2026-11-23T10:00:00+01:00", "before-opening-counting-starts-at-09:00"),
    ("2026-11-20T17:00", 2 * H, "2026-11-23T10:00:00+01:00", "friday-evening-runs-into-monday"),
    ("2026-03-27T17:00", 2 * H, "2026-03-30T10:00:00+02:00", "spring-dst-night-monday-10:00-summer-time"),
    ("2026-03-27T09:00", 18 * H, "2026-03-30T18:00:00+02:00", "two-business-days-across-the-spring-dst-night"),
    ("2026-10-23T17:00", 2 * H, "2026-10-26T10:00:00+01:00", "autumn-dst-night-monday-10:00-winter-time"),
    ("2026-10-23T09:00", 10 * H, "2026-10-26T10:00:00+01:00", "ten-business-hours-across-the-autumn-dst-night"),
    ("2027-03-26T17:00", 2 * H, "2027-03-30T10:00:00+02:00", "spring-dst-2027-and-easter-monday"),
    ("2026-12-24T17:00", 2 * H, "2026-12-28T10:00:00+01:00", "christmas-eve-runs-past-christmas-and-the-weekend"),
    ("2026-05-13T17:00", 2 * H, "2026-05-15T10:00:00+02:00", "ascension-eve-runs-into-friday"),
    ("2026-05-22T17:00", 2 * H, "2026-05-26T10:00:00+02:00", "whit-monday-is-skipped"),
    ("2026-07-13T17:00", 2 * H, "2026-07-15T10:00:00+02:00", "14-july-is-skipped"),
    ("2026-08-14T17:00", 2 * H, "2026-08-17T10:00:00+02:00", "a-saturday-holiday-changes-nothing"),
    ("2026-11-23T10:00", 63 * H, "2026-12-02T10:00:00+01:00", "seven-business-days"),
    ("2026-11-23T10:00", 126 * H, "2026-12-11T10:00:00+01:00", "fourteen-business-days"),
    ("2026-11-23T10:00", 252 * H, "2027-01-04T10:00:00+01:00", "twenty-eight-business-days-over-the-holidays"),
]


@pytest.mark.parametrize(("start", "duration", "expected"), [(s, d, e) for s, d, e, _ in ADD],
                         ids=[w for *_, w in ADD])
def test_add_gives_the_earliest_instant_with_that_much_business_time(
        business: BusinessCalendar, start: str, duration: timedelta, expected: str) -> None:
    due = business.add(paris(start), duration)
    assert iso(due) == expected
    assert business.between(paris(start), due) == duration


def test_one_microsecond_after_closing_is_one_microsecond_after_the_next_opening(
        business: BusinessCalendar) -> None:
    assert business.add(paris("2026-11-23T18:00"), US) == paris("2026-11-24T09:00:00.000001")


def test_adding_nothing_is_the_start_itself(business: BusinessCalendar) -> None:
    assert business.add(paris("2026-11-21T03:00"), timedelta(0)) == paris("2026-11-21T03:00")


def test_adding_a_negative_duration_is_refused(business: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        business.add(paris("2026-11-23T10:00"), -US)


def test_a_naive_instant_is_refused(business: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        business.is_open(datetime(2026, 11, 23, 10, 0))


def test_a_far_deadline_extends_the_calendar_beyond_its_first_years(business: BusinessCalendar) -> None:
    start = paris("2026-11-23T10:00")
    due = business.add(start, 2000 * 9 * H)  # about eight years of business days
    assert due.year >= 2034
    assert business.between(start, due) == 2000 * 9 * H
    assert business.is_open(due - US)


# ---- 24/7 time --------------------------------------------------------------------------
ROUND_THE_CLOCK = [
    pytest.param("2026-10-24T23:30", 4 * H, "2026-10-25T02:30:00+01:00",
                 id="important-4h-across-the-autumn-dst-night"),
    pytest.param("2026-10-25T02:30+02:00", H, "2026-10-25T02:30:00+01:00",
                 id="the-first-02:30-plus-one-hour-is-the-second"),
    pytest.param("2026-03-29T01:30", H, "2026-03-29T03:30:00+02:00", id="critical-60min-across-the-spring-dst-gap"),
    pytest.param("2026-03-29T00:30", 4 * H, "2026-03-29T05:30:00+02:00",
                 id="four-real-hours-across-spring-dst-2026"),
    pytest.param("2027-03-28T00:30", 4 * H, "2027-03-28T05:30:00+02:00",
                 id="four-real-hours-across-spring-dst-2027"),
    pytest.param("2027-03-28T00:30+00:00", 4 * H, "2027-03-28T06:30:00+02:00", id="a-utc-start-across-spring-dst-2027"),
    pytest.param("2026-12-24T23:00", 4 * H, "2026-12-25T03:00:00+01:00", id="holidays-do-not-stop-24-7-time"),
]


@pytest.mark.parametrize(("start", "duration", "expected"), ROUND_THE_CLOCK)
def test_round_the_clock_time_counts_real_hours_across_dst(start: str, duration: timedelta,
                                                           expected: str) -> None:
    clock = RoundTheClock()
    due = clock.add(paris(start), duration)
    assert iso(due) == expected
    assert due - paris(start) == duration
    assert clock.between(paris(start), due) == duration
    assert clock.is_open(paris(start)) and clock.next_opening(paris(start)) == paris(start)


@pytest.mark.parametrize(
    ("severity", "opened", "field", "expected"),
    [
        pytest.param("important", "2026-10-24T23:30", "callback_due", "2026-10-25T02:30:00+01:00",
                     id="important-callback-4h-across-autumn-dst"),
        pytest.param("important", "2026-10-24T23:30+02:00", "callback_due", "2026-10-25T02:30:00+01:00",
                     id="important-callback-4h-across-autumn-dst-with-offset"),
        pytest.param("important", "2027-03-27T23:00", "callback_due", "2027-03-28T04:00:00+02:00",
                     id="contract-example-written-without-its-offset"),
        pytest.param("critical", "2026-03-29T01:30", "callback_due", "2026-03-29T03:30:00+02:00",
                     id="critical-callback-across-spring-dst"),
        pytest.param("critical", "2026-10-25T02:30+02:00", "callback_due", "2026-10-25T02:30:00+01:00",
                     id="critical-callback-from-the-first-02:30"),
        pytest.param("critical", "2026-10-25T02:30+01:00", "callback_due", "2026-10-25T03:30:00+01:00",
                     id="critical-callback-from-the-second-02:30"),
        pytest.param("critical", "2026-03-27T17:00", "resolution_due", "2026-03-30T16:00:00+02:00",
                     id="critical-resolution-8bh-across-spring-dst"),
        pytest.param("critical", "2026-10-23T17:00", "resolution_due", "2026-10-26T16:00:00+01:00",
                     id="critical-resolution-8bh-across-autumn-dst"),
    ],
)
def test_sla_deadlines_across_dst_nights(cli: Callable[..., CliResult], severity: str, opened: str,
                                         field: str, expected: str) -> None:
    result = cli("sla", "deadlines", "--severity", severity, "--opened", opened)
    assert result.code == 0, result.err
    assert result.json[field] == expected


# ---- subdivision and extra closed days, from modified copies of app.yaml ---------------
def _subdivision(value: str) -> Callable[[dict[str, Any]], None]:
    return lambda policy: policy["holidays"].update(subdivision=value)


ALSACE_MOSELLE = [
    ("2026-04-03T10:00", False, "good-friday-is-closed"),
    ("2025-12-26T10:00", False, "26-december-2025-a-friday-is-closed"),
    ("2028-12-26T10:00", False, "26-december-2028-a-tuesday-is-closed"),
    ("2026-04-02T10:00", True, "maundy-thursday-is-open"),
    ("2026-12-24T10:00", True, "christmas-eve-is-still-open"),
    ("2026-05-25T10:00", False, "national-holidays-still-apply"),
]


@pytest.mark.parametrize(("instant", "expected"), [(i, e) for i, e, _ in ALSACE_MOSELLE],
                         ids=[w for *_, w in ALSACE_MOSELLE])
def test_subdivision_57_closes_good_friday_and_26_december(
        policy_with: Callable[..., Policy], instant: str, expected: bool) -> None:
    moselle = policy_with(_subdivision("57")).business_calendar
    assert moselle.is_open(paris(instant)) is expected


def test_in_moselle_easter_thursday_evening_runs_into_the_next_tuesday(
        policy: Policy, policy_with: Callable[..., Policy]) -> None:
    moselle = policy_with(_subdivision("57"))
    start = paris("2026-04-02T17:00")
    assert iso(policy.business_calendar.add(start, 2 * H)) == "2026-04-03T10:00:00+02:00"
    assert iso(moselle.business_calendar.add(start, 2 * H)) == "2026-04-07T10:00:00+02:00"
    assert moselle.business_calendar.between(start, paris("2026-04-07T18:00")) == 10 * H
    assert iso(moselle.business_calendar.next_opening(paris("2026-04-02T18:00"))) == "2026-04-07T09:00:00+02:00"


def test_the_subdivision_reaches_the_command_line(cli: Callable[..., CliResult],
                                                 config_file: Callable[..., Any]) -> None:
    path = config_file(lambda data: _subdivision("57")(data["policy"]))
    result = cli("sla", "deadlines", "--severity", "low", "--opened", "2026-04-02T17:00", "--config", str(path))
    assert result.code == 0, result.err
    # 18 business hours: Thursday 1 h, then (Good Friday and Easter Monday closed) Tuesday 9 h, Wednesday 8 h.
    assert result.json["callback_due"] == "2026-04-08T17:00:00+02:00"


@pytest.mark.parametrize("written", ["2026-12-24", date(2026, 12, 24)], ids=["quoted-string", "yaml-date"])
def test_an_extra_closed_day_is_closed_like_a_holiday(policy_with: Callable[..., Policy],
                                                      written: object) -> None:
    closing = policy_with(lambda policy: policy["holidays"].update(extra_closed_days=[written]))
    calendar = closing.business_calendar
    assert not calendar.is_open(paris("2026-12-24T10:00"))
    assert calendar.is_open(paris("2026-12-23T17:59"))
    assert iso(calendar.next_opening(paris("2026-12-23T18:00"))) == "2026-12-28T09:00:00+01:00"
    assert iso(calendar.add(paris("2026-12-23T17:00"), 2 * H)) == "2026-12-28T10:00:00+01:00"
    assert calendar.between(paris("2026-12-23T09:00"), paris("2026-12-28T18:00")) == 18 * H
