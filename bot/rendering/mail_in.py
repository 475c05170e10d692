"""What the ticket's thread says about an e-mail (``MailReceived``): from whom it came, its
attachments listed by name and size (never opened, never shown inline), and, for a ticket
opened by e-mail, that the agents are to confirm its severity."""

from __future__ import annotations

from bot.context import BotContext
from bot.rendering.blocks import Outgoing, section
from bot.rendering.labels import severity_name
from bot.rendering.notices import Permalink
from messages import SlackMarkup, format_number, render
from sla_core.outbox.model import MailReceived, OutboxEntry
from sla_core.tickets.views import TicketView

ATTACHMENTS_SHOWN = 20


def size_text(size: int, lang: str) -> str:
    if size < 1000:
        return render("mail_in.size.bytes", lang, n=format_number(size, lang))
    if size < 1000 ** 2:
        return render("mail_in.size.kb", lang, n=format_number(size / 1000, lang))
    return render("mail_in.size.mb", lang, n=format_number(size / 1000 ** 2, lang, 1))


def render_mail_received(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                         permalink: Permalink) -> Outgoing:
    notice = entry.payload
    assert isinstance(notice, MailReceived)
    lines = [render("mail_in.thread.received", lang, sender=notice.sender, truncated=notice.truncated)]
    if notice.attachments:
        # Each item rendered (its name escaped) once; the list then goes in as markup.
        items = SlackMarkup(", ".join(render("mail_in.thread.attachment", lang, name=a.filename, size=size_text(a.size, lang))
                                         for a in notice.attachments[:ATTACHMENTS_SHOWN]))
        more = len(notice.attachments) - ATTACHMENTS_SHOWN
        lines.append(render("mail_in.thread.attachments", lang, items=items)
                     + (" " + render("ui.and_more", lang, count=more) if more > 0 else ""))
    if notice.severity_tagged is not None and ticket is not None:
        key = "mail_in.thread.severity_tagged" if notice.severity_tagged else "mail_in.thread.severity_default"
        lines.append(render(key, lang, severity=severity_name(ticket.severity, lang)))
    return Outgoing(text="\n".join(lines), blocks=[section(line) for line in lines])
