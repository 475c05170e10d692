"""Driving tickets through the services: one call per action, and a ticket in any status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets import Action, Status, SupportConfig, TicketView, service
from tests.tickets.conftest import AGENT, REPORTER, T0, a_form


def perform(action: Action, uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ref: str,
            actor: str, now: datetime, **overrides: Any) -> TicketView:
    common: dict[str, Any] = dict(policy=policy, support=support, ticket_ref=ref, actor_id=actor, now=now)
    calls: dict[Action, Any] = {
        Action.ACKNOWLEDGE: lambda: service.acknowledge(uow, **common, channel="phone", note="called back"),
        Action.POST_UPDATE: lambda: service.post_update(uow, **common, text="still on it"),
        Action.ADD_INTERNAL_NOTE: lambda: service.add_internal_note(uow, **common, text="db is slow"),
        Action.SET_WAITING_ON_CUSTOMER: lambda: service.set_waiting_on_customer(uow, **common,
                                                                                question="logs please"),
        Action.CUSTOMER_REPLIED: lambda: service.customer_replied(uow, **common, text="here are logs"),
        Action.PROPOSE_RESOLUTION: lambda: service.propose_resolution(uow, **common, kind="fix", text="patched"),
        Action.ACCEPT_RESOLUTION: lambda: service.accept_resolution(uow, **common),
        Action.REJECT_RESOLUTION: lambda: service.reject_resolution(uow, **common, reason="still broken"),
        Action.CHANGE_SEVERITY: lambda: service.change_severity(
            uow, **common, severity=overrides.get("severity", Severity.CRITICAL), reason="more users hit"),
        Action.CLOSE: lambda: service.close(uow, **common),
        Action.REOPEN: lambda: service.reopen(uow, **common, reason="it came back"),
        Action.SNOOZE_REMINDER: lambda: service.snooze_reminder(uow, **common, minutes=30),
    }
    return calls[action]()  # type: ignore[no-any-return]


def actor_for(action: Action) -> str:
    """Someone allowed to do ``action`` (so that only the status can refuse it)."""
    return REPORTER if action in (Action.ACCEPT_RESOLUTION, Action.REJECT_RESOLUTION) else AGENT


# The shortest path to each status, from a freshly opened ticket.
PATHS: dict[Status, list[Action]] = {
    Status.OPENED: [],
    Status.ACKNOWLEDGED: [Action.ACKNOWLEDGE],
    Status.IN_PROGRESS: [Action.ACKNOWLEDGE, Action.POST_UPDATE],
    Status.WAITING_ON_CUSTOMER: [Action.ACKNOWLEDGE, Action.SET_WAITING_ON_CUSTOMER],
    Status.RESOLUTION_PROPOSED: [Action.ACKNOWLEDGE, Action.PROPOSE_RESOLUTION],
    Status.RESOLVED: [Action.ACKNOWLEDGE, Action.PROPOSE_RESOLUTION, Action.ACCEPT_RESOLUTION],
    Status.CLOSED: [Action.ACKNOWLEDGE, Action.PROPOSE_RESOLUTION, Action.ACCEPT_RESOLUTION, Action.CLOSE],
}


def open_one(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, now: datetime = T0,
             key: str | None = None, **form: Any) -> TicketView:
    return service.open_ticket(uow, policy=policy, support=support, reporter_id=REPORTER, form=a_form(**form),
                               idempotency_key=key, now=now)


def ticket_in(status: Status, uow: UnitOfWork, *, policy: Policy, support: SupportConfig) -> tuple[str, datetime]:
    """A ticket driven to ``status``; returns its reference and the instant of its last event."""
    view = open_one(uow, policy=policy, support=support)
    now = T0
    for action in PATHS[status]:
        now += timedelta(minutes=10)
        view = perform(action, uow, policy=policy, support=support, ref=view.ref, actor=actor_for(action), now=now)
    assert view.status is status
    return view.ref, now
