"""The public status page, as values: what the service's state is at ``now``, the
maintenance to come, one bar a day over the last 90 days, the rolling availability
against its target, and past interruptions with the updates an agent chose to publish.

``build_status`` is a pure function of the recorded interruptions and maintenance windows,
the published updates and ``now``; ``read_status`` reads them in one transaction. Nothing
of a ticket but the text and instant of an update marked "publish on the status page"
ever reaches a ``StatusPage``: not its reference, title, reporter or account."""

from sla_core.status.build import build_status
from sla_core.status.model import DayBar, Interruption, PlannedWindow, PublishedUpdate, State, StatusPage
from sla_core.status.store import data_version, published_updates, read_status

__all__ = ["build_status", "DayBar", "Interruption", "PlannedWindow", "PublishedUpdate", "State", "StatusPage",
           "data_version", "published_updates", "read_status"]
