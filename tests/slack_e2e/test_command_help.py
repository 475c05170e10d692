"""``/incident help`` and the manifest's usage hint list every subcommand ``/incident``
answers (its table, ``bot.listeners.commands.SUBCOMMANDS``), with their other words and
the words they take next, in French and in English; and every word listed is answered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.listeners.commands import COMMAND, SUBCOMMANDS
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER, Desk

REPO = Path(__file__).resolve().parents[2]
ANSWERED = [sub for sub in SUBCOMMANDS if sub.answer is not None]
OPENS_THE_MODAL = next(sub for sub in SUBCOMMANDS if sub.answer is None)


def every_phrase() -> list[str]:
    """What help must show: each subcommand's every word, and each word it takes next."""
    phrases = [f"`{COMMAND}`"] + [f"`{COMMAND} {word}" for sub in SUBCOMMANDS for word in sub.words]
    return phrases + [f"`{COMMAND} {sub.name} {word}" for sub in SUBCOMMANDS for word in sub.subwords]


@pytest.mark.parametrize("user", [ADMIN, HOLDER], ids=["en", "fr"])
def test_help_lists_every_subcommand_its_aliases_and_its_own_subcommands(desk: Desk, user: str) -> None:
    text = desk.command(user, "help").body["text"]
    missing = [phrase for phrase in every_phrase() if phrase not in text]
    assert missing == []
    assert ("support desk" if user == ADMIN else "centre de support") in text


def test_the_manifests_usage_hint_names_every_subcommand_and_its_own() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yaml").read_text(encoding="utf-8"))
    [command] = manifest["features"]["slash_commands"]
    hint = command["usage_hint"]
    for sub in SUBCOMMANDS:
        assert sub.name in hint
        for word in sub.subwords:
            assert word in hint.split(sub.name, 1)[1], (sub.name, word)


@pytest.mark.parametrize("word", [w for sub in ANSWERED for w in sub.words])
def test_every_listed_word_is_answered(desk: Desk, word: str) -> None:
    text = desk.command(AGENT, word).body["text"]
    assert "I don't know" not in text and "Je ne connais pas" not in text


@pytest.mark.parametrize("word", ["", *OPENS_THE_MODAL.words])
def test_the_modal_words_open_the_intake_form(desk: Desk, word: str) -> None:
    view = desk.open_incident(ADMIN) if word == "" else _opened(desk, word)
    assert view["callback_id"] == "modal.incident"


def _opened(desk: Desk, word: str) -> dict:  # type: ignore[type-arg]
    before = len(desk.slack.views_opened())
    assert desk.command(ADMIN, word).status == 200
    return desk.wait_for_view(before)


def test_an_unknown_word_is_named_and_answered_with_the_help(desk: Desk) -> None:
    text = desk.command(ADMIN, "frobnicate").body["text"]
    assert "frobnicate" in text and all(phrase in text for phrase in every_phrase())


def test_the_outage_and_oncall_subcommands_listed_are_the_ones_handled(desk: Desk) -> None:
    started = desk.command(AGENT, "outage start checkout vendor").body["text"]
    assert "Interruption #1" in started
    for word in ("list", "status"):
        assert "Availability over the last 30 days" in desk.command(AGENT, f"outage {word}").body["text"]
    desk.clock.now += timedelta(minutes=20)
    assert "ended" in desk.command(AGENT, "outage end 1").body["text"]
    assert "Only leads" in desk.command(AGENT, "oncall set <@U0AGENT02> until 2030-01-01T09:00").body["text"]
    assert "Usage" in desk.command(AGENT, "outage frobnicate").body["text"]  # an unlisted word is not handled
