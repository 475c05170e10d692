"""Who may do what to a ticket: one table, enforced here rather than in the Slack layer."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from sla_core.tickets.errors import PermissionDenied
from sla_core.tickets.lifecycle import Action
from sla_core.tickets.support import SupportConfig


class Role(str, Enum):
    """A user's standing towards one ticket (a user may hold several)."""

    AGENT = "agent"
    LEAD = "lead"
    ON_CALL = "on_call"
    REPORTER = "reporter"
    ACCOUNT_ADMINISTRATOR = "administrator"  # of the ticket's account, not its reporter
    OTHER_ADMINISTRATOR = "other_administrator"  # of another account
    END_USER = "end_user"
    STRANGER = "stranger"
    SYSTEM = "system"  # the scheduler


AGENTS = frozenset({Role.AGENT, Role.LEAD, Role.ON_CALL})
CUSTOMER = frozenset({Role.REPORTER, Role.ACCOUNT_ADMINISTRATOR})
SYSTEM_ACTOR = "system"

PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.ACKNOWLEDGE: AGENTS,
    Action.POST_UPDATE: AGENTS,
    Action.ADD_INTERNAL_NOTE: AGENTS,
    Action.SET_WAITING_ON_CUSTOMER: AGENTS,
    # The customer answers in the thread, or an agent records an answer given by phone.
    Action.CUSTOMER_REPLIED: AGENTS | CUSTOMER,
    Action.PROPOSE_RESOLUTION: AGENTS,
    Action.ACCEPT_RESOLUTION: CUSTOMER,
    Action.REJECT_RESOLUTION: CUSTOMER,
    Action.AUTO_ACCEPT: frozenset({Role.SYSTEM}),
    Action.CHANGE_SEVERITY: AGENTS,
    Action.CLOSE: AGENTS,
    Action.REOPEN: AGENTS | CUSTOMER,
    Action.SNOOZE_REMINDER: AGENTS,
}

# The role recorded in the event log when a user holds several: the most specific one.
_PRIORITY = (Role.SYSTEM, Role.REPORTER, Role.ACCOUNT_ADMINISTRATOR, Role.ON_CALL, Role.LEAD, Role.AGENT)


def roles_of(user_id: str, *, support: SupportConfig, account_id: str, reporter_id: str) -> frozenset[Role]:
    if user_id == SYSTEM_ACTOR:
        return frozenset({Role.SYSTEM})
    roles: set[Role] = set()
    if user_id in support.agents:
        roles.add(Role.AGENT)
    if user_id in support.leads:
        roles.add(Role.LEAD)
    if user_id in support.on_call:
        roles.add(Role.ON_CALL)
    if user_id == reporter_id:
        roles.add(Role.REPORTER)
    account = support.accounts.get(account_id)
    if account is not None and user_id in account.administrators and user_id != reporter_id:
        roles.add(Role.ACCOUNT_ADMINISTRATOR)
    if any(user_id in a.administrators for a in support.accounts.values() if a.id != account_id):
        roles.add(Role.OTHER_ADMINISTRATOR)
    if support.end_user_accounts(user_id):
        roles.add(Role.END_USER)
    return frozenset(roles) or frozenset({Role.STRANGER})


def authorize(action: Action, *, ref: str, user_id: str, roles: frozenset[Role], account_name: str) -> Role:
    """The role under which ``user_id`` may do ``action``, or PermissionDenied saying why."""
    allowed = PERMISSIONS[action] & roles
    if allowed:
        return next(r for r in _PRIORITY if r in allowed)
    required = PERMISSIONS[action]
    what = _WHAT[action]
    if required == AGENTS:
        raise PermissionDenied(f"Only support agents can {what} on {ref}.", code="not_an_agent",
                               ref=ref, action=action.value, user=user_id)
    if required == CUSTOMER:
        raise PermissionDenied(
            f"Only the reporter of {ref} or another administrator of {account_name} can {what}.",
            code="not_reporter_account", ref=ref, action=action.value, user=user_id, account=account_name)
    if required == frozenset({Role.SYSTEM}):
        raise PermissionDenied(f"Only the scheduler can {what} on {ref}.", code="system_only",
                               ref=ref, action=action.value, user=user_id)
    raise PermissionDenied(
        f"Only support agents, the reporter of {ref} or another administrator of {account_name} can {what}.",
        code="not_agent_or_customer", ref=ref, action=action.value, user=user_id, account=account_name)


_WHAT = {
    Action.SNOOZE_REMINDER: "snooze its reminders",
    Action.ACKNOWLEDGE: "acknowledge the ticket", Action.POST_UPDATE: "post an update",
    Action.ADD_INTERNAL_NOTE: "add an internal note", Action.SET_WAITING_ON_CUSTOMER: "wait on the customer",
    Action.CUSTOMER_REPLIED: "record the customer's reply", Action.PROPOSE_RESOLUTION: "propose a resolution",
    Action.ACCEPT_RESOLUTION: "accept the resolution", Action.AUTO_ACCEPT: "accept a resolution automatically",
    Action.REJECT_RESOLUTION: "reject the resolution", Action.CHANGE_SEVERITY: "change the severity",
    Action.CLOSE: "close the ticket", Action.REOPEN: "reopen the ticket",
}
