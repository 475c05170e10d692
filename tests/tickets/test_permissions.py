"""The permission matrix: every role × every action, through the services, on both
databases. An action is tried in a status where it is legal, so only the role decides."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import user_message

from sla_core.authorization import SCHEDULER
from sla_core.tickets import PERMISSIONS, TRANSITIONS, Action, PermissionDenied, Role, get_ticket
from sla_core.tickets.roles import roles_of
from tests.tickets.conftest import (
    ADMIN, AGENT, END_USER, LEAD, ON_CALL, OTHER_ADMIN, REPORTER, STRANGER, T0,
)
from tests.tickets.helpers import perform, ticket_in

ACTORS = {
    Role.AGENT: AGENT, Role.LEAD: LEAD, Role.ON_CALL: ON_CALL, Role.REPORTER: REPORTER,
    Role.ACCOUNT_ADMINISTRATOR: ADMIN, Role.OTHER_ADMINISTRATOR: OTHER_ADMIN, Role.END_USER: END_USER,
    Role.STRANGER: STRANGER,
}
# Actions only the system records (auto-acceptance; an RCA's approval and sending, which
# sla_core.rca authorizes itself) are refused to every person: they are not in the matrix.
ACTIONS = [a for a in Action if a.roles != SCHEDULER]
MATRIX = [(role, action) for role in ACTORS for action in ACTIONS]


def legal_status(action: Action):
    return next(status for (status, a) in TRANSITIONS if a is action)


def test_each_test_actor_holds_exactly_its_role(support) -> None:
    for role, user in ACTORS.items():
        assert roles_of(user, support=support, account_id="acme", reporter_id=REPORTER) == {role}


@pytest.mark.parametrize(("role", "action"), MATRIX, ids=[f"{r.value}-{a.value}" for r, a in MATRIX])
def test_only_the_permitted_roles_may_act(role, action, uow, policy, support) -> None:
    ref, last = ticket_in(legal_status(action), uow, policy=policy, support=support)
    now = last + timedelta(minutes=5)
    allowed = role in PERMISSIONS[action]
    if allowed:
        view = perform(action, uow, policy=policy, support=support, ref=ref, actor=ACTORS[role], now=now)
        assert view.new_events[-1].actor_id == ACTORS[role]
        assert view.new_events[-1].role == role.value
    else:
        before = get_ticket(uow, policy=policy, ticket_ref=ref, now=now)
        with pytest.raises(PermissionDenied) as refused:
            perform(action, uow, policy=policy, support=support, ref=ref, actor=ACTORS[role], now=now)
        assert refused.value.code in {"not_an_agent", "not_reporter_account", "not_agent_or_customer"}
        assert refused.value.params["ref"] == ref
        after = get_ticket(uow, policy=policy, ticket_ref=ref, now=now)
        assert (after.version, after.status, after.assignee_id, after.events) == (
            before.version, before.status, before.assignee_id, before.events)


def test_the_matrix_of_the_documentation() -> None:
    agents = {Role.AGENT, Role.LEAD, Role.ON_CALL}
    customer = {Role.REPORTER, Role.ACCOUNT_ADMINISTRATOR}
    for action in (Action.ACKNOWLEDGE, Action.POST_UPDATE, Action.ADD_INTERNAL_NOTE, Action.PROPOSE_RESOLUTION,
                   Action.SET_WAITING_ON_CUSTOMER, Action.CHANGE_SEVERITY, Action.CLOSE):
        assert PERMISSIONS[action] == agents
    assert PERMISSIONS[Action.ACCEPT_RESOLUTION] == PERMISSIONS[Action.REJECT_RESOLUTION] == customer
    assert PERMISSIONS[Action.REOPEN] == PERMISSIONS[Action.CUSTOMER_REPLIED] == agents | customer
    assert PERMISSIONS[Action.AUTO_ACCEPT] == {Role.SYSTEM}


def test_a_refused_agent_action_says_only_agents_may(uow, policy, support) -> None:
    ref, last = ticket_in(legal_status(Action.ACKNOWLEDGE), uow, policy=policy, support=support)
    with pytest.raises(PermissionDenied) as refused:
        perform(Action.ACKNOWLEDGE, uow, policy=policy, support=support, ref=ref, actor=REPORTER, now=T0)
    assert refused.value.params["action"] == "acknowledge"
    assert user_message(refused.value, "en") == f"Only support agents can do this on {ref}."
