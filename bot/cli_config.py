"""``astreinte check-config [PATH]``: exit 0 when the configuration is valid, else 2 with
the key path and what is wrong."""

from __future__ import annotations

import argparse
import os
from typing import Any

from sla_core.policy import DEFAULT_CONFIG_PATH, load_policy


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("check-config", help="validate app.yaml")
    parser.add_argument("path", nargs="?", help="default: $ASTREINTE_CONFIG or the bundled app.yaml")
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    path = args.path or os.environ.get("ASTREINTE_CONFIG") or str(DEFAULT_CONFIG_PATH)
    policy = load_policy(path)
    for extra in _extra_checks():
        extra(path)
    print(f"{path}: OK — {policy.timezone.key}, business hours {policy.opens:%H:%M}–{policy.closes:%H:%M}, "
          f"holidays {policy.holiday_country}{'/' + policy.holiday_subdivision if policy.holiday_subdivision else ''}")
    return 0


def _extra_checks() -> list[Any]:
    """Other sections of app.yaml (support, slack) validate themselves when their loaders
    are installed; see bot/settings.py."""
    try:
        from bot.settings import validate_sections
    except ModuleNotFoundError:
        return []
    return [validate_sections]
