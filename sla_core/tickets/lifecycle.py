"""The ticket lifecycle: which action is allowed in which status, and the refusal of the rest.

    opened ──acknowledge──▶ acknowledged ──post_update──▶ in_progress ⇄ waiting_on_customer
                                 │                            │  (set_waiting / customer_replied)
                                 └──────propose_resolution────┴──▶ resolution_proposed
    resolution_proposed ──accept / auto_accept──▶ resolved ──close──▶ closed
    resolution_proposed ──reject──▶ in_progress          resolved ──reopen (in time)──▶ in_progress

Updates and internal notes are allowed in every open status after acknowledgement;
severity changes in every open status. The table is derived from the actions' declarations
(``sla_core.tickets.actions``); anything not in it is refused by ``refusal``, with a code
and params that ``messages/*/errors.yaml`` words in French and English."""

from __future__ import annotations

from collections.abc import Sequence

from sla_core.instants import format_instant
from sla_core.tickets.actions import (
    CLOCK_EVENT_OF, DECLARED, EVENT_OF, STATUS_EVENTS, TRANSITIONS, Action, EventKind, same_outcome,
)
from sla_core.tickets.errors import AlreadyDone, IllegalTransition
from sla_core.tickets.status import OPEN_STATUSES, Status
from sla_core.tickets.views import EventView


def next_status(ref: str, status: Status, action: Action) -> Status:
    """The status after ``action``, or IllegalTransition saying why not."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise refusal(ref, status, action) from None


def refusal(ref: str, status: Status, action: Action) -> IllegalTransition:
    """Code ``illegal_transition`` with ``ref``, ``status``, ``action``: the Slack layer
    renders it (e.g. "INC-2026-000123 is waiting on the customer; it cannot be resolved
    now."); ``str()`` is for logs."""
    return IllegalTransition(f"{ref} is {status.value}: {action.value} is not allowed", ref=ref,
                             status=status.value, action=action.value)


def done_marks(action: Action) -> tuple[frozenset[EventKind], bool]:
    """The events that may show ``action`` already done, and whether the first of them is
    the one (an action done once in a ticket's life: the callback) or the last, which
    counts only if it left the ticket as ``action`` would (``already_done``)."""
    if set(DECLARED[action].moves) == {Status.OPENED}:
        return frozenset({EVENT_OF[action]}), True
    return STATUS_EVENTS, False


def already_done(action: Action, events: Sequence[EventView]) -> EventView | None:
    """The event that already did ``action`` (another agent a moment ago), if any: from
    the whole log, or from the one event ``done_marks`` selects (a click's refusal)."""
    kinds, first = done_marks(action)
    found = next((e for e in (events if first else reversed(events)) if e.type in kinds), None)
    return found if found is not None and (first or found.type in same_outcome(action)) else None


def refusal_given(ref: str, status: Status, action: Action, done: EventView | None, *,
                  timezone: str) -> IllegalTransition:
    """``AlreadyDone`` naming who did it and when, else the plain refusal of the status."""
    plain = refusal(ref, status, action)
    if done is None:
        return plain
    when = format_instant(done.at, timezone=timezone)
    error = AlreadyDone(f"{ref}: {action.value} was already done by <@{done.actor_id}> at {when}.",
                        ref=ref, action=action.value, by=done.actor_id, at=done.at.isoformat(), status=status.value)
    error.__cause__ = plain
    return error


__all__ = ["Action", "EventKind", "Status", "OPEN_STATUSES", "TRANSITIONS", "EVENT_OF", "CLOCK_EVENT_OF",
           "next_status", "refusal", "done_marks", "already_done", "refusal_given"]
