"""Slack misbehaving, through the real Sender (in this process, on a SQLite file, the
clock set by the test): a 429's Retry-After is honoured, 500s back off and then deliver
once, and a post whose answer never comes (a timeout) is looked up before it is sent
again, so it is not posted twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.context import BotContext
from bot.delivery import Sender
from bot.offline.clock import SettableClock
from tests.doubles.faulty_slack import FaultySlack
from sla_core.persistence.migrate import upgrade_database
from tests.resilience.conftest import (
    REPO, assert_exactly_once, keys_in_slack, make_ctx, open_ticket, realtime_slack,
)

CRITICAL = "C0SUPCRIT"


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[BotContext, FaultySlack, SettableClock]]:
    url = f"sqlite+pysqlite:///{tmp_path / 'astreinte.sqlite3'}"
    upgrade_database(url)
    clock = SettableClock(datetime.now(timezone.utc).replace(microsecond=0))
    with realtime_slack() as slack:
        ctx = make_ctx(url, slack, REPO / "app.yaml", clock)
        open_ticket(ctx, severity="critical", opened_at=clock(), key="k1")  # a root post and a receipt DM
        yield ctx, slack, clock
        ctx.engine.dispose()


def sender(ctx: BotContext, **options: object) -> Sender:
    return Sender(ctx, "sender", channel_interval=0.05, **options)  # type: ignore[arg-type]


def advance(clock: SettableClock, seconds: float) -> None:
    clock.advance(seconds=seconds)


def root_calls(slack: FaultySlack) -> list:
    return [c for c in slack.calls("chat.postMessage") if c.params.get("channel") == CRITICAL]


def test_a_429_is_retried_only_after_its_retry_after(
        desk: tuple[BotContext, FaultySlack, SettableClock]) -> None:
    ctx, slack, clock = desk
    slack.fail_next("chat.postMessage", status=429, retry_after=2)
    s = sender(ctx)
    s.run_once()
    refused = root_calls(slack)[0]
    advance(clock, 1)
    s.run_once()  # 1 s later by the outbox's clock: not yet
    assert len(root_calls(slack)) == 1
    advance(clock, 1)
    s.run_once()  # due by the outbox; the sender still waits out the channel's hold in real time
    calls = root_calls(slack)
    assert [c.outcome for c in calls] == ["http_429", "ok"]
    assert calls[1].time - refused.time >= 1.95
    assert_exactly_once(ctx, slack)


def test_server_errors_back_off_then_deliver_once(desk: tuple[BotContext, FaultySlack, SettableClock]) -> None:
    ctx, slack, clock = desk
    slack.fail_next("chat.postMessage", status=500, count=3)
    s = sender(ctx)
    s.run_once()  # the root and the receipt both get a 500
    advance(clock, 4)
    s.run_once()  # the 5 s backoff has not passed: nothing is tried
    assert len(slack.calls("chat.postMessage")) == 2
    advance(clock, 1)
    s.run_once()  # one more 500 (the root), the receipt goes out
    advance(clock, 10)  # the second backoff: 10 s
    s.run_once()
    assert [c.outcome for c in root_calls(slack)] == ["http_500", "http_500", "ok"]
    assert_exactly_once(ctx, slack)


def test_a_timed_out_post_that_landed_is_not_posted_again(desk: tuple[BotContext, FaultySlack, SettableClock]) -> None:
    ctx, slack, clock = desk
    slack.fail_next("chat.postMessage", delay=0.8)  # the root lands 0.8 s later; the client gave up at 0.3 s
    s = sender(ctx, timeout=0.3, in_flight_settle=0.0)  # the test waits for the landing itself
    s.run_once()
    slack.wait_for(lambda: any(c.outcome == "delayed" for c in slack.calls("chat.postMessage")), timeout=3)
    advance(clock, 5)
    s.run_once()  # looks for the key in the channel's history, finds it, marks it sent
    assert [c.outcome for c in root_calls(slack)] == ["delayed"]
    assert len(slack.calls("conversations.history")) == 1
    assert keys_in_slack(slack).most_common(1)[0][1] == 1
    assert_exactly_once(ctx, slack)


def test_a_post_landing_after_the_client_gave_up_is_waited_for_before_the_lookup(
        desk: tuple[BotContext, FaultySlack, SettableClock]) -> None:
    ctx, slack, clock = desk
    slack.fail_next("chat.postMessage", delay=1.5)  # lands 1.5 s after it was sent
    s = sender(ctx, timeout=0.3, in_flight_settle=2.0)
    s.run_once()
    advance(clock, 5)  # the backoff has passed by the outbox's clock, 0.3 s of real time later
    s.run_once()  # the request may still land: no lookup, no second post yet
    assert len(slack.calls("conversations.history")) == 0
    time.sleep(2.0)  # the first post lands; the settle time passes
    advance(clock, 60)
    s.run_once()  # now the lookup finds it
    assert keys_in_slack(slack).most_common(1)[0][1] == 1
    assert_exactly_once(ctx, slack)
