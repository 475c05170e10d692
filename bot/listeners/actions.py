"""Buttons: the agents' buttons on the root post, the reporter's in their DM, and the
language select of the App Home.

A button needing input opens its modal: the ack checks who may act (a customer pressing
an agent button is refused ephemerally, through the error mapper) and ``ctx.after_ack``
calls ``views.open``. Buttons without input act in the ack: one conditional service call,
so a double click gets "already done by X at T" instead of a second change. All of them
hang off one Bolt listener that routes on the action id (``bot/listeners/routing.py``)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk.webhook import WebhookClient

from bot.context import BotContext
from bot.listeners.common import check_allowed, is_allowed, read_parties, service_args
from bot.listeners.events import publish_home
from bot.listeners.routing import Handler, exact_ids, route_actions
from bot.rendering import action_ids as ids
from bot.views.actions import MODALS, action_modal
from bot.views.home import AUTO, LANGUAGE_ACTION
from sla_core.preferences import set_language_preference
from messages import render
from sla_core.tickets import PERMISSIONS, Action, accept_resolution, close, customer_replied, snooze_reminder
from sla_core.tickets.roles import AGENTS


# Each modal button and the action its modal performs (checked before the modal opens).
MODAL_ACTIONS: dict[str, Action] = {
    **{button: action for button, action in ids.AGENT_BUTTONS.items() if button != ids.TICKET_CLOSE},
    ids.REPORTER_REJECT: Action.REJECT_RESOLUTION,
}


def register(app: App, ctx: BotContext) -> None:
    def close_ticket(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        close(ctx.uow(), ticket_ref=action["value"], actor_id=body["user"]["id"], **service_args(ctx))
        ack()
        ctx.wake_sender()

    def accept(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        accept_resolution(ctx.uow(), ticket_ref=action["value"], actor_id=body["user"]["id"], **service_args(ctx))
        ack()
        ctx.wake_sender()

    def replied(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        customer_replied(ctx.uow(), ticket_ref=action["value"], actor_id=body["user"]["id"], text="",
                         **service_args(ctx))
        ack()
        ctx.wake_sender()

    def choose_language(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = body["user"]["id"]
        chosen = (action.get("selected_option") or {}).get("value") or action.get("value")
        with ctx.uow() as uow:
            set_language_preference(uow.session, user_id=user, language=None if chosen == AUTO else chosen,
                                    now=ctx.now())
            uow.commit()
        ctx.languages.forget(user)
        ack()
        ctx.after_ack(publish_home, ctx, ctx.client, user)

    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ref, minutes = _snooze_value(action.get("value", ""))
        snooze_reminder(ctx.uow(), ticket_ref=ref, actor_id=body["user"]["id"], minutes=minutes,
                        **service_args(ctx))
        ack()
        ctx.wake_sender()
        if body.get("response_url"):
            ctx.after_ack(confirm_snooze, body["response_url"], body["user"]["id"], ref, minutes)

    def confirm_snooze(response_url: str, user: str, ref: str, minutes: int) -> None:
        WebhookClient(response_url).send(text=render("notice.snoozed_for", ctx.language(user), ref=ref,
                                                     minutes=minutes),
                                         response_type="ephemeral", replace_original=False)

    handlers: dict[str, Handler] = {
        **{action_id: _modal_button(ctx, action_id, action) for action_id, action in MODAL_ACTIONS.items()},
        ids.TICKET_CLOSE: close_ticket,
        ids.REPORTER_ACCEPT: accept,
        ids.REPORTER_REPLIED: replied,
        LANGUAGE_ACTION: choose_language,
        ids.NOTICE_SNOOZE: snooze,
    }
    app.action(exact_ids(handlers))(route_actions(handlers))


def _snooze_value(value: str) -> tuple[str, int]:
    """``INC-2026-000123:30`` → the ref and the minutes (30 when the button says none)."""
    ref, _, minutes = value.partition(":")
    return ref, int(minutes) if minutes.isdigit() else 30


def _modal_button(ctx: BotContext, action_id: str, action: Action) -> Handler:
    spec = MODALS[action_id]

    def check_and_open(ack: Ack, body: dict[str, Any], button: dict[str, Any]) -> None:
        user, ref = body["user"]["id"], button.get("value", "")
        # An agent's action depends on the agent role alone (app.yaml): no database at all.
        # Anyone else needs the ticket's account and reporter: one row, never the log.
        if not (PERMISSIONS[action] & AGENTS and ctx.support.is_agent(user)):
            check_allowed(ctx, action, read_parties(ctx, ref), user)  # raises: refused ephemerally
        ack()
        ctx.after_ack.with_trigger(open_modal, user, ref, body["trigger_id"])

    def open_modal(user: str, ref: str, trigger_id: str) -> None:
        ticket = read_parties(ctx, ref)  # a modal needs the ref, title and severity, not the log
        if is_allowed(ctx, action, ticket, user):
            ctx.client.views_open(trigger_id=trigger_id, view=action_modal(spec, ticket, ctx.language(user)))

    return check_and_open
