"""The reporter's receipt, by DM, in the ticket's language: the reference, where the
ticket stands and what comes next (``reporter_card``: re-rendered in place on every
change), what the contract promises for this severity (targets from the policy), and how
to reach support for this severity (the contract's contact channels)."""

from __future__ import annotations

from datetime import datetime

from messages import format_duration, render
from sla_core.policy import BUSINESS, ClockPolicy, Policy
from sla_core.tickets.views import TicketView

from bot.rendering.blocks import Outgoing, context, divider, section
from bot.rendering.card import sla_details_section, ticket_card
from bot.rendering.reporter_card import commitments, outcome_line, reporter_buttons, state_line
from bot.settings import Contact


def _target(clock: ClockPolicy, lang: str) -> dict[str, str]:
    return {"target": format_duration(clock.target, lang),
            "calendar": render("outbound.receipt.business", lang) if clock.calendar == BUSINESS else ""}


def render_receipt(ticket: TicketView, *, lang: str, policy: Policy, contact: Contact,
                   reopen_until: datetime | None = None, now: datetime | None = None) -> Outgoing:
    """The reporter's card. ``reopen_until``: the end of the reopening window of a
    resolved ticket (its reopen button shows until then, as of ``now``)."""
    card = ticket_card(ticket, language=lang, policy=policy)
    targets = policy.of(ticket.severity)
    promised = [
        render("outbound.receipt.targets_title", lang),
        render("outbound.receipt.callback", lang, **_target(targets.callback, lang)),
        render("outbound.receipt.update", lang, **_target(targets.update, lang)),
        render("outbound.receipt.resolution", lang, **_target(targets.resolution, lang)),
    ]
    outcome = outcome_line(ticket, lang, policy)
    live = [state_line(ticket, lang), *([outcome] if outcome else []),
            render("outbound.reporter_card.next_title", lang),
            *commitments(ticket, lang, policy, reopen_until=reopen_until)]
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
        section("\n".join(live)),
        *reporter_buttons(ticket, lang, reopen_until=reopen_until, now=now),
        context("\n".join(promised)),
        sla_details_section(ticket.ref, lang),
        divider(),
        section("\n".join(reach)),
        context(render("outbound.receipt.status_page", lang, status_page=contact.status_page)),
    ]
    text = render("outbound.receipt.fallback", lang, ref=ticket.ref, severity=card.severity, title=ticket.title,
                  status=card.status)
    return Outgoing(text=text, blocks=blocks)
