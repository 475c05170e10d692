"""``email.reporters`` in app.yaml: read into the typed configuration, and every mistake
named by ``astreinte check-config`` with its key path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from sla_core.config import load_config
from tests.config.conftest import Edit, Run, astreinte, edited, renaming, setting  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_file_keeps_reporter_mail_off_until_a_deployer_turns_it_on() -> None:
    reporters = load_config(REPO / "app.yaml").service_levels.email.reporters
    assert reporters.enabled is False and reporters.public_url is None
    assert reporters.link_valid_for == timedelta(days=7) and reporters.link_secret_env == "ASTREINTE_LINK_SECRET"


def test_a_deployers_settings_are_read(edited: Callable[..., Path]) -> None:
    path = edited(setting("email", "reporters", value={
        "enabled": True, "public_url": "https://support-bot.example.com/", "link_valid_for": "36 hours",
        "link_secret_env": "MY_LINK_KEY"}))
    reporters = load_config(path).service_levels.email.reporters
    assert reporters.enabled and reporters.public_url == "https://support-bot.example.com"
    assert reporters.link_valid_for == timedelta(hours=36) and reporters.link_secret_env == "MY_LINK_KEY"


@pytest.mark.parametrize(("edit", "words"), [
    (setting("email", "reporters", "enabled", value="yes"), "email.reporters.enabled: 'yes' is not true or false"),
    (setting("email", "reporters", "public_url", value="support-bot.example.com"),
     'email.reporters.public_url: "support-bot.example.com" is not the server\'s base URL'),
    (setting("email", "reporters", "link_valid_for", value="2 business days"),
     'email.reporters.link_valid_for: "2 business days" is business time'),
    (setting("email", "reporters", "link_valid_for", value="1 minute"),
     'email.reporters.link_valid_for: "1 minute" must be between 5 minutes and 90 days'),
    (renaming("email", "reporters", "public_url", to="public_uri"),
     'email.reporters.public_uri: unknown key; did you mean "public_url"?'),
])
def test_check_config_names_each_mistake(astreinte: Callable[..., Run], edited: Callable[..., Path],  # noqa: F811
                                         edit: Edit, words: str) -> None:
    checked = astreinte("check-config", str(edited(edit)))
    assert checked.code == 2
    assert checked.lines[0].startswith(f"astreinte: {words}"), checked.err
