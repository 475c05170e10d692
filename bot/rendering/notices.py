"""What the scheduler's notices say: update reminders, at-risk warnings, breach
escalations, on-call pages and digests. Each renderer takes the outbox entry (its payload
was decided by ``sla_core.scheduler.plan``) and the ticket's current state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.context import BotContext
from bot.rendering import action_ids as ids
from bot.rendering.blocks import Block, Outgoing, actions, button, context, date_token, link, section
from bot.rendering.labels import severity_name
from messages import SlackMarkup, format_duration, mention_group, mention_user, render, render_plain
from sla_core.outbox.model import NotificationKind, OutboxEntry
from sla_core.tickets.views import TicketView

Permalink = Callable[[str, str], str]
SNOOZE_MINUTES = (15, 30, 60)


def _when(entry: OutboxEntry, key: str, ctx: BotContext, lang: str) -> SlackMarkup | None:
    raw = entry.payload.get(key)
    return date_token(datetime.fromisoformat(str(raw)), lang, ctx.policy) if raw else None


def _subject(ctx: BotContext, ticket: TicketView | None, entry: OutboxEntry, lang: str,
             permalink: Permalink) -> dict[str, Any]:
    ref = str(entry.payload.get("ref") or (ticket.ref if ticket else ""))
    where: SlackMarkup | str = ref
    if ticket is not None and ticket.slack_channel and ticket.slack_ts:
        where = link(permalink(ticket.slack_channel, ticket.slack_ts), ref)
    return {"ref": where, "title": ticket.title if ticket else "",
            "severity": severity_name(entry.payload.get("severity") or ticket.severity if ticket else "none", lang),
            "late": bool(entry.payload.get("late")),
            "clock": render(f"clock.{entry.payload['clock']}", lang) if entry.payload.get("clock") else ""}


def _remaining(ctx: BotContext, entry: OutboxEntry) -> str:
    due = entry.payload.get("due")
    if not due:
        return ""
    return format_duration(datetime.fromisoformat(str(due)) - ctx.now(), ctx.wiring.default_language)


def _snooze(ref: str, lang: str) -> Block:
    return actions("snooze", [button(ids.NOTICE_SNOOZE, render_plain("notice.snooze", lang, minutes=m), f"{ref}:{m}")
                              for m in SNOOZE_MINUTES])


def _out(text: str, *extra: Block) -> Outgoing:
    return Outgoing(text=text, blocks=[section(text), *extra])


def render_warning(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                   permalink: Permalink) -> Outgoing:
    """An at-risk warning or an update reminder, in the ticket's thread."""
    s = _subject(ctx, ticket, entry, lang, permalink)
    agent = entry.payload.get("agent")
    key = "notice.reminder" if entry.kind is NotificationKind.REMINDER else "notice.at_risk"
    text = render(key, lang, **s, due=_when(entry, "due", ctx, lang),
                  remaining=_remaining(ctx, entry), agent=mention_user(str(agent)) if agent else None,
                  snoozed=bool(entry.payload.get("snoozed")))
    return _out(text, _snooze(str(entry.payload.get("ref")), lang))


def render_breach(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                  permalink: Permalink) -> Outgoing:
    """A breach, one rung of the escalation chain (thread broadcast, leads' channel)."""
    s = _subject(ctx, ticket, entry, lang, permalink)
    key = "notice.limit" if entry.payload.get("limit") else "notice.breach"
    text = render(key, lang, **s, due=_when(entry, "due", ctx, lang) or _when(entry, "instant", ctx, lang),
                  level=int(entry.payload.get("level") or 0), repeat=int(entry.payload.get("repeat") or 0))
    return _out(text)


def render_page(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                permalink: Permalink) -> Outgoing:
    """An on-call page: a DM to the person paged, or a mention in the on-call channel."""
    s = _subject(ctx, ticket, entry, lang, permalink)
    people = [mention_user(str(u)) for u in entry.payload.get("users") or []]
    group = entry.payload.get("usergroup")
    if group:
        people.append(mention_group(str(group)))
    callback_due = (date_token(ticket.clocks.callback.due, lang, ctx.policy)
                    if ticket is not None and ticket.clocks.callback.due else None)
    text = render("notice.page", lang, **s, reason=str(entry.payload.get("reason") or ""),
                  people=SlackMarkup(" ".join(people)), callback_due=callback_due,
                  repeat=int(entry.payload.get("repeat") or 0))
    return _out(text)


def render_digest(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                  permalink: Permalink) -> Outgoing:
    """Many notices for one channel in one pass, as one message (Slack: ~1 post/s/channel)."""
    items = list(entry.payload.get("items") or [])
    lines = []
    for item in items[:40]:
        clock = render(f"clock.{item['clock']}", lang) if item.get("clock") else ""
        when = date_token(datetime.fromisoformat(item["instant"]), lang, ctx.policy) if item.get("instant") else ""
        lines.append(render("notice.digest_line", lang, ref=item.get("ref") or "",
                            kind=render(f"notice.kind.{item['kind']}", lang), clock=clock, when=when,
                            late=bool(item.get("late"))))
    text = render("notice.digest", lang, count=len(items))
    blocks = [section(text), section("\n".join(lines))]
    if len(items) > 40:
        blocks.append(context(render("ui.and_more", lang, count=len(items) - 40)))
    return Outgoing(text=text, blocks=blocks)


NOTICE_RENDERERS: Mapping[NotificationKind, Callable[..., Outgoing]] = {
    NotificationKind.REMINDER: render_warning,
    NotificationKind.AT_RISK: render_warning,
    NotificationKind.BREACH: render_breach,
    NotificationKind.PAGE: render_page,
    NotificationKind.DIGEST: render_digest,
}


def render_announcement(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                        permalink: Permalink) -> Outgoing:
    """Planned maintenance (scheduled, started, ended, cancelled), the availability error
    budget running low, and the monthly summary: told from the payload's figures."""
    p = entry.payload
    if p.get("maintenance_id") is not None:
        text = render(f"notice.maintenance.{p.get('event')}", lang, id=p["maintenance_id"], service=p.get("service"),
                      starts=_when(entry, "starts_at", ctx, lang), ends=_when(entry, "ends_at", ctx, lang),
                      critical=bool(p.get("critical_fixes")), reason=p.get("reason") or "")
    elif p.get("threshold") is not None:
        text = render("notice.availability", lang, ratio=f"{100 * float(p.get('availability') or 0):.2f}",
                      left=int(p.get("budget_left_minutes") or 0), budget=int(p.get("budget_minutes") or 0),
                      missed=p.get("threshold") == "missed", service=p.get("service"))
    elif p.get("month"):
        text = render("notice.monthly_summary", lang, month=p["month"], breaches=int(p.get("breaches") or 0),
                      ratio=float(p.get("availability") or 0))
    else:
        raise ValueError(f"an announcement of an unknown shape: {entry.key}")
    return _out(text)


NOTICE_RENDERERS = {**NOTICE_RENDERERS, NotificationKind.ANNOUNCEMENT: render_announcement}
