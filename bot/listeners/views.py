"""Modal submissions: the intake form and the action modals (one listener each, on its
callback id, derived from the actions' declarations).

A submission is quick local work (one transaction), so it runs before the HTTP answer:
the modal closes (or shows the confirmation) only once the change is committed, and a
refusal lands inline on the modal. Every service is conditional, so a double submission
or two agents racing produce one change and one "already done by X at T"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.connect.from_message import decode
from bot.context import BotContext
from bot.listeners.common import service_args
from bot.views.actions import SUBMITTED, submitted_values
from bot.views.intake import CALLBACK_ID, confirmation, field_errors, form_from_state
from sla_core.tickets import InvalidForm, open_ticket, perform
from sla_core.tickets.actions import ActionSpec


def register(app: App, ctx: BotContext) -> None:
    def submit_incident(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        form = form_from_state(view["state"]["values"])
        # Opened from a message: recorded with the ticket; an agent opens it for the author.
        origin = decode(view.get("private_metadata"))
        reporter = (origin.author if origin is not None and origin.author and ctx.support.is_agent(user) else user)
        try:
            ticket = open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=reporter, form=form,
                                 idempotency_key=f"view:{view['id']}", now=ctx.now(),
                                 source=origin.source if origin is not None else None)
        except InvalidForm as invalid:  # the one domain error a listener turns into Slack itself
            ack(response_action="errors", errors=field_errors(invalid.errors, ctx.language(user)))
            return
        ack(response_action="update",
            view=confirmation(ticket, policy=ctx.policy, wiring=ctx.wiring, language=ctx.language(user)))
        ctx.wake_sender()

    app.view(CALLBACK_ID)(submit_incident)
    for callback_id, spec in SUBMITTED.items():
        app.view(callback_id)(_submission(ctx, spec))


def _submission(ctx: BotContext, spec: ActionSpec) -> Any:
    def handle(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        perform(ctx.uow(), action=spec.action, ticket_ref=view["private_metadata"], actor_id=body["user"]["id"],
                **submitted_values(spec, view["state"]["values"]), **service_args(ctx))
        ack()  # closes the modal; the thread and the root post follow through the outbox
        ctx.wake_sender()
    return handle
