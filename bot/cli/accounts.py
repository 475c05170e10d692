"""``astreinte accounts list|show|add|set|deactivate|import``: the customer accounts and
their people, in the database (seeded from app.yaml on first start)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import lazy, with_actor, with_database

_PEOPLE = (("--administrator", "administrator"), ("--account-holder", "account_holder"), ("--end-user", "end_user"))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("accounts", help="customer accounts and their people")
    sub = parser.add_subparsers(dest="accounts_command", required=True, metavar="SUBCOMMAND")

    listing = sub.add_parser("list", help="every account: id, name, active, people")
    with_database(listing)
    listing.set_defaults(handler=lazy("bot.cli.run_accounts", "list_accounts"))

    show = sub.add_parser("show", help="one account, its people and its recent changes")
    show.add_argument("id")
    with_database(show)
    show.set_defaults(handler=lazy("bot.cli.run_accounts", "show"))

    add = sub.add_parser("add", help="a new account")
    add.add_argument("id", help="a short stable identifier, e.g. acme")
    add.add_argument("--name", help="as customers and agents read it (default: the id)")
    add.add_argument("--channel", action="append", default=[], help="a shared channel's id (repeatable)")
    add.add_argument("--contact", action="append", default=[], help="a maintenance e-mail address (repeatable)")
    _account_options(add)
    _people_options(add)
    add.set_defaults(handler=lazy("bot.cli.run_accounts", "add"))

    change = sub.add_parser("set", help="change an account: only what is given")
    change.add_argument("id")
    change.add_argument("--name")
    change.add_argument("--active", choices=("yes", "no"))
    change.add_argument("--add-channel", action="append", default=[], metavar="CHANNEL")
    change.add_argument("--remove-channel", action="append", default=[], metavar="CHANNEL")
    change.add_argument("--contacts", help="the maintenance e-mail addresses, comma-separated (replaces them)")
    change.add_argument("--remove-person", action="append", default=[], metavar="USER_OR_EMAIL")
    _account_options(change)
    _people_options(change)
    change.set_defaults(handler=lazy("bot.cli.run_accounts", "change"))

    deactivate = sub.add_parser("deactivate", help="the account's administrators can no longer open tickets")
    deactivate.add_argument("id")
    with_database(deactivate)
    with_actor(deactivate)
    deactivate.set_defaults(handler=lazy("bot.cli.run_accounts", "deactivate"))

    imports = sub.add_parser("import", help="a CRM export (.csv or .yaml): checked whole, applied in one transaction")
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    with_database(imports)
    with_actor(imports)
    imports.set_defaults(handler=lazy("bot.cli.run_accounts", "import_file"))


def _account_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--team", help="the customer's Slack team id (Slack Connect), e.g. T0123ABCD")
    with_database(parser)
    with_actor(parser)


def _people_options(parser: argparse.ArgumentParser) -> None:
    for option, role in _PEOPLE:
        parser.add_argument(option, action="append", default=[], dest=role, metavar="USER_OR_EMAIL",
                            help=f"add (or make) an {role.replace('_', ' ')}: a Slack user id or an e-mail "
                                 "(repeatable)")
