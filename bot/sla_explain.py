"""A ticket's ledger as text (``astreinte sla explain INC-…``, ``sla replay --explain``):
every clock's counted and uncounted time, in the reader's language and the policy's time
zone, or as JSON. The ledger itself is ``sla_core.ledger``; the command is
``bot/cli/sla.py``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from messages import local_datetime_text, render_plain
from sla_core.clocks import ClockEvent
from sla_core.ledger import ClockLedger, Entry, Ledger, ledger
from sla_core.policy import Policy
from sla_core.replay import ledger_to_dict
from sla_core.tickets.records import clock_events, effective_now, opening_severity
from sla_core.tickets.views import EventView, TicketView


def output(policy: Policy, book: Ledger, *, ref: str, as_json: bool, lang: str) -> str:
    if as_json:
        return json.dumps({"ticket": ref, **ledger_to_dict(policy, book)}, indent=2, ensure_ascii=False)
    return render_ledger(policy, book, ref=ref, lang=lang)


def clock_log(events: Sequence[EventView]) -> list[ClockEvent]:
    """The engine's events, each with who did it (the ledger names who set a pause)."""
    out: list[ClockEvent] = []
    for event in events:
        engine_events = clock_events([event])
        out.extend(replace(e, by=event.actor_id) for e in engine_events)
    return out


def ticket_ledger(policy: Policy, ticket: TicketView, *, now: datetime) -> Ledger:
    """The ledger of a stored ticket as of ``now`` (the command line and the Slack modal)."""
    events = ticket.events
    return ledger(policy, opened_at=ticket.opened_at, severity=opening_severity(events), events=clock_log(events),
                  now=effective_now(now, events))


# ---- text --------------------------------------------------------------------------------
INDENT = "  "  # templates are stripped when rendered: the layout's indentation is added here


def render_ledger(policy: Policy, book: Ledger, *, ref: str, lang: str) -> str:
    def at(t: datetime | None) -> str:
        return "—" if t is None else local_datetime_text(t.astimezone(policy.timezone), lang)

    def severity(value: str) -> str:
        return render_plain(f"severity.{value}", lang)

    lines = [render_plain("ledger.title", lang, ref=ref, severity=severity(book.severity.value), now=at(book.now),
                          timezone=policy.timezone.key)]
    for clock in book.clocks:
        lines.append("")
        lines.extend(_clock_lines(policy, clock, lang, at, severity))
    return "\n".join(lines)


Words = Callable[[str], str]
When = Callable[[datetime | None], str]


def _clock_lines(policy: Policy, clock: ClockLedger, lang: str, at: When, severity: Words) -> list[str]:
    name = render_plain(f"ledger.clock.{clock.state.kind.value}", lang)
    if clock.start is None or clock.target is None:
        return [render_plain("ledger.not_started", lang, clock=name)]
    lines = [render_plain("ledger.heading", lang, clock=name,
                          state=render_plain(f"ledger.state.{clock.state.state.value}", lang), due=at(clock.state.due),
                          target=duration_text(clock.target, lang),
                          calendar=render_plain(f"ledger.calendar.{clock.state.calendar}", lang))]
    for line in clock.regimes:
        regime = line.regime
        lines.append(render_plain(
            f"ledger.regime.{regime.change}", lang, marker="*" if line.deciding else "-",
            severity=severity(regime.severity.value), anchor=at(regime.anchor), set_at=at(regime.set_at),
            due=at(line.due), consumed=duration_text(line.consumed, lang))
            + (" " + render_plain("ledger.deciding", lang) if line.deciding and len(clock.regimes) > 1 else ""))
    lines.extend(INDENT + _entry_line(policy, e, lang, at) for e in clock.entries)
    if clock.projected:
        lines.append(INDENT + render_plain("ledger.projected_heading", lang))
        lines.extend(INDENT * 2 + _entry_line(policy, e, lang, at) for e in clock.projected)
    remaining = clock.remaining or timedelta(0)
    lines.append(INDENT + render_plain("ledger.total", lang, elapsed=duration_text(clock.elapsed, lang),
                              target=duration_text(clock.target, lang), over=remaining < timedelta(0),
                              left=duration_text(abs(remaining), lang)))
    return lines


def _entry_line(policy: Policy, entry: Entry, lang: str, at: When) -> str:
    amount = duration_text(entry.length, lang)
    if entry.counted:
        window = None
        if entry.window is not None:
            opens, closes = (t.astimezone(policy.timezone) for t in entry.window)
            window = f"{opens:%H:%M}–{closes:%H:%M}"
        return render_plain("ledger.counted", lang, start=at(entry.start), end=at(entry.end), amount=amount,
                            window=window)
    spell = entry.spell
    name = entry.holiday or ""
    if entry.day is not None and entry.holiday is not None:  # the holiday's name in the reader's language
        name = policy.business_calendar.holiday_name(entry.day, lang) or entry.holiday
    why = render_plain(f"ledger.reason.{entry.reason}", lang, name=name,
                       since=at(spell.since if spell else None), until=at(spell.until if spell else None),
                       by=spell.by if spell else None)
    return render_plain("ledger.not_counted", lang, start=at(entry.start), end=at(entry.end), amount=amount, why=why)


def duration_text(value: timedelta, lang: str) -> str:
    """``2 j 4 h 30 min`` / ``2 d 4 h 30 min``, to the second when there are seconds (the
    ledger's sums are exact; we deliberately do not round them away)."""
    from messages import format_duration

    whole = timedelta(seconds=int(value.total_seconds()))
    text = format_duration(whole, lang)
    seconds = int(value.total_seconds()) % 60
    if seconds:
        text = (text + f" {seconds} s") if not text.endswith(" 0 min") else f"{seconds} s"
    return text
