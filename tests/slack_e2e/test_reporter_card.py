"""The reporter's DM as their window on the ticket: the receipt is a card kept current
(state, next commitments in their words, the buttons they need now), and a message whose
button did its job says so in place and loses its buttons. Real app over HTTP, real
sender, the recording fake Slack (which keeps every message and its edits)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.delivery import Sender
from bot.scheduling import tick_once
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER, PARIS, T0, Desk, blocks_text, buttons, deliver


def card_of(desk: Desk, reporter: str) -> Any:
    """The reporter's card: their first DM, as it stands now (edits applied)."""
    return desk.slack.dm(reporter)[0]


def click_on(desk: Desk, user: str, action_id: str, value: str, message: Any) -> None:
    """Press the button ``action_id`` where it is shown in ``message`` (its block named)."""
    block_id = next((b.get("block_id", "") for b in message.blocks or [] if b.get("type") == "actions"
                     and any(e["action_id"] == action_id for e in b["elements"])), "reporter_actions")
    response = desk.timed(desk.sim.block_action, action_id, value=value, user_id=user, block_id=block_id,
                          message={"ts": message.ts, "text": message.text}, channel_id=message.channel)
    assert response.status == 200


def test_the_card_follows_the_ticket_and_accepting_on_it_confirms_in_place(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN).ref  # Friday 19:30, Critical, in English
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "waiting for our callback" in shown and "We will call you back by" in shown
    assert "Resolution due by" in shown and buttons(card) == ["reporter.rca"]

    desk.clock.now = T0 + timedelta(minutes=10)
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "calling now"})
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "picked up by our support team" in shown and "We will send you an update by" in shown
    assert "call you back" not in shown and card.edits  # the same message, edited

    desk.clock.now = T0 + timedelta(minutes=20)
    desk.act(AGENT, "ticket.waiting", ref, {"question": "Which browser?"})
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "waiting for your answer" in shown and "paused while we wait for your answer" in shown
    assert "We will send you an update by" not in shown  # paused: no due is promised
    assert buttons(card) == ["reporter.replied", "reporter.rca"]
    assert all(buttons(m) == [] for m in desk.slack.dm(ADMIN)[1:])  # the event DMs carry no buttons

    desk.clock.now = T0 + timedelta(minutes=25)
    click_on(desk, ADMIN, "reporter.replied", ref, card)
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "You told us you replied on" in shown and "being worked on" in shown
    assert buttons(card) == ["reporter.rca"]  # asking for a root-cause analysis stays on offer

    desk.clock.now = T0 + timedelta(minutes=40)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "workaround", "text": "Use the backup gateway"})
    deliver(sender)
    card = card_of(desk, ADMIN)
    assert buttons(card) == ["reporter.accept", "reporter.reject", "reporter.rca"]
    assert "counts as accepted" in blocks_text({"blocks": card.blocks})

    desk.clock.now = T0 + timedelta(minutes=45)
    click_on(desk, ADMIN, "reporter.accept", ref, card)
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "You accepted the resolution on" in shown and "*Status:* resolved" in shown
    assert buttons(card) == ["reporter.reopen", "reporter.rca"] and "you can reopen it until" in shown
    # No Accept (or Reject) left anywhere; the satisfaction survey that follows has its own buttons.
    assert all(not {"reporter.accept", "reporter.reject"} & set(buttons(m)) for m in desk.slack.dm(ADMIN)[1:])

    desk.clock.now = T0 + timedelta(hours=2)
    assert desk.act(ADMIN, "reporter.reopen", ref, {"reason": "it fails again"}).status == 200
    deliver(sender)
    card = card_of(desk, ADMIN)
    shown = blocks_text({"blocks": card.blocks})
    assert "You reopened the ticket on" in shown and "being worked on" in shown
    assert buttons(card) == ["reporter.rca"]  # asking for a root-cause analysis stays on offer


def test_rejecting_on_the_card_confirms_it_in_french(desk: Desk, sender: Sender) -> None:
    ref = desk.report(HOLDER, language="fr").ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "email", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "Correctif 5.2.1"})
    deliver(sender)
    card = card_of(desk, HOLDER)
    shown = blocks_text({"blocks": card.blocks})
    assert "une résolution est proposée" in shown and "suspendus le temps que vous examiniez" in shown
    assert buttons(card) == ["reporter.accept", "reporter.reject", "reporter.rca"]

    desk.clock.now = T0 + timedelta(minutes=30)
    assert desk.act(HOLDER, "reporter.reject", ref, {"reason": "toujours en panne"}).status == 200
    deliver(sender)
    card = card_of(desk, HOLDER)
    shown = blocks_text({"blocks": card.blocks})
    assert "Vous avez refusé la résolution le" in shown and "en cours de traitement" in shown
    assert "Nous vous donnerons des nouvelles au plus tard" in shown
    assert buttons(card) == ["reporter.rca"]


def test_accepting_from_an_older_message_with_buttons_edits_that_message(desk: Desk, sender: Sender) -> None:
    """A proposal DM sent with its own buttons (before the card carried them) is
    edited in place too once its button did its job."""
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "email", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "Patched"})
    deliver(sender)
    proposal = desk.slack.dm(ADMIN)[-1]
    assert "Patched" in proposal.text

    click_on(desk, ADMIN, "reporter.accept", ref, proposal)  # its block: "reporter_actions"
    deliver(sender)
    [edited] = [m for m in desk.slack.dm(ADMIN) if m.ts == proposal.ts]
    shown = blocks_text({"blocks": edited.blocks})
    assert "Patched" in shown and "You accepted the resolution on" in shown and buttons(edited) == []


def test_a_snoozed_reminder_says_who_snoozed_it_and_loses_its_button(desk: Desk, sender: Sender) -> None:
    ref = desk.report(ADMIN).ref
    desk.clock.now = T0 + timedelta(minutes=5)
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.clock.now = datetime(2026, 11, 20, 20, 43, tzinfo=PARIS)  # the update reminder (75 %) is due
    tick_once(desk.ctx)
    deliver(sender)
    root = desk.slack.messages("C0SUPCRIT")[0]
    [reminder] = [m for m in desk.slack.thread("C0SUPCRIT", root.ts) if "prochaine mise à jour" in m.text]
    assert set(buttons(reminder)) == {"notice.snooze"}  # 15, 30, 60 min

    click_on(desk, AGENT, "notice.snooze", f"{ref}:30", reminder)
    deliver(sender)
    [edited] = [m for m in desk.slack.thread("C0SUPCRIT", root.ts) if m.ts == reminder.ts]
    shown = blocks_text({"blocks": edited.blocks})
    assert f"Rappels reportés de 30 min par <@{AGENT}>" in shown  # the channel's language
    assert "prochaine mise à jour" in shown and buttons(edited) == []
