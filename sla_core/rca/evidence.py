"""What an RCA takes from the ticket's log rather than from people: the timeline the
customer could see, and every SLA clock's figures from the ledger (``sla_core.ledger``:
the same replay as the clocks, so the RCA shows the figures the desk was held to)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sla_core.clocks import ClockEvent
from sla_core.ledger import ledger
from sla_core.policy import Policy
from sla_core.severity import ClockKind
from sla_core.tickets.actions import CUSTOMER_VISIBLE, EventKind
from sla_core.tickets.records import clock_events, opening_severity
from sla_core.tickets.views import EventView

# What the customer saw: what they were told (declared per action) and what they did
# themselves. Internal notes, snoozes and the desk's own RCA approval never appear.
TIMELINE_EVENTS = CUSTOMER_VISIBLE | frozenset({
    EventKind.OPENED, EventKind.CUSTOMER_REPLIED, EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_REJECTED})
# The payload keys the customer saw (a severity change's reason was sent to them; nothing
# else of a payload is quoted).
_SHOWN = ("severity", "title", "channel", "text", "question", "kind", "reason", "from", "to")


@dataclass(frozen=True, kw_only=True)
class TimelineEntry:
    at: datetime
    event: EventKind
    by_customer: bool  # the reporter or their account did it
    details: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class SlaFigure:
    """One clock: its target, its due, whether it was met, and how much of the target
    counted (the ledger's elapsed time, to the second)."""

    clock: ClockKind
    state: str  # met, breached, running, paused, stopped, not_started
    target: timedelta | None
    calendar: str | None
    due: datetime | None
    stopped_at: datetime | None
    breached_at: datetime | None
    counted: timedelta


@dataclass(frozen=True, kw_only=True)
class Evidence:
    timeline: tuple[TimelineEntry, ...]
    figures: tuple[SlaFigure, ...]
    opened_at: datetime
    resolved_at: datetime | None


def timeline(events: Sequence[EventView]) -> tuple[TimelineEntry, ...]:
    return tuple(TimelineEntry(at=e.at, event=e.type, by_customer=e.role in ("reporter", "administrator"),
                               details={k: e.payload[k] for k in _SHOWN if e.payload.get(k) not in (None, "")})
                 for e in events if e.type in TIMELINE_EVENTS)


def evidence(policy: Policy, *, opened_at: datetime, events: Sequence[EventView], now: datetime) -> Evidence:
    """The RCA's evidence at ``now`` (a resolved ticket's clocks have stopped: later
    reads give the same figures)."""
    book = ledger(policy, opened_at=opened_at, severity=opening_severity(events), events=clock_log(events), now=now)
    figures = tuple(SlaFigure(clock=c.state.kind, state=c.state.state.value, target=c.state.target,
                              calendar=c.state.calendar, due=c.state.due, stopped_at=c.state.stopped_at,
                              breached_at=c.state.breached_at, counted=c.elapsed) for c in book.clocks)
    return Evidence(timeline=timeline(events), figures=figures, opened_at=opened_at,
                    resolved_at=book.report.resolved_at)


def clock_log(events: Sequence[EventView]) -> list[ClockEvent]:
    """The engine's events, each with who did it (the ledger names who set a pause)."""
    return [replace(c, by=e.actor_id) for e in events for c in clock_events([e])]
