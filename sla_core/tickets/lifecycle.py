"""The ticket lifecycle as one table of allowed transitions.

    opened ──acknowledge──▶ acknowledged ──post_update──▶ in_progress ⇄ waiting_on_customer
                                 │                            │  (set_waiting / customer_replied)
                                 └──────propose_resolution────┴──▶ resolution_proposed
    resolution_proposed ──accept / auto_accept──▶ resolved ──close──▶ closed
    resolution_proposed ──reject──▶ in_progress          resolved ──reopen (in time)──▶ in_progress

Updates and internal notes are allowed in every open status after acknowledgement;
severity changes in every open status. Anything not in ``TRANSITIONS`` is refused with a
message built by ``refusal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from sla_core.clocks import EventType
from sla_core.tickets.errors import IllegalTransition


class Status(str, Enum):
    OPENED = "opened"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (Status.RESOLVED, Status.CLOSED)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.OPENED: "not acknowledged yet",
    Status.ACKNOWLEDGED: "acknowledged",
    Status.IN_PROGRESS: "in progress",
    Status.WAITING_ON_CUSTOMER: "waiting on the customer",
    Status.RESOLUTION_PROPOSED: "awaiting the customer's answer to a proposed resolution",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "closed",
}

OPEN_STATUSES = tuple(s for s in Status if s.is_open)


class Action(str, Enum):
    ACKNOWLEDGE = "acknowledge"
    POST_UPDATE = "post_update"
    ADD_INTERNAL_NOTE = "add_internal_note"
    SET_WAITING_ON_CUSTOMER = "set_waiting_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    PROPOSE_RESOLUTION = "propose_resolution"
    ACCEPT_RESOLUTION = "accept_resolution"
    AUTO_ACCEPT = "auto_accept"
    REJECT_RESOLUTION = "reject_resolution"
    CHANGE_SEVERITY = "change_severity"
    CLOSE = "close"
    REOPEN = "reopen"
    SNOOZE_REMINDER = "snooze_reminder"


class EventKind(str, Enum):
    """What the append-only log records: ``opened`` and one kind per action."""

    OPENED = "opened"
    ACKNOWLEDGED = "acknowledged"
    UPDATE_POSTED = "update_posted"
    INTERNAL_NOTE = "internal_note"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLUTION_ACCEPTED = "resolution_accepted"
    RESOLUTION_AUTO_ACCEPTED = "resolution_auto_accepted"
    RESOLUTION_REJECTED = "resolution_rejected"
    SEVERITY_CHANGED = "severity_changed"
    CLOSED = "closed"
    REOPENED = "reopened"
    REMINDER_SNOOZED = "reminder_snoozed"


EVENT_OF: Mapping[Action, EventKind] = {
    Action.ACKNOWLEDGE: EventKind.ACKNOWLEDGED,
    Action.POST_UPDATE: EventKind.UPDATE_POSTED,
    Action.ADD_INTERNAL_NOTE: EventKind.INTERNAL_NOTE,
    Action.SET_WAITING_ON_CUSTOMER: EventKind.WAITING_ON_CUSTOMER,
    Action.CUSTOMER_REPLIED: EventKind.CUSTOMER_REPLIED,
    Action.PROPOSE_RESOLUTION: EventKind.RESOLUTION_PROPOSED,
    Action.ACCEPT_RESOLUTION: EventKind.RESOLUTION_ACCEPTED,
    Action.AUTO_ACCEPT: EventKind.RESOLUTION_AUTO_ACCEPTED,
    Action.REJECT_RESOLUTION: EventKind.RESOLUTION_REJECTED,
    Action.CHANGE_SEVERITY: EventKind.SEVERITY_CHANGED,
    Action.CLOSE: EventKind.CLOSED,
    Action.REOPEN: EventKind.REOPENED,
    Action.SNOOZE_REMINDER: EventKind.REMINDER_SNOOZED,
}

# What each logged event means to the SLA clocks (None: nothing; an internal note is not
# an update the customer sees, and opening/closing are not clock events).
CLOCK_EVENT_OF: Mapping[EventKind, EventType | None] = {
    EventKind.OPENED: None,
    EventKind.ACKNOWLEDGED: EventType.CALLBACK,
    EventKind.UPDATE_POSTED: EventType.UPDATE,
    EventKind.INTERNAL_NOTE: None,
    EventKind.WAITING_ON_CUSTOMER: EventType.WAITING_ON_CUSTOMER,
    EventKind.CUSTOMER_REPLIED: EventType.CUSTOMER_REPLIED,
    EventKind.RESOLUTION_PROPOSED: EventType.RESOLUTION_PROPOSED,
    EventKind.RESOLUTION_ACCEPTED: EventType.RESOLUTION_ACCEPTED,
    EventKind.RESOLUTION_AUTO_ACCEPTED: EventType.RESOLUTION_ACCEPTED,
    EventKind.RESOLUTION_REJECTED: EventType.RESOLUTION_REJECTED,
    EventKind.SEVERITY_CHANGED: EventType.SEVERITY_CHANGED,
    EventKind.CLOSED: None,
    EventKind.REOPENED: EventType.REOPENED,
    EventKind.REMINDER_SNOOZED: None,  # it quiets reminders; the clocks run on
}

S, A = Status, Action
_AFTER_ACK = (S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING_ON_CUSTOMER, S.RESOLUTION_PROPOSED)

# (status, action) → status after the action. The only place that says what is allowed.
TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (S.OPENED, A.ACKNOWLEDGE): S.ACKNOWLEDGED,
    # The first customer-visible update after the callback means work is under way.
    (S.ACKNOWLEDGED, A.POST_UPDATE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.POST_UPDATE): S.IN_PROGRESS,
    (S.WAITING_ON_CUSTOMER, A.POST_UPDATE): S.WAITING_ON_CUSTOMER,
    (S.RESOLUTION_PROPOSED, A.POST_UPDATE): S.RESOLUTION_PROPOSED,
    **{(s, A.ADD_INTERNAL_NOTE): s for s in _AFTER_ACK},
    **{(s, A.CHANGE_SEVERITY): s for s in OPEN_STATUSES},
    # "Remind me in 30 min" on a warning: recorded, no change of status.
    **{(s, A.SNOOZE_REMINDER): s for s in OPEN_STATUSES},
    (S.ACKNOWLEDGED, A.SET_WAITING_ON_CUSTOMER): S.WAITING_ON_CUSTOMER,
    (S.IN_PROGRESS, A.SET_WAITING_ON_CUSTOMER): S.WAITING_ON_CUSTOMER,
    (S.WAITING_ON_CUSTOMER, A.CUSTOMER_REPLIED): S.IN_PROGRESS,
    (S.ACKNOWLEDGED, A.PROPOSE_RESOLUTION): S.RESOLUTION_PROPOSED,
    (S.IN_PROGRESS, A.PROPOSE_RESOLUTION): S.RESOLUTION_PROPOSED,
    (S.RESOLUTION_PROPOSED, A.ACCEPT_RESOLUTION): S.RESOLVED,
    (S.RESOLUTION_PROPOSED, A.AUTO_ACCEPT): S.RESOLVED,
    (S.RESOLUTION_PROPOSED, A.REJECT_RESOLUTION): S.IN_PROGRESS,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,  # only within support.reopen_within, see service
}

_DOING = {
    A.ACKNOWLEDGE: "acknowledged", A.POST_UPDATE: "given an update",
    A.ADD_INTERNAL_NOTE: "given an internal note", A.SET_WAITING_ON_CUSTOMER: "set waiting on the customer",
    A.CUSTOMER_REPLIED: "marked as answered by the customer", A.PROPOSE_RESOLUTION: "resolved",
    A.ACCEPT_RESOLUTION: "accepted as resolved", A.AUTO_ACCEPT: "accepted as resolved",
    A.REJECT_RESOLUTION: "rejected as resolved", A.CHANGE_SEVERITY: "given another severity",
    A.CLOSE: "closed", A.REOPEN: "reopened", A.SNOOZE_REMINDER: "snoozed",
}


def next_status(ref: str, status: Status, action: Action) -> Status:
    """The status after ``action``, or IllegalTransition saying why not."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise refusal(ref, status, action) from None


