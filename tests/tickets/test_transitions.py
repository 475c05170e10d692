"""Every (status, action) pair outside the transition table is refused, in the pure table
and through the services on both databases, leaving the ticket untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import user_message

from sla_core.tickets import TRANSITIONS, Action, IllegalTransition, Status, get_ticket
from sla_core.tickets.lifecycle import next_status
from tests.tickets.helpers import actor_for, perform, ticket_in

ILLEGAL = [(s, a) for s in Status for a in Action if (s, a) not in TRANSITIONS]
ILLEGAL_VIA_SERVICE = [(s, a) for s, a in ILLEGAL if a is not Action.AUTO_ACCEPT]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=[f"{s.value}-{a.value}" for s, a in ILLEGAL])
def test_the_table_refuses_every_pair_it_does_not_list(status: Status, action: Action) -> None:
    with pytest.raises(IllegalTransition) as refused:
        next_status("INC-2026-000123", status, action)
    assert refused.value.params["status"] == status.value or refused.value.code == "already_done"
    assert str(refused.value).startswith("INC-2026-000123 ")


@pytest.mark.parametrize(("language", "sentence"), [
    ("en", "INC-2026-000123 is waiting on the customer; it cannot be resolved now."),
    ("fr", "INC-2026-000123 est en attente du client ; il ne peut pas être résolu maintenant."),
])
def test_the_refusal_reads_as_a_sentence(language: str, sentence: str) -> None:
    with pytest.raises(IllegalTransition) as refused:
        next_status("INC-2026-000123", Status.WAITING_ON_CUSTOMER, Action.PROPOSE_RESOLUTION)
    assert user_message(refused.value, language) == sentence


@pytest.mark.parametrize(("status", "action"), ILLEGAL_VIA_SERVICE,
                         ids=[f"{s.value}-{a.value}" for s, a in ILLEGAL_VIA_SERVICE])
def test_the_services_refuse_an_illegal_action_and_change_nothing(status, action, uow, policy, support) -> None:
    ref, last = ticket_in(status, uow, policy=policy, support=support)
    before = get_ticket(uow, policy=policy, ticket_ref=ref, now=last)
    with pytest.raises(IllegalTransition):
        perform(action, uow, policy=policy, support=support, ref=ref, actor=actor_for(action),
                now=last + timedelta(minutes=5))
    after = get_ticket(uow, policy=policy, ticket_ref=ref, now=last)
    assert (after.status, after.version, after.events) == (before.status, before.version, before.events)


def test_every_status_is_reachable_and_closed_is_final() -> None:
    targets = {target for target in TRANSITIONS.values()}
    assert targets | {Status.OPENED} == set(Status)
    # Final: nothing leaves it (what a closed ticket still records, a root-cause
    # analysis requested, approved or sent, keeps it closed).
    assert not [a for (s, a), after in TRANSITIONS.items() if s is Status.CLOSED and after is not Status.CLOSED]
    assert {a for (s, a) in TRANSITIONS if s is Status.CLOSED} == {
        Action.REQUEST_RCA, Action.APPROVE_RCA, Action.SEND_RCA}
