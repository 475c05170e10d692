"""The demo's transcripts, told once per test session in each language."""

from __future__ import annotations

import contextlib
import io

import pytest

from bot.cli import main


def run_in_process(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", *args]) == 0
    return out.getvalue()


@pytest.fixture(scope="session")
def english() -> str:
    return run_in_process("--lang", "en")


@pytest.fixture(scope="session")
def french() -> str:
    return run_in_process("--lang", "fr")
