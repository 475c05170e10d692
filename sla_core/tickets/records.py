"""From stored rows to domain values: event views, clock events, the clock report.

The event log is the only input of the clocks: the severity a ticket was opened with is
read from its ``opened`` event, every later change from ``severity_changed`` events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sla_core.clocks import ClockEvent, ClockReport, EventType, compute_clocks
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.actions import CLOCK_EVENT_OF, EventKind
from sla_core.tickets.status import Status
from sla_core.tickets.views import EventView, TicketView
from sla_core.tickets.source import MessageSource


def event_view(ref: str, row: TicketEvent) -> EventView:
    return EventView(ticket_ref=ref, seq=row.seq, type=EventKind(row.type), actor_id=row.actor_id,
                     role=row.role, at=row.at, payload=dict(row.payload))


def clock_events(events: Sequence[EventView]) -> list[ClockEvent]:
    """The engine's view of a ticket's log (events that do not move clocks left out)."""
    out = []
    for event in events:
        kind = CLOCK_EVENT_OF[event.type]
        if kind is None:
            continue
        severity = Severity(event.payload["to"]) if kind is EventType.SEVERITY_CHANGED else None
        out.append(ClockEvent(at=event.at, type=kind, severity=severity))
    return out


def opening_severity(events: Sequence[EventView]) -> Severity:
    if not events or events[0].type is not EventKind.OPENED:
        raise ValueError("a ticket's log must start with its opened event")
    return Severity(events[0].payload["severity"])


def current_severity(events: Sequence[EventView]) -> Severity:
    """The severity after the whole log (its last change, else the opening one), without
    running the clocks."""
    for event in reversed(events):
        if event.type is EventKind.SEVERITY_CHANGED:
            return Severity(event.payload["to"])
    return opening_severity(events)


def effective_now(now: datetime, events: Sequence[EventView]) -> datetime:
    """``now``, or the last event's instant if a replica's clock lags behind it: the log
    must stay in order, and a few milliseconds of skew must not refuse an action."""
    return max(now, events[-1].at) if events else now


def clocks_of(policy: Policy, *, opened_at: datetime, events: Sequence[EventView], now: datetime) -> ClockReport:
    return compute_clocks(policy, opened_at=opened_at, severity=opening_severity(events),
                          events=clock_events(events), now=effective_now(now, events))


def clocks_later(policy: Policy, *, opened_at: datetime, events: Sequence[EventView],
                 now: datetime) -> Callable[[], ClockReport]:
    """``clocks_of``, run only when (and if) a view's clocks are read."""
    frozen = tuple(events)
    return lambda: clocks_of(policy, opened_at=opened_at, events=frozen, now=now)


def due_for_planning(status: Status, now: datetime) -> datetime | None:
    """The scheduler's column right after a change: an open ticket is due *now*, so the
    next tick re-plans it (an upgrade to Critical out of hours pages at once; an update
    moves the reminders) and writes the real next instant, which only the scheduler's
    planner knows (breach escalations and pages repeat; the engine knows single dues)."""
    return now if status.is_open else None


def ticket_view(row: Ticket, events: Sequence[EventView], report: ClockReport | Callable[[], ClockReport],
                new_events: Sequence[EventView] = ()) -> TicketView:
    """The view of ``row``; ``report`` is its clocks, or how to compute them when read."""
    clock_report = report if callable(report) else (lambda: report)
    return TicketView(
        id=row.id, ref=row.ref, reporter_id=row.reporter_id, account_id=row.account_id,
        assignee_id=row.assignee_id, title=row.title, description=row.description, category=row.category,
        product_version=row.product_version, language=row.language, contact_channel=row.contact_channel,
        contact_phone=row.contact_phone, affected_users=row.affected_users, code_sample=row.code_sample,
        severity=Severity(row.severity), status=Status(row.status), opened_at=row.opened_at,
        updated_at=row.updated_at, resolved_at=row.resolved_at, closed_at=row.closed_at,
        next_due_at=row.next_due_at, slack_channel=row.slack_channel, slack_ts=row.slack_ts,
        version=row.version, events=tuple(events), clock_report=clock_report, new_events=tuple(new_events),
        source=MessageSource(channel=row.source_channel, ts=row.source_ts, permalink=row.source_permalink,
                             shared=bool(row.source_shared))
        if row.source_channel and row.source_ts else None,
    )
