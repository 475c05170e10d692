"""``astreinte demo [--lang fr|en] [--keep-db PATH]``: one Critical ticket's life, from a
Friday-night report to its resolution, through the real app with Slack faked on loopback
and a simulated clock; a second act on Monday: the bug filed from it closed by the
tracker's webhook, the resolution accepted, the root-cause analysis approved and sent.
Prints what each channel and DM would show, and the reporter's e-mails. Offline, no
credentials; the policy is app.yaml's (``--config``, ``$ASTREINTE_CONFIG`` or the bundled
one)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import config_of, with_config

LANGUAGES = ("en", "fr")  # messages.LANGUAGES, not imported to keep the parser light (a test compares)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="watch a ticket's whole life in a simulated Slack (offline)",
        description="Runs a Critical ticket's life through the real app with a fake Slack, a temporary "
                    "SQLite file and a simulated clock (Friday 20 November 2026, 19:30 Europe/Paris), "
                    "and prints what each channel and DM would show; then, on Monday, the bug filed from it "
                    "is fixed, the resolution accepted and the root-cause analysis sent.")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the posts (default: app.yaml's slack.default_language)")
    parser.add_argument("--keep-db", type=Path, default=None, metavar="PATH",
                        help="keep the SQLite database at PATH (a new file) instead of deleting it")
    with_config(parser)
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    config = config_of(args)
    language = args.lang or config.slack.default_language
    _tolerant_stdout()
    run_demo(config=config, language=language, keep_db=args.keep_db, emit=print)
    sys.stdout.flush()
    return 0


def _tolerant_stdout() -> None:
    """Emoji and accents on a terminal that cannot show them become "?" rather than a crash."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        reconfigure(errors="replace")
