"""Low and None never ping out of hours (reading 10): their warnings, reminders and
breaches fall in business hours (reading 9: measured in the clock's own calendar), and
what falls due at night or on a closed day waits for the next opening (``ready_at``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla_core.severity import Severity
from tests.scheduler.desk import AGENT, Desk, paris


def assert_ready_in_business_hours(desk: Desk) -> None:
    calendar = desk.policy.business_calendar
    for row in desk.rows():
        assert calendar.is_open(row.ready_at), f"{row.key} is ready at {row.ready_at}, out of hours"


def test_low_opened_friday_at_five_warns_and_breaches_on_tuesday_afternoon(desk: Desk) -> None:
    desk.open(Severity.LOW, paris("2026-11-20 17:00"))
    desk.walk(paris("2026-11-30 12:00"), step=timedelta(hours=1))  # every night ticked through
    assert desk.take() == [
        # 2 business days = 18 h: Fri 1 h + Mon 9 h + Tue 8 h; 75 % = 13.5 h → Tue 12:30.
        "@Tue 24 12:30:05 | Tue 24 12:30 at_risk thread callback",
        "@Tue 24 17:00:05 | Tue 24 17:00 breach thread callback level=0",
        # One business day later the leads are told, and again every business day.
        "@Wed 25 17:00:05 | Wed 25 17:00 breach channel callback leads level=1",
        "@Thu 26 17:00:05 | Thu 26 17:00 breach channel callback leads level=1",
        "@Fri 27 17:00:05 | Fri 27 17:00 breach channel callback leads level=1",
        # Resolution, 7 business days: 75 % = 47.25 h → Mon 30 10:15.
        "@Mon 30 10:15:05 | Mon 30 10:15 at_risk thread resolution",
    ]
    assert_ready_in_business_hours(desk)


def test_a_low_update_reminder_due_friday_at_six_waits_for_monday_nine(desk: Desk) -> None:
    ref = desk.open(Severity.LOW, paris("2026-11-26 10:00"))
    desk.act("acknowledge", ref, paris("2026-11-27 11:15"))
    desk.walk(paris("2026-11-30 12:00"), step=timedelta(hours=1))
    assert desk.take() == [
        # 1 business day = 9 h from Fri 11:15; 75 % = 6.75 h → Fri 18:00, the closing instant.
        f"@Fri 27 18:00:05 | Fri 27 18:00 reminder thread update agent={AGENT} ready=Mon 30 09:00",
        "@Mon 30 11:15:05 | Mon 30 11:15 breach thread update level=0",
    ]
    assert_ready_in_business_hours(desk)


@pytest.mark.parametrize(("opened", "expected"), [
    pytest.param("2026-12-24 17:00", [  # 25 December and the weekend are closed
        "@Tue 29 12:30:05 | Tue 29 12:30 at_risk thread callback",
        "@Tue 29 17:00:05 | Tue 29 17:00 breach thread callback level=0",
    ], id="christmas-2026"),
    pytest.param("2026-05-22 17:00", [  # Whit Monday 2026-05-25 is closed
        "@Wed 27 12:30:05 | Wed 27 12:30 at_risk thread callback",
        "@Wed 27 17:00:05 | Wed 27 17:00 breach thread callback level=0",
    ], id="whit-monday-2026"),
])
def test_a_low_ticket_skips_public_holidays(desk: Desk, opened: str, expected: list[str]) -> None:
    start = paris(opened)
    desk.open(Severity.LOW, start)
    desk.walk(start + timedelta(days=5, hours=19), step=timedelta(hours=2))
    assert desk.take() == expected
    assert_ready_in_business_hours(desk)


def test_christmas_day_is_out_of_hours_so_a_critical_opened_then_pages_at_once(desk: Desk) -> None:
    desk.open(Severity.CRITICAL, paris("2026-12-25 10:00"))
    desk.tick(paris("2026-12-25 10:00:05"))
    # Week of Mon 2026-12-21: 50 weeks after the rotation started → people[50 % 3].
    assert desk.take() == [
        "@Fri 25 10:00:05 | Fri 25 10:00 page user U0AGENT02 critical_out_of_hours",
        "@Fri 25 10:00:05 | Fri 25 10:00 page channel on_call critical_out_of_hours users=U0AGENT02",
    ]


def test_a_critical_opened_in_hours_is_not_paged(desk: Desk) -> None:
    desk.open(Severity.CRITICAL, paris("2026-11-23 10:00"))
    desk.walk(paris("2026-11-23 10:50"), step=timedelta(minutes=5))
    assert desk.take() == ["@Mon 23 10:45:05 | Mon 23 10:45 at_risk thread callback"]  # the contract's example


def test_none_resolution_warns_breaches_climbs_and_reaches_its_limit_in_business_days(desk: Desk) -> None:
    ref = desk.open(Severity.NONE, paris("2026-11-23 10:00"))
    desk.act("acknowledge", ref, paris("2026-11-23 10:00"))
    desk.walk(paris("2027-01-05 12:00"), step=timedelta(hours=6))
    resolution = [line for line in desk.take() if " resolution" in line]
    assert resolution == [
        # 14 business days = 126 h; 75 % = 94.5 h → Mon 7 Dec 14:30; target Fri 11 Dec 10:00.
        "@Mon 07 14:30:05 | Mon 07 14:30 at_risk thread resolution",
        "@Fri 11 10:00:05 | Fri 11 10:00 breach thread resolution level=0",
        # Every 2 business days one rung up, staying with the leads (25 Dec, 1 Jan closed).
        "@Tue 15 10:00:05 | Tue 15 10:00 breach channel resolution leads level=1",
        "@Thu 17 10:00:05 | Thu 17 10:00 breach channel resolution leads level=1",
        "@Mon 21 10:00:05 | Mon 21 10:00 breach channel resolution leads level=1",
        "@Wed 23 10:00:05 | Wed 23 10:00 breach channel resolution leads level=1",
        "@Mon 28 10:00:05 | Mon 28 10:00 breach channel resolution leads level=1",
        "@Wed 30 10:00:05 | Wed 30 10:00 breach channel resolution leads level=1",
        # The contract's "14 to 28 days": the limit, 28 business days, Mon 4 Jan 2027 10:00.
        "@Mon 04 10:00:05 | Mon 04 10:00 breach channel resolution leads level=1",
        "@Mon 04 10:00:05 | Mon 04 10:00 breach channel resolution leads level=0 limit",
    ]
    assert_ready_in_business_hours(desk)
