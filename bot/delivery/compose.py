"""From an outbox entry to one Slack operation: where it goes (by its audience) and what
it says (by its kind, rendered from the ticket's current state).

Addressing is generic over ``Audience``, so other kinds (reminders, breaches, pages,
digests) only need a renderer: pass ``renderers={kind: fn}`` to the sender."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.context import BotContext
from bot.rendering import (
    Outgoing, event_at, render_receipt, render_reporter_event, render_root, render_severity_moved,
    render_thread_event,
)
from sla_core.outbox.model import Audience, NotificationKind, OutboxEntry
from sla_core.severity import Severity
from sla_core.tickets.views import TicketView


class WaitForRoot(Exception):
    """The ticket's root post is not in Slack yet: try again in a few seconds."""


class Undeliverable(Exception):
    """Nothing can be sent for this entry as it stands (no renderer, no such ticket…)."""


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


Operation = Post | Update
Permalink = Callable[[str, str], str]
# A renderer for other kinds: (ctx, entry, ticket or None, language, permalink) → message.
Renderer = Callable[[BotContext, OutboxEntry, "TicketView | None", str, Permalink], Outgoing]


def language_for(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None) -> str:
    """DMs speak the reporter's language (the ticket's, else theirs); channels app.yaml's."""
    if entry.audience is Audience.REPORTER and ticket is not None:
        return ticket.language or ctx.language(ticket.reporter_id)
    if entry.audience is Audience.USER:
        return ctx.language(str(entry.payload.get("user_id") or ""))
    return ctx.wiring.default_language


def _builtin(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
             permalink: Permalink) -> Outgoing:
    if ticket is None:
        raise Undeliverable(f"{entry.kind.value} needs a ticket")
    kind = entry.kind
    if kind in (NotificationKind.TICKET_OPENED, NotificationKind.ROOT_REFRESH):
        return render_root(ticket, lang=lang, policy=ctx.policy, support=ctx.support)
    if kind is NotificationKind.REPORTER_RECEIPT:
        return render_receipt(ticket, lang=lang, policy=ctx.policy, contact=ctx.wiring.contact)
    event = event_at(ticket, int(entry.payload["seq"]))
    if kind is NotificationKind.TICKET_EVENT:
        return render_thread_event(ticket, event, lang=lang, policy=ctx.policy)
    if kind is NotificationKind.REPORTER_EVENT:
        return render_reporter_event(ticket, event, lang=lang, policy=ctx.policy)
    if kind is NotificationKind.SEVERITY_MOVED:
        if not ticket.slack_channel or not ticket.slack_ts:
            raise WaitForRoot(ticket.ref)
        return render_severity_moved(ticket, event, lang=lang,
                                     permalink=permalink(ticket.slack_channel, ticket.slack_ts))
    raise Undeliverable(f"no renderer for {kind.value}")  # pragma: no cover - guarded by BUILTIN_KINDS


BUILTIN_KINDS = frozenset({
    NotificationKind.TICKET_OPENED, NotificationKind.ROOT_REFRESH, NotificationKind.REPORTER_RECEIPT,
    NotificationKind.TICKET_EVENT, NotificationKind.REPORTER_EVENT, NotificationKind.SEVERITY_MOVED,
})


def _root(ticket: TicketView | None) -> tuple[str, str]:
    if ticket is None:
        raise Undeliverable("a thread or root message needs a ticket")
    if not ticket.slack_channel or not ticket.slack_ts:
        raise WaitForRoot(ticket.ref)
    return ticket.slack_channel, ticket.slack_ts


def _channel(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None) -> str:
    p = entry.payload
    if entry.audience is Audience.SEVERITY_CHANNEL:
        severity = p.get("severity") or (ticket.severity.value if ticket else None)
        if entry.kind is NotificationKind.TICKET_OPENED and ticket is not None:
            severity = ticket.severity.value  # the root goes where the ticket is now
        if not severity:
            raise Undeliverable("no severity to choose a channel by")
        return ctx.wiring.channel_for(Severity(severity))
    if p.get("channel"):
        return str(p["channel"])
    rung = p.get("rung")
    if rung == "leads":
        return ctx.wiring.leads_channel
    if rung == "on_call":
        return ctx.wiring.on_call_channel
    if rung == "announcements":
        return ctx.wiring.announcements_channel
    if rung == "severity_channel" and (p.get("severity") or ticket):
        return ctx.wiring.channel_for(Severity(p.get("severity") or ticket.severity))  # type: ignore[union-attr]
    raise Undeliverable(f"no channel for {entry.key}")


def compose(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, *, permalink: Permalink,
            renderers: Mapping[NotificationKind, Renderer]) -> Operation:
    """The operation for ``entry``; raises WaitForRoot or Undeliverable."""
    renderer = renderers.get(entry.kind) or (_builtin if entry.kind in BUILTIN_KINDS else None)
    if renderer is None:
        raise Undeliverable(f"no renderer for {entry.kind.value}")
    audience = entry.audience
    if audience in (Audience.ROOT, Audience.THREAD):
        channel, ts = _root(ticket)  # before rendering: no root, nothing to do yet
    message = renderer(ctx, entry, ticket, language_for(ctx, entry, ticket), permalink)
    if audience is Audience.ROOT:
        return Update(channel=channel, ts=ts, message=message)
    if audience is Audience.THREAD:
        return Post(channel=channel, thread_ts=ts, message=message, broadcast=bool(entry.payload.get("broadcast")))
    if audience is Audience.REPORTER:
        if ticket is None:
            raise Undeliverable("a reporter DM needs a ticket")
        return Post(channel=None, dm_user=ticket.reporter_id, message=message)
    if audience is Audience.USER:
        user = entry.payload.get("user_id")
        if not user:
            raise Undeliverable(f"no user_id in {entry.key}")
        return Post(channel=None, dm_user=str(user), message=message)
    return Post(channel=_channel(ctx, entry, ticket), message=message,
                is_root=entry.kind is NotificationKind.TICKET_OPENED)
