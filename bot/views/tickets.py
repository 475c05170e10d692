"""How a ticket reads on the interactive surfaces (``/incident list|status``, the Home,
the intake confirmation): its line, its state, its next due and its SLA clocks, with
every instant as a Slack date token (each reader sees their own time zone)."""

from __future__ import annotations

from datetime import datetime

from messages import render, slack_date
from sla_core.clocks import ClockState, ClockStatus
from sla_core.policy import Policy
from sla_core.tickets import TicketView


def ticket_line(ticket: TicketView, language: str) -> str:
    return render("ui.ticket_line", language, ref=ticket.ref, title=ticket.title,
                  severity=render(f"severity.{ticket.severity.value}", language))


def status_text(ticket: TicketView, language: str) -> str:
    return render("ui.status_line", language, status=render(f"ui.status.{ticket.status.value}", language))


def next_due(ticket: TicketView, policy: Policy, language: str) -> datetime | None:
    """The earliest due or limit of a running clock (what the agent races against)."""
    dues = [t for c in ticket.clocks.clocks if c.is_running for t in (c.due, c.limit) if t is not None]
    return min(dues) if dues else None


def countdown(ticket: TicketView, policy: Policy, language: str) -> str:
    """Status, breach marker and next due, on one line."""
    parts = [status_text(ticket, language)]
    if ticket.breached:
        parts.append(render("ui.breached", language))
    due = next_due(ticket, policy, language)
    if due is not None:
        parts.append(render("ui.next_due", language, due=_date(due, policy, language)))
    return " · ".join(parts)


def clock_lines(ticket: TicketView, policy: Policy, language: str) -> list[str]:
    return [_clock_line(c, policy, language) for c in ticket.clocks.clocks]


def _clock_line(clock: ClockState, policy: Policy, language: str) -> str:
    show_due = clock.state not in (ClockStatus.NOT_STARTED, ClockStatus.STOPPED)
    return render("ui.clock_line", language, name=render(f"clock.{clock.kind.value}", language),
                  state=render(f"clock_state.{clock.state.value}", language),
                  due=_date(clock.due, policy, language) if show_due and clock.due else None,
                  limit=_date(clock.limit, policy, language) if show_due and clock.limit else None)


def _date(instant: datetime, policy: Policy, language: str) -> str:
    """A date token whose fallback is written in the contract's time zone."""
    return slack_date(instant.astimezone(policy.timezone), language)
