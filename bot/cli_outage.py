"""``astreinte outage start|end|record|list|status``: service interruptions and the
availability they leave over the rolling 30 days."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli_report import actor, common, instant, load, now_utc, database
from sla_core.availability import outages as service
from sla_core.availability.budget import minutes
from sla_core.availability.model import Cause, OutageView
from sla_core.instants import format_instant
from sla_core.policy import Policy
from sla_core.reports.month import Month

CAUSES = [c.value for c in Cause]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("outage", help="service interruptions and availability")
    sub = parser.add_subparsers(dest="outage_command", required=True, metavar="SUBCOMMAND")

    start = sub.add_parser("start", help="an interruption going on")
    _what(start)
    start.add_argument("--at", help="when it began (ISO 8601; default: now)")
    start.set_defaults(handler=_start)

    end = sub.add_parser("end", help="the end of an interruption")
    end.add_argument("id", type=int)
    end.add_argument("--at", help="when it ended (ISO 8601; default: now)")
    common(end)
    actor(end)
    end.set_defaults(handler=_end)

    record = sub.add_parser("record", help="an interruption that is over")
    _what(record)
    record.add_argument("--start", required=True, help="ISO 8601; without an offset, the policy's local time")
    record.add_argument("--end", required=True, help="ISO 8601; without an offset, the policy's local time")
    record.set_defaults(handler=_record)

    listing = sub.add_parser("list", help="interruptions of a month")
    listing.add_argument("--month", help="YYYY-MM (default: this month)")
    common(listing)
    listing.set_defaults(handler=_list)

    status = sub.add_parser("status", help="availability over the last 30 days and the error budget left")
    status.add_argument("--service", help="one service only (default: all)")
    common(status)
    status.set_defaults(handler=_status)


def _what(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--service", required=True)
    parser.add_argument("--cause", required=True, choices=CAUSES)
    parser.add_argument("--ticket", help="the ticket reference it was reported in, e.g. INC-2026-000123")
    parser.add_argument("--note", default="")
    common(parser)
    actor(parser)


def _line(o: OutageView, policy: Policy) -> str:
    def fmt(t: object) -> str:
        return "ongoing" if t is None else str(format_instant(t, timezone=policy.timezone))  # type: ignore[arg-type]
    return f"#{o.id}\t{o.service}\t{o.cause.value}\t{fmt(o.started_at)}\t{fmt(o.ended_at)}\t{o.ticket_ref or ''}"


def _start(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    at = instant(args.at, policy, "--at") if args.at else None
    with database(args) as uow:
        view = service.start_outage(uow, support=support, actor_id=args.actor, service=args.service,
                                    cause=Cause(args.cause), started_at=at, ticket_ref=args.ticket, note=args.note,
                                    now=now_utc())
    print(f"interruption recorded: {_line(view, policy)}")
    return 0


def _end(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    at = instant(args.at, policy, "--at") if args.at else None
    with database(args) as uow:
        view = service.end_outage(uow, support=support, actor_id=args.actor, outage_id=args.id, ended_at=at,
                                  now=now_utc())
    print(f"interruption ended: {_line(view, policy)}")
    return 0


def _record(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    start, end = instant(args.start, policy, "--start"), instant(args.end, policy, "--end")
    with database(args) as uow:
        view = service.record_outage(uow, support=support, actor_id=args.actor, service=args.service,
                                     cause=Cause(args.cause), started_at=start, ended_at=end, ticket_ref=args.ticket,
                                     note=args.note, now=now_utc())
    print(f"interruption recorded: {_line(view, policy)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    policy, _, _ = load(args)
    month = Month.parse(args.month) if args.month else Month.of(now_utc(), policy.timezone)
    with database(args) as uow:
        views = service.list_outages_in_month(uow, policy=policy, year=month.year, month=month.month)
    print(f"{month.label}: {len(views)} interruption(s)")
    for v in views:
        print(_line(v, policy))
    return 0


def _status(args: argparse.Namespace) -> int:
    policy, _, config = load(args)
    with database(args) as uow:
        figure = service.current_availability(uow, settings=config.availability, now=now_utc(), service=args.service)
    print(f"availability over the last {config.availability.window.days} days: {figure.ratio:.3%} "
          f"(target {figure.target:.1%}, {'met' if figure.met else 'MISSED'}); counted downtime "
          f"{minutes(figure.downtime)}, error budget left {minutes(figure.budget_left)} of {minutes(figure.budget)}")
    return 0
