"""``astreinte report --month YYYY-MM [--format md|csv|html] [--output PATH]``, and the
helpers the availability commands share (configuration, database, instants)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import load_wiring
from messages import LANGUAGES
from sla_core.availability.config import AvailabilityConfig, load_availability_config
from sla_core.availability.permissions import OPERATOR
from sla_core.errors import InputError
from sla_core.instants import parse_instant
from sla_core.persistence.engine import database_url_from_env, is_sqlite
from sla_core.persistence.migrate import ensure_database
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy, load_policy
from sla_core.reports import FORMATS, TABLES, Month, build_month_report, render
from sla_core.tickets.support import SupportConfig, load_support


def common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="path of app.yaml (default: $ASTREINTE_CONFIG or the bundled one)")
    parser.add_argument("--database", help="database URL (default: $DATABASE_URL or the local SQLite file)")


def actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="actor", default=OPERATOR,
                        help="Slack user id acting (default: the operator running the command, as a lead)")


def config_path(args: argparse.Namespace) -> str | None:
    return args.config or os.environ.get("ASTREINTE_CONFIG") or None


def load(args: argparse.Namespace) -> tuple[Policy, SupportConfig, AvailabilityConfig]:
    path = config_path(args)
    return load_policy(path), load_support(path), load_availability_config(path)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[UnitOfWork]:
    """A unit of work on ``--database`` (else DATABASE_URL, else the default SQLite file),
    its connections closed when the command is done."""
    url = args.database or database_url_from_env(os.environ)
    uow = UnitOfWork(ensure_database(url, auto_upgrade=is_sqlite(url)))
    try:
        yield uow
    finally:
        uow.engine.dispose()


def instant(text: str, policy: Policy, field: str) -> datetime:
    return parse_instant(text, timezone=policy.timezone, field=field)


def now_utc() -> datetime:
    return datetime.now(UTC)  # the command line is the edge: the domain never reads the clock


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="the SLA report of a month (md, csv or html)")
    parser.add_argument("--month", required=True, help="YYYY-MM, a calendar month in the policy's time zone")
    parser.add_argument("--format", default="md", choices=FORMATS)
    parser.add_argument("--table", default="all", choices=TABLES, help="csv only: one table alone")
    parser.add_argument("--output", help="write to this file instead of standard output")
    parser.add_argument("--as-of", help="outcomes as of this instant (ISO 8601; default: now)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the report (default: app.yaml's slack.default_language); "
                             "csv keeps dot decimals and ISO dates whatever the language")
    common(parser)
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    month = Month.parse(args.month)
    policy, _, config = load(args)
    as_of = instant(args.as_of, policy, "--as-of") if args.as_of else now_utc()
    if args.table != "all" and args.format != "csv":
        raise InputError("--table", "only the csv format has separate tables; drop --table or add --format csv")
    with database(args) as uow:
        report = build_month_report(uow, policy=policy, config=config, month=month, now=as_of)
    lang = args.lang or load_wiring(config_path(args)).default_language
    text = render(report, fmt=args.format, table=args.table, lang=lang)
    if args.output:
        target = Path(args.output)
        if not target.parent.is_dir():
            raise InputError("--output", f"the folder {target.parent} does not exist")
        target.write_text(text, encoding="utf-8")
        print(f"{month.label}: {args.format} report written to {target}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
