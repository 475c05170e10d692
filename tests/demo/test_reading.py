"""`astreinte demo` read as a new user reads it: lines that fit a terminal, the root post
on screen whenever it changes (with the buttons the story then presses), no monthly
summary in the middle of a Friday night, and no instant said twice in one line."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest

import bot.demo.stage as stage_module
from bot.demo.story import DAY
from bot.demo.wrap import WIDTH, wrap_line
from bot.offline import FakeSlack, PostedMessage
from sla_core.config import load_config
from sla_core.reports.month import Month
from sla_core.reports.schedule import monthly_summary_due
from tests.demo.conftest import run_in_process

REF = "INC-2026-000001"
# A date as the transcript writes it (the fallback of Slack's date token), in either language.
INSTANT = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|lun\.|mar\.|mer\.|jeu\.|ven\.|sam\.|dim\.) "
                     r"\d{1,2} \w+\.? \d{2}:\d{2} [A-Z]{3,4}\b")


@pytest.mark.parametrize("language", ["english", "french"])
def test_no_line_is_wider_than_a_hundred_characters(language: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(language)
    too_wide = [line for line in text.splitlines() if len(line) > WIDTH]
    assert too_wide == []
    assert "(https://acme.trackforce.com/sso)" in text  # the cut never breaks a link


def test_a_wrapped_quote_keeps_its_bar_and_a_list_item_hangs_under_its_text() -> None:
    quote = "    > " + "word " * 30
    assert all(line.startswith("    > ") and len(line) <= WIDTH for line in wrap_line(quote))
    item = "    • " + "word " * 30
    first, *rest = wrap_line(item)
    assert first.startswith("    • ") and rest and all(line.startswith("      word") for line in rest)
    url = "    " + "x" * 120
    assert wrap_line(url) == [url]  # a word longer than the width stays whole


class RecordingFakeSlack(FakeSlack):
    """The demo's own fake, kept for the test to count what Slack received."""

    made: list[FakeSlack] = []

    def __enter__(self) -> FakeSlack:
        RecordingFakeSlack.made.append(self)
        return super().__enter__()


def root_renders(text: str) -> list[str]:
    """Each time the transcript shows the root post in #support-critical: its lines."""
    renders: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line in ("  #support-critical", f"  ✎ #support-critical, root post of {REF}: edited in place"):
            current = []
            renders.append(current)
        elif current is not None and line.startswith("    "):
            current.append(line.strip())
        else:
            current = None
    return ["\n".join(r) for r in renders]


def _channel_messages(slack: FakeSlack) -> list[PostedMessage]:
    """Every message posted in a channel (not a DM) of the story."""
    channels = {str(c.params.get("channel")) for c in slack.calls() if c.method == "chat.postMessage"}
    return [m for channel in channels if channel[:1] in ("C", "G") for m in slack.messages(channel)]


def test_the_root_post_is_shown_again_each_time_slack_edits_it(monkeypatch: pytest.MonkeyPatch) -> None:
    RecordingFakeSlack.made.clear()
    monkeypatch.setattr(stage_module, "FakeSlack", RecordingFakeSlack)
    text = run_in_process("--lang", "en")
    (slack,) = RecordingFakeSlack.made
    roots = {(m.channel, m.ts) for m in _channel_messages(slack) if not m.is_reply}
    edits = [c for c in slack.calls() if c.method == "chat.update" and c.outcome == "ok"
             and (c.params.get("channel"), c.params.get("ts")) in roots]
    shown = root_renders(text)
    unchanged = text.count(f"root post of {REF}: edited, nothing visible changed")
    assert edits and len(shown) - 1 + unchanged == len(edits)  # the first render is the post itself
    statuses = [re.search(r"Status: (.+)", r).group(1) for r in shown]  # type: ignore[union-attr]
    assert statuses == ["Not acknowledged yet", "Acknowledged", "In progress", "In progress", "In progress",
                        "Waiting on the customer", "In progress", "In progress", "Resolution proposed", "Resolved"]


def test_every_button_the_agent_presses_is_on_the_root_post_last_shown(english: str) -> None:
    pressed: list[str] = []
    latest = ""
    renders = iter(root_renders(english))
    for line in english.splitlines():
        if line in ("  #support-critical", f"  ✎ #support-critical, root post of {REF}: edited in place"):
            latest = next(renders)
        elif line.startswith("▸ @sam.leroy"):
            button = re.search(r"\[([^\]]+)\]", line)
            assert button is not None
            pressed.append(button.group(1))
            buttons = " ".join(row for row in latest.splitlines() if row.startswith("["))  # a long row wraps
            assert f"[{button.group(1)}]" in buttons, (line, latest)
    assert pressed == ["Acknowledge", "Post update", "Internal note", "Change severity", "File a bug",
                       "Waiting on customer", "Propose resolution", "Root-cause analysis"]


@pytest.mark.parametrize("language", ["english", "french"])
def test_no_monthly_summary_shows_in_the_story(language: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(language)
    for sign in ("📊", "/incident report", "/incident rapport", "SLA summary", "Bilan SLA"):
        assert sign not in text


def test_the_story_ends_before_the_next_monthly_summary_falls_due(english: str) -> None:
    """Honest by its dates: the scheduler would post the month's summary on the first
    business day of December; the story is over long before."""
    policy = load_config(None).policy
    headers = [line.strip("━ ") for line in english.splitlines() if line.startswith("━━ ")]
    last = datetime.strptime(f"{headers[-1].rsplit(' ', 1)[0]} {DAY.year}", "%a %d %b %H:%M %Y")
    end = last.replace(tzinfo=policy.timezone)
    story_month = Month.of(end, policy.timezone)
    assert monthly_summary_due(policy, end, last_decided=story_month.previous()) is None


@pytest.mark.parametrize("language", ["english", "french"])
def test_no_line_says_the_same_instant_twice(language: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(language)
    said = [INSTANT.findall(line) for line in text.splitlines()]
    assert any(said), "the pattern must find the transcript's dates"
    repeated = [(line, c) for line, found in zip(text.splitlines(), said) for c, n in Counter(found).items() if n > 1]
    assert repeated == []
