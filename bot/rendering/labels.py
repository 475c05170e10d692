"""Small translated pieces shared by the renderers: severity, status, clock lines."""

from __future__ import annotations

from messages import SlackMarkup, render
from sla_core.clocks import ClockReport, ClockState, ClockStatus
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.lifecycle import Status

from bot.rendering.blocks import date_token


def severity_name(severity: Severity | str, lang: str) -> str:
    return render(f"severity.{Severity(severity).value}", lang)


def status_name(status: Status, lang: str) -> str:
    return render(f"outbound.status.{status.value}", lang)


def clock_state_name(clock: ClockState, lang: str) -> str:
    state = render(f"clock_state.{clock.state.value}", lang)
    if clock.paused and clock.state is not ClockStatus.PAUSED:  # breached, and paused since
        state += ", " + render("clock_state.paused", lang)
    return state


def clock_lines(report: ClockReport, lang: str, policy: Policy) -> list[str]:
    """One line a clock: its due instant (a date token) and its state. A clock that has
    not started (the update clock before the callback) shows no due instant."""
    lines = []
    for clock in report.clocks:
        name = render(f"clock.{clock.kind.value}", lang)
        state = SlackMarkup(clock_state_name(clock, lang))  # rendered (escaped) by us above
        if clock.due is not None and clock.state is not ClockStatus.NOT_STARTED:
            lines.append(render("outbound.clock_line", lang, clock=name, state=state,
                                due=date_token(clock.due, lang, policy)))
        else:
            lines.append(render("outbound.clock_line_no_due", lang, clock=name, state=state))
    return lines


def moved_clocks(before: ClockReport | None, after: ClockReport, lang: str, policy: Policy) -> list[str]:
    """The clocks an event moved: those whose state or due instant differ afterwards."""
    out = []
    for clock in after.clocks:
        previous = before.clock(clock.kind) if before is not None else None
        if previous is not None and (previous.state, previous.due, previous.paused) == (
                clock.state, clock.due, clock.paused):
            continue
        if clock.state is ClockStatus.NOT_STARTED:
            continue
        running = clock.state in (ClockStatus.RUNNING, ClockStatus.PAUSED) or clock.is_running
        due = date_token(clock.due, lang, policy) if clock.due is not None and running else None
        out.append(render("outbound.clock_moved", lang, clock=render(f"clock.{clock.kind.value}", lang),
                          state=SlackMarkup(clock_state_name(clock, lang)), due=due))
    return out
