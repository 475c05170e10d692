"""Slack misbehaving: nothing is lost, nothing is posted twice, rate limits are honoured,
and what keeps failing shows in /healthz."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from slack_sdk import WebClient

from bot.delivery import health
from bot.rendering import render_root
from sla_core.outbox import store
from sla_core.tickets import get_ticket
from tests.delivery.conftest import CRITICAL_CHANNEL, REPORTER, World, texts


def keys_posted(world: World) -> Counter[str]:
    """How many messages carry each outbox key, in every channel the tests use."""
    channels = [CRITICAL_CHANNEL, "C0SUPIMPT", world.slack.dm_channel(REPORTER)]
    return Counter(m.metadata["event_payload"]["key"] for c in channels for m in world.slack.messages(c)
                   if m.metadata)


def outbox_statuses(world: World) -> Counter[str]:
    with world.ctx.uow() as uow:
        return Counter({k: v for k, v in store.counts(uow.session).items() if v})


def test_an_outage_during_intake_loses_nothing_and_posts_each_message_once(world: World) -> None:
    ticket = world.open_critical()
    # No settle wait: this test itself waits until the slow post has landed before recovery.
    sender = world.sender(timeout=0.3, in_flight_settle=0.0)
    world.slack.fail_next("chat.postMessage", status=500, count=2)

    assert sender.run_once() == 2
    assert keys_posted(world) == Counter()
    assert outbox_statuses(world) == {"pending": 2}

    world.clock.advance(seconds=5)  # the first backoff
    sender.run_once()
    world.act("acknowledge", ticket.ref, channel="phone", note="on it")
    world.slack.fail_next("chat.postMessage", drop_after_commit=True)  # the thread reply lands, its answer is lost
    world.slack.fail_next("chat.update", status=503)
    sender.run_once()
    world.act("post_update", ticket.ref, text="Gateway restarted")
    world.slack.fail_next("chat.postMessage", delay=0.8)  # too slow for the client: lands after it gave up
    sender.run_once()
    world.slack.wait_for(lambda: len(world.slack.calls("chat.postMessage")) and
                         world.slack.calls("chat.postMessage")[-1].outcome == "delayed", timeout=3)

    for _ in range(3):  # recovery: every backoff has passed
        world.clock.advance(minutes=1)
        sender.run_once()

    counts = keys_posted(world)
    assert set(counts.values()) == {1}, counts
    assert len(counts) == 6  # root, receipt; for the ack and the update: thread reply, reporter DM …
    assert outbox_statuses(world) == {"sent": 10}  # … and a root and a reporter's card refresh each (edits)
    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    assert "En cours" in texts(root)


def test_a_429_is_honoured_with_its_retry_after(world: World) -> None:
    world.open_critical()
    sender = world.sender()
    world.slack.fail_next("chat.postMessage", status=429, retry_after=1, count=1)

    sender.run_once()  # the root is refused; the receipt, in another channel, goes out
    refused_at = world.slack.calls("chat.postMessage")[0].time
    assert world.slack.messages(CRITICAL_CHANNEL) == [] and len(world.slack.dm(REPORTER)) == 1

    sender.run_once()  # not before Retry-After, by the outbox's clock
    assert world.slack.messages(CRITICAL_CHANNEL) == []

    world.clock.advance(seconds=1)
    sender.run_once()  # and not before it in real time either: the sender waits for the channel
    [root] = world.slack.messages(CRITICAL_CHANNEL)
    posted = [c for c in world.slack.calls("chat.postMessage") if c.params.get("channel") == CRITICAL_CHANNEL]
    assert posted[-1].time - refused_at >= 0.95
    assert [c.outcome for c in posted] == ["http_429", "ok"]


def test_a_post_that_landed_before_its_worker_died_is_found_by_metadata(world: World) -> None:
    ticket = world.open_critical()
    with world.ctx.uow() as uow:  # a worker claims the root…
        [entry] = [e for e in store.claim(uow.session, worker="dead", now=world.clock.now,
                                          lease=timedelta(minutes=1), limit=50) if e.key.endswith(":root")] or [None]
        uow.commit()
    assert entry is not None
    view = get_ticket(world.ctx.uow(), policy=world.ctx.policy, ticket_ref=ticket.ref, now=world.clock.now)
    message = render_root(view, lang="fr", policy=world.ctx.policy, support=world.ctx.support)
    dead_worker_client = WebClient(token="xoxb-test", base_url=world.slack.base_url, retry_handlers=[])
    world.slack.fail_next("chat.postMessage", drop_after_commit=True)
    try:  # …posts it; the post lands but the answer is lost, and the worker dies
        dead_worker_client.chat_postMessage(channel=CRITICAL_CHANNEL, text=message.text, blocks=message.blocks,
                                            metadata={"event_type": "astreinte_notification",
                                                      "event_payload": {"key": entry.key}})
    except (ConnectionError, OSError):
        pass

    world.clock.advance(minutes=2)  # the lease has run out
    world.sender().run_once()

    [root] = world.slack.messages(CRITICAL_CHANNEL)
    assert keys_posted(world)[entry.key] == 1
    assert len(world.slack.calls("chat.postMessage")) == 2  # the dead worker's and the receipt's
    assert outbox_statuses(world) == {"sent": 2}
    again = get_ticket(world.ctx.uow(), policy=world.ctx.policy, ticket_ref=ticket.ref, now=world.clock.now)
    assert again.slack_ts == root.ts  # the found root is remembered: its thread can start


def test_a_conversation_that_keeps_failing_shows_in_health_and_is_never_dropped(world: World) -> None:
    world.open_critical()
    sender = world.sender(permanent_attempts=3)
    world.slack.fail_next("conversations.open", error="user_disabled", count=3)

    for _ in range(3):
        sender.run_once()
        world.clock.advance(minutes=5)

    healthy, report = health(world.ctx)
    assert not healthy
    assert report["outbox"]["failed"] == 1 and report["outbox"]["sent"] == 1
    [failed] = report["failing"]
    assert failed["key"].endswith(":e1:receipt") and failed["last_error"] == "user_disabled"
    assert failed["attempts"] == 3


def test_a_healthy_outbox_says_so(world: World) -> None:
    world.open_critical()
    world.sender().run_once()

    assert health(world.ctx) == (True, {"outbox": {"pending": 0, "sending": 0, "sent": 2, "failed": 0},
                                        "failing": [], "stale_claims": {"count": 0, "rows": []}})


def test_thread_replies_wait_for_the_root_post_without_counting_a_failure(world: World) -> None:
    ticket = world.open_critical()
    world.act("acknowledge", ticket.ref, channel="phone", note="")
    world.slack.fail_next("chat.postMessage", status=500)  # the root fails first
    sender = world.sender()

    sender.run_once()
    assert world.slack.messages(CRITICAL_CHANNEL) == []
    world.clock.advance(seconds=5)
    sender.run_once()

    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    assert len(world.slack.thread(CRITICAL_CHANNEL, root.ts)) == 1
    assert outbox_statuses(world) == {"sent": 6}  # root, receipt; thread, root refresh, reporter DM, card


def test_posts_are_paced_to_one_a_second_per_channel(world: World) -> None:
    world.slack.set_rate_limit("chat.postMessage", per_channel_per_second=1.0)
    ticket = world.open_critical()
    sender = world.sender(channel_interval=1.0)
    sender.run_once()
    world.act("acknowledge", ticket.ref, channel="phone", note="")
    world.act("add_internal_note", ticket.ref, text="looking at the gateway")
    started = time.monotonic()

    sender.run_once()

    outcomes = [c.outcome for c in world.slack.calls("chat.postMessage")]
    assert "http_429" not in outcomes
    assert time.monotonic() - started >= 1.0  # two replies in one channel, one second apart
    assert outbox_statuses(world) == {"sent": 8}  # the ack's four (one edits the reporter's card), the note's two
