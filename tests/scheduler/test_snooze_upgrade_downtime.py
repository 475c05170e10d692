"""Snoozes, an upgrade to Critical at night (reading 8), downtime (one late notice per
stream, never a burst) and deciding twice (one row per key)."""

from __future__ import annotations

from datetime import timedelta

from sla_core.severity import Severity
from tests.scheduler.desk import AGENT, Desk, paris


def test_a_snooze_quiets_the_update_reminder_until_it_ends_but_not_the_breach(desk: Desk) -> None:
    ref = desk.open(Severity.CRITICAL, paris("2026-11-23 10:00"))
    desk.act("acknowledge", ref, paris("2026-11-23 10:10"))  # update clock: due 11:40, reminder 11:17:30
    desk.walk(paris("2026-11-23 11:00"), step=timedelta(minutes=5))
    desk.act("snooze_reminder", ref, paris("2026-11-23 11:00"), minutes=30)
    desk.walk(paris("2026-11-23 12:15"), step=timedelta(minutes=5))
    assert desk.take() == [
        f"@Mon 23 11:30:05 | Mon 23 11:30 reminder thread update agent={AGENT} snoozed",
        "@Mon 23 11:40:05 | Mon 23 11:40 breach thread update level=0",
        "@Mon 23 12:10:05 | Mon 23 12:10 breach channel update leads level=1",
    ]


def test_a_low_snooze_ending_after_closing_reminds_at_the_next_opening(desk: Desk) -> None:
    ref = desk.open(Severity.LOW, paris("2026-11-23 10:00"))
    desk.walk(paris("2026-11-23 17:50"), step=timedelta(hours=1))
    desk.act("snooze_reminder", ref, paris("2026-11-23 17:50"), minutes=30)
    desk.walk(paris("2026-11-24 10:00"), step=timedelta(hours=1))
    assert desk.take() == [
        "@Mon 23 18:20:05 | Mon 23 18:20 reminder thread callback snoozed ready=Tue 24 09:00",
    ]


def test_low_upgraded_to_critical_at_ten_at_night_pages_at_once(desk: Desk) -> None:
    ref = desk.open(Severity.LOW, paris("2026-11-23 10:00"))
    desk.walk(paris("2026-11-23 22:00"), step=timedelta(hours=1))
    assert desk.take() == []
    desk.act("change_severity", ref, paris("2026-11-23 22:00"), severity=Severity.CRITICAL)
    desk.walk(paris("2026-11-23 23:05"), step=timedelta(minutes=5))
    p, s = "U0AGENT01", "U0AGENT02"  # the week of Mon 2026-11-23 (46 weeks in: people[1])
    one = [f"page user {p} critical_out_of_hours", f"page channel on_call critical_out_of_hours users={p}"]
    two = [f"page user {p} critical_out_of_hours", f"page user {s} critical_out_of_hours",
           f"page channel on_call critical_out_of_hours users={p},{s}"]
    assert desk.take() == [
        *[f"@Mon 23 22:00:05 | Mon 23 22:00 {x}" for x in one],
        *[f"@Mon 23 22:15:05 | Mon 23 22:15 {x}" for x in one],
        *[f"@Mon 23 22:30:05 | Mon 23 22:30 {x}" for x in two],
        # min(Low's Wed 10:00, 22:00 + 60 min) = 23:00: the moved deadline re-arms its warning.
        "@Mon 23 22:45:05 | Mon 23 22:45 at_risk thread callback",
        *[f"@Mon 23 22:45:05 | Mon 23 22:45 {x}" for x in two],
        "@Mon 23 23:00:05 | Mon 23 23:00 breach thread callback level=0",
        *[f"@Mon 23 23:00:05 | Mon 23 23:00 {x}" for x in two],
    ]


def weekend_with_downtime(desk: Desk) -> None:
    """A Low opened Thursday, an Important and a Critical on Friday evening; the
    scheduler runs until 20:00 on Friday and is down until Monday 10:07."""
    desk.open(Severity.LOW, paris("2026-11-19 09:30"))
    desk.walk(paris("2026-11-20 19:00"))
    desk.open(Severity.IMPORTANT, paris("2026-11-20 19:00"))
    desk.walk(paris("2026-11-20 19:30"), step=timedelta(minutes=5))
    desk.open(Severity.CRITICAL, paris("2026-11-20 19:30"))
    desk.walk(paris("2026-11-20 19:59"), step=timedelta(minutes=5))


def test_after_a_weekend_of_downtime_each_stream_posts_its_latest_notice_once_marked_late(desk: Desk) -> None:
    weekend_with_downtime(desk)
    assert desk.take() == [
        "@Fri 20 14:00:05 | Fri 20 14:00 at_risk thread callback",
        "@Fri 20 19:30:05 | Fri 20 19:30 page user U0ONCALL1 critical_out_of_hours",
        "@Fri 20 19:30:05 | Fri 20 19:30 page channel on_call critical_out_of_hours users=U0ONCALL1",
        "@Fri 20 19:45:05 | Fri 20 19:45 page user U0ONCALL1 critical_out_of_hours",
        "@Fri 20 19:45:05 | Fri 20 19:45 page channel on_call critical_out_of_hours users=U0ONCALL1",
    ]
    report = desk.tick(paris("2026-11-23 10:07"))
    assert sorted(desk.take()) == sorted([
        # Low: its callback breach at Mon 09:30 (the only business time of the outage).
        "@Mon 23 10:07:00 | Mon 23 09:30 breach thread callback level=0 ready=Mon 23 10:07 late",
        # Important (callback due Fri 23:00) and Critical (20:30): the breach has climbed to
        # on-call; its latest repetition, 10:00, is posted once per ticket, late. The
        # Critical's out-of-hours page due at the same instant is that same page.
        *[f"@Mon 23 10:07:00 | Mon 23 10:00 {x} late" for x in [
            "page user callback U0AGENT01 callback_breached",  # Monday 09:00 handed over
            "page user callback U0AGENT02 callback_breached",
            "page channel callback on_call callback_breached users=U0AGENT01,U0AGENT02",
        ] * 2],
    ])
    assert report.tickets == 3
    # Not one of the 500-odd repetitions missed over the weekend was written.
    assert len(desk.rows()) == 5 + 7
    desk.walk(paris("2026-11-23 10:29"), step=timedelta(minutes=5))
    assert desk.take() == [  # then the Critical's page series goes on, on time
        "@Mon 23 10:15:05 | Mon 23 10:15 page user U0AGENT01 critical_out_of_hours",
        "@Mon 23 10:15:05 | Mon 23 10:15 page user U0AGENT02 critical_out_of_hours",
        "@Mon 23 10:15:05 | Mon 23 10:15 page channel on_call critical_out_of_hours users=U0AGENT01,U0AGENT02",
    ]


def test_deciding_the_same_instant_twice_writes_each_notice_once(desk: Desk) -> None:
    weekend_with_downtime(desk)
    at = paris("2026-11-23 10:07")
    first = desk.tick(at)
    before = desk.lines()
    desk.make_due(at)  # as if the pass had to be decided again (a replica, a retried pass)
    second = desk.tick(at)
    assert desk.lines() == before
    assert first.decided == 7 and len(before) == 5 + 7
    assert (second.tickets, second.decided, second.queued) == (3, 7, 0)
