"""Short, renewed claims: a dead sender's messages are taken over after the lease (30 s),
not minutes later; a live sender keeps its rows however slow Slack is; a row taken over
is looked up in Slack before it is posted again, and its former holder does not post it.
On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from bot.delivery import Sender, health
from bot.delivery.claims import HeldClaims
from bot.metrics import Metrics
from sla_core.outbox import store
from tests.delivery.conftest import T0, World
from tests.delivery.test_faults import keys_posted, outbox_statuses

LEASE = timedelta(seconds=30)


class RunningClock:
    """T0, then running at the real pace: for tests where a lease must run out in real time."""

    def __init__(self, start: datetime, ahead: timedelta = timedelta(0)) -> None:
        self.start, self.ahead, self.began = start, ahead, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + self.ahead + timedelta(seconds=time.monotonic() - self.began)


@pytest.fixture
def running(world_on: World) -> Iterator[World]:
    """``world_on`` whose clock runs in real time from T0."""
    world_on.ctx.clock = RunningClock(T0)
    yield world_on


def claim(world: World, worker: str, *, at: datetime, lease: timedelta = LEASE) -> list[store.OutboxEntry]:
    with world.ctx.uow() as uow:
        entries = store.claim(uow.session, worker=worker, now=at, lease=lease, limit=50)
        uow.commit()
    return entries


def renew(world: World, worker: str, ids: list[int], *, at: datetime) -> set[int]:
    with world.ctx.uow() as uow:
        kept = store.renew(uow.session, ids=ids, worker=worker, now=at, lease=LEASE)
        uow.commit()
    return kept


def metric(world: World, name: str) -> float:
    """One sample of ``/metrics`` as the bot serves it."""
    text = Metrics(world.ctx.uow, world.ctx.now).text()
    [line] = [line for line in text.splitlines() if line.startswith(name + " ")]
    return float(line.split()[1])


def looked_up_before_posting(world: World, key: str) -> bool:
    """Whether the channel ``key`` was posted in was searched (history or thread) before the post."""
    calls = world.slack.calls()
    [post] = [i for i, c in enumerate(calls) if c.method == "chat.postMessage"
              and c.params["metadata"]["event_payload"]["key"] == key]
    channel = calls[post].params["channel"]
    return any(c.method in ("conversations.history", "conversations.replies") and c.params["channel"] == channel
               for c in calls[:post])


def test_a_renewed_claim_holds_and_an_unrenewed_one_is_taken_over_after_its_lease(world_on: World) -> None:
    world = world_on
    world.open_critical()  # the root post and the reporter's receipt
    held = claim(world, "replica-a", at=T0)
    ids = [e.id for e in held]
    assert len(ids) == 2 and not any(e.outcome_unknown for e in held)

    assert renew(world, "replica-a", ids, at=T0 + timedelta(seconds=20)) == set(ids)  # → T0 + 50 s
    assert claim(world, "replica-b", at=T0 + timedelta(seconds=45)) == []  # not past the renewed lease

    taken = claim(world, "replica-b", at=T0 + timedelta(seconds=51))  # replica-a stopped renewing
    assert sorted(e.id for e in taken) == sorted(ids)
    assert all(e.outcome_unknown for e in taken)  # its posts may have landed: look them up first
    assert renew(world, "replica-a", ids, at=T0 + timedelta(seconds=52)) == set()  # no longer its own
    with world.ctx.uow() as uow:
        assert not store.mark_sent(uow.session, entry_id=ids[0], worker="replica-a", now=T0, channel="C", ts="1")
        assert store.takeovers(uow.session) == 2


def test_a_dead_senders_rows_are_taken_over_after_the_lease_looked_up_first_and_posted_once(world_on: World) -> None:
    world = world_on
    world.open_critical()
    dead = claim(world, "killed-replica", at=T0)  # claimed, then the process was killed: no renewal
    keys = {e.key for e in dead}

    world.clock.advance(seconds=29)
    assert world.sender(lease=LEASE).run_once() == 0  # still within the dead holder's lease
    assert health(world.ctx)[0] is True

    world.clock.advance(seconds=2)  # the lease ran out 1 s ago
    healthy, report = health(world.ctx)
    assert not healthy  # /healthz no longer says "ok" while messages wait behind a dead process
    assert report["stale_claims"]["count"] == 2
    assert {r["key"] for r in report["stale_claims"]["rows"]} == keys
    assert {r["claimed_by"] for r in report["stale_claims"]["rows"]} == {"killed-replica"}
    assert {r["seconds_past_lease"] for r in report["stale_claims"]["rows"]} == {1.0}
    assert metric(world, "astreinte_outbox_stale_claims") == 2
    assert metric(world, "astreinte_outbox_takeovers_total") == 0

    assert world.sender(lease=LEASE).run_once() == 2
    assert keys_posted(world) == Counter(dict.fromkeys(keys, 1))
    assert all(looked_up_before_posting(world, key) for key in keys)
    assert outbox_statuses(world) == {"sent": 2}
    assert health(world.ctx)[0] is True
    assert metric(world, "astreinte_outbox_takeovers_total") == 2
    assert metric(world, "astreinte_outbox_stale_claims") == 0


def test_a_slack_call_slower_than_the_lease_keeps_the_claim(running: World) -> None:
    """The root post is answered after 2 s, over three leases of 0.6 s: the heartbeat keeps
    the batch's claims, so the other replica, polling all along, takes nothing over and
    posts nothing a second time."""
    world = running
    world.open_critical()
    short = {"lease": timedelta(seconds=0.6), "renew_every": timedelta(seconds=0.2), "timeout": 5}
    slow, other = world.sender("slow-replica", **short), world.sender("other-replica", **short)
    world.slack.fail_next("chat.postMessage", delay=2.0)
    worker = threading.Thread(target=slow.run_once)
    worker.start()
    while outbox_statuses(world) != {"sending": 2}:  # the slow replica claimed the batch
        time.sleep(0.01)
    taken_by_other = 0
    while worker.is_alive():
        taken_by_other += other.run_once()
        time.sleep(0.05)
    worker.join()

    assert taken_by_other == 0
    assert [c.outcome for c in world.slack.calls("chat.postMessage")] == ["delayed", "ok"]
    assert len(keys_posted(world)) == 2 and set(keys_posted(world).values()) == {1}
    assert outbox_statuses(world) == {"sent": 2}
    with world.ctx.uow() as uow:
        assert store.takeovers(uow.session) == 0


def test_a_row_taken_from_a_stalled_sender_is_not_posted_by_it(running: World) -> None:
    """While the root post of a batch is slow, the batch's claims pass to another worker (as
    when a stalled process's lease runs out). The first sender finishes the call in flight
    but does not post the receipt any more; the worker that recovers the rows later finds the
    root already in Slack and posts the receipt, once each."""
    world = running
    world.open_critical()
    stalled = world.sender("stalled-replica", lease=timedelta(seconds=0.6), renew_every=timedelta(seconds=0.2),
                           timeout=5)
    world.slack.fail_next("chat.postMessage", delay=2.5)
    worker = threading.Thread(target=stalled.run_once)
    worker.start()
    time.sleep(0.5)  # the root post is in flight
    taken = claim(world, "other-replica", at=world.ctx.now() + timedelta(minutes=1))  # then it died, too
    worker.join()
    assert len(taken) == 2
    receipt = next(e.key for e in taken if e.key.endswith(":receipt"))
    root = next(e.key for e in taken if e.key.endswith(":root"))
    assert keys_posted(world) == Counter({root: 1})  # the call in flight landed; the receipt was not sent
    assert outbox_statuses(world) == {"sending": 2}  # and neither row is recorded by the stalled sender

    # Two minutes later, by a replica whose clock says so: both leases have run out.
    recovering = dataclasses.replace(world.ctx, clock=RunningClock(T0, ahead=timedelta(minutes=2)))
    assert Sender(recovering, "recovering-replica", channel_interval=0.05).run_once() == 2
    assert keys_posted(world) == Counter({root: 1, receipt: 1})
    assert [c.params["metadata"]["event_payload"]["key"] for c in world.slack.calls("chat.postMessage")] == [
        root, receipt]  # the root was found by its key, not posted again
    assert looked_up_before_posting(world, receipt)
    assert outbox_statuses(world) == {"sent": 2}


def test_claims_must_be_renewed_more_often_than_their_lease_runs_out(world: World) -> None:
    with pytest.raises(ValueError, match="renewed more often"):
        world.sender(lease=timedelta(seconds=10), renew_every=timedelta(seconds=10))


def test_a_pass_stuck_longer_than_max_hold_lets_its_rows_go(running: World) -> None:
    """Renewal is for work under way: a pass holding rows for longer than ``max_hold``
    (stuck in a call that never ends, say) stops renewing them, and they are taken over."""
    world = running
    world.open_critical()
    ids = [e.id for e in claim(world, "stuck-replica", at=world.ctx.now(), lease=timedelta(seconds=1))]
    claims = HeldClaims(world.ctx, worker="stuck-replica", lease=timedelta(seconds=1),
                        renew_every=timedelta(seconds=0.2), max_hold=timedelta(seconds=2))
    claims.hold(ids)
    with claims:
        time.sleep(1.5)  # past the first lease, renewed meanwhile
        assert claim(world, "other-replica", at=world.ctx.now()) == []
        time.sleep(2.1)  # held past max_hold (2 s), the last renewal's lease (≤ 3 s) ran out
        assert sorted(e.id for e in claim(world, "other-replica", at=world.ctx.now())) == sorted(ids)
