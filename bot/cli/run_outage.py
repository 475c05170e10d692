"""The handlers of ``astreinte outage``, imported when one runs (the parser is in
``bot/cli/outage.py``)."""

from __future__ import annotations

import argparse

from bot.cli.operations import database, instant, load, now_utc
from sla_core.availability import outages as service
from sla_core.availability.budget import minutes
from sla_core.availability.model import Cause, OutageView
from sla_core.instants import format_instant
from sla_core.policy import Policy
from sla_core.reports.month import Month

CAUSES = [c.value for c in Cause]


def _line(o: OutageView, policy: Policy) -> str:
    def fmt(t: object) -> str:
        return "ongoing" if t is None else str(format_instant(t, timezone=policy.timezone))  # type: ignore[arg-type]
    return f"#{o.id}\t{o.service}\t{o.cause.value}\t{fmt(o.started_at)}\t{fmt(o.ended_at)}\t{o.ticket_ref or ''}"


def start(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    at = instant(args.at, policy, "--at") if args.at else None
    with database(args) as uow:
        view = service.start_outage(uow, support=support, actor_id=args.actor, service=args.service,
                                    cause=Cause(args.cause), started_at=at, ticket_ref=args.ticket, note=args.note,
                                    degraded=args.degraded, now=now_utc())
    print(f"interruption recorded: {_line(view, policy)}")
    return 0


def end(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    at = instant(args.at, policy, "--at") if args.at else None
    with database(args) as uow:
        view = service.end_outage(uow, support=support, actor_id=args.actor, outage_id=args.id, ended_at=at,
                                  now=now_utc())
    print(f"interruption ended: {_line(view, policy)}")
    return 0


def record(args: argparse.Namespace) -> int:
    policy, support, _ = load(args)
    start, end = instant(args.start, policy, "--start"), instant(args.end, policy, "--end")
    with database(args) as uow:
        view = service.record_outage(uow, support=support, actor_id=args.actor, service=args.service,
                                     cause=Cause(args.cause), started_at=start, ended_at=end, ticket_ref=args.ticket,
                                     note=args.note, degraded=args.degraded, now=now_utc())
    print(f"interruption recorded: {_line(view, policy)}")
    return 0


def list_outages(args: argparse.Namespace) -> int:
    policy, _, _ = load(args)
    month = Month.parse(args.month) if args.month else Month.of(now_utc(), policy.timezone)
    with database(args) as uow:
        views = service.list_outages_in_month(uow, policy=policy, year=month.year, month=month.month)
    print(f"{month.label}: {len(views)} interruption(s)")
    for v in views:
        print(_line(v, policy))
    return 0


def status(args: argparse.Namespace) -> int:
    policy, _, config = load(args)
    with database(args) as uow:
        figure = service.current_availability(uow, settings=config.availability, now=now_utc(), service=args.service)
    print(f"availability over the last {config.availability.window.days} days: {figure.ratio:.3%} "
          f"(target {figure.target:.1%}, {'met' if figure.met else 'MISSED'}); counted downtime "
          f"{minutes(figure.downtime)}, error budget left {minutes(figure.budget_left)} of {minutes(figure.budget)}")
    return 0
