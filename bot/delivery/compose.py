"""From an outbox entry to one Slack operation: where it goes (``destination``, the one
place an address becomes a Slack channel) and what it says (the renderer of its kind,
``RENDERERS``, from the ticket's current state)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from bot.context import BotContext
from bot.rendering import (
    Outgoing, event_at, render_clicked, render_receipt, render_reporter_event, render_root, render_severity_moved,
    render_thread_event,
)
from bot.rendering.mail_in import render_mail_received
from bot.rendering import rca_notices
from bot.rendering.notices import NOTICE_RENDERERS, Permalink
from bot.mail.outgoing_render import RenderedMail, reporter_mail
from bot.rendering.satisfaction import render_answered, render_low, render_survey
from bot.settings import SlackWiring
from sla_core.outbox.address import (
    Address, AnnouncementChannel, ClickedMessage, DirectMessage, EscalationRung, Fallback, ReporterCardDM, ReporterEmail,
    RootPost, Rung, SeverityChannel, SharedThread, TicketThread, Tracker,
)
from sla_core.outbox.codec import encode_address
from sla_core.outbox.model import (
    TRACKER_JOBS, ClickedUpdate, EventNotice, NotificationKind, OutboxEntry, SatisfactionAsk, SatisfactionLow,
    SeverityMoved,
)
from sla_core.satisfaction import get_survey
from sla_core.outbox.store import ThreadPending, thread_start
from sla_core.tickets.status import Status
from sla_core.tickets.views import TicketView


class WaitForRoot(Exception):
    """The ticket's root post (or the reporter's receipt DM, for an edit of it) is not in
    Slack yet: try again in a few seconds."""


class Undeliverable(Exception):
    """Nothing can be sent for this entry as it stands (no such ticket…)."""


@dataclass(frozen=True, kw_only=True)
class Post:
    channel: str | None  # None: a DM to ``dm_user``
    message: Outgoing
    dm_user: str | None = None
    thread_ts: str | None = None
    broadcast: bool = False
    is_root: bool = False  # the ticket's root post: remember where it is


@dataclass(frozen=True, kw_only=True)
class Update:
    channel: str
    ts: str
    message: Outgoing


@dataclass(frozen=True, kw_only=True)
class Mail:
    """An e-mail to a Slack user's address (the reporter's), sent by ``bot/mail/smtp_sender``."""

    user_id: str
    mail: RenderedMail


Operation = Post | Update | Mail
# (ctx, entry, ticket or None, language, permalink) → message.
Renderer = Callable[[BotContext, OutboxEntry, "TicketView | None", str, Permalink], Outgoing]


def _ticket(ticket: TicketView | None, entry: OutboxEntry) -> TicketView:
    if ticket is None:
        raise Undeliverable(f"{entry.kind.value} needs a ticket")
    return ticket


def _event_notice(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                  permalink: Permalink) -> Outgoing:
    """The notices of a logged event, rendered from the ticket as it is now."""
    view, kind, payload = _ticket(ticket, entry), entry.kind, entry.payload
    if kind in (NotificationKind.TICKET_OPENED, NotificationKind.ROOT_REFRESH):
        # The account's name, as the directory says now.
        named = ctx.support_for(None, account_id=view.account_id)
        return render_root(view, lang=lang, policy=ctx.policy, support=named, bugs=ctx.bug_tracker.enabled)
    if kind in (NotificationKind.REPORTER_RECEIPT, NotificationKind.REPORTER_CARD):
        reopen_until = (ctx.support.reopen_deadline(ctx.policy, view.resolved_at)
                        if view.status is Status.RESOLVED and view.resolved_at is not None else None)
        return render_receipt(view, lang=lang, policy=ctx.policy, contact=ctx.wiring.contact,
                              reopen_until=reopen_until, now=ctx.now())
    assert isinstance(payload, EventNotice)
    event = event_at(view, payload.seq)
    if isinstance(payload, ClickedUpdate):
        return render_clicked(view, event, reporter_lang=language_for(ctx, DirectMessage(), view),
                              channel_lang=ctx.wiring.default_language, policy=ctx.policy, said=payload.said)
    if kind is NotificationKind.TICKET_EVENT:
        return render_thread_event(view, event, lang=lang, policy=ctx.policy)
    if kind is NotificationKind.REPORTER_EVENT:
        return render_reporter_event(view, event, lang=lang, policy=ctx.policy)
    assert isinstance(payload, SeverityMoved)
    if not view.slack_channel or not view.slack_ts:
        raise WaitForRoot(view.ref)
    return render_severity_moved(view, event, lang=lang, permalink=permalink(view.slack_channel, view.slack_ts))


def _satisfaction_notice(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                         _permalink: Permalink) -> Outgoing:
    """The survey's messages, rendered from the survey's row as it is now."""
    view, payload = _ticket(ticket, entry), entry.payload
    if isinstance(payload, SatisfactionAsk):
        return render_survey(view, lang=lang)
    survey = get_survey(ctx.uow(), ticket_ref=view.ref)
    if isinstance(payload, SatisfactionLow):
        return render_low(survey, view, lang=lang, with_comment=payload.with_comment)
    # Edited where the reporter answered (a ClickedMessage address): in their language.
    return render_answered(survey, lang=language_for(ctx, DirectMessage(), view), policy=ctx.policy)


_SATISFACTION_KINDS = (NotificationKind.SATISFACTION_ASK, NotificationKind.SATISFACTION_ANSWERED,
                       NotificationKind.SATISFACTION_LOW)
_EVENT_KINDS = (NotificationKind.TICKET_OPENED, NotificationKind.ROOT_REFRESH, NotificationKind.TICKET_EVENT,
                NotificationKind.REPORTER_RECEIPT, NotificationKind.REPORTER_EVENT, NotificationKind.REPORTER_CARD,
                NotificationKind.CLICKED_MESSAGE, NotificationKind.SEVERITY_MOVED)
RENDERERS: Mapping[NotificationKind, Renderer] = {
    **{kind: _event_notice for kind in _EVENT_KINDS}, **NOTICE_RENDERERS,
    **{kind: _satisfaction_notice for kind in _SATISFACTION_KINDS},
    NotificationKind.MAIL_RECEIVED: render_mail_received,
    NotificationKind.RCA_APPROVAL: rca_notices.render_rca_approval,
    NotificationKind.RCA_DOCUMENT: rca_notices.render_rca_document,
    NotificationKind.RCA_REMINDER: rca_notices.render_rca_reminder,
    NotificationKind.RCA_LATE: rca_notices.render_rca_late,
}
MAIL_KINDS = frozenset({NotificationKind.REPORTER_EMAIL})  # rendered as mail: bot/mail/outgoing_render.py
# Tracker jobs are no Slack message: ``bot/trackers/worker.py`` does them; the sender never claims them.
assert set(RENDERERS) | MAIL_KINDS == set(NotificationKind) - TRACKER_JOBS, "every kind of notice needs a renderer"


def language_for(ctx: BotContext, address: Address, ticket: TicketView | None) -> str:
    """DMs speak their reader's language (the reporter's: the ticket's, else theirs), and
    so does the customer's shared thread (the ticket's language); channels speak app.yaml's."""
    if isinstance(address, (DirectMessage, ReporterCardDM, ReporterEmail, SharedThread)):
        if isinstance(address, DirectMessage) and address.user_id is not None:
            return ctx.language(address.user_id)
        if ticket is not None:
            return ticket.language or ctx.language(ticket.reporter_id)
    return ctx.wiring.default_language


