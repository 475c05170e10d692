"""``astreinte status export DIR [--now ISO]``: the public status page as static files
(``bot/status_pages/export.py`` says which)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import with_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("status", help="the public status page")
    sub = parser.add_subparsers(dest="status_command", required=True, metavar="SUBCOMMAND")
    export = sub.add_parser("export", help="write the status page as static files (HTML, JSON, Atom; en and fr)")
    export.add_argument("dir", metavar="DIR", help="the folder to write (created if missing)")
    export.add_argument("--now", help="the page as of this instant (ISO 8601; default: now)")
    with_database(export)
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.cli.common import config_of
    from bot.cli.operations import database, instant, now_utc
    from bot.status_pages.export import export
    from sla_core.errors import UsageError
    from sla_core.status import read_status

    config = config_of(args)
    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        raise UsageError("DIR", f"{target} is a file, not a folder: give a folder to write the pages into")
    now = instant(args.now, config.policy, "--now") if args.now else now_utc()
    with database(args) as uow:
        page = read_status(uow, settings=config.availability, timezone=config.policy.timezone, now=now)
    try:
        written = export(page, target, settings=config.status, default_language=config.slack.default_language)
    except OSError as exc:
        raise UsageError("DIR", f"cannot write into {target}: {exc.strerror or exc}") from None
    print(f"status page ({page.state.value}) exported to {target}: {len(written)} file(s) written")
    return 0
