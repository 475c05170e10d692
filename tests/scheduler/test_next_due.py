"""``next_due_at`` has one writer: the tick (``run_tick`` → ``TicketRepository.set_next_due``),
which stores the plan's next wake-up; every change to a ticket makes it due at once. The
column is read back after a real tick, on both databases."""

from __future__ import annotations

import pytest

from sla_core.severity import Severity
from tests.scheduler.desk import REPORTER, Desk, paris

OPENED = paris("2026-11-23 10:00")  # a Monday, in business hours: no out-of-hours page series
STEPS = {
    "ack": ("acknowledge", {}),
    "wait": ("set_waiting_on_customer", {"question": "logs?"}),
    "propose": ("propose_resolution", {"kind": "fix", "text": "patched"}),
    "accept": ("accept_resolution", {"actor": REPORTER}),
}
CASES = [
    ((), "10:00", "2026-11-23 10:45", "the-callback-warning-first"),
    ((), "10:45", "2026-11-23 11:00", "strictly-after-now-so-the-callback-due-next"),
    ((), "11:00", "2026-11-23 11:30", "a-breach-wakes-for-the-next-rung-of-the-escalation"),
    ((("10:30", "ack"),), "10:50", "2026-11-23 11:37:30", "after-the-callback-the-update-warning"),
    ((("10:30", "ack"), ("10:40", "wait")), "11:00", None, "paused-clocks-have-nothing-due"),
    ((("10:30", "ack"), ("11:00", "propose")), "11:00", "2026-11-30 11:00",
     "a-pending-proposal-waits-for-auto-acceptance"),
    ((("10:30", "ack"), ("10:50", "propose"), ("11:00", "accept")), "11:00", None,
     "a-resolved-ticket-has-nothing-due"),
]


@pytest.mark.parametrize(("steps", "now", "expected"), [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_the_tick_stores_the_next_instant_anything_is_due(desk: Desk, steps: tuple[tuple[str, str], ...],
                                                           now: str, expected: str | None) -> None:
    ref = desk.open(Severity.CRITICAL, OPENED)
    for hhmm, step in steps:
        name, kwargs = STEPS[step]
        desk.act(name, ref, paris(f"2026-11-23 {hhmm}"), **kwargs)
    desk.tick(paris(f"2026-11-23 {now}"))
    assert desk.next_due() == (paris(expected) if expected else None)


def test_a_tick_before_the_next_instant_leaves_the_ticket_alone(desk: Desk) -> None:
    desk.open(Severity.CRITICAL, OPENED)
    desk.tick(OPENED)
    assert desk.tick(paris("2026-11-23 10:44:59")).tickets == 0
    assert desk.tick(paris("2026-11-23 10:45")).tickets == 1
