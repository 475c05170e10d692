"""Shared fixtures. Tests never see the developer's environment (like httpx's
clean_environ): Slack credentials, DATABASE_URL or ASTREINTE_CONFIG left in a shell must
not change what a test proves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sla_core.config import AppConfig, load_config
from sla_core.policy import Policy

pytest_plugins = ["tests.conftest_db"]

REPO = Path(__file__).resolve().parent.parent
_ENV_PREFIXES = ("SLACK_", "ASTREINTE_CONFIG", "DATABASE_URL", "PORT")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(key)
    yield


@pytest.fixture(scope="session")
def app_config() -> AppConfig:
    """The repository's app.yaml, read once, as every process reads it."""
    return load_config(REPO / "app.yaml")


@pytest.fixture(scope="session")
def policy(app_config: AppConfig) -> Policy:
    """The default policy, from the repository's app.yaml."""
    return app_config.policy
