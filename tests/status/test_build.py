"""The status page's values as a pure function of what was recorded and ``now``: the
state at explicit instants, the day bars across DST changes, the rolling figure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import Cause, MaintenanceView, OutageView
from sla_core.status import PublishedUpdate, State, build_status

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = AvailabilitySettings()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def outage(id: int, start: datetime, end: datetime | None, *, cause: Cause = Cause.VENDOR, degraded: bool = False,
           ticket: str | None = None, service: str = "api") -> OutageView:
    return OutageView(id=id, service=service, cause=cause, started_at=start, ended_at=end, ticket_ref=ticket,
                      note="internal note", recorded_by="U1", degraded=degraded)


def window(id: int, start: datetime, end: datetime, *, cancelled: bool = False) -> MaintenanceView:
    return MaintenanceView(id=id, service="api", starts_at=start, ends_at=end, critical_fixes=False,
                           reason="database upgrade", scheduled_by="ULEAD", notified_at=None,
                           cancelled_at=start - timedelta(days=1) if cancelled else None)


def page(outages=(), maintenance=(), updates=None, *, now: datetime):  # type: ignore[no-untyped-def]
    return build_status(list(outages), list(maintenance), updates=updates or {}, settings=SETTINGS, timezone=PARIS,
                        now=now)


NIGHT = window(1, at(2026, 12, 5, 22, 0), at(2026, 12, 5, 23, 30))


@pytest.mark.parametrize(("now", "state"), [
    (at(2026, 12, 5, 21, 59), State.OPERATIONAL),
    (at(2026, 12, 5, 22, 0), State.MAINTENANCE),
    (at(2026, 12, 5, 23, 29), State.MAINTENANCE),
    (at(2026, 12, 5, 23, 30), State.OPERATIONAL),
], ids=["before the window", "at its start", "a minute before its end", "at its end"])
def test_a_maintenance_window_is_the_state_exactly_while_it_lasts(now, state):
    assert page(maintenance=[NIGHT], now=now).state is state


def test_a_cancelled_window_is_neither_the_state_nor_announced():
    shown = page(maintenance=[window(2, at(2026, 12, 5, 22, 0), at(2026, 12, 5, 23, 0), cancelled=True)],
                 now=at(2026, 12, 5, 22, 30))
    assert shown.state is State.OPERATIONAL and shown.upcoming == ()


def test_an_interruption_going_on_interrupts_then_the_page_goes_back_to_operational():
    going = outage(1, at(2026, 12, 3, 14, 0), None)
    during = page([going], now=at(2026, 12, 3, 14, 20))
    assert during.state is State.INTERRUPTED and [i.id for i in during.current] == [1] and during.past == ()
    ended = outage(1, at(2026, 12, 3, 14, 0), at(2026, 12, 3, 15, 0))
    after = page([ended], now=at(2026, 12, 3, 15, 0))
    assert after.state is State.OPERATIONAL and after.current == () and [i.id for i in after.past] == [1]


def test_a_degraded_service_is_shown_degraded_and_not_counted():
    shown = page([outage(1, at(2026, 12, 3, 14, 0), None, degraded=True)], now=at(2026, 12, 3, 16, 0))
    assert shown.state is State.DEGRADED
    assert shown.availability == 1.0 and shown.days[-1].degraded == timedelta(hours=2)


def test_an_interruption_during_maintenance_is_the_maintenance():
    shown = page([outage(1, at(2026, 12, 5, 22, 10), None)], [NIGHT], now=at(2026, 12, 5, 22, 30))
    assert shown.state is State.MAINTENANCE and shown.availability == 1.0


def test_interruptions_on_the_customer_side_are_not_listed_and_count_as_excluded():
    mine = outage(1, at(2026, 12, 3, 10, 0), at(2026, 12, 3, 11, 0), cause=Cause.CUSTOMER_INTERNET)
    shown = page([mine], now=at(2026, 12, 3, 12, 0))
    assert shown.state is State.OPERATIONAL and shown.past == () and shown.current == ()
    assert shown.days[-1].excluded == timedelta(hours=1) and shown.days[-1].downtime == timedelta(0)


def test_ninety_days_oldest_first_today_until_now():
    shown = page(now=at(2026, 12, 3, 12, 0))
    assert len(shown.days) == 90
    assert shown.days[0].day == date(2026, 9, 5) and shown.days[-1].day == date(2026, 12, 3)
    assert shown.days[-1].length == timedelta(hours=12)


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 10, 25), 25), (date(2026, 3, 29), 23),
                                             (date(2026, 10, 24), 24)],
                         ids=["autumn change: 25 h", "spring change: 23 h", "an ordinary day"])
def test_a_day_bar_lasts_the_local_day_across_dst(day, hours):
    shown = page(now=at(2026, 11, 2, 12, 0) if day.month == 10 else at(2026, 4, 2, 12, 0))
    bar = next(b for b in shown.days if b.day == day)
    assert bar.length == timedelta(hours=hours)


def test_an_hour_down_on_the_autumn_change_day_is_one_twenty_fifth_of_it():
    down = outage(1, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    bar = next(b for b in page([down], now=at(2026, 11, 2, 12, 0)).days if b.day == date(2026, 10, 25))
    assert bar.downtime == timedelta(hours=1) and bar.availability == pytest.approx(1 - 1 / 25)


def test_an_interruption_across_midnight_splits_between_its_two_days():
    down = outage(1, at(2026, 12, 1, 23, 0), at(2026, 12, 2, 1, 0))
    bars = {b.day: b for b in page([down], now=at(2026, 12, 3, 12, 0)).days}
    assert bars[date(2026, 12, 1)].downtime == bars[date(2026, 12, 2)].downtime == timedelta(hours=1)


def test_maintenance_is_excluded_time_not_downtime():
    bar = page(maintenance=[NIGHT], now=at(2026, 12, 6, 12, 0)).days[-2]
    assert bar.day == date(2026, 12, 5) and bar.excluded == timedelta(minutes=90) and bar.downtime == timedelta(0)
    assert bar.availability == 1.0


def test_rolling_availability_against_the_target():
    down = outage(1, at(2026, 11, 20, 10, 0), at(2026, 11, 20, 14, 0))  # 4 h > the 3 h 36 min allowed
    shown = page([down], now=at(2026, 12, 3, 12, 0))
    assert shown.availability == pytest.approx(1 - 4 / (30 * 24)) and not shown.met and shown.target == 0.995
    assert page([down], now=at(2026, 12, 21, 12, 0)).met  # slid out of the 30 days


def test_planned_maintenance_to_come_soonest_first():
    later = window(2, at(2026, 12, 20, 22, 0), at(2026, 12, 20, 23, 0))
    shown = page(maintenance=[later, NIGHT], now=at(2026, 12, 3, 12, 0))
    assert [w.id for w in shown.upcoming] == [1, 2]


def test_only_the_published_updates_of_the_linked_ticket_go_with_the_interruption():
    down = outage(1, at(2026, 12, 3, 14, 0), at(2026, 12, 3, 15, 0), ticket="INC-2026-000123")
    updates = {"INC-2026-000123": [PublishedUpdate(at=at(2026, 12, 3, 14, 10), text="We are on it"),
                                   PublishedUpdate(at=at(2026, 12, 3, 14, 50), text="Fixed")],
               "INC-2026-000999": [PublishedUpdate(at=at(2026, 12, 3, 14, 20), text="another ticket")]}
    shown = page([down], updates=updates, now=at(2026, 12, 3, 16, 0))
    assert [u.text for u in shown.past[0].updates] == ["Fixed", "We are on it"]
    assert "INC-2026-000123" not in repr(shown) and "internal note" not in repr(shown)


def test_interruptions_older_than_the_days_shown_are_left_out():
    old = outage(1, at(2026, 8, 1, 10, 0), at(2026, 8, 1, 11, 0))
    assert page([old], now=at(2026, 12, 3, 12, 0)).past == ()
