"""What the bot owes Slack: notifications decided by the domain, kept in an outbox until
the sender has delivered them. Nothing here knows Slack; an ``audience`` names who must be
told in domain terms (the ticket's severity channel, its thread, the reporter, on-call)."""

from sla_core.outbox.model import Audience, Notification, NotificationKind, OutboxEntry

__all__ = ["Audience", "Notification", "NotificationKind", "OutboxEntry"]
