"""Delivery throughput under Slack's per-channel rate limit (about one message a second per
channel), on PostgreSQL, through the real outbox sender and a fake Web API that answers
429 (with Retry-After) to a channel posted to faster than that.

    .venv/bin/python benchmarks/delivery.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                            [--channels 6] [--per-channel 8]

Writes ``channels × per-channel`` announcements into the outbox of a dedicated schema
(dropped at the end), then drains it twice with one sender: paced (the default, at most
one post a second per channel) and unpaced (``channel_interval=0``: it relies on 429s and
Retry-After alone). Prints messages per second, the 429s received and whether every
message went out exactly once. The ceiling is the number of channels (one message a
second each)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch_schema import migrated_schema  # noqa: E402
from bot.context import BotContext  # noqa: E402
from bot.delivery import Sender  # noqa: E402
from bot.offline.harness import offline_context  # noqa: E402
from tests.doubles.faulty_slack import FaultySlack  # noqa: E402
from sla_core.outbox.address import AnnouncementChannel, Fallback  # noqa: E402
from sla_core.outbox.model import AvailabilityWarning, Notification  # noqa: E402
from sla_core.outbox.store import enqueue  # noqa: E402
from sla_core.config import load_config  # noqa: E402


def notices(channels: int, per_channel: int, run: str) -> list[Notification]:
    now = datetime.now(UTC)
    out = []
    for i in range(per_channel):  # interleaved, as a busy tick would write them
        for c in range(channels):
            out.append(Notification(
                key=f"bench:{run}:{c}:{i}", due_at=now,
                address=AnnouncementChannel(channel=f"C0BENCH{c:02d}", otherwise=Fallback.LEADS),
                payload=AvailabilityWarning(threshold="50pct", service="all", availability=0.9975,
                                            budget_left_minutes=100, budget_minutes=216, window_start=now,
                                            window_end=now)))
    return out


def drain(ctx: BotContext, slack: FaultySlack, *, run: str, channels: int, per_channel: int,
          channel_interval: float) -> tuple[float, int, int]:
    with ctx.uow() as uow:
        enqueue(uow.session, notices(channels, per_channel, run), now=datetime.now(UTC))
        uow.commit()
    sender = Sender(ctx, f"bench-{run}", channel_interval=channel_interval, backoff=timedelta(seconds=1))
    before = len(slack.calls("chat.postMessage"))
    total = channels * per_channel
    started = time.perf_counter()
    while True:
        sender.run_once()
        posted = [c for c in slack.calls("chat.postMessage")[before:] if c.outcome == "ok"]
        if len(posted) >= total:
            break
        time.sleep(0.02)
        if time.perf_counter() - started > 300:
            raise SystemExit("gave up after 300 s")
    seconds = time.perf_counter() - started
    calls = slack.calls("chat.postMessage")[before:]
    limited = sum(1 for c in calls if c.outcome == "http_429")
    keys = Counter(c.params.get("metadata", {}).get("event_payload", {}).get("key") for c in calls if c.outcome == "ok")
    duplicates = sum(n - 1 for n in keys.values() if n > 1)
    return seconds, limited, duplicates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--channels", type=int, default=6)
    parser.add_argument("--per-channel", type=int, default=8)
    args = parser.parse_args()

    with migrated_schema(args.url, "bench_delivery") as scratch, FaultySlack() as slack:
        slack.set_rate_limit("chat.postMessage", per_channel_per_second=1.0)
        with offline_context(load_config(), scratch.url, slack) as ctx:
            total = args.channels * args.per_channel
            print(f"{total} messages over {args.channels} channels; Slack allows 1 message/s per channel "
                  f"(ceiling {args.channels} msg/s); PostgreSQL outbox, one sender")
            for run, interval in (("paced", 1.0), ("unpaced", 0.0)):
                seconds, limited, duplicates = drain(ctx, slack, run=run, channels=args.channels,
                                                     per_channel=args.per_channel, channel_interval=interval)
                print(f"  {run:8s} channel_interval={interval:.1f}s: {total / seconds:5.2f} msg/s "
                      f"({seconds:5.1f} s), {limited} × 429, {duplicates} duplicates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
