"""``astreinte check-config [PATH]``: read app.yaml as ``serve``, ``tick`` and ``report``
do, and list every problem, one line each with its key path (exit 2), or say it is fine."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli.common import with_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("check-config", help="check app.yaml and list every problem in it")
    parser.add_argument("path", nargs="?", help="the file (default: --config, $ASTREINTE_CONFIG or the bundled one)")
    with_config(parser)
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from sla_core.config import ConfigErrors, load_config

    try:
        config = load_config(args.path or getattr(args, "config", None))
    except ConfigErrors as exc:
        for problem in exc.problems:
            print(f"astreinte: {problem}", file=sys.stderr)
        return 2
    policy = config.policy
    holidays = policy.holiday_country + (f"/{policy.holiday_subdivision}" if policy.holiday_subdivision else "")
    tracker = config.bug_tracker
    bugs = ("" if not tracker.enabled else
            f", bugs in {tracker.github.repo if tracker.github and tracker.kind == 'github' else ''}"
            f"{tracker.jira.project_key if tracker.jira and tracker.kind == 'jira' else ''} ({tracker.kind})")
    print(f"{config.source}: OK — {policy.timezone.key}, business hours {policy.opens:%H:%M}–{policy.closes:%H:%M}, "
          f"holidays {holidays}{bugs}")
    return 0
