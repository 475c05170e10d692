"""``astreinte sla deadlines`` and ``astreinte sla replay``: the engine on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import config_of, with_config


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
    rp.set_defaults(handler=_replay)


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
    from sla_core.replay import replay

    policy = config_of(args).policy
    text = sys.stdin.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("input", f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    print(json.dumps(replay(policy, document), indent=2))
    return 0
