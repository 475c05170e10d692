"""The reporter's receipt, by DM, in the ticket's language: the reference, what the
contract promises for this severity (due instants from the clocks, targets from the
policy) and how to reach support for this severity (the contract's contact channels)."""

from __future__ import annotations

from messages import format_duration, render
from sla_core.clocks import ClockState
from sla_core.policy import BUSINESS, ClockPolicy, Policy
from sla_core.tickets.views import TicketView

from bot.rendering.blocks import Outgoing, context, date_token, divider, section
from bot.rendering.card import ticket_card
from bot.settings import Contact


def _target(clock: ClockPolicy, lang: str) -> dict[str, str]:
    return {"target": format_duration(clock.target, lang),
            "calendar": render("outbound.receipt.business", lang) if clock.calendar == BUSINESS else ""}


def _due(state: ClockState, lang: str, policy: Policy) -> object:
    return date_token(state.due, lang, policy) if state.due is not None else "—"


def render_receipt(ticket: TicketView, *, lang: str, policy: Policy, contact: Contact) -> Outgoing:
    card = ticket_card(ticket, language=lang, policy=policy)
    targets = policy.of(ticket.severity)
    clocks = ticket.clocks
    commitments = [
        render("outbound.receipt.targets_title", lang),
        render("outbound.receipt.callback", lang, due=_due(clocks.callback, lang, policy), **_target(targets.callback, lang)),
        render("outbound.receipt.update", lang, **_target(targets.update, lang)),
        render("outbound.receipt.resolution", lang, due=_due(clocks.resolution, lang, policy),
               **_target(targets.resolution, lang)),
    ]
    reach = [render("outbound.receipt.contact_title", lang, ref=ticket.ref)]
    for kind in contact.by_severity.get(ticket.severity, ()):
        if kind == "phone" and contact.phones:
            reach.append(render("outbound.receipt.phone", lang, phones=" · ".join(contact.phones)))
        elif kind == "email":
            reach.append(render("outbound.receipt.email", lang, email=contact.email))
        elif kind == "portal":
            reach.append(render("outbound.receipt.portal", lang, portal=contact.portal))
    blocks = [
        section(render("outbound.receipt.heading", lang, emoji=card.emoji, ref=ticket.ref,
                       title=ticket.title, severity=card.severity)),
        section("\n".join(commitments)),
        divider(),
        section("\n".join(reach)),
        context(render("outbound.receipt.status_page", lang, status_page=contact.status_page)),
    ]
    text = render("outbound.receipt.fallback", lang, ref=ticket.ref, severity=card.severity, title=ticket.title)
    return Outgoing(text=text, blocks=blocks)
