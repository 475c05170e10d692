"""Daylight-saving nights (reading 3): 24/7 clocks, pages and escalations count real
hours; business warnings stay at local 09:00–18:00 on both sides of the change. Lines
show the UTC offset, so 02:15+0200 and 02:15+0100 on 25 October are two instants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla_core.severity import Severity
from tests.scheduler.desk import Desk, paris

A2, A1 = "U0AGENT02", "U0ONCALL1"  # on call the week of each change, and the secondary


def test_important_across_the_spring_forward_night_counts_real_hours(desk: Desk) -> None:
    desk.offset = True
    desk.open(Severity.IMPORTANT, paris("2026-03-28 23:00"))
    desk.walk(paris("2026-03-29 06:10"), step=timedelta(minutes=30))
    assert desk.take() == [
        # 3 real hours after 23:00+01:00 is 03:00+02:00 (02:00 local does not exist).
        # Important out of hours: on-call told that the callback is at risk (primary only).
        f"@Sun 29 03:00:05 | Sun 29 03:00+0200 page user {A2} callback_at_risk",
        f"@Sun 29 03:00:05 | Sun 29 03:00+0200 page channel on_call callback_at_risk users={A2}",
        "@Sun 29 03:00:05 | Sun 29 03:00+0200 at_risk thread callback",
        "@Sun 29 04:00:05 | Sun 29 04:00+0200 breach thread callback level=0",
        "@Sun 29 05:00:05 | Sun 29 05:00+0200 breach channel callback leads level=1",
        f"@Sun 29 06:00:05 | Sun 29 06:00+0200 page user callback {A2} callback_breached",
        f"@Sun 29 06:00:05 | Sun 29 06:00+0200 page user callback {A1} callback_breached",
        f"@Sun 29 06:00:05 | Sun 29 06:00+0200 page channel callback on_call callback_breached users={A2},{A1}",
    ]


def test_critical_across_the_fall_back_night_pages_every_fifteen_real_minutes(desk: Desk) -> None:
    desk.offset = True
    desk.open(Severity.CRITICAL, paris("2026-10-25 01:30+02:00"))
    desk.walk(paris("2026-10-25 03:05+01:00"), step=timedelta(minutes=5))
    lines = desk.take()
    page_instants = [line.split(" | ")[1].split(" page")[0] for line in lines if " page channel" in line]
    assert page_instants == [
        "Sun 25 01:30+0200", "Sun 25 01:45+0200", "Sun 25 02:00+0200", "Sun 25 02:15+0200",
        "Sun 25 02:30+0200", "Sun 25 02:45+0200",
        "Sun 25 02:00+0100", "Sun 25 02:15+0100", "Sun 25 02:30+0100", "Sun 25 02:45+0100",
        "Sun 25 03:00+0100",
    ]
    others = [line.split(" | ")[1] for line in lines if " page " not in line]
    assert others == [
        "Sun 25 02:15+0200 at_risk thread callback",           # 45 real minutes
        "Sun 25 02:30+0200 breach thread callback level=0",    # 60 real minutes
        "Sun 25 02:00+0100 breach channel callback leads level=1",  # 30 real minutes later
    ]
    # The breach reaches on-call at 02:30+01:00 and 03:00+01:00: those pages say so.
    reasons = {line.split(" | ")[1].split(" page channel")[0]: line.split()[-2] for line in lines
               if " page channel" in line}
    assert reasons["Sun 25 02:30+0100"] == reasons["Sun 25 03:00+0100"] == "callback_breached"
    assert reasons["Sun 25 02:15+0100"] == "critical_out_of_hours"


@pytest.mark.parametrize(("opened", "expected"), [
    pytest.param("2026-03-27 16:00", [  # Fri 2 h (CET) + Mon 9 h + Tue 2.5 h (CEST)
        "Tue 31 11:30+0200 at_risk thread callback",
        "Tue 31 16:00+0200 breach thread callback level=0",
    ], id="spring-forward"),
    pytest.param("2026-10-23 16:00", [  # Fri 2 h (CEST) + Mon 9 h + Tue 2.5 h (CET)
        "Tue 27 11:30+0100 at_risk thread callback",
        "Tue 27 16:00+0100 breach thread callback level=0",
    ], id="fall-back"),
])
def test_low_warnings_stay_at_local_business_hours_across_the_change(desk: Desk, opened: str,
                                                                     expected: list[str]) -> None:
    desk.offset = True
    start = paris(opened)
    desk.open(Severity.LOW, start)
    desk.walk(start + timedelta(days=4, hours=17), step=timedelta(hours=2))
    assert [line.split(" | ")[1] for line in desk.take()] == expected
