"""Tickets: the actions' declarations, lifecycle, roles, intake scope rules and the service layer.

No Slack here: the Slack layer parses payloads, calls these services and renders their
views and errors (each error has a stable ``code`` and ``params``)."""

from sla_core.tickets.errors import (
    AlreadyDone, ConcurrentChange, DatabaseNotCurrent, FieldError, IllegalTransition, InvalidForm,
    MissingReason, OutOfScope, PermissionDenied, TicketError, TicketNotFound,
)
from sla_core.tickets.intake import Category, TicketForm
from sla_core.tickets.lifecycle import TRANSITIONS, Action, EventKind, Status
from sla_core.tickets.queries import agent_queue, get_ticket, list_open_for_reporter, set_slack_message
from sla_core.tickets.roles import PERMISSIONS, Role
from sla_core.tickets.service import (
    perform, accept_resolution, acknowledge, add_internal_note, auto_accept_due, change_severity, close,
    customer_replied, open_ticket, post_update, propose_resolution, reject_resolution, reopen,
    set_waiting_on_customer, snooze_reminder,
)
from sla_core.tickets.support import Account, SupportConfig, VersionStatus, support_from_mapping
from sla_core.tickets.views import EventView, TicketView

__all__ = [
    "AlreadyDone", "ConcurrentChange", "DatabaseNotCurrent", "FieldError", "IllegalTransition", "InvalidForm",
    "MissingReason", "OutOfScope", "PermissionDenied", "TicketError", "TicketNotFound", "Category",
    "TicketForm", "TRANSITIONS", "Action", "EventKind", "Status", "agent_queue", "get_ticket",
    "list_open_for_reporter", "set_slack_message", "PERMISSIONS",
    "Role", "perform", "accept_resolution", "acknowledge", "add_internal_note", "auto_accept_due", "change_severity",
    "close", "customer_replied", "open_ticket", "post_update", "propose_resolution", "reject_resolution",
    "reopen", "set_waiting_on_customer", "snooze_reminder", "Account", "SupportConfig", "VersionStatus",
    "support_from_mapping", "EventView", "TicketView",
]
