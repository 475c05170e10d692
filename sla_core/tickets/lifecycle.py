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

from sla_core.tickets.actions import CLOCK_EVENT_OF, EVENT_OF, TRANSITIONS, Action, EventKind
from sla_core.tickets.errors import IllegalTransition
from sla_core.tickets.status import OPEN_STATUSES, Status


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


__all__ = ["Action", "EventKind", "Status", "OPEN_STATUSES", "TRANSITIONS", "EVENT_OF", "CLOCK_EVENT_OF",
           "next_status", "refusal"]
