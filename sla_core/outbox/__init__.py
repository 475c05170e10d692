"""What the bot owes Slack: notifications decided by the domain, kept in an outbox until
the sender has delivered them. Nothing here knows Slack: a notice's address names who must
be told in the desk's terms (the ticket's thread, a severity's channel, a rung of the
escalation chain, a person's DMs, an announcements channel); its payload, one frozen type
per kind, carries what the message says."""

from sla_core.outbox.address import (
    Address, AnnouncementChannel, DirectMessage, EscalationRung, Fallback, RootPost, Rung, SeverityChannel,
    TicketThread,
)
from sla_core.outbox.model import Notification, NotificationKind, OutboxEntry, Payload

__all__ = ["Address", "AnnouncementChannel", "DirectMessage", "EscalationRung", "Fallback", "RootPost", "Rung",
           "SeverityChannel", "TicketThread", "Notification", "NotificationKind", "OutboxEntry", "Payload"]
