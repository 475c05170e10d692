"""The reporter's mail about a bug's news says what a customer may read — fixed, a fix
planned in a version — and never the tracker's link, key or words beyond its status."""

from __future__ import annotations

import pytest

from bot.mail.outgoing_render import mail_content
from sla_core.bugs.service import BugReport, tracker_reports
from sla_core.tickets.actions import Action, EventKind
from tests.bugs.conftest import World


@pytest.mark.parametrize(("state", "status", "version", "en", "fr"), [
    ("closed", "completed", "5.2.4", "is fixed in version 5.2.4", "est corrigé dans la version 5.2.4"),
    ("open", "open", "5.2.4", "a fix is planned in 5.2.4", "un correctif est prévu dans la version 5.2.4"),
    ("closed", "not_planned", None, "closed without a fix", "clos sans correctif"),
])
def test_the_mail_tells_the_customer_visible_part_only(github_world: World, state: str, status: str,
                                                       version: str | None, en: str, fr: str) -> None:
    w = github_world
    w.tracker.add_issue("Exports fail")
    ref = w.open().ref
    w.act(Action.LINK_BUG, ref, bug="#1")
    w.run_jobs()
    report = BugReport(tracker="github", key="trackforce/platform#1", url=f"{w.tracker.base_url}/x/issues/1",
                       title="Internal: the exporter's cursor leaks", state=state, status=status, fix_version=version)
    tracker_reports(w.ctx.uow(), policy=w.ctx.policy, support=w.ctx.support, report=report, now=w.clock())
    ticket = w.ticket(ref)
    [event] = [e for e in ticket.events if e.type is EventKind.BUG_STATUS_CHANGED]
    for lang, words in (("en", en), ("fr", fr)):
        content = mail_content(ticket, event, lang=lang, policy=w.ctx.policy, contact=w.ctx.wiring.contact)
        text = " ".join([content.subject, content.lead, content.quoted, *content.after])
        assert words in text
        assert "trackforce" not in text and "http" not in text and "cursor" not in text
