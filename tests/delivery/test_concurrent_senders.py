"""Two replicas' senders on one outbox: claims are disjoint (FOR UPDATE SKIP LOCKED on
PostgreSQL, one writer on SQLite), so every message goes out exactly once."""

from __future__ import annotations

import threading
from collections import Counter

from tests.delivery.conftest import CRITICAL_CHANNEL, REPORTER, World


def test_two_senders_deliver_every_message_exactly_once(world_on: World) -> None:
    world = world_on
    refs = [world.open_critical(title=f"Outage {i}", key=f"k{i}").ref for i in range(6)]
    for ref in refs:
        world.act("acknowledge", ref, channel="phone", note="", minutes=1)
    senders = [world.sender(f"replica-{i}", batch=3) for i in range(2)]
    barrier = threading.Barrier(len(senders))
    errors: list[BaseException] = []

    def drain(sender: object) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                sender.run_once()  # type: ignore[attr-defined]
        except BaseException as exc:  # surfaced below, with the assertion
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    channels = [CRITICAL_CHANNEL, world.slack.dm_channel(REPORTER)]
    keys = Counter(m.metadata["event_payload"]["key"] for c in channels for m in world.slack.messages(c)
                   if m.metadata)
    assert len(keys) == 6 * 4 and set(keys.values()) == {1}  # root, receipt, thread reply, reporter DM each
    roots = [m for m in world.slack.messages(CRITICAL_CHANNEL) if m.thread_ts is None]
    assert len(roots) == 6 and all(len(m.edits) >= 1 for m in roots)
