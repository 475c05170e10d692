"""Block Kit action_ids of the buttons the bot sends, derived from the actions'
declarations (``sla_core.tickets.actions``: each button's surface and stable name) and
registered one listener each by ``bot/listeners/actions.py``. Every button's ``value`` is
the ticket reference (the snooze button's: ``<ref>:<minutes>``); the agents' buttons on
the root post and on a page also carry the status they were rendered in
(``<ref> <status>``, see ``ticket_button_value``).

The named constants are for the code that places one particular button (the reporter's
answers in their DM, the snooze on a reminder, the demo's story)."""

from __future__ import annotations

from collections.abc import Mapping

from sla_core.tickets.actions import BUTTONS, Action, Surface, button_id
from sla_core.tickets.lifecycle import Status

# The agents' buttons on the root post, in the order they are shown (the declarations'),
# and the action each starts. Whether one shows is decided by the transition table alone.
AGENT_BUTTONS: Mapping[str, Action] = {
    aid: spec.action for aid, (spec, button) in BUTTONS.items() if button.surface is Surface.ROOT}
PRIMARY = frozenset(aid for aid, (_, button) in BUTTONS.items() if button.primary)

TICKET_ACKNOWLEDGE = button_id(Action.ACKNOWLEDGE, Surface.ROOT)
TICKET_UPDATE = button_id(Action.POST_UPDATE, Surface.ROOT)
TICKET_NOTE = button_id(Action.ADD_INTERNAL_NOTE, Surface.ROOT)
TICKET_SEVERITY = button_id(Action.CHANGE_SEVERITY, Surface.ROOT)
TICKET_PROPOSE = button_id(Action.PROPOSE_RESOLUTION, Surface.ROOT)
TICKET_CLOSE = button_id(Action.CLOSE, Surface.ROOT)
TICKET_WAITING = button_id(Action.SET_WAITING_ON_CUSTOMER, Surface.ROOT)
TICKET_FILE_BUG = button_id(Action.FILE_BUG, Surface.ROOT)

# The reporter's, in their DM.
REPORTER_REPLIED = button_id(Action.CUSTOMER_REPLIED, Surface.REPORTER)
REPORTER_ACCEPT = button_id(Action.ACCEPT_RESOLUTION, Surface.REPORTER)
REPORTER_REJECT = button_id(Action.REJECT_RESOLUTION, Surface.REPORTER)
REPORTER_REOPEN = button_id(Action.REOPEN, Surface.REPORTER)
REPORTER_RCA = button_id(Action.REQUEST_RCA, Surface.REPORTER)

# Agents, on a reminder or at-risk warning in the ticket's thread: "remind me in N minutes".
NOTICE_SNOOZE = button_id(Action.SNOOZE_REMINDER, Surface.NOTICE)

# "SLA details" (on the root post, the reporter's card and ``/incident status``): reads the
# ticket's ledger, changes nothing, so it is no ticket action; ``bot/listeners/sla_details.py``.
SLA_DETAILS = "sla.details"

# The satisfaction survey in the reporter's DM: a score (Slack wants distinct action_ids in
# one block: one per score) and the comment modal; ``bot/listeners/satisfaction.py``.
SATISFACTION_SCORE_PREFIX = "csat.score."
SATISFACTION_SCORES = tuple(f"{SATISFACTION_SCORE_PREFIX}{n}" for n in range(1, 6))
SATISFACTION_COMMENT = "csat.comment"

ALL = (*BUTTONS, SLA_DETAILS, *SATISFACTION_SCORES, SATISFACTION_COMMENT)

def ticket_button_value(ref: str, status: Status) -> str:
    """An agent button's value: the ticket and the status its message was rendered in.
    A click whose action that status allows is acked before anything is read; the row is
    read right after the ack, and a click a colleague made stale meanwhile is refused
    then, as at any other time (the status shown is a hint, never trusted for the change)."""
    return f"{ref} {status.value}"


def read_button_value(value: str) -> tuple[str, Status | None]:
    """``ticket_button_value`` read back: the reference, and the status it was rendered in
    when the value carries a known one (a plain reference, or anything else: None)."""
    ref, _, shown = value.partition(" ")
    return ref, _STATUS_OF_VALUE.get(shown)


# Looked up, not searched: iterating an Enum builds its members anew on each pass, and this
# runs in every click's ack (≈6 µs of its 130, measured).
_STATUS_OF_VALUE = {status.value: status for status in Status}
