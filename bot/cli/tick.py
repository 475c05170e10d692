"""``astreinte tick [--now ISO] [--no-deliver]``: one scheduler pass, then one delivery
pass of the outbox (and a look-up of the people given by e-mail), and exit — for cron, for
operators, for tests. Prints a JSON summary.
``--no-deliver`` only decides, in the database: it needs no Slack token."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli.common import config_of, with_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tick", help="run one scheduler pass (and deliver what it queued)")
    parser.add_argument("--now", help="the instant of the pass (ISO 8601; default: the real time)")
    parser.add_argument("--no-deliver", action="store_true",
                        help="only decide; leave delivery to the sender (no Slack token needed)")
    with_config(parser)
    parser.set_defaults(handler=_tick)


def _tick(args: argparse.Namespace) -> int:
    from bot.context import system_clock
    from bot.runtime import build_context
    from bot.scheduling import tick_once
    from bot.settings import Environment
    from sla_core.instants import parse_instant

    env = Environment.from_environ()
    config = config_of(args)
    clock = system_clock
    if args.now:
        instant = parse_instant(args.now, timezone=config.policy.timezone, field="--now")
        clock = lambda: instant  # noqa: E731 - a frozen clock for this one pass
    ctx = build_context(env, config, clock=clock, slack=not args.no_deliver)
    try:
        report = tick_once(ctx)
        delivered = people_found = 0
        if not args.no_deliver:
            from bot.delivery import Sender
            from bot.people_lookup import resolve_people

            delivered = Sender(ctx, "astreinte-tick").run_once()
            people_found = resolve_people(ctx)  # people given by e-mail: their Slack user
        print(json.dumps({"now": ctx.now().isoformat(), "tickets": report.tickets, "decided": report.decided,
                          "queued": report.queued, "digests": report.digests,
                          "auto_accepted": report.auto_accepted, "delivered": delivered,
                          "people_found": people_found,
                          "seconds": round(report.seconds, 4)}))
    finally:
        ctx.engine.dispose()
    return 0
