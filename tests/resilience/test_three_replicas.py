"""Three ``astreinte serve`` replicas (gunicorn, one worker each) on ONE PostgreSQL schema
and one Slack: each ticks every second and runs its own sender, and every notification
still reaches Slack exactly once — the scheduler's claims (FOR UPDATE SKIP LOCKED), the
outbox's unique keys (ON CONFLICT DO NOTHING) and the sender's leased claims at work."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from tests.doubles.faulty_slack import FaultySlack
from tests.resilience.conftest import (
    assert_exactly_once, bot_environ, config_with_tick, keys_in_calls, make_ctx, minutes_ago, open_ticket, outbox,
    out_of_hours_ago, start_serve, wait_drained,
)


def test_three_replicas_post_every_notification_exactly_once(pg_url: str, slack: FaultySlack, tmp_path: Path) -> None:
    config = config_with_tick(tmp_path)
    ctx = make_ctx(pg_url, slack, config)
    # Notices already due, whatever the hour: callbacks breached (Critical 60 min, Important
    # 4 h, both 24/7), an at-risk warning (75 %), and on-call pages (Critical opened out of
    # hours: the real clock runs the replicas, so those are placed before 09:00 by day).
    for i, minutes in enumerate((70, 95)):
        open_ticket(ctx, severity="critical", opened_at=out_of_hours_ago(ctx, minutes), key=f"crit-{i}")
    open_ticket(ctx, severity="critical", opened_at=minutes_ago(50), key="crit-2")
    for i, minutes in enumerate((250,)):
        open_ticket(ctx, severity="important", opened_at=minutes_ago(minutes), key=f"imp-{i}")
    env = bot_environ(tmp_path, pg_url, slack, config)
    started = time.monotonic()
    replicas = [start_serve(env, tmp_path, f"replica-{i}") for i in range(3)]
    try:
        for replica in replicas:
            replica.wait_listening()
        booted = time.monotonic() - started
        # While they run: one more ticket, already late on its callback.
        open_ticket(ctx, severity="critical", opened_at=minutes_ago(65), key="crit-live-0")
        drained = wait_drained(ctx, slack, timeout=40, procs=replicas)
        logs = [r.log() for r in replicas]
    finally:  # drained: nothing is in flight, so no need to wait for a graceful stop
        for replica in replicas:
            replica.kill()

    figures = assert_exactly_once(ctx, slack)
    rows = outbox(ctx)
    kinds = Counter(r.kind for r in rows if r.status == "sent")
    # The floor every hour of the day gives: a root post and a receipt per ticket (5), a
    # callback breach per late ticket (4) and crit-2's at-risk warning. Escalation rungs,
    # repeats and pages come on top, as many as the real clock's hour makes due (19 at
    # midday in Paris, more at night): exactly once is the point, not their number.
    assert figures["messages"] >= 2 * 5 + 4 + 1, figures
    assert {"ticket_opened", "reporter_receipt", "breach", "page"} <= set(kinds), kinds
    # Every replica ticked and sent: the work was really shared, not done by one of them.
    assert all("tick at" in log for log in logs)
    senders = Counter(line.split("worker=")[1].split()[0] for log in logs for line in log.splitlines()
                      if "msg=\"delivered" in line and "worker=" in line)
    print(f"messages delivered per replica: {dict(senders)}")  # any split is fine: exactly once is the point
    assert sum(keys_in_calls(slack).values()) == figures["messages"]
    ctx.engine.dispose()
    print(f"\nthree replicas: {figures}, deliveries per replica {dict(senders)}, "
          f"booted in {booted:.1f}s, drained in {drained:.1f}s")
