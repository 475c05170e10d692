"""``astreinte maintenance schedule|list|cancel|notify``: planned maintenance windows.
A window beyond the month's budget exits 2 saying what is left; the customers' email is
sent after the window is saved (a failed sending says how to retry: ``notify ID``)."""

from __future__ import annotations

from typing import Any

from bot.cli.common import lazy, with_actor, with_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("maintenance", help="planned maintenance windows and their monthly budget")
    sub = parser.add_subparsers(dest="maintenance_command", required=True, metavar="SUBCOMMAND")

    schedule = sub.add_parser("schedule", help="schedule a window (customers are emailed)")
    schedule.add_argument("--start", required=True, help="ISO 8601; without an offset, the policy's local time")
    schedule.add_argument("--end", required=True, help="ISO 8601; without an offset, the policy's local time")
    schedule.add_argument("--service", required=True, help="the service under maintenance, e.g. api")
    schedule.add_argument("--critical-fixes", action="store_true",
                          help="carries critical fixes: allowed beyond the budget, no customer email")
    schedule.add_argument("--reason", default="", help="what the maintenance is for (told to customers)")
    with_database(schedule)
    with_actor(schedule)
    schedule.set_defaults(handler=lazy("bot.cli.run_maintenance", "schedule"))

    listing = sub.add_parser("list", help="windows of a month and the budget used")
    listing.add_argument("--month", help="YYYY-MM (default: this month)")
    with_database(listing)
    listing.set_defaults(handler=lazy("bot.cli.run_maintenance", "list_windows"))

    cancel = sub.add_parser("cancel", help="cancel a window that has not begun")
    cancel.add_argument("id", type=int)
    with_database(cancel)
    with_actor(cancel)
    cancel.set_defaults(handler=lazy("bot.cli.run_maintenance", "cancel"))

    notify = sub.add_parser("notify", help="send (again) a window's email to the customers")
    notify.add_argument("id", type=int)
    with_database(notify)
    notify.set_defaults(handler=lazy("bot.cli.run_maintenance", "notify"))

