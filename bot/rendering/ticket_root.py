"""The ticket's root post in its severity channel: rendered from the ticket's state on
opening and again on every change (``chat.update``), never edited by hand. It shows the
whole ticket card; its buttons are the actions the lifecycle table allows now."""

from __future__ import annotations

from messages import render_plain
from sla_core.policy import Policy
from sla_core.tickets.lifecycle import TRANSITIONS
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.views import TicketView

from bot.rendering import action_ids
from bot.rendering.blocks import Outgoing, actions, button, context, divider, fields, section
from bot.rendering.card import sla_details_section, ticket_card

RCA_START_BUTTON = "rca.start"  # bot/listeners/rca.py

ROOT_ACTIONS_BLOCK = "ticket_actions"


def agent_buttons(ticket: TicketView) -> list[str]:
    """The agent action_ids that make sense now, in display order (from TRANSITIONS)."""
    return [aid for aid, action in action_ids.AGENT_BUTTONS.items() if (ticket.status, action) in TRANSITIONS]


def render_root(ticket: TicketView, *, lang: str, policy: Policy, support: SupportConfig) -> Outgoing:
    card = ticket_card(ticket, language=lang, policy=policy, support=support)
    blocks = [
        section(card.heading),
        *fields([*card.parties, *card.facts]),
        divider(),
        context("\n".join([card.clocks_title, *card.clock_lines])),
        sla_details_section(ticket.ref, lang),
    ]
    value = action_ids.ticket_button_value(ticket.ref, ticket.status)
    buttons = [button(aid, render_plain(f"action.{action_ids.AGENT_BUTTONS[aid].value}.button", lang), value,
                      style="primary" if aid in action_ids.PRIMARY else None)
               for aid in agent_buttons(ticket)]
    if not ticket.status.is_open:  # the incident is over: its root-cause analysis (sla_core.rca)
        buttons.append(button(RCA_START_BUTTON, render_plain("rca.button.start", lang), ticket.ref))
    if buttons:
        blocks.append(actions(ROOT_ACTIONS_BLOCK, buttons))
    return Outgoing(text=card.fallback, blocks=blocks)
