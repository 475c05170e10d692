"""The "SLA details" button, over signed HTTP: an agent reads any ticket's ledger, a
reporter their own (from their card or ``/incident status``), anyone else is refused
privately and no modal opens; a ticket across the spring DST change and Easter Monday
reads as the clocks counted it, in the reader's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.delivery.sender import Sender
from bot.rendering.action_ids import SLA_DETAILS
from tests.slack_e2e.conftest import ADMIN, AGENT, AGENT2, END_USER, HOLDER, PARIS, T0, Desk, blocks_text


def _press(desk: Desk, user: str, ref: str) -> Any:
    response = desk.timed(desk.sim.block_action, SLA_DETAILS, value=ref, user_id=user, block_id="sla",
                          message={"ts": "1700000000.000100", "text": "card"}, channel_id="C0SUPCRIT")
    assert response.status == 200
    return response


def _details(desk: Desk, user: str, ref: str) -> dict[str, Any]:
    before = len(desk.slack.views_opened())
    _press(desk, user, ref)
    view: dict[str, Any] = desk.wait_for_view(before)
    assert view["callback_id"] == "sla_details" and "submit" not in view
    return view


def _refused(desk: Desk, user: str, ref: str) -> str:
    opened = len(desk.slack.views_opened())
    response = _press(desk, user, ref)
    answers: list[Any] = desk.slack.wait_for(lambda: desk.slack.responses(response.response_url_name))
    assert answers[0].response_type == "ephemeral"
    assert len(desk.slack.views_opened()) == opened  # no modal
    return str(answers[0].body["text"])


def _within_slack_limits(view: dict[str, Any]) -> None:
    assert len(view["blocks"]) <= 100
    for block in view["blocks"]:
        texts = [block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", [])]
        assert all(len(t) <= 3000 for t in texts)


def _deliver(desk: Desk) -> None:
    sender = Sender(desk.ctx, "test-sender", channel_interval=0)
    while sender.run_once():
        pass


def test_an_agent_reads_the_ledger_with_who_paused_the_clock(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref  # Friday 19:30, Critical
    desk.clock.now = T0 + timedelta(minutes=10)
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.clock.now = T0 + timedelta(minutes=20)
    desk.act(AGENT, "ticket.waiting", ref, {"question": "Which <browser> & version?"})
    desk.clock.now = T0 + timedelta(hours=1)
    view = _details(desk, AGENT, ref)
    shown = blocks_text(view)
    assert "Callback: met" in shown and "Resolution: paused" in shown
    assert f"waiting on the customer from <!date^{int((T0 + timedelta(minutes=20)).timestamp())}" in shown
    assert f"set by <@{AGENT}>" in shown  # a mention: Slack shows the agent's name
    assert f"astreinte sla explain {ref}" in shown and "consumed" in shown and "left" in shown
    _within_slack_limits(view)


def test_the_root_post_and_the_reporters_card_carry_the_button(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    _deliver(desk)
    root = desk.slack.messages("C0SUPCRIT")[0]
    card = desk.slack.dm(ADMIN)[0]
    for message in (root, card):
        accessories = [b["accessory"] for b in message.blocks or [] if "accessory" in b]
        assert [(a["action_id"], a["value"]) for a in accessories] == [(SLA_DETAILS, ref)]


def test_the_reporter_reads_their_own_tickets_ledger_from_status(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    answer = desk.command(ADMIN, f"status {ref}").body
    (button,) = [b["accessory"] for b in answer["blocks"] if "accessory" in b]
    assert button["action_id"] == SLA_DETAILS and button["value"] == ref
    view = _details(desk, ADMIN, button["value"])
    assert "Callback: running" in blocks_text(view)


def test_someone_elses_ticket_is_refused_privately(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    # Another administrator of the same account may see the ticket's status, not its ledger.
    status = desk.command(HOLDER, f"status {ref}").body
    assert ref in status["text"] and not any("accessory" in b for b in status.get("blocks") or [])
    assert "Seuls les agents du support et l'auteur du ticket" in _refused(desk, HOLDER, ref)  # HOLDER reads French
    assert "Only support agents and the ticket's reporter" in _refused(desk, END_USER, ref)


def test_an_unknown_ticket_is_refused_without_a_modal(desk: Desk) -> None:
    assert "INC-2026-999999" in _refused(desk, AGENT, "INC-2026-999999")


def test_a_ticket_across_the_dst_change_and_easter_monday(desk: Desk) -> None:
    # Friday 27 March 2026, 17:00 CET; clocks go forward on Sunday 29 March; Monday 6 April
    # is Easter Monday. A Low ticket counts business time only.
    desk.clock.now = datetime(2026, 3, 27, 17, 0, tzinfo=PARIS)
    ref = desk.report(ADMIN, severity="low").ref
    desk.clock.now = datetime(2026, 4, 7, 10, 0, tzinfo=PARIS)
    view = _details(desk, AGENT2, ref)  # an agent who reads French
    shown = blocks_text(view)
    _within_slack_limits(view)
    # The weekend of the change lasted 47 hours, not 48.
    assert "47 h non compté : week-end" in shown
    assert "non compté : jour férié (Lundi de Pâques)" in shown
    # Resolution: 7 business days (63 h); Fri 1 h + five days of 9 h + Tue 1 h counted.
    assert "Compté : 47 h sur 2 j 15 h ; reste 16 h." in shown
    assert "CET" in shown and "CEST" in shown  # the fallbacks say which offset applied
    english = blocks_text(_details(desk, ADMIN, ref))  # the reporter, in English
    assert "public holiday (Easter Monday)" in english and "47 h not counted: weekend" in english


def test_a_long_ledger_is_summarised_within_slacks_limits(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    desk.clock.now = T0 + timedelta(minutes=5)
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    for i in range(40):  # forty questions and answers: eighty pieces of the resolution clock
        desk.clock.now = T0 + timedelta(minutes=10 + 20 * i)
        desk.act(AGENT, "ticket.waiting", ref, {"question": f"question {i}"})
        desk.clock.now = T0 + timedelta(minutes=20 + 20 * i)
        desk.click(ADMIN, "reporter.replied", ref)
    view = _details(desk, AGENT, ref)
    _within_slack_limits(view)
    shown = blocks_text(view)
    assert "more pieces here" in shown and f"astreinte sla explain {ref}" in shown


def test_the_slack_report_offers_each_breachs_ledger(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref  # Critical, Friday 20 November 19:30: nobody calls back within the hour
    desk.clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
    answer = desk.command(AGENT, "report 2026-11").body
    assert "SLA report for November 2026" in answer["text"]
    buttons = [b["accessory"] for b in answer["blocks"] if "accessory" in b]
    assert (buttons[0]["action_id"], buttons[0]["value"]) == (SLA_DETAILS, ref)
    assert "callback late by" in blocks_text(answer)
    assert "Callback: breached" in blocks_text(_details(desk, AGENT, buttons[0]["value"]))


def test_what_people_wrote_is_escaped_for_mrkdwn(desk: Desk) -> None:
    ref = desk.report(ADMIN, title="<!channel> A & <b>B</b>").ref
    shown = blocks_text(_details(desk, AGENT, ref))
    assert "&lt;!channel&gt; A &amp; &lt;b&gt;B&lt;/b&gt;" in shown and "<!channel>" not in shown
