"""The ticket's root post in its severity channel: rendered from the ticket's state on
opening and again on every change (``chat.update``), never edited by hand. Its buttons are
the actions the lifecycle table allows in the current status."""

from __future__ import annotations

from messages import mention_user, render, render_plain
from sla_core.policy import Policy
from sla_core.tickets.lifecycle import TRANSITIONS
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.views import TicketView

from bot.rendering import action_ids
from bot.rendering.blocks import SEVERITY_EMOJI, Outgoing, actions, button, context, divider, fields, section
from bot.rendering.labels import clock_lines, severity_name, status_name

ROOT_ACTIONS_BLOCK = "ticket_actions"


def agent_buttons(ticket: TicketView) -> list[str]:
    """The agent action_ids that make sense now, in display order (from TRANSITIONS)."""
    return [aid for aid, action in action_ids.AGENT_BUTTONS.items() if (ticket.status, action) in TRANSITIONS]


def render_root(ticket: TicketView, *, lang: str, policy: Policy, support: SupportConfig) -> Outgoing:
    severity = severity_name(ticket.severity, lang)
    status = status_name(ticket.status, lang)
    account = support.accounts.get(ticket.account_id)
    contact = (render("outbound.contact_pref.phone", lang, phone=ticket.contact_phone or "—")
               if ticket.contact_channel == "phone" else render(f"outbound.contact_pref.{ticket.contact_channel}", lang))
    cells = [
        render("outbound.root.reporter", lang, reporter=mention_user(ticket.reporter_id)),
        render("outbound.root.account", lang, account=account.name if account else ticket.account_id),
        render("outbound.root.status", lang, status=status),
        render("outbound.root.category", lang, category=render(f"outbound.category.{ticket.category}", lang)),
        render("outbound.root.version", lang, version=ticket.product_version),
        render("outbound.root.contact", lang, contact=contact),
    ]
    if ticket.affected_users:
        cells.append(render("outbound.root.affected", lang, affected=ticket.affected_users))
    blocks = [
        section(render("outbound.root.heading", lang, emoji=SEVERITY_EMOJI[ticket.severity], ref=ticket.ref,
                       severity=severity, title=ticket.title)),
        *fields(cells),
        divider(),
        context("\n".join([render("outbound.root.clocks_title", lang), *clock_lines(ticket.clocks, lang, policy)])),
    ]
    buttons = [button(aid, render_plain(f"action.{action_ids.AGENT_BUTTONS[aid].value}.button", lang), ticket.ref,
                      style="primary" if aid in action_ids.PRIMARY else None)
               for aid in agent_buttons(ticket)]
    if buttons:
        blocks.append(actions(ROOT_ACTIONS_BLOCK, buttons))
    text = render("outbound.root.fallback", lang, severity=severity, ref=ticket.ref, title=ticket.title, status=status)
    return Outgoing(text=text, blocks=blocks)
