"""One change to one ticket inside a unit of work: load, check, append, write back.

Every mutating service goes through ``TicketChange``: it loads the row and its log,
settles a proposal whose silence has run out (so the log stays in order), appends the
new events, recomputes the clocks with the engine and writes status, severity and
``next_due_at`` with a version-guarded UPDATE. A lost race surfaces as ``Conflict`` and
the service retries its whole transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sla_core.instants import format_instant
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets.errors import AlreadyDone, IllegalTransition, TicketNotFound
from sla_core.tickets.lifecycle import EVENT_OF, Action, EventKind, Status, next_status
from sla_core.tickets.records import clocks_of, due_for_planning, effective_now, event_view, ticket_view
from sla_core.tickets.roles import SYSTEM_ACTOR, Role
from sla_core.tickets.views import EventView, TicketView

# Events after which the status is what the action would make it (for "already done").
_STATUS_EVENTS = frozenset({
    EventKind.ACKNOWLEDGED, EventKind.WAITING_ON_CUSTOMER, EventKind.CUSTOMER_REPLIED,
    EventKind.RESOLUTION_PROPOSED, EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_AUTO_ACCEPTED,
    EventKind.RESOLUTION_REJECTED, EventKind.CLOSED, EventKind.REOPENED,
})
_SAME_OUTCOME = {
    Action.ACCEPT_RESOLUTION: {EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_AUTO_ACCEPTED},
    Action.AUTO_ACCEPT: {EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_AUTO_ACCEPTED},
}


class Conflict(Exception):
    """Another transaction changed the ticket between our read and our write."""


class TicketChange:
    def __init__(self, uow: UnitOfWork, *, policy: Policy, ref: str, now: datetime) -> None:
        row = uow.tickets.get_by_ref(ref)
        if row is None:
            raise TicketNotFound(ref)
        self.uow, self.policy, self.row = uow, policy, row
        self.version = row.version
        self.events: list[EventView] = [event_view(row.ref, e) for e in uow.tickets.events(row.id)]
        self.new: list[EventView] = []
        self.status = Status(row.status)
        self.now = now
        self.values: dict[str, Any] = {}

    @property
    def at(self) -> datetime:
        return effective_now(self.now, self.events)

    def settle_auto_accept(self) -> bool:
        """Record the acceptance of a proposal left unanswered past the configured
        silence, at the instant it took effect (the engine's ``auto_accept_at``)."""
        if self.status is not Status.RESOLUTION_PROPOSED:
            return False
        last = self.events[-1].at
        due = clocks_of(self.policy, opened_at=self.row.opened_at, events=self.events, now=last).auto_accept_at
        if due is None or due > self.now:
            return False
        self.append(Action.AUTO_ACCEPT, actor_id=SYSTEM_ACTOR, role=Role.SYSTEM.value, at=due,
                    payload={"recorded_at": self.now.isoformat()})
        return True

    def transition(self, action: Action) -> Status:
        """The status ``action`` leads to, or a refusal (saying who did it first when the
        action was already done, e.g. by another agent a moment ago)."""
        try:
            return next_status(self.row.ref, self.status, action)
        except IllegalTransition as refusal:
            done = self._already_done(action)
            if done is None:
                raise
            when = format_instant(done.at, timezone=self.policy.timezone)
            raise AlreadyDone(
                f"{self.row.ref} was already {_PAST[action]} by <@{done.actor_id}> at {when}.",
                ref=self.row.ref, action=action.value, by=done.actor_id, at=done.at.isoformat(),
                status=self.status.value) from refusal

    def _already_done(self, action: Action) -> EventView | None:
        target = _SAME_OUTCOME.get(action, {EVENT_OF[action]})
        if action is Action.ACKNOWLEDGE:
            return next((e for e in self.events if e.type is EventKind.ACKNOWLEDGED), None)
        last = next((e for e in reversed(self.events) if e.type in _STATUS_EVENTS), None)
        return last if last is not None and last.type in target else None

    def append(self, action: Action, *, actor_id: str, role: str, payload: Mapping[str, Any],
               at: datetime | None = None) -> EventView:
        status = self.transition(action)
        when = at if at is not None else self.at
        seq = len(self.events) + 1
        view = EventView(ticket_ref=self.row.ref, seq=seq, type=EVENT_OF[action], actor_id=actor_id,
                         role=role, at=when, payload=dict(payload))
        self.events.append(view)
        self.new.append(view)
        self.status = status
        self.values["status"] = status.value
        self.values["updated_at"] = when
        if status is Status.RESOLVED:
            self.values["resolved_at"] = when
        elif status is Status.CLOSED:
            self.values["closed_at"] = when
        elif action is Action.REOPEN:
            self.values["resolved_at"] = None
        return view

    def save(self) -> TicketView:
        """Write back with the version guard, insert the new events, return the view."""
        if not self.new:
            return self.view()
        report = clocks_of(self.policy, opened_at=self.row.opened_at, events=self.events, now=self.at)
        self.values["severity"] = report.severity.value
        self.values["next_due_at"] = due_for_planning(self.status, self.at)
        if not self.uow.tickets.update_if_version(self.row.id, self.version, self.values):
            raise Conflict(self.row.ref)
        for event in self.new:
            self.uow.tickets.append_event(TicketEvent(
                ticket_id=self.row.id, seq=event.seq, actor_id=event.actor_id, role=event.role,
                at=event.at, type=event.type.value, payload=dict(event.payload)))
        self.uow.session.flush()
        self.uow.tickets.refresh(self.row)
        self.uow.record(self.new)
        return ticket_view(self.row, self.events, report, self.new)

    def view(self) -> TicketView:
        report = clocks_of(self.policy, opened_at=self.row.opened_at, events=self.events, now=self.now)
        return ticket_view(self.row, self.events, report)


def ticket_of(uow: UnitOfWork, ref: str) -> Ticket:
    row = uow.tickets.get_by_ref(ref)
    if row is None:
        raise TicketNotFound(ref)
    return row


_PAST = {
    Action.ACKNOWLEDGE: "acknowledged", Action.POST_UPDATE: "updated", Action.ADD_INTERNAL_NOTE: "noted",
    Action.SET_WAITING_ON_CUSTOMER: "set waiting on the customer",
    Action.CUSTOMER_REPLIED: "marked as answered by the customer",
    Action.PROPOSE_RESOLUTION: "given a proposed resolution", Action.ACCEPT_RESOLUTION: "accepted as resolved",
    Action.AUTO_ACCEPT: "accepted as resolved", Action.REJECT_RESOLUTION: "rejected as resolved",
    Action.CHANGE_SEVERITY: "given another severity", Action.CLOSE: "closed", Action.REOPEN: "reopened",
    Action.SNOOZE_REMINDER: "snoozed",
}
