"""Copies of the repository's app.yaml with one change, and the command line run
in-process as a user runs it (usage mistakes exit through argparse: caught here)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main

REPO = Path(__file__).resolve().parents[2]
APP_YAML = REPO / "app.yaml"
Edit = Callable[[dict[str, Any]], object]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def astreinte(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    def run(*argv: str, stdin: str = "", env: dict[str, str] | None = None) -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def edited(tmp_path: Path) -> Callable[..., Path]:
    """Write the repository's app.yaml with each ``edit`` applied to the parsed mapping."""
    counter = iter(range(1_000))

    def write(*edits: Edit) -> Path:
        data = yaml.safe_load(APP_YAML.read_text(encoding="utf-8"))
        for edit in edits:
            edit(data)
        path = tmp_path / f"app-{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return write


def setting(*path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def renaming(*path: str, to: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[to] = node.pop(path[-1])
    return edit
