"""Polling the linked open bugs, for deployers without a webhook: each tick owes one read
per bug and period (replicas ticking together write one job), the worker reads the
tracker, a change is told to the ticket, a closed bug is no longer polled."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.scheduling import tick_once
from sla_core.tickets.actions import Action, EventKind
from tests.bugs.conftest import World


def test_linked_open_bugs_are_polled_once_a_period_until_closed(github_world: World) -> None:
    w = github_world
    w.ctx.bug_tracker = replace(w.ctx.bug_tracker, poll_every=timedelta(minutes=10))
    w.tracker.add_issue("Exports fail")
    w.tracker.add_issue("Never linked")
    ref = w.open().ref
    w.act(Action.LINK_BUG, ref, bug="#1")
    w.run_jobs()  # the link's own read
    gets = len(w.tracker.calls_of("get"))

    tick_once(w.ctx)
    tick_once(w.ctx)  # a second replica, the same instant
    assert w.run_jobs() == 0  # heard of a minute ago: nothing due yet
    w.clock.advance(minutes=11)
    tick_once(w.ctx)
    tick_once(w.ctx)
    assert w.run_jobs() == 1 and len(w.tracker.calls_of("get")) == gets + 1  # one read, of the linked bug only
    assert [c.path for c in w.tracker.calls_of("get")][-1].endswith("/issues/1")
    assert [e.type for e in w.ticket(ref).events][-1] is EventKind.BUG_RECORDED  # nothing changed: nothing told

    w.tracker.set_state(1, state="closed", state_reason="completed", milestone="5.2.4")
    w.clock.advance(minutes=11)
    tick_once(w.ctx)
    w.run_jobs()
    [changed] = [e.payload for e in w.ticket(ref).events if e.type is EventKind.BUG_STATUS_CHANGED]
    assert changed["state"] == "closed" and changed["fix_version"] == "5.2.4"

    w.clock.advance(minutes=30)
    tick_once(w.ctx)
    assert w.run_jobs() == 0  # closed: no longer polled


def test_no_polling_without_poll_every(github_world: World) -> None:
    w = github_world
    w.tracker.add_issue("Exports fail")
    ref = w.open().ref
    w.act(Action.LINK_BUG, ref, bug="#1")
    w.run_jobs()
    w.clock.advance(hours=5)
    tick_once(w.ctx)
    assert w.run_jobs() == 0
