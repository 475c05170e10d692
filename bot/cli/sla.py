"""``astreinte sla deadlines``, ``sla replay [--explain]`` and ``sla explain INC-…``: the engine
on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import LazyChoices, config_of, with_config, with_database


def register(subparsers: Any) -> None:
    sla = subparsers.add_parser("sla", help="compute SLA deadlines and clocks")
    sla_sub = sla.add_subparsers(dest="sla_command", required=True, metavar="SUBCOMMAND")

    dl = sla_sub.add_parser("deadlines", help="the targets of a ticket opened at an instant")
    # Not argparse's `choices`: a severity is read case-blind ("Critical"), and a wrong one
    # gets the one-line refusal every other bad value gets.
    dl.add_argument("--severity", required=True, help="critical, important, low or none (any case)")
    dl.add_argument("--opened", required=True, help="ISO 8601; without an offset, local time of the policy")
    with_config(dl)
    dl.set_defaults(handler=_deadlines)

    rp = sla_sub.add_parser("replay", help="every clock's state after a list of events (JSON on stdin)")
    with_config(rp)
    rp.add_argument("--explain", action="store_true", help="print every clock's ledger instead of the states")
    rp.add_argument("--json", action="store_true", help="with --explain: the ledger as JSON")
    _language_option(rp)
    rp.set_defaults(handler=_replay)

    ex = sla_sub.add_parser("explain", help="why each deadline of a stored ticket is where it is (its ledger)")
    ex.add_argument("ref", metavar="INC-…", help="the ticket's reference")
    ex.add_argument("--json", action="store_true", help="the ledger as JSON instead of text")
    _language_option(ex)
    ex.add_argument("--as-of", help="the ledger as of this instant (ISO 8601; default: now)")
    with_database(ex)
    ex.set_defaults(handler=_explain)


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LazyChoices("messages", "LANGUAGES"), default=None, metavar="{en,fr}",
                        help="language of the text (default: app.yaml's slack.default_language)")


def _deadlines(args: argparse.Namespace) -> int:
    from sla_core.instants import parse_instant
    from sla_core.replay import deadlines, parse_severity

    severity = parse_severity(args.severity, field="--severity")
    policy = config_of(args).policy
    opened = parse_instant(args.opened, timezone=policy.timezone, field="--opened")
    print(json.dumps(deadlines(policy, severity=severity, opened_at=opened), indent=2))
    return 0


def _replay(args: argparse.Namespace) -> int:
    from sla_core.errors import InputError
    from sla_core.replay import replay, replay_ledger

    policy = config_of(args).policy
    text = sys.stdin.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("input", f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if args.explain:
        from bot import sla_explain

        book = replay_ledger(policy, document)
        lang = args.lang or config_of(args).slack.default_language
        print(sla_explain.output(policy, book, ref=str(document.get("ref", "—")), as_json=args.json, lang=lang))
        return 0
    print(json.dumps(replay(policy, document), indent=2))
    return 0


def _explain(args: argparse.Namespace) -> int:
    """The ledger of a stored ticket, read from its event log (an unknown ticket: exit 2)."""
    from datetime import UTC, datetime

    from bot import sla_explain
    from bot.cli.operations import database
    from sla_core.instants import parse_instant
    from sla_core.tickets.queries import get_ticket

    config = config_of(args)
    policy = config.policy
    now = parse_instant(args.as_of, timezone=policy.timezone, field="--as-of") if args.as_of else datetime.now(UTC)
    with database(args) as uow:
        ticket = get_ticket(uow, policy=policy, ticket_ref=args.ref, now=now)
    book = sla_explain.ticket_ledger(policy, ticket, now=now)
    lang = args.lang or config.slack.default_language
    print(sla_explain.output(policy, book, ref=ticket.ref, as_json=args.json, lang=lang))
    return 0
