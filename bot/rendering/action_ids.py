"""Block Kit action_ids of the buttons the bot sends: a contract with the listeners
(``bot/listeners/actions.py``), which route each of them (``bot/listeners/routing.py``).
Every button's ``value`` is the ticket reference."""

from __future__ import annotations

from collections.abc import Mapping

from sla_core.tickets.lifecycle import Action

# Agents, on the root post in the severity channel.
TICKET_ACKNOWLEDGE = "ticket.acknowledge"
TICKET_UPDATE = "ticket.update"
TICKET_NOTE = "ticket.note"
TICKET_SEVERITY = "ticket.severity"
TICKET_WAITING = "ticket.waiting"
TICKET_CUSTOMER_REPLIED = "ticket.customer_replied"
TICKET_PROPOSE = "ticket.propose"
TICKET_CLOSE = "ticket.close"
TICKET_REOPEN = "ticket.reopen"

# The reporter, in their DM.
REPORTER_REPLIED = "reporter.replied"
REPORTER_ACCEPT = "reporter.accept"
REPORTER_REJECT = "reporter.reject"

# Agents, on a reminder or at-risk warning in the ticket's thread: "remind me in N
# minutes". Its value is "<ref>:<minutes>".
NOTICE_SNOOZE = "notice.snooze"

# Which lifecycle action each agent button starts, in the order they are shown. Whether a
# button shows is decided by ``sla_core.tickets.lifecycle.TRANSITIONS`` alone.
AGENT_BUTTONS: Mapping[str, Action] = {
    TICKET_ACKNOWLEDGE: Action.ACKNOWLEDGE,
    TICKET_UPDATE: Action.POST_UPDATE,
    TICKET_NOTE: Action.ADD_INTERNAL_NOTE,
    TICKET_WAITING: Action.SET_WAITING_ON_CUSTOMER,
    TICKET_CUSTOMER_REPLIED: Action.CUSTOMER_REPLIED,
    TICKET_PROPOSE: Action.PROPOSE_RESOLUTION,
    TICKET_SEVERITY: Action.CHANGE_SEVERITY,
    TICKET_CLOSE: Action.CLOSE,
    TICKET_REOPEN: Action.REOPEN,
}

ALL = (*AGENT_BUTTONS, REPORTER_REPLIED, REPORTER_ACCEPT, REPORTER_REJECT, NOTICE_SNOOZE)
