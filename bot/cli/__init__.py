"""The ``astreinte`` command line. Each group of subcommands is a module of this package
that declares its arguments with nothing but the standard library, and imports what it
needs (the engine, SQLAlchemy, Bolt) only inside the handler that runs: building the
parser costs nothing, so ``astreinte --help`` and the engine's commands answer at once
(benchmarks/cli.py). Errors a user can fix exit with status 2 and one line saying what to
fix; so do usage mistakes (no argparse usage block)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.cli.common import CONFIG_HELP, Handler, OneLineParser

# The subcommand groups, in the order `astreinte --help` lists them. Each module exposes
# register(subparsers) and sets `handler` on the parsers it adds.
GROUPS = ("init", "check_config", "sla", "demo", "serve", "tick", "db", "report", "maintenance", "outage",
          "mail", "accounts", "rca", "status")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="astreinte", description="Run a support desk by its SLA, in Slack.")
    parser.add_argument("--config", default=None, metavar="PATH", help=CONFIG_HELP)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                       parser_class=OneLineParser)
    for name in GROUPS:
        importlib.import_module(f"bot.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from sla_core.errors import AstreinteError

    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AstreinteError as exc:
        print(f"astreinte: {exc}", file=sys.stderr)
        return 2


__all__ = ["build_parser", "main"]
