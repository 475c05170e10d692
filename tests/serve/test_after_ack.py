"""The work after an ack: a modal that could not start while its click's trigger_id was
still alive is not attempted (Slack would answer expired_trigger_id); it is counted and
logged, and modals behind no backlog open as usual."""

from __future__ import annotations

import logging
import threading

from bot.after_ack import AfterAck


def test_a_modal_stuck_behind_a_backlog_past_its_trigger_is_skipped_and_counted(caplog) -> None:
    pool = AfterAck(workers=1, trigger_budget=0.2)
    opened: list[str] = []
    release = threading.Event()
    try:
        pool(release.wait, 5)  # the only worker is busy, as under a burst of clicks
        pool.with_trigger(opened.append, "late click")
        threading.Timer(0.4, release.set).start()  # frees the worker after the trigger budget
        caplog.set_level(logging.WARNING, logger="astreinte.after_ack")
        pool.shutdown()  # waits for the queue to drain
    finally:
        release.set()

    assert opened == []
    assert pool.modals_not_opened == 1
    assert any("modal not opened" in r.getMessage() for r in caplog.records)


def test_a_modal_with_nothing_ahead_of_it_opens() -> None:
    pool = AfterAck(workers=1, trigger_budget=0.2)
    opened: list[str] = []

    pool.with_trigger(opened.append, "fresh click")
    pool.shutdown()

    assert opened == ["fresh click"]
    assert pool.modals_not_opened == 0
