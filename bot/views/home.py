"""The App Home: the language preference, then the agent's queue (breached first, then by
next due) or the reporter's open tickets, each with its state and countdown. Slack allows
100 blocks in a Home: past ``MAX_TICKETS`` the list ends with "… and N more"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.views import blocks as bk
from bot.views.tickets import countdown, ticket_line
from messages import render, render_plain
from sla_core.policy import Policy
from sla_core.tickets import TicketView

LANGUAGE_ACTION = "home.language"
AUTO = "auto"
MAX_TICKETS = 40  # 2 blocks each + header and language blocks stays well under 100


def home_view(*, language: str, preference: str | None, queue: Sequence[TicketView] | None,
              mine: Sequence[TicketView] | None, policy: Policy, on_call: str | None = None) -> dict[str, Any]:
    """``queue`` for an agent, ``mine`` for a customer administrator (either may be None);
    ``on_call`` is the rendered "who is on call" line agents see."""
    out: list[bk.Block] = [bk.header(render_plain("home.header", language)), _language_block(language, preference)]
    if on_call:
        out.append(bk.context(on_call))
    if queue is not None:
        out += [bk.divider(), bk.section(render("home.queue_header", language))]
        out += _tickets(queue, policy, language, render("home.queue_empty", language))
    if mine is not None:
        out += [bk.divider(), bk.section(render("home.mine_header", language))]
        out += _tickets(mine, policy, language, render("home.mine_empty", language))
    if queue is None and mine is None:
        out += [bk.divider(), bk.section(render("home.nobody", language))]
    return {"type": "home", "blocks": out[: bk.MODAL_BLOCKS_MAX]}


def _language_block(language: str, preference: str | None) -> bk.Block:
    options = [bk.option(value, render_plain(f"home.language.{value}", language)) for value in (AUTO, "en", "fr")]
    return {"type": "section", "block_id": "home_language", "text": bk.mrkdwn(render("home.language_label", language)),
            "accessory": bk.static_select(options, initial=preference or AUTO, action_id=LANGUAGE_ACTION)}


def _tickets(tickets: Sequence[TicketView], policy: Policy, language: str, empty: str) -> list[bk.Block]:
    if not tickets:
        return [bk.context(empty)]
    out: list[bk.Block] = []
    for ticket in tickets[:MAX_TICKETS]:
        out += [bk.section(ticket_line(ticket, language)), bk.context(countdown(ticket, policy, language))]
    if len(tickets) > MAX_TICKETS:
        out.append(bk.context(render("ui.and_more", language, count=len(tickets) - MAX_TICKETS)))
    return out
