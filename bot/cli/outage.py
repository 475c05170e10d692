"""``astreinte outage start|end|record|list|status``: service interruptions and the
availability they leave over the rolling 30 days."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import LazyChoices, lazy, with_actor, with_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("outage", help="service interruptions and availability")
    sub = parser.add_subparsers(dest="outage_command", required=True, metavar="SUBCOMMAND")

    start = sub.add_parser("start", help="an interruption going on")
    _what(start)
    start.add_argument("--at", help="when it began (ISO 8601; default: now)")
    start.set_defaults(handler=lazy("bot.cli.run_outage", "start"))

    end = sub.add_parser("end", help="the end of an interruption")
    end.add_argument("id", type=int)
    end.add_argument("--at", help="when it ended (ISO 8601; default: now)")
    with_database(end)
    with_actor(end)
    end.set_defaults(handler=lazy("bot.cli.run_outage", "end"))

    record = sub.add_parser("record", help="an interruption that is over")
    _what(record)
    record.add_argument("--start", required=True, help="ISO 8601; without an offset, the policy's local time")
    record.add_argument("--end", required=True, help="ISO 8601; without an offset, the policy's local time")
    record.set_defaults(handler=lazy("bot.cli.run_outage", "record"))

    listing = sub.add_parser("list", help="interruptions of a month")
    listing.add_argument("--month", help="YYYY-MM (default: this month)")
    with_database(listing)
    listing.set_defaults(handler=lazy("bot.cli.run_outage", "list_outages"))

    status = sub.add_parser("status", help="availability over the last 30 days and the error budget left")
    status.add_argument("--service", help="one service only (default: all)")
    with_database(status)
    status.set_defaults(handler=lazy("bot.cli.run_outage", "status"))


def _what(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--service", required=True)
    parser.add_argument("--cause", required=True, choices=LazyChoices("bot.cli.run_outage", "CAUSES"),
                        metavar="{vendor,customer,customer_internet,planned_maintenance}")
    parser.add_argument("--ticket", help="the ticket reference it was reported in, e.g. INC-2026-000123")
    parser.add_argument("--note", default="")
    parser.add_argument("--degraded", action="store_true",
                        help="the service worked, degraded: shown on the status page, not counted as downtime")
    with_database(parser)
    with_actor(parser)
