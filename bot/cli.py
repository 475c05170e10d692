"""The ``astreinte`` command line. Each group of subcommands lives in its own module and
registers itself here; errors a user can fix exit with status 2 and one line saying what to
fix."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot import cli_config, cli_sla
from sla_core.errors import AstreinteError

Handler = Callable[[argparse.Namespace], int]

# Each module exposes register(subparsers) and sets `handler` on the parsers it adds.
_GROUPS = [cli_sla, cli_config]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="astreinte", description="Run a support desk by its SLA, in Slack.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in _GROUPS:
        group.register(subparsers)
    for name in ("db", "serve", "demo", "tick", "report", "maintenance", "outage"):
        _register_optional(subparsers, name)
    return parser


def _register_optional(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    """Groups that import heavier modules (SQLAlchemy, Bolt) register only if present."""
    import importlib

    try:
        module = importlib.import_module(f"bot.cli_{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"bot.cli_{name}":
            raise
        return
    module.register(subparsers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AstreinteError as exc:
        print(f"astreinte: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
