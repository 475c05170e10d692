"""Helpers of the engine tests: explicit instants, the command line a user runs, and
policies built from modified copies of the repository's app.yaml."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.cli import main
from sla_core.config import load_config
from sla_core.policy import Policy

REPO = Path(__file__).resolve().parents[2]
APP_YAML = REPO / "app.yaml"
PARIS = ZoneInfo("Europe/Paris")


def paris(text: str) -> datetime:
    """An instant written as Paris wall time (``2026-11-20T19:30``) or with its offset.

    Refuses a wall time that does not exist or happens twice, so that a test never
    silently means another instant than the one written."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        return parsed
    early, late = parsed.replace(tzinfo=PARIS, fold=0), parsed.replace(tzinfo=PARIS, fold=1)
    assert early.utcoffset() == late.utcoffset(), f"{text} is ambiguous in Paris: give the offset"
    assert early.astimezone(ZoneInfo("UTC")).astimezone(PARIS).replace(tzinfo=None) == parsed, \
        f"{text} does not exist in Paris"
    return early


def iso(instant: datetime | None) -> str | None:
    """The Paris form the command line prints, to the second."""
    return None if instant is None else instant.astimezone(PARIS).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``astreinte ARGV`` in-process, with ``stdin`` as its standard input."""

    def run(*argv: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def replay(cli: Callable[..., CliResult]) -> Callable[..., dict[str, Any]]:
    """``astreinte sla replay`` on a document; asserts it succeeds and returns its JSON."""

    def run(document: dict[str, Any], *, config: Path | None = None) -> dict[str, Any]:
        argv = ["sla", "replay"] + (["--config", str(config)] if config is not None else [])
        result = cli(*argv, stdin=json.dumps(document))
        assert result.code == 0, result.err
        return result.json  # type: ignore[no-any-return]

    return run


def app_yaml() -> dict[str, Any]:
    """A fresh, modifiable copy of the repository's app.yaml."""
    data = yaml.safe_load(APP_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a copy of app.yaml changed by ``edit`` (which mutates the parsed mapping)."""
    counter = iter(range(1_000))

    def write(edit: Callable[[dict[str, Any]], object]) -> Path:
        data = app_yaml()
        edit(data)
        path = tmp_path / f"app-{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def policy_with(config_file: Callable[..., Path]) -> Callable[..., Policy]:
    """The default policy with ``edit`` applied to its ``policy`` section."""

    def build(edit: Callable[[dict[str, Any]], object]) -> Policy:
        return load_config(config_file(lambda data: edit(data["policy"]))).policy

    return build