@dataclass(frozen=True, kw_only=True)
class Destination:
    """Where in Slack: a channel (and a thread in it, or a message to edit), or a DM."""

    channel: str | None = None
    dm_user: str | None = None
    thread_ts: str | None = None
    edit_ts: str | None = None
    broadcast: bool = False
    mail_to: str | None = None  # not Slack: an e-mail to this user's address


_RUNG_CHANNEL: Mapping[Rung, Callable[[SlackWiring], str]] = {
    Rung.LEADS: lambda w: w.leads_channel, Rung.ON_CALL: lambda w: w.on_call_channel,
}
_FALLBACK_CHANNEL: Mapping[Fallback, Callable[[SlackWiring], str]] = {
    Fallback.ANNOUNCEMENTS: lambda w: w.announcements_channel, Fallback.LEADS: lambda w: w.leads_channel,
}


def destination(wiring: SlackWiring, address: Address, ticket: TicketView | None,
                card: tuple[str, str] | None = None) -> Destination:
    """The one place an address becomes a Slack channel. Raises WaitForRoot while the
    ticket's root post (which a thread or an edit needs) is not in Slack yet, or, for an
    edit of the reporter's card, while ``card`` (where their receipt DM landed) is unknown."""
    match address:
        case ReporterCardDM():
            if card is None:
                raise WaitForRoot(ticket.ref if ticket is not None else "")
            return Destination(channel=card[0], edit_ts=card[1])
        case ClickedMessage(channel=channel, ts=ts):
            return Destination(channel=channel, edit_ts=ts)
        case RootPost():
            channel, ts = _root(ticket)
            return Destination(channel=channel, edit_ts=ts)
        case TicketThread(broadcast=broadcast):
            channel, ts = _root(ticket)
            return Destination(channel=channel, thread_ts=ts, broadcast=broadcast)
        case SeverityChannel(severity=severity):
            # None: where the ticket is now (a root post sent late goes to its current channel).
            chosen = severity if severity is not None else (ticket.severity if ticket is not None else None)
            if chosen is None:
                raise Undeliverable("no severity to choose a channel by")
            return Destination(channel=wiring.channel_for(chosen))
        case EscalationRung(rung=rung):
            return Destination(channel=_RUNG_CHANNEL[rung](wiring))
        case DirectMessage(user_id=user_id):
            if user_id is not None:
                return Destination(dm_user=user_id)
            if ticket is None:
                raise Undeliverable("a DM to the reporter needs a ticket")
            return Destination(dm_user=ticket.reporter_id)
        case AnnouncementChannel(channel=channel, otherwise=otherwise):
            return Destination(channel=channel or _FALLBACK_CHANNEL[otherwise](wiring))
        case ReporterEmail():
            if ticket is None:
                raise Undeliverable("an e-mail to the reporter needs a ticket")
            return Destination(mail_to=ticket.reporter_id)
        case Tracker():
            raise Undeliverable("a tracker job is not a Slack message")
        case SharedThread():
            # Only a ticket opened from a message in its own account's shared channel.
            if ticket is None or ticket.source is None or not ticket.source.shared:
                raise Undeliverable("no shared channel message to reply under")
            return Destination(channel=ticket.source.channel, thread_ts=ticket.source.ts)
    raise Undeliverable(f"no destination for {address!r}")  # pragma: no cover - the union is closed


