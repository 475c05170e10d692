"""Buttons: the agents' buttons on the root post, the reporter's in their DM, the snooze
on a reminder, and the language select of the App Home.

Each button is declared with its action (``sla_core.tickets.actions``) and gets its own
Bolt listener here, registered on its action_id. A button opening a form checks who may
act (a customer pressing an agent button is refused) and that the action is still allowed
from the ticket's status (a second agent's [Acknowledge] is refused with "already
acknowledged by X at T"): refusals go ephemerally through the error mapper and no modal
opens; else ``ctx.after_ack`` calls ``views.open``. An agent's click on a button that
carries the status it was rendered in (``action_ids.ticket_button_value``), when that
status allows the action, is acked before anything is read: the ticket's row is read once
right after the ack, where a click made stale meanwhile is refused in the same words. Any
other click reads the row once, in the ack. A button acting at once does it in
the ack: one conditional service call, so a double click gets "already done by X at T"
instead of a second change. The message it was clicked on then says what was done and
loses its buttons: an edit owed through the outbox in that same transaction (the
button's container names the message), never a Slack call from here; messages
re-rendered from the ticket's state anyway (``LIVE_BLOCKS``) need none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.errors import checked_after_ack
from bot.listeners.common import check_allowed, read_parties, service_args
from bot.listeners.events import publish_home
from bot.rendering import LIVE_BLOCKS
from bot.rendering.action_ids import read_button_value
from bot.views.actions import MODALS, action_modal
from bot.views.bugs import PREFILLS
from bot.views.home import AUTO, LANGUAGE_ACTION
from sla_core.outbox.ticket_notices import edit_clicked_message
from sla_core.persistence.uow import UnitOfWork
from sla_core.preferences import set_language_preference
from sla_core.tickets import perform
from sla_core.authorization import desk_actor, may
from sla_core.tickets.actions import BUTTONS, ActionSpec, FieldKind
from sla_core.tickets.lifecycle import TRANSITIONS
from sla_core.tickets.queries import TicketParties, check_still_allowed

Listener = Callable[..., None]
SNOOZE_MINUTES = 30  # when a snooze button names no duration


def register(app: App, ctx: BotContext) -> None:
    for action_id, (spec, button) in BUTTONS.items():
        listener = _opens_form(ctx, action_id) if button.opens_form else _acts_at_once(ctx, spec)
        app.action(action_id)(listener)
    app.action(LANGUAGE_ACTION)(_language_chooser(ctx))


def _opens_form(ctx: BotContext, action_id: str) -> Listener:
    spec = MODALS[action_id]

    def check_and_open(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        user = body["user"]["id"]
        ref, shown = read_button_value(action.get("value", ""))
        # An agent's action depends on their desk role alone (app.yaml); anyone else's on the row.
        by_role = may(desk_actor(user, support=ctx.support), spec.action)
        if by_role and shown is not None and (shown, spec.action) in TRANSITIONS:
            # Allowed from the status the button was rendered in: ack now, read after.
            ack()
            ctx.after_ack.with_trigger(check_then_open, user, ref, body["trigger_id"],
                                       respond if body.get("response_url") else None)
            return
        # One row: who the ticket belongs to and its status. A stale button (a colleague
        # acknowledged a moment ago) is refused here, naming who and when, and no modal opens.
        parties = read_parties(ctx, ref)
        if not by_role:
            check_allowed(ctx, spec.action, parties, user)  # raises: refused ephemerally
        check_still_allowed(ctx.uow(), parties, spec.action, timezone=ctx.policy.timezone)  # raises likewise
        ack()
        ctx.after_ack.with_trigger(open_modal, user, parties, body["trigger_id"])

    def check_then_open(user: str, ref: str, trigger_id: str, respond: Any) -> None:
        """The ack's checks, after it: the same row, the same refusals, told the same way."""
        def still_allowed() -> TicketParties:
            parties = read_parties(ctx, ref)
            check_still_allowed(ctx.uow(), parties, spec.action, timezone=ctx.policy.timezone)
            return parties

        parties = checked_after_ack(still_allowed, user, respond, ctx.language)
        if parties is not None:
            open_modal(user, parties, trigger_id)
    prefill = PREFILLS.get(spec.action)

    def open_modal(user: str, ticket: TicketParties, trigger_id: str) -> None:
        language = ctx.language(user)
        initial = prefill(ctx, ticket.ref, language) if prefill else None  # a bug's draft, from the ticket
        ctx.client.views_open(trigger_id=trigger_id, view=action_modal(spec, ticket, language, initial))

    return check_and_open


def _acts_at_once(ctx: BotContext, spec: ActionSpec) -> Listener:
    def act(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = body["user"]["id"]
        ref, fields = _button_value(spec, action.get("value", ""))
        perform(_edits_clicked(ctx.uow(), body, action), action=spec.action, ticket_ref=ref, actor_id=user,
                **fields, **service_args(ctx))
        ack()
        ctx.wake_sender()

    return act


def _edits_clicked(uow: UnitOfWork, body: dict[str, Any], action: dict[str, Any]) -> UnitOfWork:
    """``uow``, also owing the edit of the clicked message when it is not re-rendered
    from the ticket's state anyway."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") == "message" and channel and ts and action.get("block_id") not in LIVE_BLOCKS:
        said = str((body.get("message") or {}).get("text") or "")
        uow.before_commit.append(edit_clicked_message(channel, ts, said))
    return uow


def _button_value(spec: ActionSpec, value: str) -> tuple[str, dict[str, Any]]:
    """``INC-2026-000123`` → the ref; ``INC-2026-000123:45`` → the ref and, for an action
    taking minutes, 45 of them (``SNOOZE_MINUTES`` when the button names none). The status
    an agent button carries is not needed here: the service call checks the row itself."""
    ref, _, rest = read_button_value(value)[0].partition(":")
    fields = {f.name: int(rest) if rest.isdigit() else SNOOZE_MINUTES
              for f in spec.fields if f.kind is FieldKind.MINUTES}
    return ref, fields


def _language_chooser(ctx: BotContext) -> Listener:
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

    return choose_language
