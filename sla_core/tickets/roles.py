"""Who may act on a ticket: the roles a user holds towards it. Which roles each action
needs is declared with the action (``PERMISSIONS`` is derived from the declarations) and
checked by the one ``sla_core.authorization.authorize``, in the service layer rather than
in the Slack layer."""

from __future__ import annotations

from typing import Protocol

from sla_core.authorization import AGENTS, CUSTOMER, SYSTEM_ACTOR, Actor, Role, authorize, roles_of
from sla_core.tickets.actions import PERMISSIONS, Action
from sla_core.tickets.support import SupportConfig


class OwnedTicket(Protocol):
    """What deciding who may act needs of a ticket (a full view, or its parties alone)."""

    @property
    def ref(self) -> str: ...

    @property
    def account_id(self) -> str: ...

    @property
    def reporter_id(self) -> str: ...


def ticket_actor(user_id: str, ticket: OwnedTicket, *, support: SupportConfig) -> Actor:
    """``user_id`` with the roles they hold towards ``ticket``."""
    account = support.accounts.get(ticket.account_id)
    return Actor(user_id=user_id, ticket_ref=ticket.ref,
                 account_name=account.name if account else ticket.account_id,
                 roles=roles_of(user_id, support=support, account_id=ticket.account_id,
                                reporter_id=ticket.reporter_id))


def may(actor: Actor, action: Action) -> bool:
    """Whether ``authorize(actor, action)`` would pass (for quiet checks)."""
    return bool(PERMISSIONS[action] & actor.roles)


__all__ = ["AGENTS", "CUSTOMER", "SYSTEM_ACTOR", "PERMISSIONS", "Actor", "Role", "authorize", "roles_of",
           "ticket_actor", "may"]
