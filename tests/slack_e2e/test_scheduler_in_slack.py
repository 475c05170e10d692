"""The scheduler as the people on the desk see it in Slack: the contract's Friday-night
Critical pages on-call at once and every 15 minutes, warns in the thread, escalates its
breach, and goes quiet once an agent acknowledges. Real app, real sender, fake Slack."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.delivery import Sender
from bot.scheduling import tick_once
from tests.slack_e2e.conftest import ADMIN, AGENT, PARIS, T0, Desk

ON_CALL, SECONDARY = "U0ONCALL1", "U0AGENT01"  # app.yaml's rotation in the week of 2026-11-16


@pytest.fixture
def sender(desk: Desk) -> Sender:
    desk.slack.add_user(ON_CALL, real_name="on call", locale="en-GB")  # pages speak their language
    return Sender(desk.ctx, "test-sender", channel_interval=0)


def at(desk: Desk, sender: Sender, hh_mm: str) -> None:
    """Let the desk's clock reach Friday ``hh_mm``, run a tick and deliver what it queued."""
    hour, minute = map(int, hh_mm.split(":"))
    desk.clock.now = datetime(2026, 11, 20, hour, minute, tzinfo=PARIS)
    tick_once(desk.ctx)
    while sender.run_once():
        pass


def texts(messages: list) -> list[str]:
    return [m.text for m in messages]


def test_friday_night_critical_pages_warns_escalates_and_stops_on_acknowledgement(desk: Desk,
                                                                                   sender: Sender) -> None:
    ref = desk.report(ADMIN).ref  # at T0, Friday 19:30: out of business hours
    assert desk.clock.now == T0
    at(desk, sender, "19:30")
    pages = desk.slack.dm(ON_CALL)
    assert len(pages) == 1 and ref in pages[0].text and "Acknowledge it to stop the pages" in pages[0].text
    on_call_channel = texts(desk.slack.messages("C0ONCALL0"))
    assert len(on_call_channel) == 1 and f"<@{ON_CALL}>" in on_call_channel[0]
    assert desk.slack.dm(SECONDARY) == []  # the secondary joins after 30 minutes

    at(desk, sender, "19:44")
    assert len(desk.slack.dm(ON_CALL)) == 1  # nothing new before the next page
    at(desk, sender, "19:45")
    assert len(desk.slack.dm(ON_CALL)) == 2
    at(desk, sender, "20:00")
    assert len(desk.slack.dm(ON_CALL)) == 3 and len(desk.slack.dm(SECONDARY)) == 1

    root = desk.slack.messages("C0SUPCRIT")[0]
    at(desk, sender, "20:15")  # 75 % of the 60-minute callback
    thread = texts(desk.slack.thread("C0SUPCRIT", root.ts))
    # Channels speak app.yaml's default language (French).
    assert any("Rappel menacé" in t and ref in t for t in thread)

    at(desk, sender, "20:31")  # the callback was due at 20:30
    thread = desk.slack.thread("C0SUPCRIT", root.ts)
    breach = [m for m in thread if "Rappel dépassé" in m.text]
    assert len(breach) == 1 and breach[0].reply_broadcast  # shown in the channel too

    desk.clock.now = datetime(2026, 11, 20, 20, 40, tzinfo=PARIS)
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "called back"}).status == 200
    pages_before = len(desk.slack.dm(ON_CALL)) + len(desk.slack.dm(SECONDARY))
    leads_before = len(desk.slack.messages("C0SUPLEAD"))
    for hh_mm in ("20:45", "21:00", "21:30", "22:00"):
        at(desk, sender, hh_mm)
    assert len(desk.slack.dm(ON_CALL)) + len(desk.slack.dm(SECONDARY)) == pages_before  # no more pages
    assert len(desk.slack.messages("C0SUPLEAD")) == leads_before  # the callback breach no longer climbs


