"""``astreinte report --month YYYY-MM [--format md|csv|html] [--lang fr|en] [--output PATH]``: the SLA
report of a month, from the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import LazyChoices, with_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="the SLA report of a month (md, csv or html)")
    parser.add_argument("--month", required=True, help="YYYY-MM, a calendar month in the policy's time zone")
    parser.add_argument("--format", default="md", choices=LazyChoices("sla_core.reports", "FORMATS"),
                        metavar="{md,csv,html}")
    parser.add_argument("--table", default="all", choices=LazyChoices("sla_core.reports", "TABLES"),
                        metavar="{all,summary,breaches}", help="csv only: one table alone")
    parser.add_argument("--output", help="write to this file instead of standard output")
    parser.add_argument("--as-of", help="outcomes as of this instant (ISO 8601; default: now)")
    parser.add_argument("--lang", choices=LazyChoices("messages", "LANGUAGES"), default=None, metavar="{en,fr}",
                        help="language of the report (default: app.yaml's slack.default_language); "
                             "csv keeps dot decimals and ISO dates whatever the language")
    with_database(parser)
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from bot.cli.common import config_of
    from bot.cli.operations import database, instant, load, now_utc
    from sla_core.errors import UsageError
    from sla_core.reports import Month, build_month_report, render

    month = Month.parse(args.month)
    policy, _, config = load(args)
    as_of = instant(args.as_of, policy, "--as-of") if args.as_of else now_utc()
    if args.table != "all" and args.format != "csv":
        raise UsageError("--table", "only the csv format has separate tables; drop --table or add --format csv")
    with database(args) as uow:
        report = build_month_report(uow, policy=policy, config=config, month=month, now=as_of,
                                    satisfaction=config_of(args).satisfaction,
                                    rca=config_of(args).rca)
    lang = args.lang or config_of(args).slack.default_language
    text = render(report, fmt=args.format, table=args.table, lang=lang)
    if args.output:
        target = Path(args.output)
        if not target.parent.is_dir():
            raise UsageError("--output", f"the folder {target.parent} does not exist")
        target.write_text(text, encoding="utf-8")
        print(f"{month.label}: {args.format} report written to {target}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
