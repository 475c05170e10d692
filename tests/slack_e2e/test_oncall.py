"""Who is on call, from Slack: everyone may ask; only leads may override the rotation."""

from __future__ import annotations

from datetime import datetime

from tests.slack_e2e.conftest import ADMIN, AGENT, LEAD, PARIS, Desk, blocks_text


def test_anyone_sees_who_is_on_call_from_the_rotation(desk: Desk) -> None:
    # app.yaml: rotation [U0ONCALL1, U0AGENT01, U0AGENT02] handed over Mondays 09:00 from 2026-01-05.
    desk.clock.now = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)  # week 45 since then: 45 % 3 == 0
    text = desk.command(ADMIN, "oncall").body["text"]
    assert "<@U0ONCALL1>" in text and "<@U0AGENT01>" in text  # primary, then the secondary
    assert "<!date^" in text  # until the next hand-over, in each reader's own time zone


def test_a_lead_overrides_the_rotation_until_a_local_time(desk: Desk) -> None:
    desk.clock.now = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)
    answer = desk.command(LEAD, "oncall set <@U0AGENT02|bob> until 2026-11-23T09:00").body["text"]
    assert "<@U0AGENT02>" in answer
    now = desk.command(ADMIN, "oncall").body["text"]
    assert now.startswith(":rotating_light:") and "<@U0AGENT02>" in now.split("(")[0]
    desk.clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)  # the override has ended
    assert "<@U0AGENT02>" not in desk.command(ADMIN, "oncall").body["text"].split("(")[0]


def test_only_leads_may_override_and_bad_input_says_how(desk: Desk) -> None:
    refused = desk.command(AGENT, "oncall set <@U0AGENT02|bob> until 2026-11-23T09:00").body["text"]
    assert "Only leads" in refused
    assert "/incident oncall set @user until" in desk.command(LEAD, "oncall set bob tomorrow").body["text"]
    missing = desk.command(LEAD, "oncall set <@U0AGENT02|bob> until 2027-03-28T02:30").body["text"]
    assert "does not exist" in missing  # the spring-forward gap in Paris
    desk.clock.now = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)
    past = desk.command(LEAD, "oncall set <@U0AGENT02|bob> until 2026-11-20T08:00").body["text"]
    assert "future" in past


def test_agents_see_who_is_on_call_on_their_home(desk: Desk) -> None:
    desk.clock.now = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)
    desk.home_opened(AGENT)
    home = desk.slack.wait_for(lambda: desk.slack.home(AGENT))
    assert "On call:" in blocks_text(home) and "<@U0ONCALL1>" in blocks_text(home)