def test_after_downtime_each_stream_is_posted_once_and_marked_late(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN).ref
    at(desk, sender, "19:30")
    first_pages = len(desk.slack.dm(ON_CALL))
    at(desk, sender, "23:00")  # nothing ran from 19:30 to 23:00
    new_pages = desk.slack.dm(ON_CALL)[first_pages:]
    assert len(new_pages) == 1, "one page for the whole outage, not one per missed quarter"
    root = desk.slack.messages("C0SUPCRIT")[0]
    breaches = [m.text for m in desk.slack.thread("C0SUPCRIT", root.ts) if "dépassé" in m.text]
    assert len(breaches) <= 1
    assert any(ref in m.text for m in desk.slack.messages("C0ONCALL0"))
    at(desk, sender, "23:00")  # the same tick again (a second replica): nothing more
    assert len(desk.slack.dm(ON_CALL)) == first_pages + 1


def test_a_snoozed_reminder_waits_and_comes_back(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN).ref
    desk.clock.now = T0 + timedelta(minutes=5)
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""}).status == 200
    # Update interval 90 min from 19:35: the reminder (75 %) falls at 20:42:30.
    desk.clock.now = datetime(2026, 11, 20, 20, 43, tzinfo=PARIS)
    tick_once(desk.ctx)
    while sender.run_once():
        pass
    root = desk.slack.messages("C0SUPCRIT")[0]
    reminders = [m for m in desk.slack.thread("C0SUPCRIT", root.ts) if "prochaine mise à jour au client" in m.text]
    assert len(reminders) == 1 and f"<@{AGENT}>" in reminders[0].text
    assert desk.click(AGENT, "notice.snooze", f"{ref}:30").status == 200
    for minute in ("20:50", "21:05"):
        at(desk, sender, minute)
    assert len([m for m in desk.slack.thread("C0SUPCRIT", root.ts) if "prochaine mise à jour au client" in m.text]) == 1
    at(desk, sender, "21:14")  # the snooze (30 min from 20:43) has ended
    later = [m for m in desk.slack.thread("C0SUPCRIT", root.ts) if "prochaine mise à jour au client" in m.text]
    assert len(later) == 2 and "rappel reporté" in later[-1].text


def test_pages_thread_in_the_on_call_channel_and_carry_the_acknowledge_button(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN).ref  # opened Critical at T0, Friday 19:30
    for hh_mm in ("19:30", "19:45", "20:00"):
        at(desk, sender, hh_mm)
    first, *later = desk.slack.messages("C0ONCALL0")
    assert first.thread_ts is None and len(later) == 2
    assert [m.thread_ts for m in later] == [first.ts, first.ts]  # replies under the first page
    assert all(not m.reply_broadcast for m in later)

    page = desk.slack.dm(ON_CALL)[0]
    assert "opened Critical out of business hours" in page.text and "raised" not in page.text
    (button,) = [e for b in page.blocks or [] if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["value"], button["text"]["text"]) == ("ticket.acknowledge", f"{ref} opened",
                                                                              "Acknowledge")
    before = len(desk.slack.views_opened())
    # The paged engineer, from the DM, with the button's own value.
    assert desk.click(ON_CALL, "ticket.acknowledge", button["value"]).status == 200
    view = desk.wait_for_view(before)
    assert view["callback_id"] == "modal.acknowledge" and view["private_metadata"] == ref


def test_a_page_says_the_ticket_was_raised_to_critical(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN, severity="important").ref  # Friday 19:30: an Important ticket, no page
    at(desk, sender, "19:30")
    assert desk.slack.dm(ON_CALL) == []
    desk.clock.now = datetime(2026, 11, 20, 19, 35, tzinfo=PARIS)
    assert desk.act(AGENT, "ticket.severity", ref, {"severity": "critical", "reason": "all users"}).status == 200
    at(desk, sender, "19:36")
    (page,) = desk.slack.dm(ON_CALL)
    assert "raised to Critical out of business hours" in page.text and "opened" not in page.text
