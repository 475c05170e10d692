"""Availability and SLA reports from Slack: agents record interruptions; everyone sees the
30-day availability; agents read a month's compliance."""

from __future__ import annotations

from datetime import datetime

from tests.slack_e2e.conftest import ADMIN, AGENT, PARIS, Desk


def test_an_agent_records_an_interruption_and_availability_follows(desk: Desk) -> None:
    desk.clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
    started = desk.command(AGENT, "outage start api vendor database failover").body["text"]
    assert "Interruption #1" in started and "*api*" in started and "caused by us" in started
    desk.clock.now = datetime(2026, 11, 20, 14, 0, tzinfo=PARIS)  # 4 hours: 240 of 216 minutes
    status = desk.command(ADMIN, "outage").body["text"]
    assert "#1 *api*" in status  # still going on
    ended = desk.command(AGENT, "outage end 1").body["text"]
    assert "Interruption #1" in ended and "ended" in ended
    after = desk.command(ADMIN, "outage").body["text"]
    assert "99.44%" in after and "*missed*" in after and "Error budget of 3 h 36 min: exceeded by 24 min." in after


def test_customer_caused_interruptions_do_not_count(desk: Desk) -> None:
    desk.clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
    desk.command(AGENT, "outage start portal customer_internet")
    desk.clock.now = datetime(2026, 11, 20, 18, 0, tzinfo=PARIS)
    desk.command(AGENT, "outage end 1")
    assert "100% (target 99.5%)" in desk.command(ADMIN, "outage").body["text"]


def test_customers_cannot_record_and_bad_input_says_what_to_fix(desk: Desk) -> None:
    assert "Only support agents" in desk.command(ADMIN, "outage start api vendor").body["text"]
    assert "not a cause of interruption" in desk.command(AGENT, "outage start api aliens").body["text"]
    assert "Usage" in desk.command(AGENT, "outage end").body["text"]
    assert "no interruption #42" in desk.command(AGENT, "outage end 42").body["text"]


def test_agents_read_last_months_report_customers_are_refused(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref  # a Critical opened in November 2026
    assert ref
    desk.clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
    text = desk.command(AGENT, "report").body["text"]
    assert "SLA report for November 2026" in text and "Critical: 1 opened" in text
    assert "astreinte report --month 2026-11 --format html" in text
    assert "Only support agents" in desk.command(ADMIN, "report 2026-11").body["text"]
    assert "2026-13" in desk.command(AGENT, "report 2026-13").body["text"]  # names the bad month
