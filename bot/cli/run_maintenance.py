"""The handlers of ``astreinte maintenance``, imported when one runs (the parser is in
``bot/cli/maintenance.py``)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.operations import database, instant, load, now_utc
from bot.email import EmailFailed, send_email
from sla_core.availability import maintenance as service
from sla_core.availability.announce import OutgoingEmail, span
from sla_core.availability.budget import minutes
from sla_core.availability.config import EmailSettings
from sla_core.persistence.uow import UnitOfWork
from sla_core.reports.month import Month

def schedule(args: argparse.Namespace) -> int:
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


def list_windows(args: argparse.Namespace) -> int:
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


def cancel(args: argparse.Namespace) -> int:
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


def notify(args: argparse.Namespace) -> int:
    policy, _, config = load(args)
    with database(args) as uow:
        email = service.notice_for(uow, policy=policy, settings=config.maintenance, window_id=args.id)
        return _send(uow, config.email, email, args.id)
