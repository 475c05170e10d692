"""Slack Connect: tickets from a message (the 🎫 reaction, the message shortcut) and the
customer's thread in their shared channel, over signed HTTP against the recording fake,
with payloads shaped as Slack sends them in a shared channel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.delivery import Sender
from bot.listeners.connect import OPEN_BUTTON, SHORTCUT_CALLBACK_ID
from bot.offline import payloads
from tests.slack_e2e.conftest import ADMIN, AGENT, END_USER, GOOD_FORM, LEAD, T0, Desk, deliver

SHARED = "C0ACMESHR"
CUSTOMER_TEAM = "T0ACMECORP"
MESSAGE = "Login *broken* on prod &lt;EU&gt;\nSince 19:10 <@U0ACMEUSR|jo> gets a 500 &amp; retries fail."


def link_shared_channel(desk: Desk) -> None:
    response = desk.command(LEAD, f"account set acme channel+={SHARED}")
    assert response.status == 200


def initial(view: dict[str, Any], block_id: str) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return str(block["element"].get("initial_value", ""))


def react(desk: Desk, user: str, ts: str, author: str) -> None:
    event = payloads.reaction_added(user_id=user, reaction="ticket", channel_id=SHARED, ts=ts, item_user=author,
                                    user_team=CUSTOMER_TEAM)
    assert desk.timed(desk.sim.event, event).status == 200


def offered_button(desk: Desk, user: str) -> Any:
    return desk.slack.wait_for(lambda: [e for e in desk.slack.ephemerals(user=user)
                                        if OPEN_BUTTON in str(e.blocks)] or None)[-1]


def test_a_reaction_opens_a_prefilled_ticket_whose_customer_thread_gets_no_internal_content(desk_on: Desk) -> None:
    desk, sender = desk_on, Sender(desk_on.ctx, "test-sender", channel_interval=0)
    link_shared_channel(desk)
    ts = desk.slack.post_as(SHARED, ADMIN, MESSAGE)

    react(desk, ADMIN, ts, ADMIN)
    offer = offered_button(desk, ADMIN)
    assert offer.channel == SHARED
    before = len(desk.slack.views_opened())
    click = desk.timed(desk.sim.block_action, OPEN_BUTTON, value=f"{SHARED} {ts}", user_id=ADMIN,
                       message={"ts": offer.message_ts, "text": offer.text}, channel_id=SHARED)
    assert click.status == 200
    view = desk.wait_for_view(before)
    assert initial(view, "title") == "Login *broken* on prod <EU>"
    assert initial(view, "description") == "Login *broken* on prod <EU>\nSince 19:10 @jo gets a 500 & retries fail."

    form = {**GOOD_FORM, "title": initial(view, "title"), "description": initial(view, "description")}
    response = desk.submit(view, ADMIN, form)
    assert response.body["response_action"] == "update", response.body
    ticket = desk.ticket(response.body["view"]["private_metadata"])
    assert ticket.reporter_id == ADMIN and ticket.source is not None
    assert (ticket.source.channel, ticket.source.ts, ticket.source.shared) == (SHARED, ts, True)
    assert ticket.source.permalink and ts.replace(".", "") in ticket.source.permalink
    deliver(sender)
    assert any(ticket.ref in m.text for m in desk.slack.thread(SHARED, ts))  # the receipt, under the message
    root = next(m for m in desk.slack.messages("C0SUPCRIT") if ticket.ref in m.text and not m.is_reply)
    assert ticket.source.permalink in str(root.blocks) and f"<#{SHARED}>" in str(root.blocks)  # for agents

    desk.clock.now = T0 + timedelta(minutes=10)
    desk.act(AGENT, "ticket.acknowledge", ticket.ref, {"channel": "phone", "note": "calling you now"})
    desk.act(AGENT, "ticket.note", ticket.ref, {"text": "SECRET-INTERNAL-NOTE"})
    desk.act(AGENT, "ticket.update", ticket.ref, {"text": "We rolled back the EU login service."})
    desk.act(AGENT, "ticket.propose", ticket.ref, {"kind": "fix", "text": "Rotated the signing key"})
    deliver(sender)

    in_shared = " ".join(m.text + str(m.blocks) for m in desk.slack.messages(SHARED))
    assert "We rolled back the EU login service." in in_shared and "Rotated the signing key" in in_shared
    assert "reporter.accept" in in_shared and "reporter.reject" in in_shared  # the card, with its buttons
    assert "SECRET-INTERNAL-NOTE" not in in_shared
    assert "ticket.note" not in in_shared and "ticket.acknowledge" not in in_shared  # no agent button

    # The reporter accepts on the card in the shared thread; "How did we do?" is asked there too.
    card = next(m for m in desk.slack.thread(SHARED, ts) if "reporter.accept" in str(m.blocks))
    accepted = desk.timed(desk.sim.block_action, "reporter.accept", value=ticket.ref, user_id=ADMIN,
                          block_id=next(b["block_id"] for b in card.blocks or [] if b.get("type") == "actions"),
                          message={"ts": card.ts, "text": card.text}, channel_id=SHARED)
    assert accepted.status == 200
    deliver(sender)
    assert desk.ticket(ticket.ref).status.value == "resolved"
    assert any("csat.score.5" in str(m.blocks) for m in desk.slack.thread(SHARED, ts))
    # ... and there only: no second copy left unanswered in the reporter's DM.
    assert not any("csat.score.5" in str(m.blocks) for m in desk.slack.dm(ADMIN))
    assert "SECRET-INTERNAL-NOTE" not in " ".join(m.text + str(m.blocks) for m in desk.slack.messages(SHARED))


def test_an_end_user_reacting_is_told_privately_who_their_administrators_are(desk: Desk) -> None:
    link_shared_channel(desk)
    ts = desk.slack.post_as(SHARED, END_USER, "the export hangs")
    react(desk, END_USER, ts, END_USER)
    told = desk.slack.wait_for(lambda: desk.slack.ephemerals(user=END_USER) or None)[-1]
    assert ADMIN in told.text and OPEN_BUTTON not in str(told.blocks)


def test_another_emoji_does_nothing(desk: Desk) -> None:
    ts = desk.slack.post_as(SHARED, ADMIN, "thanks!")
    event = payloads.reaction_added(user_id=ADMIN, reaction="tada", channel_id=SHARED, ts=ts, item_user=ADMIN)
    assert desk.timed(desk.sim.event, event).status == 200
    desk.ctx.after_ack.shutdown()  # let any work it queued finish
    assert desk.slack.ephemerals(user=ADMIN) == []


@pytest.mark.parametrize("shared", [True, False])
def test_an_agent_opens_a_ticket_for_the_author_with_the_message_shortcut(desk: Desk, shared: bool) -> None:
    if shared:
        link_shared_channel(desk)
    channel = SHARED if shared else "C0INTERNAL"
    ts = desk.slack.post_as(channel, ADMIN, "Reports are empty since the upgrade")
    before = len(desk.slack.views_opened())
    body = payloads.message_shortcut(
        callback_id=SHORTCUT_CALLBACK_ID, user_id=AGENT, team_id=desk.sim.team_id, api_app_id=desk.sim.api_app_id,
        trigger_id=payloads.new_trigger_id(), response_url=desk.slack.response_url("shortcut", channel=channel),
        channel_id=channel, message={"ts": ts, "text": "Reports are empty since the upgrade", "user": ADMIN},
        shared=shared)
    assert desk.timed(desk.sim.send_interaction, body).status == 200
    view = desk.wait_for_view(before)
    assert initial(view, "title") == "Reports are empty since the upgrade"
    response = desk.submit(view, AGENT, {**GOOD_FORM, "title": initial(view, "title"),
                                         "description": initial(view, "description")})
    ticket = desk.ticket(response.body["view"]["private_metadata"])
    assert ticket.reporter_id == ADMIN and ticket.source is not None
    assert ticket.source.shared is shared  # only the account's own shared channel gets the customer thread


def test_an_end_users_shortcut_is_refused_naming_the_administrators(desk: Desk) -> None:
    body = payloads.message_shortcut(
        callback_id=SHORTCUT_CALLBACK_ID, user_id=END_USER, team_id=desk.sim.team_id,
        api_app_id=desk.sim.api_app_id, trigger_id=payloads.new_trigger_id(),
        response_url=desk.slack.response_url("shortcut", channel=SHARED), channel_id=SHARED,
        message={"ts": "1700000000.000100", "text": "help", "user": END_USER}, user_team=CUSTOMER_TEAM, shared=True)
    response = desk.timed(desk.sim.send_interaction, body)
    assert response.status == 200
    told = desk.slack.wait_for(lambda: desk.slack.responses("shortcut") or None)[-1]
    assert f"<@{ADMIN}>" in told.body["text"] and told.response_type == "ephemeral"
    assert desk.slack.views_opened() == []


def test_incident_works_in_the_shared_channel_for_an_external_administrator(desk_on: Desk) -> None:
    desk = desk_on
    link_shared_channel(desk)
    add_external_admin(desk)
    fields = payloads.slash_command(
        command="/incident", text="", user_id=EXTERNAL, channel_id=SHARED, team_id=CUSTOMER_TEAM,
        api_app_id=desk.sim.api_app_id, response_url=desk.slack.response_url("incident", channel=SHARED),
        trigger_id=payloads.new_trigger_id(), channel_name="acme-support")
    fields |= {"enterprise_id": "E0ACMEORG", "enterprise_name": "ACME", "is_enterprise_install": "false"}
    before = len(desk.slack.views_opened())
    assert desk.timed(desk.sim.send_form, fields).status == 200
    view = desk.wait_for_view(before)
    assert view["callback_id"] == "modal.incident"


EXTERNAL = "U0EXTADM1"  # an administrator of acme from acme's own workspace, in the shared channel


def add_external_admin(desk: Desk) -> None:
    from sqlalchemy import update

    from sla_core.accounts.models import AccountPerson

    desk.slack.add_user(EXTERNAL, real_name="ext admin", locale="fr-FR")
    desk.ctx.languages.slack_locale(EXTERNAL)  # seen before: their locale is known (users.info)
    assert desk.command(LEAD, f"account set acme administrator+=<@{EXTERNAL}|ext>").status == 200
    with desk.ctx.engine.begin() as connection:  # as users.lookupByEmail records it for an external member
        connection.execute(update(AccountPerson).where(AccountPerson.slack_user_id == EXTERNAL)
                           .values(slack_team_id=CUSTOMER_TEAM))


def test_an_external_member_is_recognised_by_team_and_user_id(desk_on: Desk) -> None:
    desk = desk_on
    link_shared_channel(desk)
    add_external_admin(desk)
    ts = desk.slack.post_as(SHARED, EXTERNAL, "Webhooks are delayed by an hour")

    spoofed = payloads.reaction_added(user_id=EXTERNAL, reaction="ticket", channel_id=SHARED, ts=ts,
                                      item_user=EXTERNAL, user_team="T0SOMEONEELSE")
    assert desk.timed(desk.sim.event, spoofed).status == 200
    react(desk, EXTERNAL, ts, EXTERNAL)  # from acme's workspace
    offer = offered_button(desk, EXTERNAL)
    assert "Ouvrir un ticket" in str(offer.blocks)  # their Slack locale, from users.info
    assert len([e for e in desk.slack.ephemerals(user=EXTERNAL) if OPEN_BUTTON in str(e.blocks)]) == 1


def test_a_message_shortcut_without_its_message_is_refused_before_any_listener(desk: Desk) -> None:
    body = payloads.message_shortcut(
        callback_id=SHORTCUT_CALLBACK_ID, user_id=ADMIN, team_id=desk.sim.team_id, api_app_id=desk.sim.api_app_id,
        trigger_id=payloads.new_trigger_id(), response_url=desk.slack.response_url("shortcut", channel=SHARED),
        channel_id=SHARED, message={"ts": "1700000000.000100", "text": "x"})
    del body["message"]["ts"]
    response = desk.timed(desk.sim.send_interaction, body)
    assert response.status == 400 and "message.ts is missing" in str(response.body)
    assert desk.slack.views_opened() == []
