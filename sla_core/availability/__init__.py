"""Service availability against the contract (99.5 % of every 30 days, planned
maintenance excluded) and the planned-maintenance budget (3 hours a calendar month).
No Slack and no SMTP here: services return values and outbox notifications; the email
is composed here and sent by ``bot/email.py``."""

from sla_core.availability.compute import availability_at, availability_between, worst_window_in_month
from sla_core.availability.config import (
    AvailabilityConfig, AvailabilitySettings, EmailSettings, MaintenanceSettings, ReportSettings,
    availability_config_from_mapping,
)
from sla_core.availability.errors import AvailabilityError
from sla_core.availability.maintenance import (
    ScheduledMaintenance, cancel_maintenance, list_maintenance, maintenance_budget, mark_notified, notice_for,
    schedule_maintenance,
)
from sla_core.availability.model import Availability, Cause, MaintenanceView, MonthBudget, OutageView
from sla_core.availability.outages import (
    current_availability, end_outage, list_outages, list_outages_in_month, parse_cause, record_outage,
    start_outage, worst_availability_in_month,
)
from sla_core.availability.warnings import budget_warnings

__all__ = [
    "availability_at", "availability_between", "worst_window_in_month", "AvailabilityConfig",
    "AvailabilitySettings", "EmailSettings", "MaintenanceSettings", "ReportSettings",
    "availability_config_from_mapping", "AvailabilityError", "ScheduledMaintenance",
    "cancel_maintenance", "list_maintenance", "maintenance_budget", "mark_notified", "notice_for",
    "schedule_maintenance", "Availability", "Cause", "MaintenanceView", "MonthBudget", "OutageView",
    "current_availability", "end_outage", "list_outages", "list_outages_in_month", "parse_cause", "record_outage",
    "start_outage", "worst_availability_in_month", "budget_warnings",
]
