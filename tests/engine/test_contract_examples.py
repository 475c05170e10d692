"""The worked examples of the contract (docs/contract.md), through the
command line a user runs, and through the engine."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli import main

DEADLINES = [
    # (severity, opened, field, expected)
    ("critical", "2026-11-20T19:30", "callback_due", "2026-11-20T20:30:00+01:00"),
    ("critical", "2026-11-20T19:30", "resolution_due", "2026-11-23T17:00:00+01:00"),
    ("important", "2026-11-20T19:30", "callback_due", "2026-11-20T23:30:00+01:00"),
    ("low", "2026-11-20T19:30", "callback_due", "2026-11-24T18:00:00+01:00"),
    ("low", "2026-01-05T18:00", "callback_due", "2026-01-07T18:00:00+01:00"),
    ("low", "2026-12-24T17:00", "callback_due", "2026-12-29T17:00:00+01:00"),
    ("critical", "2026-12-31T23:30", "callback_due", "2027-01-01T00:30:00+01:00"),
    ("important", "2027-03-27T23:00+01:00", "callback_due", "2027-03-28T04:00:00+02:00"),
    ("low", "2026-11-23T10:00", "resolution_due", "2026-12-02T10:00:00+01:00"),
]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("severity", "opened", "field", "expected"), DEADLINES,
                         ids=[f"{s}-{o}-{f}" for s, o, f, _ in DEADLINES])
def test_worked_example_deadlines(capsys: pytest.CaptureFixture[str], severity: str, opened: str,
                                  field: str, expected: str) -> None:
    code, out, _ = run_cli(capsys, "sla", "deadlines", "--severity", severity, "--opened", opened)
    assert code == 0
    assert json.loads(out)[field] == expected


def test_critical_callback_warns_at_three_quarters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "sla", "deadlines", "--severity", "critical", "--opened", "2026-11-23T10:00")
    assert code == 0
    assert json.loads(out)["callback_warn_at"] == ["2026-11-23T10:45:00+01:00"]


def replay(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, doc: dict) -> dict:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(doc)))
    code, out, err = run_cli(capsys, "sla", "replay")
    assert code == 0, err
    return json.loads(out)


def test_upgrade_to_critical_takes_the_earlier_deadline(capsys, monkeypatch) -> None:
    result = replay(capsys, monkeypatch, {
        "severity": "low", "opened_at": "2026-11-23T10:00", "now": "2026-11-25T11:00",
        "events": [{"at": "2026-11-25T11:00", "type": "severity_changed", "severity": "critical"}],
    })
    assert result["severity"] == "critical"
    assert result["clocks"]["resolution"]["due"] == "2026-11-26T10:00:00+01:00"


def test_waiting_on_customer_pauses_resolution(capsys, monkeypatch) -> None:
    result = replay(capsys, monkeypatch, {
        "severity": "important", "opened_at": "2026-11-24T10:00", "now": "2026-11-25T15:00",
        "events": [{"at": "2026-11-24T12:00", "type": "waiting_on_customer"},
                   {"at": "2026-11-25T15:00", "type": "customer_replied"}],
    })
    assert result["clocks"]["resolution"]["due"] == "2026-11-30T10:00:00+01:00"
    assert result["clocks"]["resolution"]["state"] == "running"


def test_installed_console_script_runs() -> None:
    """The `astreinte` entry point a user types is wired to the same code."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "sla", "deadlines", "--severity", "critical", "--opened",
         "2026-11-20T19:30"], capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["callback_due"] == "2026-11-20T20:30:00+01:00"
