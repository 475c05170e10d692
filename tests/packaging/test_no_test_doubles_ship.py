"""What ships is what `astreinte demo` needs: an offline Slack that behaves. A Slack that
fails on request, forged signatures and throwaway HTTPS are test doubles (`tests/doubles`)
and must be neither in the package nor reachable from it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("bot", "sla_core", "messages")
TEST_ONLY = ("faults", "faulty_slack", "forged_deliveries", "tls")


def test_no_shipped_module_is_a_test_double() -> None:
    shipped = [p for package in SHIPPED for p in (REPO / package).rglob("*.py")]
    assert [str(p.relative_to(REPO)) for p in shipped if p.stem in TEST_ONLY] == []


def test_no_shipped_module_imports_the_tests() -> None:
    importing_tests = []
    for package in SHIPPED:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if any(name == "tests" or name.startswith(("tests.", "trustme")) for name in names):
                    importing_tests.append(str(path.relative_to(REPO)))
    assert importing_tests == []


def test_the_cli_and_the_demo_load_without_test_doubles_or_trustme() -> None:
    probe = (
        "import json, sys; import bot, bot.cli, bot.demo, bot.offline; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True).stdout
    )
    assert [m for m in loaded if m.startswith("tests") or m == "trustme" or m.rsplit(".", 1)[-1] in TEST_ONLY] == []


def test_the_offline_slack_cannot_be_told_to_fail() -> None:
    from bot.offline import FakeSlack, GENUINE

    assert not hasattr(FakeSlack, "fail_next")
    assert not hasattr(FakeSlack, "set_rate_limit")
    assert not hasattr(GENUINE, "tampered")
