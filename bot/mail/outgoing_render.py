"""A ticket's mail to its reporter, rendered from the ticket as it is now: subject, text
part and HTML part, in the reporter's language. The words are ``messages/*/email.yaml``;
the two layouts are Jinja2 templates beside this module, the HTML one autoescaped (a
ticket title or an update's text is shown, never interpreted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from messages import format_duration, local_datetime_text, render_plain
from sla_core.config.slack import Contact
from sla_core.email.outgoing import MAILED_EVENTS, Threading, domain_of, subject, threading
from sla_core.email.outgoing_links import ACCEPT, REJECT
from sla_core.policy import BUSINESS, ClockPolicy, Policy
from sla_core.tickets.actions import EventKind
from sla_core.tickets.views import EventView, TicketView

from bot.mail.outgoing_links import resolution_links
from bot.rendering.ticket_events import clocks_around

if TYPE_CHECKING:
    from bot.context import BotContext

# The event's own words the reporter is shown, quoted under the first line.
_QUOTED = {EventKind.ACKNOWLEDGED: "note", EventKind.UPDATE_POSTED: "text", EventKind.WAITING_ON_CUSTOMER: "question",
           EventKind.RESOLUTION_PROPOSED: "text", EventKind.SEVERITY_CHANGED: "reason", EventKind.REOPENED: "reason"}
_AFTER = frozenset({EventKind.WAITING_ON_CUSTOMER, EventKind.RESOLUTION_PROPOSED})


@dataclass(frozen=True, kw_only=True)
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True, kw_only=True)
class Section:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class MailContent:
    lang: str
    subject: str
    lead: str
    quoted: str = ""
    after: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    in_slack: str = ""
    sections: tuple[Section, ...] = ()
    footer: str = ""


@dataclass(frozen=True, kw_only=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    threading: Threading
    lang: str
    headers: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _layouts() -> Environment:
    return Environment(loader=FileSystemLoader(Path(__file__).resolve().parent), undefined=StrictUndefined,
                       autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
                       keep_trailing_newline=True)


def _severity(value: str, lang: str) -> str:
    return render_plain(f"severity.{value}", lang)


def _target(clock: ClockPolicy, lang: str) -> dict[str, Any]:
    return {"target": format_duration(clock.target, lang), "business": clock.calendar == BUSINESS}


def _receipt_sections(ticket: TicketView, lang: str, policy: Policy, contact: Contact) -> tuple[Section, ...]:
    targets = policy.of(ticket.severity)
    promised = Section(title=render_plain("email.receipt.targets_title", lang), items=(
        render_plain("email.receipt.callback", lang, **_target(targets.callback, lang)),
        render_plain("email.receipt.update", lang, **_target(targets.update, lang)),
        render_plain("email.receipt.resolution", lang, **_target(targets.resolution, lang))))
    reach: list[str] = []
    for kind in contact.by_severity.get(ticket.severity, ()):
        if kind == "phone" and contact.phones:
            reach.append(render_plain("email.receipt.phone", lang, phones=" · ".join(contact.phones)))
        elif kind in ("email", "portal"):
            reach.append(render_plain(f"email.receipt.{kind}", lang, **{kind: getattr(contact, kind)}))
    reach.append(render_plain("email.receipt.status_page", lang, status_page=contact.status_page))
    return promised, Section(title=render_plain("email.receipt.contact_title", lang, ref=ticket.ref), items=tuple(reach))


def mail_content(ticket: TicketView, event: EventView, *, lang: str, policy: Policy, contact: Contact,
                 links: dict[str, str] | None = None) -> MailContent:
    """What the mail for ``event`` says. ``links``: answer (accept/reject) → URL, for a
    resolution proposal that can still be answered from the mail."""
    if event.type not in MAILED_EVENTS:
        raise ValueError(f"{event.type.value} is never mailed to the reporter")
    p = event.payload
    kind = str(p.get("kind") or "")
    words: dict[str, Any] = {
        "ref": ticket.ref, "title": ticket.title, "severity": _severity(ticket.severity.value, lang),
        "kind": render_plain(f"email.resolution_kind.{kind}", lang) if kind in ("fix", "workaround") else kind,
        "noun": render_plain(f"email.resolution_noun.{kind}", lang) if kind in ("fix", "workaround") else kind,
        "channel": render_plain(f"email.channel.{p['channel']}", lang)
        if p.get("channel") in ("phone", "email", "slack") else "",
        "from_severity": _severity(str(p["from"]), lang) if p.get("from") else "",
        "to_severity": _severity(str(p["to"]), lang) if p.get("to") else "",
    }
    key = event.type.value
    after: list[str] = []
    if event.type in _AFTER:
        extra: dict[str, Any] = {}
        if event.type is EventKind.RESOLUTION_PROPOSED:
            _, clocks = clocks_around(ticket, event, policy)
            when = clocks.auto_accept_at
            extra["auto_accept"] = local_datetime_text(when.astimezone(policy.timezone), lang) if when else ""
        after.append(render_plain(f"email.after.{key}", lang, **words, **extra))
    answer_links = tuple(
        Link(label=render_plain(f"email.action.{answer}", lang), url=url, primary=answer == ACCEPT)
        for answer in (ACCEPT, REJECT) if (url := (links or {}).get(answer)))
    return MailContent(
        lang=lang, subject=subject(ticket.ref, render_plain(f"email.subject.{key}", lang, **words)),
        lead=render_plain(f"email.lead.{key}", lang, **words),
        quoted=str(p.get(_QUOTED.get(event.type, ""), "") or "").strip(), after=tuple(after), links=answer_links,
        in_slack=render_plain("email.action.in_slack", lang) if answer_links else "",
        sections=_receipt_sections(ticket, lang, policy, contact) if event.type is EventKind.OPENED else (),
        footer=render_plain("email.footer", lang, ref=ticket.ref))


def render_mail(ticket: TicketView, event: EventView, *, lang: str, policy: Policy, contact: Contact, domain: str,
                links: dict[str, str] | None = None) -> RenderedMail:
    content = mail_content(ticket, event, lang=lang, policy=policy, contact=contact, links=links)
    env = _layouts()
    return RenderedMail(
        subject=content.subject, lang=lang,
        text=env.get_template("outgoing_mail.txt.j2").render(mail=content),
        html=env.get_template("outgoing_mail.html.j2").render(mail=content),
        threading=threading(ticket.ref, seq=event.seq, event=event.type.value, domain=domain))


def reporter_mail(ctx: BotContext, ticket: TicketView, event: EventView, *, lang: str) -> RenderedMail:
    """The mail an outbox row owes, with this deployment's settings."""
    email = ctx.availability.email
    return render_mail(ticket, event, lang=lang, policy=ctx.policy, contact=ctx.wiring.contact,
                       domain=domain_of(email.sender),
                       links=resolution_links(email.reporters, ticket, event, lang=lang))
