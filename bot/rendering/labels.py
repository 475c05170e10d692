"""The small translated pieces every surface shares: a severity, a status, a clock line.
Each has one rule, here; the ticket card (``card.py``) composes them."""

from __future__ import annotations

from messages import SlackMarkup, render
from sla_core.clocks import ClockReport, ClockState, ClockStatus
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.lifecycle import Status

from bot.rendering.blocks import date_token

SEVERITY_EMOJI = {
    Severity.CRITICAL: ":red_circle:",
    Severity.IMPORTANT: ":large_orange_circle:",
    Severity.LOW: ":large_yellow_circle:",
    Severity.NONE: ":white_circle:",
}


def severity_name(severity: Severity | str, lang: str) -> str:
    return render(f"severity.{Severity(severity).value}", lang)


def status_name(status: Status | str, lang: str) -> str:
    """The status as every surface words it (messages ``status.*``)."""
    return render(f"status.{Status(status).value}", lang)


def clock_state_name(clock: ClockState, lang: str) -> str:
    state = render(f"clock_state.{clock.state.value}", lang)
    if clock.paused and clock.state is not ClockStatus.PAUSED:  # breached, and paused since
        state += ", " + render("clock_state.paused", lang)
    return state


def clock_line(clock: ClockState, lang: str, policy: Policy) -> str:
    """One clock, e.g. "Update: running, due <date>". The due instant shows while it
    means something: a running clock's deadline, or when a breached one was due. A clock
    not started, met or stopped has none to race against, and a paused clock's due moves
    when it resumes, so none is shown. The resolution's limit (the end of the contract's
    range) shows while the clock counts, unless it is the due instant itself."""
    shows_due = clock.due is not None and clock.state in (ClockStatus.RUNNING, ClockStatus.BREACHED)
    shows_limit = shows_due and clock.is_running and clock.limit is not None and clock.limit != clock.due
    return render("ticket.clock_line", lang, clock=render(f"clock.{clock.kind.value}", lang),
                  state=SlackMarkup(clock_state_name(clock, lang)),  # rendered (escaped) by us above
                  due=date_token(clock.due, lang, policy) if shows_due and clock.due else None,
                  limit=date_token(clock.limit, lang, policy) if shows_limit and clock.limit else None)


def clock_lines(report: ClockReport, lang: str, policy: Policy) -> list[str]:
    """Every clock of a ticket, in the contract's order (callback, update, resolution)."""
    return [clock_line(clock, lang, policy) for clock in report.clocks]


def moved_clocks(before: ClockReport | None, after: ClockReport, lang: str, policy: Policy) -> list[str]:
    """The clock lines an event changed: the clocks started whose state, due instant or
    pause differ afterwards."""
    out = []
    for clock in after.clocks:
        previous = before.clock(clock.kind) if before is not None else None
        if previous is not None and (previous.state, previous.due, previous.paused) == (
                clock.state, clock.due, clock.paused):
            continue
        if clock.state is not ClockStatus.NOT_STARTED:
            out.append(clock_line(clock, lang, policy))
    return out
