"""The "SLA details" modal: each clock's ledger (``sla_core.ledger``) as a reader sees it
in Slack, from the same computation as the clocks and in the same words as
``astreinte sla explain`` (the ``ledger.*`` texts, rendered as mrkdwn here).

Instants are Slack date tokens, so each reader sees them in their own time zone (the
fallback is written in the policy's); the opening windows are the policy's local hours
and say so. A ledger can be long (a ticket paused and resumed a hundred times): each
clock shows at most ``PIECES_SHOWN`` pieces (the first and the last ones, with a line
summing what lies between) and ``PROJECTED_SHOWN`` pieces to come, and its lines are
packed into sections of at most ``SECTION_BUDGET`` characters, so a modal stays within
Slack's 100 blocks and 3,000 characters a text; the footer names the command that prints
every piece."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from messages import SlackMarkup, mention_user, render, render_plain
from sla_core.authorization import SYSTEM_ACTOR
from sla_core.ledger import ClockLedger, Entry, Ledger
from sla_core.policy import Policy
from sla_core.tickets.views import TicketView

from bot.rendering.blocks import (
    SECTION_TEXT_MAX, VIEW_BLOCKS_MAX, Block, context, date_token, divider, modal, section,
)
from bot.sla_explain import duration_text

CALLBACK_ID = "sla_details"
PIECES_SHOWN = 16  # per clock: the first 8 and the last 8 pieces of its counted time
PROJECTED_SHOWN = 8  # per clock: the first pieces to come
SECTION_BUDGET = SECTION_TEXT_MAX - 100  # room for a cut never to be needed


def sla_details_modal(ticket: TicketView, book: Ledger, *, policy: Policy, language: str) -> dict[str, Any]:
    lang = language
    blocks: list[Block] = [section(render(
        "sla_details.intro", lang, ref=ticket.ref, severity=render_plain(f"severity.{ticket.severity.value}", lang),
        title=ticket.title, now=date_token(book.now, lang, policy), timezone=policy.timezone.key))]
    for clock in book.clocks:
        blocks.append(divider())
        blocks.extend(_clock_blocks(policy, clock, lang))
    blocks.append(divider())
    blocks.append(context(render("sla_details.full", lang, ref=ticket.ref)))
    if len(blocks) > VIEW_BLOCKS_MAX:  # cannot happen with the caps above; never send Slack a view it refuses
        blocks = [*blocks[:VIEW_BLOCKS_MAX - 1], blocks[-1]]
    return modal(callback_id=CALLBACK_ID, title=render_plain("sla_details.title", lang), blocks=blocks,
                 language=lang, submit=None, private_metadata=ticket.ref)


def _clock_blocks(policy: Policy, clock: ClockLedger, lang: str) -> list[Block]:
    name = render_plain(f"ledger.clock.{clock.state.kind.value}", lang)
    if clock.start is None or clock.target is None:
        return [section(render("ledger.not_started", lang, clock=name))]
    due = clock.state.due
    heading = render("ledger.heading", lang, clock=name,
                     state=render_plain(f"ledger.state.{clock.state.state.value}", lang),
                     due=date_token(due, lang, policy) if due is not None else "—",
                     target=duration_text(clock.target, lang),
                     calendar=render_plain(f"ledger.calendar.{clock.state.calendar}", lang))
    regimes = []
    for line in clock.regimes:
        regime = line.regime
        regimes.append(render(
            f"ledger.regime.{regime.change}", lang, marker="*" if line.deciding else "-",
            severity=render_plain(f"severity.{regime.severity.value}", lang),
            anchor=date_token(regime.anchor, lang, policy), set_at=date_token(regime.set_at, lang, policy),
            due=date_token(line.due, lang, policy), consumed=duration_text(line.consumed, lang))
            + (" " + render("ledger.deciding", lang) if line.deciding and len(clock.regimes) > 1 else ""))
    lines = [SlackMarkup(f"*{heading}*"), *regimes, *_pieces(policy, clock.entries, lang, PIECES_SHOWN)]
    if clock.projected:
        lines.append(render("ledger.projected_heading", lang))
        lines.extend("    " + line for line in _pieces(policy, clock.projected, lang, PROJECTED_SHOWN, tail=False))
    remaining = clock.remaining or timedelta(0)
    total = render("ledger.total", lang, elapsed=duration_text(clock.elapsed, lang),
                   target=duration_text(clock.target, lang), over=remaining < timedelta(0),
                   left=duration_text(abs(remaining), lang))
    return [*(section(text) for text in _packed(lines)), context(total)]


def _pieces(policy: Policy, entries: Sequence[Entry], lang: str, shown: int, *, tail: bool = True) -> list[str]:
    """The entries' lines; past ``shown``, the first and last ones (or, ``tail`` False, the
    first ones) around a line summing the pieces left out."""
    if len(entries) <= shown:
        return [entry_line(policy, e, lang) for e in entries]
    head_count = shown // 2 if tail else shown
    head, tail_entries = entries[:head_count], entries[len(entries) - (shown - head_count):] if tail else []
    hidden = entries[head_count:len(entries) - len(tail_entries)]
    counted = sum((e.length for e in hidden if e.counted), timedelta(0))
    not_counted = sum((e.length for e in hidden if not e.counted), timedelta(0))
    more = render("sla_details.more", lang, count=len(hidden), counted=duration_text(counted, lang),
                  not_counted=duration_text(not_counted, lang))
    return [*(entry_line(policy, e, lang) for e in head), more, *(entry_line(policy, e, lang) for e in tail_entries)]


def entry_line(policy: Policy, entry: Entry, lang: str) -> str:
    """One piece of a clock's time, in mrkdwn: what ``ledger.counted``/``not_counted`` say."""
    def at(t: datetime | None) -> str:
        return "—" if t is None else date_token(t, lang, policy)

    amount = duration_text(entry.length, lang)
    if entry.counted:
        window = None
        if entry.window is not None:
            opens, closes = (t.astimezone(policy.timezone) for t in entry.window)
            window = f"{opens:%H:%M}–{closes:%H:%M}"
        return render("ledger.counted", lang, start=at(entry.start), end=at(entry.end), amount=amount, window=window)
    spell = entry.spell
    name = entry.holiday or ""
    if entry.day is not None and entry.holiday is not None:  # the holiday's name in the reader's language
        name = policy.business_calendar.holiday_name(entry.day, lang) or entry.holiday
    why = render(f"ledger.reason.{entry.reason}", lang, name=name, since=at(spell.since if spell else None),
                 until=at(spell.until if spell else None), by=_who(spell.by if spell else None, lang))
    return render("ledger.not_counted", lang, start=at(entry.start), end=at(entry.end), amount=amount,
                  why=SlackMarkup(why))


def _who(user_id: str | None, lang: str) -> str | None:
    """Who set a pause: a Slack user as a mention (shown with their name), the scheduler
    as "the desk"; anything else (an operator's name) as text, escaped."""
    if not user_id:
        return None
    if user_id == SYSTEM_ACTOR:
        return render_plain("sla_details.by_desk", lang)
    if user_id[:1] in ("U", "W") and user_id.isalnum():
        return mention_user(user_id)
    return user_id


def _packed(lines: Sequence[str]) -> list[str]:
    """``lines`` joined into as few texts of at most ``SECTION_BUDGET`` characters as they fit in."""
    out: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > SECTION_BUDGET:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out
