"""``astreinte init [PATH]``: write the commented default app.yaml for a deployer to edit."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("init", help="write a commented app.yaml to edit (default ./app.yaml)")
    parser.add_argument("path", nargs="?", default="app.yaml", type=Path, help="where to write it (default: app.yaml)")
    parser.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    parser.set_defaults(handler=_init)


def _init(args: argparse.Namespace) -> int:
    from sla_core.config import default_config_text
    from sla_core.errors import UsageError

    target: Path = args.path
    if target.is_dir():
        target = target / "app.yaml"
    if target.exists() and not args.force:
        raise UsageError(str(target), "already exists; keep it, or pass --force to overwrite it")
    if not target.parent.is_dir():
        raise UsageError(str(target), f"the folder {target.parent} does not exist")
    target.write_text(default_config_text(), encoding="utf-8")
    print(f"{target}: written. Edit it (the Slack ids are placeholders), then run "
          f"`ASTREINTE_CONFIG={target} astreinte check-config`.")
    return 0
