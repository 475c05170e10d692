"""The command line's shape: building the parser imports nothing heavy (so ``--help`` and
the engine's commands answer at once: figures in docs/benchmarks.md), usage mistakes are
one line and exit 2, and the choices shown match the choices checked."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Iterator

import messages
from bot.cli import build_parser
from bot.cli.common import LazyChoices
from bot.cli.demo import LANGUAGES as DEMO_LANGUAGES
from sla_core.config.slack import LANGUAGES as CONFIG_LANGUAGES
from tests.config.conftest import REPO, Run

HEAVY = ("sqlalchemy", "slack_bolt", "slack_sdk", "alembic", "jinja2", "gunicorn", "apscheduler", "holidays", "yaml")


def test_building_the_parser_imports_none_of_the_heavy_modules() -> None:
    probe = ("import json, sys; from bot.cli import build_parser; build_parser(); "
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def _actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def test_each_lazily_imported_choice_list_is_the_one_shown_in_help() -> None:
    lazy = [a for a in _actions(build_parser()) if isinstance(a.choices, LazyChoices)]
    assert len(lazy) >= 3
    for action in lazy:
        assert action.metavar == "{" + ",".join(action.choices) + "}", action.option_strings


def test_the_languages_declared_beside_the_parser_and_the_config_are_the_catalogue_s() -> None:
    assert set(DEMO_LANGUAGES) == set(CONFIG_LANGUAGES) == set(messages.LANGUAGES)


def test_a_severity_is_read_whatever_its_case(astreinte: Callable[..., Run]) -> None:
    upper = astreinte("sla", "deadlines", "--severity", "Critical", "--opened", "2026-11-20T19:30")
    lower = astreinte("sla", "deadlines", "--severity", "critical", "--opened", "2026-11-20T19:30")

    assert upper.code == 0, upper.err
    assert upper.out == lower.out


def test_a_wrong_severity_is_one_line_not_a_usage_block(astreinte: Callable[..., Run]) -> None:
    refused = astreinte("sla", "deadlines", "--severity", "urgent", "--opened", "2026-11-20T19:30")

    assert refused.code == 2
    assert refused.lines == ["astreinte: --severity: unknown severity 'urgent' "
                             "(expected one of: critical, important, low, none)"]


def test_a_usage_mistake_is_one_line_pointing_at_the_help(astreinte: Callable[..., Run]) -> None:
    refused = astreinte("sla", "deadlines", "--severity", "low")

    assert refused.code == 2
    assert refused.lines == ["astreinte: the following arguments are required: --opened "
                             "(see `astreinte sla deadlines --help`)"]


def test_a_report_format_is_checked_against_the_report_code(astreinte: Callable[..., Run]) -> None:
    refused = astreinte("report", "--month", "2026-11", "--format", "pdf")

    assert refused.code == 2 and len(refused.lines) == 1
    assert "invalid choice: 'pdf' (choose from 'md', 'csv', 'html')" in refused.lines[0]
