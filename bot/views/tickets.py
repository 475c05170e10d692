"""How a ticket reads in the answers of ``/incident list`` and ``/incident status``: parts
of the ticket card (``bot/rendering/card.py``), the same words as the root post."""

from __future__ import annotations

from bot.rendering.card import ticket_card
from sla_core.policy import Policy
from sla_core.tickets import TicketView


def list_entry(ticket: TicketView, *, policy: Policy, language: str) -> str:
    """One ticket of ``/incident list``: its line, then status, breach and next due."""
    card = ticket_card(ticket, language=language, policy=policy)
    return f"• {card.line}\n    {card.countdown}"


def status_answer(ticket: TicketView, *, policy: Policy, language: str, agent: bool = True) -> str:
    """``/incident status``: the ticket's line, its status and its SLA clocks, then, for
    an agent, its bugs in the tracker (a customer is told of theirs in their DM)."""
    card = ticket_card(ticket, language=language, policy=policy)
    return "\n".join([card.line, card.status_line, *card.clock_lines, *(card.bugs if agent else ())])