def refusal(ref: str, status: Status, action: Action) -> IllegalTransition:
    """A refusal a user understands, e.g. "INC-2026-000123 is waiting on the customer; it
    cannot be resolved before the customer replies." Code ``illegal_transition`` with
    ``ref``, ``status``, ``action`` for the translated rendering."""
    doing = _DOING[action]
    if status is S.OPENED:
        why = "acknowledge it first (the callback that starts diagnosis)"
    elif status is S.WAITING_ON_CUSTOMER and action is A.PROPOSE_RESOLUTION:
        why = "before the customer replies"
    elif status is S.WAITING_ON_CUSTOMER:
        why = "while it waits on the customer"
    elif action in (A.ACCEPT_RESOLUTION, A.REJECT_RESOLUTION, A.AUTO_ACCEPT):
        why = "because no resolution is awaiting an answer"
    elif action is A.CUSTOMER_REPLIED:
        why = "because it is not waiting on the customer"
    elif status is S.CLOSED:
        why = "any more: open a new ticket"
    elif status is S.RESOLVED:
        why = "now; reopen it first" if action is not A.REOPEN else "now"
    elif action is A.CLOSE:
        why = "before it is resolved"
    elif action is A.REOPEN:
        why = "because it is not resolved"
    else:
        why = "in this status"
    message = f"{ref} is {status.label}; it cannot be {doing} {why}."
    return IllegalTransition(message, ref=ref, status=status.value, action=action.value)
