"""Root-cause analyses in Slack: an agent opens the RCA modal from the ticket's root post
and saves (or submits) it; a lead approves it from the request in the leads' channel. The
reporter's "Request a root-cause analysis" is a declared ticket action (its listener is
``listeners/actions``). Everything sent goes through the outbox."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.listeners.common import check_capability, read_parties
from bot.views.rca import APPROVE_BUTTON, CALLBACK_ID, START_BUTTON, content_from_state, rca_modal
from sla_core.authorization import Capability
from sla_core.rca import service as rca
from sla_core.tickets.queries import TicketParties


def register(app: App, ctx: BotContext) -> None:
    def start(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        user, ref = body["user"]["id"], action.get("value", "")
        check_capability(ctx, Capability.WRITE_RCA, user)  # refused ephemerally, no modal
        parties = read_parties(ctx, ref)
        ack()
        ctx.after_ack.with_trigger(open_modal, user, parties, body["trigger_id"])

    def open_modal(user: str, ticket: TicketParties, trigger_id: str) -> None:
        current = rca.latest(ctx.uow(), ticket_ref=ticket.ref, sent_only=False)
        ctx.client.views_open(trigger_id=trigger_id, view=rca_modal(
            ref=ticket.ref, title=ticket.title, current=current, lang=ctx.language(user),
            timezone=ctx.policy.timezone))

    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, ref = body["user"]["id"], view["private_metadata"]
        content, submit_now = content_from_state(view["state"]["values"], timezone=ctx.policy.timezone)
        rca.save_draft(ctx.uow(), support=ctx.support, ticket_ref=ref, actor_id=user, content=content, now=ctx.now())
        if submit_now:
            rca.submit(ctx.uow(), policy=ctx.policy, support=ctx.support, settings=ctx.rca, ticket_ref=ref,
                       actor_id=user, now=ctx.now())
        ack()
        ctx.wake_sender()

    def approve(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        rca.approve(ctx.uow(), policy=ctx.policy, support=ctx.support, ticket_ref=action.get("value", ""),
                    actor_id=body["user"]["id"], now=ctx.now())
        ack()
        ctx.wake_sender()

    app.action(START_BUTTON)(start)
    app.view(CALLBACK_ID)(save)
    app.action(APPROVE_BUTTON)(approve)
