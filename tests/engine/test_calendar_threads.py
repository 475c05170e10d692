"""The calendar is shared by every request thread of a worker: widening its window table
for one question must never give another thread a wrong answer."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_core.calendar import BusinessCalendar
from sla_core.policy import Policy

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def fast_thread_switching() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # interleave threads as often as the interpreter allows
    yield
    sys.setswitchinterval(previous)


def test_readers_never_see_a_half_widened_table(policy: Policy, fast_thread_switching: None) -> None:
    a, b = datetime(2026, 3, 2, 10, tzinfo=PARIS), datetime(2026, 3, 4, 10, tzinfo=PARIS)
    base = policy.business_calendar
    wrong: list[object] = []
    for _ in range(20):
        calendar = BusinessCalendar(timezone=PARIS, weekdays=base.weekdays, opens=base.opens, closes=base.closes,
                                    holiday_country="FR")
        assert calendar.between(a, b) == timedelta(hours=18)
        stop = threading.Event()

        def read(cal: BusinessCalendar = calendar) -> None:
            while not stop.is_set():
                answer = cal.between(a, b)
                if answer != timedelta(hours=18):
                    wrong.append(answer)

        reader = threading.Thread(target=read)
        reader.start()
        calendar.between(datetime(1980, 1, 1, tzinfo=PARIS), a)  # widens the table 46 years back
        stop.set()
        reader.join()
    assert wrong == []
