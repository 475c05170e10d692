"""What several listeners share: the keyword arguments of every service call, and the
permission checks an ack makes before a modal opens (the service checks once more when the
modal is submitted)."""

from __future__ import annotations

from typing import Any

from bot.context import BotContext
from sla_core.authorization import Capability, NotAuthorized, desk_actor
from sla_core.config.support import SupportConfig
from sla_core.tickets import Action, TicketView, get_ticket
from sla_core.tickets.errors import TicketError
from sla_core.tickets.intake import account_for_reporter
from sla_core.tickets.queries import TicketParties, ticket_parties
from sla_core.tickets.roles import AGENTS, CUSTOMER, authorize, ticket_actor


def service_args(ctx: BotContext) -> dict[str, Any]:
    return {"policy": ctx.policy, "support": ctx.support, "now": ctx.now()}


def read_ticket(ctx: BotContext, ref: str) -> TicketView:
    return get_ticket(ctx.uow(), policy=ctx.policy, ticket_ref=ref, now=ctx.now())


def check_allowed(ctx: BotContext, action: Action, ticket: TicketView | TicketParties, user_id: str) -> None:
    """Raise the domain's own refusal before a modal opens (the service checks again)."""
    support = ctx.support_for(user_id, account_id=ticket.account_id)
    authorize(ticket_actor(user_id, ticket, support=support), action)


def check_capability(ctx: BotContext, capability: Capability, user_id: str) -> None:
    """Raise the refusal of a desk operation (``/incident oncall set``, ``report`` …)."""
    authorize(desk_actor(user_id, support=ctx.support_for(user_id)), capability)


def read_parties(ctx: BotContext, ref: str) -> TicketParties:
    """Who the ticket belongs to, from one row: what an ack needs to refuse or accept a click."""
    return ticket_parties(ctx.uow(), ticket_ref=ref)


def may_see(ctx: BotContext, ticket: TicketView, user_id: str) -> bool:
    """Agents see every ticket; a customer administrator their account's."""
    support = ctx.support_for(user_id, account_id=ticket.account_id)
    return bool((AGENTS | CUSTOMER) & ticket_actor(user_id, ticket, support=support).roles)


def check_may_read_sla_details(ctx: BotContext, ticket: TicketView | TicketParties, user_id: str) -> None:
    """Agents read any ticket's SLA details, its reporter their own; anyone else is refused."""
    authorize(ticket_actor(user_id, ticket, support=ctx.support), Capability.READ_SLA_EVIDENCE)


def may_read_sla_details(ctx: BotContext, ticket: TicketView | TicketParties, user_id: str) -> bool:
    """Whether to offer the "SLA details" button (the click is checked again)."""
    try:
        check_may_read_sla_details(ctx, ticket, user_id)
    except NotAuthorized:
        return False
    return True


def may_open_tickets(support: SupportConfig, user_id: str) -> bool:
    """Whether /incident should open the intake modal (the ack has answered otherwise);
    ``support``: as ``ctx.support_for(user_id)`` read it."""
    if len(support.administered_by(user_id)) > 1:
        return True
    try:
        account_for_reporter(support, user_id, None)
    except TicketError:
        return False
    return True


def check_may_open_tickets(ctx: BotContext, user_id: str) -> SupportConfig:
    """End users, strangers and inactive accounts are refused before any modal; the
    directory's view of the user, read for it, is returned for the modal."""
    support = ctx.support_for(user_id)
    if len(support.administered_by(user_id)) <= 1:
        account_for_reporter(support, user_id, None)
    return support
