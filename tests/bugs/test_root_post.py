"""The root post offers the bug buttons only when a tracker is configured, and lists the
ticket's bugs (as its log tells them) for every surface the same way."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.rendering import render_root
from bot.rendering.bugs import bug_lines
from bot.views.tickets import status_answer
from sla_core.bugs.service import BugReport, tracker_reports
from sla_core.tickets import Status
from tests.rendering.conftest import Desk, desk  # noqa: F401 - the fixture
from tests.tickets.helpers import perform
from sla_core.tickets.actions import Action
from tests.tickets.conftest import AGENT

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("status", [Status.OPENED, Status.IN_PROGRESS, Status.RESOLVED])
def test_the_bug_buttons_show_only_with_a_tracker(status: Status, desk: Desk) -> None:  # noqa: F811
    ticket = desk.ticket(status)
    without = json.dumps(render_root(ticket, lang="en", policy=desk.policy, support=desk.support).blocks)
    with_tracker = json.dumps(render_root(ticket, lang="en", policy=desk.policy, support=desk.support,
                                          bugs=True).blocks)
    assert "ticket.file_bug" not in without and "ticket.link_bug" not in without
    assert "ticket.file_bug" in with_tracker and "ticket.link_bug" in with_tracker


def test_a_linked_bug_reads_the_same_on_the_root_post_and_in_incident_status(desk: Desk) -> None:  # noqa: F811
    ref = desk.ticket(Status.IN_PROGRESS).ref
    at = desk.read(ref, datetime(2026, 11, 23, 12, 0, tzinfo=PARIS)).updated_at + timedelta(minutes=5)
    perform(Action.LINK_BUG, desk.uow, policy=desk.policy, support=desk.support, ref=ref, actor=AGENT, now=at,
            bug="#7")
    assert bug_lines(desk.read(ref, at), "en") == (
        ":beetle: <https://github.com/trackforce/platform/issues/7|trackforce/platform#7>: state not known yet",)
    report = BugReport(tracker="github", key="trackforce/platform#7", url="https://github.com/trackforce/platform/"
                       "issues/7", title="Exports <b>fail</b>", state="open", status="open", fix_version="5.2.4")
    tracker_reports(desk.uow, policy=desk.policy, support=desk.support, report=report, now=at + timedelta(hours=1))
    ticket = desk.read(ref, at + timedelta(hours=1))
    [line] = bug_lines(ticket, "en")
    assert line == (":beetle: <https://github.com/trackforce/platform/issues/7|trackforce/platform#7> "
                    "Exports &lt;b&gt;fail&lt;/b&gt;: open, fix planned in 5.2.4")  # the tracker's title escaped
    root = json.dumps(render_root(ticket, lang="en", policy=desk.policy, support=desk.support).blocks)
    assert json.dumps(line)[1:-1] in root
    assert status_answer(ticket, policy=desk.policy, language="en").endswith(line)
    assert line not in status_answer(ticket, policy=desk.policy, language="en", agent=False)
