"""SIGKILL, again and again, while notices are being delivered through a slow and lossy
Slack: nothing is lost and nothing is posted twice.

Each iteration starts a bot process (``sender_child.py``: the real scheduler tick and the
real ``Sender``, with a 2-second lease instead of 30 s, see its docstring) beside the
one started by the previous iteration, opens a ticket, queues faults at the fake (a post
answered after the client's 0.5 s timeout, a post performed and then hung up on, a 500, a
slow history lookup), lets both work for a random 0–1 s once the new one ticks, and
kills the older one's process group with SIGKILL. So two replicas compete for the outbox
at every kill, and every process but the last dies by SIGKILL. Rows left
``sending`` come back when their lease ends, flagged ``outcome_unknown``; the next sender
looks their key up in the channel's history (or the thread's replies) before posting.
At the end one clean process drains the outbox."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.doubles.faulty_slack import FaultySlack
from tests.resilience.conftest import (
    Proc, assert_exactly_once, bot_environ, config_with_tick, keys_in_calls, make_ctx, minutes_ago, open_ticket, outbox,
    seeded_random, start_child, wait_for_line,
)

ITERATIONS = 8
FAULT_DELAY = 0.8  # > the client's 0.5 s timeout (unknown outcome), < its 1 s backoff and 2 s lease


def test_sigkill_loop_loses_nothing_and_posts_nothing_twice(pg_url: str, slack: FaultySlack, tmp_path: Path) -> None:
    seed, rng = seeded_random()
    config = config_with_tick(tmp_path)
    ctx = make_ctx(pg_url, slack, config)
    env = bot_environ(tmp_path, pg_url, slack, config)
    for i, minutes in enumerate((70, 100)):  # breaches and pages already due
        open_ticket(ctx, severity="critical", opened_at=minutes_ago(minutes), key=f"start-{i}")
    killed_with_rows_in_flight = 0
    running: list[Proc] = []
    for i in range(ITERATIONS):
        for fault in rng.sample(["delay", "drop", "500", "history"], k=rng.randint(1, 3)):
            if fault == "delay":
                slack.fail_next("chat.postMessage", delay=FAULT_DELAY)
            elif fault == "drop":
                slack.fail_next("chat.postMessage", drop_after_commit=True)
            elif fault == "500":
                slack.fail_next("chat.postMessage", status=500)
            else:
                slack.fail_next("conversations.history", delay=FAULT_DELAY)
        running.append(start_child(env, tmp_path, f"child-{i}"))
        wait_for_line(running[-1], "tick at")
        for n in range(2):  # fresh work in flight when the kill comes
            severity, minutes = rng.choice([("critical", 65), ("critical", 20), ("important", 245)])
            open_ticket(ctx, severity=severity, opened_at=minutes_ago(minutes), key=f"loop-{i}-{n}")
        time.sleep(rng.uniform(0, 1.0))
        if len(running) == 2:
            running.pop(0).kill()
        killed_with_rows_in_flight += any(r.status == "sending" for r in outbox(ctx))

    running.pop().kill()
    started = time.monotonic()
    drainer = start_child(env, tmp_path, "drain", mode="drain")
    try:
        drainer.process.wait(45)
    except subprocess.TimeoutExpired:
        drainer.kill()  # never leave a child behind, whatever the outcome
        raise AssertionError(f"the drain did not finish in 45 s:\n{drainer.log()[-4000:]}") from None
    assert drainer.process.returncode == 0, drainer.log()[-4000:]
    drained = time.monotonic() - started
    time.sleep(FAULT_DELAY + 0.2)  # a delayed post of a killed process may still be landing: let it
    figures = assert_exactly_once(ctx, slack)  # seed in the report below if this fails

    rows = outbox(ctx)
    performed = sum(keys_in_calls(slack).values())
    unknown = [c for c in slack.calls("chat.postMessage") if c.outcome in ("delayed", "dropped")]
    lookups = slack.calls("conversations.history") + slack.calls("conversations.replies")
    retried = [r for r in rows if r.attempts > 1]
    assert figures["messages"] >= 40, figures
    assert unknown and lookups, "the loop must have produced unknown outcomes and lookups"
    print(f"\nSIGKILL loop (seed {seed}): {ITERATIONS} processes SIGKILLed, {figures}, "
          f"{performed} posts performed, {len(unknown)} unknown outcomes, {len(lookups)} lookups, "
          f"{len(retried)} rows retried, {killed_with_rows_in_flight} kills left rows sending, drained in {drained:.1f}s, 0 duplicates")
    ctx.engine.dispose()