def _root(ticket: TicketView | None) -> tuple[str, str]:
    if ticket is None:
        raise Undeliverable("a thread or root message needs a ticket")
    if not ticket.slack_channel or not ticket.slack_ts:
        raise WaitForRoot(ticket.ref)
    return ticket.slack_channel, ticket.slack_ts


def _thread_start(ctx: BotContext, entry: OutboxEntry) -> str | None:
    """The ticket's first post to this threaded address (a reply goes under it), or None."""
    assert entry.ticket_id is not None
    with ctx.uow() as uow:
        try:
            return thread_start(uow.session, ticket_id=entry.ticket_id, audience=encode_address(entry.address),
                                before_id=entry.id)
        except ThreadPending:
            raise WaitForRoot(f"{entry.key}: the first page of its thread is not posted yet") from None


def compose(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, *, permalink: Permalink,
            card: tuple[str, str] | None = None) -> Operation:
    """The operation for ``entry``; raises WaitForRoot or Undeliverable. ``card``: where
    the reporter's receipt DM landed (channel, ts), for an edit of it."""
    where = destination(ctx.wiring, entry.address, ticket, card)  # before rendering: no root, nothing to do yet
    if where.mail_to is not None:
        assert ticket is not None and isinstance(entry.payload, EventNotice)
        return Mail(user_id=where.mail_to, mail=reporter_mail(ctx, ticket, event_at(ticket, entry.payload.seq),
                                                              lang=language_for(ctx, entry.address, ticket)))
    if isinstance(entry.address, EscalationRung) and entry.address.threaded and entry.ticket_id is not None:
        where = replace(where, thread_ts=_thread_start(ctx, entry))
    message = RENDERERS[entry.kind](ctx, entry, ticket, language_for(ctx, entry.address, ticket), permalink)
    if where.edit_ts is not None and where.channel is not None:
        return Update(channel=where.channel, ts=where.edit_ts, message=message)
    return Post(channel=where.channel, dm_user=where.dm_user, thread_ts=where.thread_ts, message=message,
                broadcast=where.broadcast, is_root=entry.kind is NotificationKind.TICKET_OPENED)

