"""The statuses a ticket goes through (which action leads from one to another is declared
with each action, in ``sla_core.tickets.actions``)."""

from __future__ import annotations

from enum import Enum


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


OPEN_STATUSES = tuple(s for s in Status if s.is_open)
# Acknowledged and not yet resolved: where the work happens.
AFTER_ACK = (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER, Status.RESOLUTION_PROPOSED)
