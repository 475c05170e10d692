"""One change to one ticket inside a unit of work: load, check, append, write back.

Every mutating service goes through ``TicketChange``: it loads the row and its log (once),
settles a proposal whose silence has run out (so the log stays in order), appends the new
events and writes status, severity and ``next_due_at`` with a version-guarded UPDATE. A
lost race surfaces as ``Conflict`` and the service retries its whole transaction.

The log is replayed through the clock engine at most once per call: to settle a pending
proposal (its silence is a clock), or when the caller reads the returned view's clocks.
Nothing else in a change needs the clocks: the severity is the log's last word, and
``next_due_at`` is "now" for the scheduler to re-plan."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value

from sla_core.authorization import SYSTEM_ACTOR, Role
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets.actions import EVENT_OF, Action
from sla_core.tickets.errors import IllegalTransition, TicketNotFound
from sla_core.tickets.lifecycle import already_done, next_status, refusal_given
from sla_core.tickets.records import (
    clocks_later, clocks_of, current_severity, due_for_planning, effective_now, event_view, ticket_view,
)
from sla_core.tickets.status import Status
from sla_core.tickets.views import EventView, TicketView


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
        except IllegalTransition:
            raise refusal_given(self.row.ref, self.status, action, already_done(action, self.events),
                                timezone=self.policy.timezone) from None

    def append(self, action: Action, *, actor_id: str, role: str, payload: Mapping[str, Any],
               at: datetime | None = None) -> EventView:
        status = self.transition(action)
        when = at if at is not None else self.at
        seq = len(self.events) + 1
        view = EventView(ticket_ref=self.row.ref, seq=seq, type=EVENT_OF[action], actor_id=actor_id,
                         role=role, at=when, payload=dict(payload))
        self.events.append(view)
        self.new.append(view)
        previous, self.status = self.status, status
        self.values["status"] = status.value
        self.values["updated_at"] = when
        # Only a move records when: an event that leaves a resolved or closed ticket as it
        # is (an RCA requested, sent) moves neither its resolution nor its closing.
        if status is Status.RESOLVED and previous is not Status.RESOLVED:
            self.values["resolved_at"] = when
        elif status is Status.CLOSED and previous is not Status.CLOSED:
            self.values["closed_at"] = when
        elif previous is Status.RESOLVED and status.is_open:  # reopened: no longer resolved
            self.values["resolved_at"] = None
        return view

    def replace_last_payload(self, payload: Mapping[str, Any]) -> None:
        """Complete the event just appended (e.g. with what only the ticket's row knew)."""
        old = self.new[-1]
        new = EventView(ticket_ref=old.ticket_ref, seq=old.seq, type=old.type, actor_id=old.actor_id,
                        role=old.role, at=old.at, payload=dict(payload))
        self.new[-1] = self.events[-1] = new

    def save(self) -> TicketView:
        """Write back with the version guard, insert the new events, return the view."""
        if not self.new:
            return self.view()
        at = self.at
        self.values["severity"] = current_severity(self.events).value
        self.values["next_due_at"] = due_for_planning(self.status, at)
        if not self.uow.tickets.update_if_version(self.row.id, self.version, self.values):
            raise Conflict(self.row.ref)
        for event in self.new:
            self.uow.tickets.append_event(TicketEvent(
                ticket_id=self.row.id, seq=event.seq, actor_id=event.actor_id, role=event.role,
                at=event.at, type=event.type.value, payload=dict(event.payload)))
        self.uow.session.flush()
        # The row now holds what we wrote: set it as loaded rather than read it back.
        for key, value in {**self.values, "version": self.version + 1}.items():
            set_committed_value(self.row, key, value)
        self.uow.record(self.new)
        return ticket_view(self.row, self.events,
                           clocks_later(self.policy, opened_at=self.row.opened_at, events=self.events, now=at),
                           self.new)

    def view(self) -> TicketView:
        return ticket_view(self.row, self.events,
                           clocks_later(self.policy, opened_at=self.row.opened_at, events=self.events, now=self.now))


def ticket_of(uow: UnitOfWork, ref: str) -> Ticket:
    row = uow.tickets.get_by_ref(ref)
    if row is None:
        raise TicketNotFound(ref)
    return row
