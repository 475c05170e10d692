"""Every event of a ticket's life renders and goes out, in both languages, and the sender
loop wakes up for new work and stops when told."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from sla_core.outbox import store
from sla_core.severity import Severity
from tests.delivery.conftest import CRITICAL_CHANNEL, IMPORTANT_CHANNEL, REPORTER, World, buttons, texts


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_event_of_a_ticket_life_is_told_in_the_thread_and_to_the_reporter(world: World, language: str) -> None:
    world.ctx.wiring = dataclasses.replace(world.ctx.wiring, default_language=language)
    ticket = world.open_critical(language=language)
    ref = ticket.ref
    world.act("acknowledge", ref, channel="email", note="first look")
    world.act("post_update", ref, text="found the cause")
    world.act("add_internal_note", ref, text="internal only")
    world.act("set_waiting_on_customer", ref, question="logs?")
    world.act("customer_replied", ref, text="sent")
    world.act("change_severity", ref, severity=Severity.IMPORTANT, reason="one shop")
    world.act("propose_resolution", ref, kind="fix", text="patched")
    world.act("reject_resolution", ref, REPORTER, reason="still broken")
    world.act("propose_resolution", ref, kind="fix", text="patched again")
    world.act("accept_resolution", ref, REPORTER)
    world.act("reopen", ref, reason="came back")
    world.act("propose_resolution", ref, kind="workaround", text="restart nightly")
    world.act("accept_resolution", ref, REPORTER)
    world.act("close", ref)
    sender = world.sender()

    while sender.run_once():
        world.clock.advance(seconds=5)

    with world.ctx.uow() as uow:
        assert store.counts(uow.session)["failed"] == 0 and store.counts(uow.session)["pending"] == 0
    # The sender was down all along: the root went straight to the ticket's channel now.
    assert world.slack.messages(CRITICAL_CHANNEL) == []
    root = world.slack.messages(IMPORTANT_CHANNEL)[0]
    assert len(world.slack.thread(IMPORTANT_CHANNEL, root.ts)) == 14  # one reply per event after opening
    assert buttons(root) == {"rca.start": ref}  # closed: only its root-cause analysis is left
    # the receipt, then ack, update, question, severity, 3 proposals, reopened, closed (not their own answers);
    # beside them, once, the satisfaction survey the accepted resolution asked (docs/satisfaction.md)
    told = [m for m in world.slack.dm(REPORTER) if not _is_survey(m)]
    assert len(told) == 1 + 9 and len(world.slack.dm(REPORTER)) == len(told) + 1
    assert all("internal only" not in texts(m) for m in world.slack.dm(REPORTER))
    last_proposal = [m for m in world.slack.dm(REPORTER) if "restart nightly" in texts(m)][0]
    assert buttons(last_proposal) == {}  # already answered when it was rendered


def test_the_sender_loop_wakes_for_new_work_and_stops(world: World) -> None:
    sender = world.sender()
    stop = threading.Event()
    loop = threading.Thread(target=sender.run_forever, args=(stop,), kwargs={"idle_timeout": 30})
    loop.start()
    try:
        world.open_critical()
        world.ctx.wake_sender()
        world.slack.wait_for(lambda: world.slack.messages(CRITICAL_CHANNEL), timeout=5)
    finally:
        stop.set()
        world.ctx.wake_sender()
        loop.join(timeout=5)
    assert not loop.is_alive()


def _is_survey(message: object) -> bool:
    key = ((getattr(message, "metadata", None) or {}).get("event_payload") or {}).get("key", "")
    return str(key).startswith("csat:")
