"""The transcript names an edited message by where it shows, shows it whole, and says so
in one line when an edit changed nothing a reader would see."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.demo.mrkdwn import Names
from bot.demo.transcript import Transcript
from bot.offline import FakeSlack

REPORTER = "U0ACMEADM"


def test_an_edited_dm_is_shown_whole_then_once_as_unchanged() -> None:
    shown: list[str] = []
    with FakeSlack() as slack:
        slack.add_user(REPORTER, real_name="Camille Martin", locale="en-GB")
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        dm = slack.dm_channel(REPORTER)
        t = Transcript(slack, Names({REPORTER: "camille.martin"}, {}), {dm: REPORTER}, language="en",
                       reference=re.compile(r"INC-\d+"), clock=lambda: datetime(2026, 11, 20, 19, 30, tzinfo=UTC),
                       timezone=UTC, emit=shown.append)
        ts = client.chat_postMessage(channel=REPORTER, text="INC-1 is open. [Accept]")["ts"]
        client.chat_update(channel=dm, ts=ts, text="INC-1: you accepted the resolution.")
        client.chat_update(channel=dm, ts=ts, text="INC-1: you accepted the resolution.")
        t.flush()
    assert shown[2:] == ["  DM @camille.martin", "    INC-1 is open. [Accept]",
                         "  ✎ DM @camille.martin: edited in place", "    INC-1: you accepted the resolution.",
                         "  ✎ DM @camille.martin: edited, nothing visible changed"]
