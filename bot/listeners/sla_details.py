"""The "SLA details" button (root post, reporter's card, ``/incident status``): the
ticket's ledger in a modal. The ack reads one row (who the ticket belongs to) and checks
who may read it (``Capability.READ_SLA_EVIDENCE``: agents, the ticket's reporter); a
refusal goes ephemerally through the error mapper. The ledger is computed after the ack
and the modal opened with the click's trigger id (it lives 3 s; a ledger takes
milliseconds)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.listeners.common import check_may_read_sla_details, read_parties, read_ticket
from bot.rendering.action_ids import SLA_DETAILS
from bot.sla_explain import ticket_ledger
from bot.views.sla_details import sla_details_modal


def register(app: App, ctx: BotContext) -> None:
    def check_and_open(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        user, ref = body["user"]["id"], str(action.get("value", ""))
        check_may_read_sla_details(ctx, read_parties(ctx, ref), user)  # raises: refused ephemerally
        ack()
        ctx.after_ack.with_trigger(open_modal, user, ref, body["trigger_id"])

    def open_modal(user: str, ref: str, trigger_id: str) -> None:
        now = ctx.now()
        ticket = read_ticket(ctx, ref)
        view = sla_details_modal(ticket, ticket_ledger(ctx.policy, ticket, now=now), policy=ctx.policy,
                                 language=ctx.language(user))
        ctx.client.views_open(trigger_id=trigger_id, view=view)

    app.action(SLA_DETAILS)(check_and_open)
