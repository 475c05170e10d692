"""Availability and maintenance errors. Like the ticket errors, each carries a stable
``code`` and its ``params`` (for the Slack layer's French and English texts); ``str()`` is
the English message, saying what to fix."""

from __future__ import annotations


from sla_core.authorization import NotAuthorized
from sla_core.errors import CodedError


class AvailabilityError(CodedError):
    code: str = "availability_error"


# ``not_an_agent`` (interruptions) or ``not_a_lead`` (maintenance windows): every refusal
# comes from the one ``sla_core.authorization.authorize``.
NotPermitted = NotAuthorized


class InvalidInterval(AvailabilityError):
    """An end not after its start, an instant in the future, a window in the past."""

    code = "invalid_interval"


class InvalidCause(AvailabilityError):
    code = "invalid_cause"


class OutageNotFound(AvailabilityError):
    code = "outage_not_found"

    def __init__(self, outage_id: int) -> None:
        super().__init__(f"There is no interruption #{outage_id}.", outage_id=outage_id)


class OutageAlreadyEnded(AvailabilityError):
    code = "outage_already_ended"


class MaintenanceNotFound(AvailabilityError):
    code = "maintenance_not_found"

    def __init__(self, window_id: int) -> None:
        super().__init__(f"There is no maintenance window #{window_id}.", window_id=window_id)


class MaintenanceAlreadyCancelled(AvailabilityError):
    code = "maintenance_already_cancelled"


class MaintenanceStarted(AvailabilityError):
    """A window that has begun cannot be cancelled: its time is spent."""

    code = "maintenance_started"


class MaintenanceOverBudget(AvailabilityError):
    """The window would take a calendar month past its planned-maintenance budget; the
    params say which month and how much is left there."""

    code = "maintenance_over_budget"
