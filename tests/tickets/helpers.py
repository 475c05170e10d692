"""Driving tickets through the services: one call per action, and a ticket in any status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sla_core.authorization import AGENTS, SYSTEM_ACTOR, Role
from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets import Action, Status, SupportConfig, TicketView, service
from sla_core.tickets.actions import DECLARED
from tests.tickets.conftest import AGENT, REPORTER, T0, a_form


# A valid value for each field an action may declare (``sla_core.tickets.actions``).
SAMPLES: dict[str, Any] = {"channel": "phone", "note": "called back", "text": "still on it", "question": "logs please",
                           "kind": "fix", "reason": "it came back", "severity": Severity.CRITICAL, "minutes": 30,
                           # a bug report (file_bug), and an issue to link (link_bug)
                           "title": "Login returns 500", "product_version": "5.2", "description": "Every login fails.",
                           "code_sample": "", "impact": "All users of one account", "bug": "#42",
                           "publish": False}
# The bug actions need a tracker to talk to (sla_core.config.bug_tracker).
TRACKER = BugTrackerConfig(kind="github", github=GitHubSettings(repo="trackforce/platform"))


def perform(action: Action, uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ref: str,
            actor: str, now: datetime, **overrides: Any) -> TicketView:
    """``action`` through the service, with a valid value for each of its fields."""
    fields = {f.name: overrides.get(f.name, SAMPLES[f.name]) for f in DECLARED[action].fields}
    return service.perform(uow, action=action, policy=policy, support=support, ticket_ref=ref, actor_id=actor,
                           now=now, bug_tracker=TRACKER, **fields)


def actor_for(action: Action) -> str:
    """Someone allowed to do ``action`` (so that only the status can refuse it)."""
    if Role.SYSTEM in action.roles:  # the tracker's news
        return SYSTEM_ACTOR
    return AGENT if DECLARED[action].roles & AGENTS else REPORTER


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
