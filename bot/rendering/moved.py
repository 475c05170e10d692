"""The post in the new severity's channel when a ticket changes severity: its agents learn
the ticket is now theirs, with a link to the root post (whose thread stays the ticket's)."""

from __future__ import annotations

from messages import mention_user, render
from sla_core.severity import Severity
from sla_core.tickets.roles import SYSTEM_ACTOR
from sla_core.tickets.views import EventView, TicketView

from bot.rendering.blocks import Outgoing, link, section
from bot.rendering.labels import SEVERITY_EMOJI, severity_name


def render_severity_moved(ticket: TicketView, event: EventView, *, lang: str, permalink: str) -> Outgoing:
    p = event.payload
    to = p.get("to") or ticket.severity.value
    actor = mention_user(event.actor_id) if event.actor_id and event.actor_id != SYSTEM_ACTOR else "Astreinte"
    params = {
        "ref": ticket.ref, "title": ticket.title, "actor": actor, "reason": p.get("reason") or "",
        "from_severity": severity_name(p["from"], lang) if p.get("from") else "—",
        "to_severity": severity_name(to, lang),
    }
    text = render("outbound.moved.text", lang, emoji=SEVERITY_EMOJI[Severity(to)],
                  link=link(permalink, render("outbound.moved.link_label", lang)), **params)
    return Outgoing(text=render("outbound.moved.fallback", lang, **params), blocks=[section(text)])
