"""What every subcommand shares, kept to the standard library so that building the parser
imports nothing heavy: the ``--config`` option, the configuration read once per process,
one-line usage errors, and lazily imported option choices."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sla_core.config import AppConfig

Handler = Callable[[argparse.Namespace], int]
CONFIG_HELP = "app.yaml to use (default: $ASTREINTE_CONFIG, else the bundled one)"


class OneLineParser(argparse.ArgumentParser):
    """A usage mistake is one line and exit 2, like every other error a user can fix;
    ``--help`` still shows the whole usage."""

    def error(self, message: str) -> NoReturn:
        print(f"astreinte: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(2)


def with_config(parser: argparse.ArgumentParser) -> None:
    """``--config`` after the subcommand too (``astreinte sla deadlines --config x.yaml``);
    SUPPRESS keeps the one given before it when this one is absent."""
    parser.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH", help=CONFIG_HELP)


def config_of(args: argparse.Namespace) -> AppConfig:
    """The process's configuration, read and checked once: ``--config``, else
    ``$ASTREINTE_CONFIG``, else the bundled app.yaml."""
    cached = getattr(args, "_app_config", None)
    if cached is None:
        from sla_core.config import load_config

        cached = load_config(getattr(args, "config", None))
        args._app_config = cached
    return cached


class LazyChoices:
    """Option choices declared in a module the parser should not import until a value is
    checked (``--format`` lives with the report code). Give the option a ``metavar``
    listing them, or argparse imports the module to show them when the option is added;
    a test checks each metavar against its choices."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def _values(self) -> tuple[str, ...]:
        return tuple(getattr(importlib.import_module(self.module), self.name))

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


def with_database(parser: argparse.ArgumentParser) -> None:
    """``--config`` and ``--database``: the options of the commands that read the store."""
    with_config(parser)
    parser.add_argument("--database", help="database URL (default: $DATABASE_URL or the local SQLite file)")


def with_actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="actor", default=None,
                        help="Slack user id acting (default: the operator running the command, as a lead)")


def lazy(module: str, name: str) -> Handler:
    """A handler imported from ``module`` when it runs, not when the parser is built."""
    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(module), name)
        return handler(args)
    return run
