"""Announcements about no ticket, delivered by the real sender to the fake Slack: each kind
to its channel, in the channel's language; the monthly summary points to ``/incident
report`` and, decided late, says so."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla_core.config import load_config
from sla_core.scheduler.periodic import run_periodic
from tests.conftest import REPO
from tests.delivery.conftest import World, texts

PARIS = ZoneInfo("Europe/Paris")
LEADS = "C0SUPLEAD"


@pytest.mark.parametrize(("language", "decided_at", "expected", "late"), [
    ("en", datetime(2023, 12, 1, 9, 0, 10, tzinfo=PARIS), "Full report: `/incident report 2023-11`", None),
    ("en", datetime(2023, 12, 5, 10, 0, tzinfo=PARIS), "Full report: `/incident report 2023-11`",
     "_Posted late: it was due "),
    ("fr", datetime(2023, 12, 5, 10, 0, tzinfo=PARIS), "Rapport complet : `/incident rapport 2023-11`",
     "_Publié en retard : il était dû le "),
], ids=["en-on-the-day", "en-late", "fr-late"])
def test_the_monthly_summary_points_to_the_slash_command_and_says_when_it_is_late(
        world_on: World, language: str, decided_at: datetime, expected: str, late: str | None) -> None:
    world = world_on
    world.ctx.wiring = dataclasses.replace(world.ctx.wiring, default_language=language)
    world.open_critical()  # 2023-11-14: the desk holds November's data
    world.clock.now = decided_at  # Friday 1 December 2023 is the first business day
    assert run_periodic(world.ctx.uow, policy=world.ctx.policy, config=load_config(REPO / "app.yaml").service_levels,
                        now=decided_at) == 1
    sender = world.sender()
    while sender.run_once():
        world.clock.advance(seconds=5)
    [summary] = [m for m in world.slack.messages(LEADS) if "2023-11" in texts(m)]
    assert expected in texts(summary)
    assert "astreinte report" not in texts(summary)  # no shell command in Slack
    if late:
        assert late in texts(summary) and "<!date^" in texts(summary)
    else:
        assert "late" not in texts(summary)
