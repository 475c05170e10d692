"""The App Home: the language preference, then the agent's queue (breached first, then by
next due) and/or the reporter's open tickets, each ticket as its card's line and countdown.
Slack allows 100 blocks in a Home: each list shows at most ``MAX_TICKETS`` (fewer when
both lists share the Home) and ends with "… and N more"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.rendering import blocks as bk
from bot.rendering.card import ticket_card
from messages import render, render_plain
from sla_core.policy import Policy
from sla_core.tickets import TicketView

LANGUAGE_ACTION = "home.language"
AUTO = "auto"
MAX_TICKETS = 40  # one list alone: 2 blocks a ticket, with the header and language blocks, stays under 100
_FIXED_BLOCKS = 3  # header, language, on-call line
_LIST_BLOCKS = 3  # divider, the list's header, "… and N more"


def home_view(*, language: str, preference: str | None, queue: Sequence[TicketView] | None,
              mine: Sequence[TicketView] | None, policy: Policy, on_call: str | None = None) -> dict[str, Any]:
    """``queue`` for an agent, ``mine`` for a customer administrator (either may be None);
    ``on_call`` is the rendered "who is on call" line agents see."""
    out: list[bk.Block] = [bk.header(render_plain("home.header", language)), _language_block(language, preference)]
    if on_call:
        out.append(bk.context(on_call))
    lists = [(tickets, title, empty) for tickets, title, empty in (
        (queue, "home.queue_header", "home.queue_empty"), (mine, "home.mine_header", "home.mine_empty"))
        if tickets is not None]
    shown = min(MAX_TICKETS, (bk.VIEW_BLOCKS_MAX - _FIXED_BLOCKS - _LIST_BLOCKS * len(lists)) // (2 * len(lists) or 1))
    for tickets, title, empty in lists:
        out += [bk.divider(), bk.section(render(title, language))]
        out += _tickets(tickets, policy, language, render(empty, language), shown)
    if not lists:
        out += [bk.divider(), bk.section(render("home.nobody", language))]
    return bk.home(out)


def _language_block(language: str, preference: str | None) -> bk.Block:
    options = [bk.option(value, render_plain(f"home.language.{value}", language)) for value in (AUTO, "en", "fr")]
    return bk.section(render("home.language_label", language), block_id="home_language",
                      accessory=bk.static_select(options, initial=preference or AUTO, action_id=LANGUAGE_ACTION))


def _tickets(tickets: Sequence[TicketView], policy: Policy, language: str, empty: str, shown: int) -> list[bk.Block]:
    if not tickets:
        return [bk.context(empty)]
    out: list[bk.Block] = []
    for ticket in tickets[:shown]:
        card = ticket_card(ticket, language=language, policy=policy)
        out += [bk.section(card.line), bk.context(card.countdown)]
    if len(tickets) > shown:
        out.append(bk.context(render("ui.and_more", language, count=len(tickets) - shown)))
    return out
