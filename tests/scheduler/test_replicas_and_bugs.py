"""Replicas racing on PostgreSQL, and regressions of bugs found in the scheduler."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from sla_core.scheduler.tick import TickReport, run_tick
from sla_core.severity import Severity
from tests.scheduler.desk import Desk, paris


@pytest.mark.parametrize("replicas", [3])
def test_replicas_ticking_at_once_plan_each_ticket_once_and_write_each_notice_once(
        desk: Desk, database_url: str, replicas: int) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: replicas are a PostgreSQL matter")
    for _ in range(30):
        desk.open(Severity.CRITICAL, paris("2026-11-20 19:30"))

    def race(at: str) -> list[TickReport]:
        barrier = threading.Barrier(replicas)
        reports: list[TickReport] = []
        errors: list[BaseException] = []

        def replica() -> None:
            try:
                barrier.wait()
                reports.append(run_tick(desk.uow, policy=desk.policy, config=desk.config, now=paris(at), batch=4))
            except BaseException as exc:  # surfaced below
                errors.append(exc)
        threads = [threading.Thread(target=replica) for _ in range(replicas)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors
        return reports

    first = race("2026-11-20 19:30:05")
    assert sum(r.tickets for r in first) == 30  # each ticket planned by exactly one replica
    second = race("2026-11-20 19:45:05")
    assert sum(r.tickets for r in second) == 30
    lines = desk.lines()
    assert len(lines) == 120  # a DM and an on-call channel mention per ticket and instant
    keys = [r.key for r in desk.rows()]
    assert len(set(keys)) == len(keys)
    assert desk.next_due() == paris("2026-11-20 20:00")  # every ticket's next instant written


def test_a_tick_exactly_at_the_due_instant_still_breaches_on_time(desk: Desk) -> None:
    desk.open(Severity.LOW, paris("2026-11-20 17:00"))
    desk.walk(paris("2026-11-24 16:00"), step=timedelta(hours=1))
    desk.tick(paris("2026-11-24 17:00"))  # exactly the callback's due instant
    assert "Tue 24 17:00 breach thread callback level=0" in [line.split(" | ")[1] for line in desk.take()]
    assert desk.next_due() == paris("2026-11-25 17:00")  # the next rung, one business day on


def test_a_snooze_does_not_silence_the_on_call_callback_at_risk_page(desk: Desk) -> None:
    ref = desk.open(Severity.IMPORTANT, paris("2026-11-20 19:00"))
    desk.act("snooze_reminder", ref, paris("2026-11-20 21:50"), minutes=30)
    desk.walk(paris("2026-11-20 22:25"), step=timedelta(minutes=5))
    assert "Fri 20 22:00 page user U0ONCALL1 callback_at_risk" in [line.split(" | ")[1] for line in desk.take()]



def test_the_tick_reports_the_rows_it_queued(desk: Desk) -> None:
    desk.open(Severity.CRITICAL, paris("2026-11-20 19:30"))
    report = desk.tick(paris("2026-11-20 19:30:05"))
    assert (report.decided, report.queued) == (2, 2)
