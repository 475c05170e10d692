"""The ticket's root post in its severity channel: rendered from the ticket's state on
opening and again on every change (``chat.update``), never edited by hand. It shows the
whole ticket card; its buttons are the actions the lifecycle table allows now."""

from __future__ import annotations

from messages import mention_channel, render, render_plain
from sla_core.policy import Policy
from sla_core.tickets.actions import BUG_ACTIONS
from sla_core.tickets.lifecycle import TRANSITIONS
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.views import TicketView

from bot.rendering import action_ids
from bot.connect.from_message import safe_permalink
from bot.rendering.blocks import Block, Outgoing, actions, button, context, divider, fields, section
from bot.rendering.card import sla_details_section, ticket_card

RCA_START_BUTTON = "rca.start"  # bot/listeners/rca.py

ROOT_ACTIONS_BLOCK = "ticket_actions"


def agent_buttons(ticket: TicketView, *, bugs: bool = False) -> list[str]:
    """The agent action_ids that make sense now, in display order (from TRANSITIONS);
    the bug tracker's only when one is configured (``bugs``)."""
    return [aid for aid, action in action_ids.AGENT_BUTTONS.items() if (ticket.status, action) in TRANSITIONS
            and (bugs or action not in BUG_ACTIONS)]


def render_root(ticket: TicketView, *, lang: str, policy: Policy, support: SupportConfig,
                bugs: bool = False) -> Outgoing:
    card = ticket_card(ticket, language=lang, policy=policy, support=support)
    blocks = [
        section(card.heading),
        *fields([*card.parties, *card.facts]),
        *_source_line(ticket, lang),
        divider(),
        context("\n".join([card.clocks_title, *card.clock_lines])),
        sla_details_section(ticket.ref, lang),
    ]
    if card.bugs:
        blocks.append(context("\n".join(card.bugs)))
    value = action_ids.ticket_button_value(ticket.ref, ticket.status)
    buttons = [button(aid, render_plain(f"action.{action_ids.AGENT_BUTTONS[aid].value}.button", lang), value,
                      style="primary" if aid in action_ids.PRIMARY else None)
               for aid in agent_buttons(ticket, bugs=bugs)]
    # A root-cause analysis (sla_core.rca) may be started on any ticket, open or not: a
    # long incident's analysis often begins before it is over. Last, so the lifecycle's
    # next step stays first.
    buttons.append(button(RCA_START_BUTTON, render_plain("rca.button.start", lang), ticket.ref))
    blocks.append(actions(ROOT_ACTIONS_BLOCK, buttons))
    return Outgoing(text=card.fallback, blocks=blocks)


def _source_line(ticket: TicketView, lang: str) -> list[Block]:
    """Opened from a Slack message: a link to it for agents (and whether its customer sees
    the thread under it), by permalink when Slack gave one, else by channel."""
    source = ticket.source
    if source is None:
        return []
    key = "connect.root_source_shared" if source.shared else "connect.root_source"
    link = safe_permalink(source.permalink)
    return [context(render(key, lang, link=link, channel=mention_channel(source.channel)))]
