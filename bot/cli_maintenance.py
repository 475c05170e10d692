"""``astreinte maintenance schedule|list|cancel|notify``: planned maintenance windows.
A window beyond the month's budget exits 2 saying what is left; the customers' email is
sent after the window is saved (a failed sending says how to retry: ``notify ID``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli_report import actor, common, instant, load, now_utc, database
from bot.email import EmailFailed, send_email
from sla_core.availability import maintenance as service
from sla_core.availability.announce import OutgoingEmail, span
from sla_core.availability.budget import minutes
from sla_core.availability.config import EmailSettings
from sla_core.persistence.uow import UnitOfWork
from sla_core.reports.month import Month


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
    common(schedule)
    actor(schedule)
    schedule.set_defaults(handler=_schedule)

    listing = sub.add_parser("list", help="windows of a month and the budget used")
    listing.add_argument("--month", help="YYYY-MM (default: this month)")
    common(listing)
    listing.set_defaults(handler=_list)

    cancel = sub.add_parser("cancel", help="cancel a window that has not begun")
    cancel.add_argument("id", type=int)
    common(cancel)
    actor(cancel)
    cancel.set_defaults(handler=_cancel)

    notify = sub.add_parser("notify", help="send (again) a window's email to the customers")
    notify.add_argument("id", type=int)
    common(notify)
    notify.set_defaults(handler=_notify)


def _schedule(args: argparse.Namespace) -> int:
    policy, support, config = load(args)
    start, end = instant(args.start, policy, "--start"), instant(args.end, policy, "--end")
    with database(args) as uow:
        result = service.schedule_maintenance(
            uow, policy=policy, support=support, settings=config.maintenance, actor_id=args.actor,
            service=args.service, starts_at=start, ends_at=end, critical_fixes=args.critical_fixes,
            reason=args.reason, now=now_utc())
        window = result.window
        print(f"maintenance #{window.id} scheduled: {window.service}, {span(window, policy.timezone)}"
              + (" (critical fixes)" if window.critical_fixes else ""))
        for budget in result.budgets:
            print(f"  {budget.label}: {minutes(budget.used)} of {minutes(budget.budget)} used, "
                  f"{minutes(budget.left)} left")
        if result.email is None:
            print("  customers not emailed: the window carries critical fixes")
            return 0
        return _send(uow, config.email, result.email, window.id)


def _send(uow: UnitOfWork, settings: EmailSettings, email: OutgoingEmail, window_id: int) -> int:
    try:
        send_email(settings, email)
    except EmailFailed as exc:
        print(f"astreinte: maintenance #{window_id} is saved but the customers were not told: {exc}; "
              f"retry with `astreinte maintenance notify {window_id}`", file=sys.stderr)
        return 1
    service.mark_notified(uow, window_id=window_id, now=now_utc())
    print(f"  customers emailed: {', '.join(email.recipients)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    policy, _, config = load(args)
    month = Month.parse(args.month) if args.month else Month.of(now_utc(), policy.timezone)
    start, end = month.window(policy.timezone)
    with database(args) as uow:
        windows = service.list_maintenance(uow, start=start, end=end)
        budget = service.maintenance_budget(uow, policy=policy, settings=config.maintenance, year=month.year,
                                            month=month.month)
    print(f"{month.label}: {minutes(budget.used)} of {minutes(budget.budget)} planned maintenance used, "
          f"{minutes(budget.left)} left")
    for w in windows:
        status = "cancelled" if not w.active else ("emailed" if w.notified_at else
                                                   ("critical fixes" if w.critical_fixes else "not emailed yet"))
        print(f"#{w.id}\t{w.service}\t{span(w, policy.timezone)}\t{status}\t{w.reason}")
    return 0


def _cancel(args: argparse.Namespace) -> int:
    policy, support, config = load(args)
    with database(args) as uow:
        window, email = service.cancel_maintenance(uow, policy=policy, support=support, settings=config.maintenance,
                                                   actor_id=args.actor, window_id=args.id, now=now_utc())
        print(f"maintenance #{window.id} cancelled: {window.service}, {span(window, policy.timezone)}")
        if email is None:
            return 0
        try:
            send_email(config.email, email)
        except EmailFailed as exc:
            print(f"astreinte: the customers were not told of the cancellation: {exc}", file=sys.stderr)
            return 1
        print(f"  customers emailed: {', '.join(email.recipients)}")
        return 0


def _notify(args: argparse.Namespace) -> int:
    policy, _, config = load(args)
    with database(args) as uow:
        email = service.notice_for(uow, policy=policy, settings=config.maintenance, window_id=args.id)
        return _send(uow, config.email, email, args.id)
