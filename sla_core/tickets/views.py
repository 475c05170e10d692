"""What the service layer hands out: plain frozen values, never ORM objects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sla_core.clocks import ClockReport
from sla_core.severity import Severity
from sla_core.tickets.actions import EventKind
from sla_core.tickets.status import Status
from sla_core.tickets.source import MessageSource


@dataclass(frozen=True, kw_only=True)
class EventView:
    ticket_ref: str
    seq: int
    type: EventKind
    actor_id: str
    role: str
    at: datetime
    payload: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class TicketView:
    id: int
    ref: str
    reporter_id: str
    account_id: str
    assignee_id: str | None
    title: str
    description: str
    category: str
    product_version: str
    language: str
    contact_channel: str
    contact_phone: str | None
    affected_users: str | None
    code_sample: str | None
    severity: Severity
    status: Status
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    next_due_at: datetime | None
    slack_channel: str | None
    slack_ts: str | None
    version: int
    events: tuple[EventView, ...]
    # The clocks, derived from ``events`` at the ``now`` of the call when first read: a
    # button click that reads no clock replays no log (``clocks`` caches the one replay).
    clock_report: Callable[[], ClockReport] = field(repr=False, compare=False)
    new_events: tuple[EventView, ...] = ()  # what this call appended (empty for reads)
    source: MessageSource | None = None  # the Slack message it was opened from

    @cached_property
    def clocks(self) -> ClockReport:
        return self.clock_report()

    @property
    def breached(self) -> bool:
        return any(c.breached_at is not None and c.stopped_at is None for c in self.clocks.clocks)
