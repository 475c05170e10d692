"""Modal submissions: the intake form and the agents' / reporter's action modals.

A submission is quick local work (one transaction), so it runs before the HTTP answer:
the modal closes (or shows the confirmation) only once the change is committed, and a
refusal lands inline on the modal. Every service is conditional, so a double submission
or two agents racing produce one change and one "already done by X at T". All of them
hang off one Bolt listener that routes on the callback id (``bot/listeners/routing.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.listeners.common import service_args
from bot.listeners.routing import Handler, exact_ids, route_views
from bot.rendering import blocks as bk
from bot.views.intake import CALLBACK_ID, confirmation, field_errors, form_from_state
from sla_core.severity import Severity
from sla_core.tickets import (
    InvalidForm, TicketView, acknowledge, add_internal_note, change_severity, customer_replied, open_ticket,
    post_update, propose_resolution, reject_resolution, reopen, set_waiting_on_customer,
)

Values = dict[str, Any]
# callback_id → the service call made from the modal's values.
Submit = Callable[[BotContext, str, str, Values], TicketView]


def _call(service: Callable[..., TicketView], **fields: str) -> Submit:
    """A submission calling ``service`` with each keyword taken from a block."""
    def submit(ctx: BotContext, ref: str, user: str, values: Values) -> TicketView:
        given = {name: bk.selected(values, block) or "" for name, block in fields.items()}
        return service(ctx.uow(), ticket_ref=ref, actor_id=user, **service_args(ctx), **given)
    return submit


def _change_severity(ctx: BotContext, ref: str, user: str, values: Values) -> TicketView:
    return change_severity(ctx.uow(), ticket_ref=ref, actor_id=user, **service_args(ctx),
                           severity=Severity.parse(bk.selected(values, "severity") or ""),
                           reason=bk.selected(values, "reason") or "")


SUBMISSIONS: dict[str, Submit] = {
    "modal.acknowledge": _call(acknowledge, channel="channel", note="note"),
    "modal.update": _call(post_update, text="text"),
    "modal.note": _call(add_internal_note, text="text"),
    "modal.severity": _change_severity,
    "modal.waiting": _call(set_waiting_on_customer, question="question"),
    "modal.customer_replied": _call(customer_replied, text="text"),
    "modal.propose": _call(propose_resolution, kind="kind", text="text"),
    "modal.reopen": _call(reopen, reason="reason"),
    "modal.reject": _call(reject_resolution, reason="reason"),
}


def register(app: App, ctx: BotContext) -> None:
    def submit_incident(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        form = form_from_state(view["state"]["values"])
        try:
            ticket = open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=user, form=form,
                                 idempotency_key=f"view:{view['id']}", now=ctx.now())
        except InvalidForm as invalid:  # the one domain error a listener turns into Slack itself
            ack(response_action="errors", errors=field_errors(invalid.errors, ctx.language(user)))
            return
        ack(response_action="update",
            view=confirmation(ticket, policy=ctx.policy, wiring=ctx.wiring, language=ctx.language(user)))
        ctx.wake_sender()

    handlers: dict[str, Handler] = {CALLBACK_ID: submit_incident}
    handlers.update({callback_id: _submission(ctx, submit) for callback_id, submit in SUBMISSIONS.items()})
    app.view(exact_ids(handlers))(route_views(handlers))


def _submission(ctx: BotContext, submit: Submit) -> Handler:
    def handle(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        submit(ctx, view["private_metadata"], body["user"]["id"], view["state"]["values"])
        ack()  # closes the modal; the thread and the root post follow through the outbox
        ctx.wake_sender()
    return handle
