"""``astreinte sla deadlines`` and ``astreinte sla replay``: the engine on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot import sla_explain
from sla_core.errors import InputError
from sla_core.instants import parse_instant
from sla_core.policy import load_policy
from sla_core.replay import deadlines, parse_severity, replay, replay_ledger
from sla_core.severity import Severity


def register(subparsers: Any) -> None:
    sla = subparsers.add_parser("sla", help="compute SLA deadlines and clocks")
    sla_sub = sla.add_subparsers(dest="sla_command", required=True, metavar="SUBCOMMAND")

    dl = sla_sub.add_parser("deadlines", help="the targets of a ticket opened at an instant")
    dl.add_argument("--severity", required=True, choices=[s.value for s in Severity])
    dl.add_argument("--opened", required=True, help="ISO 8601; without an offset, local time of the policy")
    dl.add_argument("--config", help="path of app.yaml (default: $ASTREINTE_CONFIG or the bundled one)")
    dl.set_defaults(handler=_deadlines)

    rp = sla_sub.add_parser("replay", help="every clock's state after a list of events (JSON on stdin)")
    rp.add_argument("--config", help="path of app.yaml (default: $ASTREINTE_CONFIG or the bundled one)")
    rp.add_argument("--explain", action="store_true", help="print every clock's ledger instead of the states")
    rp.add_argument("--json", action="store_true", help="with --explain: the ledger as JSON")
    sla_explain.language_option(rp)
    rp.set_defaults(handler=_replay)

    ex = sla_sub.add_parser("explain", help="why each deadline of a stored ticket is where it is (its ledger)")
    sla_explain.add_arguments(ex)
    ex.set_defaults(handler=sla_explain.run)


def config_path(args: argparse.Namespace) -> str | None:
    import os

    return args.config or os.environ.get("ASTREINTE_CONFIG") or None


def _deadlines(args: argparse.Namespace) -> int:
    policy = load_policy(config_path(args))
    severity = parse_severity(args.severity, field="--severity")
    opened = parse_instant(args.opened, timezone=policy.timezone, field="--opened")
    print(json.dumps(deadlines(policy, severity=severity, opened_at=opened), indent=2))
    return 0


def _replay(args: argparse.Namespace) -> int:
    policy = load_policy(config_path(args))
    text = sys.stdin.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("input", f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if args.explain:
        book = replay_ledger(policy, document)
        lang = sla_explain.reader_language(args.lang, config_path(args))
        print(sla_explain.output(policy, book, ref=str(document.get("ref", "—")), as_json=args.json, lang=lang))
        return 0
    print(json.dumps(replay(policy, document), indent=2))
    return 0
