"""What the scheduler's notices and the announcements say: update reminders, at-risk
warnings, breach escalations, on-call pages, digests, planned maintenance, the
availability error budget and the monthly summary. One renderer per kind, each reading
its own payload type (decided by ``sla_core.scheduler`` and ``sla_core.availability``)
and, for a ticket's notices, the ticket's current state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.context import BotContext
from bot.rendering import action_ids as ids
from bot.rendering.blocks import Block, Outgoing, actions, button, context, date_token, link, section
from bot.rendering.labels import severity_name
from messages import SlackMarkup, format_duration, mention_group, mention_user, render, render_plain
from sla_core.outbox.model import (
    AtRisk, AvailabilityWarning, Breach, Digest, Maintenance, MonthlySummary, NotificationKind, OutboxEntry, Page,
    Reminder, ScheduledNotice,
)
from sla_core.tickets.actions import TRANSITIONS, Action
from sla_core.tickets.views import TicketView

Permalink = Callable[[str, str], str]
SNOOZE_MINUTES = (15, 30, 60)


def _subject(ticket: TicketView | None, notice: ScheduledNotice, lang: str, permalink: Permalink) -> dict[str, Any]:
    where: SlackMarkup | str = notice.ref
    if ticket is not None and ticket.slack_channel and ticket.slack_ts:
        where = link(permalink(ticket.slack_channel, ticket.slack_ts), notice.ref)
    clock = getattr(notice, "clock", None)
    return {"ref": where, "title": ticket.title if ticket else "", "severity": severity_name(notice.severity, lang),
            "late": notice.late, "clock": render(f"clock.{clock.value}", lang) if clock else ""}


def _when(instant: datetime | None, ctx: BotContext, lang: str) -> SlackMarkup | None:
    return date_token(instant, lang, ctx.policy) if instant else None


def _remaining(ctx: BotContext, due: datetime | None) -> str:
    return format_duration(due - ctx.now(), ctx.wiring.default_language) if due else ""


def _snooze(ref: str, lang: str) -> Block:
    return actions("snooze", [button(ids.NOTICE_SNOOZE, render_plain("notice.snooze", lang, minutes=m), f"{ref}:{m}")
                              for m in SNOOZE_MINUTES])


def _out(text: str, *extra: Block) -> Outgoing:
    return Outgoing(text=text, blocks=[section(text), *extra])


def render_warning(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                   permalink: Permalink) -> Outgoing:
    """An at-risk warning or an update reminder, in the ticket's thread."""
    notice = entry.payload
    assert isinstance(notice, (Reminder, AtRisk))
    is_reminder = isinstance(notice, Reminder)
    agent = notice.agent if isinstance(notice, Reminder) else None
    text = render("notice.reminder" if is_reminder else "notice.at_risk", lang,
                  **_subject(ticket, notice, lang, permalink), due=_when(notice.due, ctx, lang),
                  remaining=_remaining(ctx, notice.due), agent=mention_user(agent) if agent else None,
                  snoozed=isinstance(notice, Reminder) and notice.snoozed)
    return _out(text, _snooze(notice.ref, lang))


def render_breach(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                  permalink: Permalink) -> Outgoing:
    """A breach, one rung of the escalation chain (thread broadcast, leads' channel)."""
    notice = entry.payload
    assert isinstance(notice, Breach)
    text = render("notice.limit" if notice.limit else "notice.breach", lang,
                  **_subject(ticket, notice, lang, permalink), due=_when(notice.due or notice.instant, ctx, lang),
                  level=notice.level, repeat=notice.repeat)
    return _out(text)


def render_page(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                permalink: Permalink) -> Outgoing:
    """An on-call page: a DM to the person paged, or a mention in the on-call channel."""
    notice = entry.payload
    assert isinstance(notice, Page)
    people = [mention_user(u) for u in notice.users]
    if notice.usergroup:
        people.append(mention_group(notice.usergroup))
    callback_due = (date_token(ticket.clocks.callback.due, lang, ctx.policy)
                    if ticket is not None and ticket.clocks.callback.due else None)
    text = render("notice.page", lang, **_subject(ticket, notice, lang, permalink), reason=notice.reason.value,
                  raised=notice.raised, people=SlackMarkup(" ".join(people)), callback_due=callback_due,
                  repeat=notice.repeat)
    if ticket is None or (ticket.status, Action.ACKNOWLEDGE) not in TRANSITIONS:
        return _out(text)
    # The root post's own [Acknowledge] (its declared button, opening the same modal), so
    # the person paged acts from the page; shown while the ticket still awaits its callback.
    return _out(text, actions("page", [button(ids.TICKET_ACKNOWLEDGE, render_plain("action.acknowledge.button", lang),
                                              ids.ticket_button_value(ticket.ref, ticket.status),
                                              style="primary")]))


def render_digest(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                  permalink: Permalink) -> Outgoing:
    """Many notices for one channel in one pass, as one message (Slack: ~1 post/s/channel)."""
    digest = entry.payload
    assert isinstance(digest, Digest)
    lines = [render("notice.digest_line", lang, ref=item.ref, kind=render(f"notice.kind.{item.kind.value}", lang),
                    clock=render(f"clock.{item.clock.value}", lang) if item.clock else "",
                    when=_when(item.instant, ctx, lang) or "", late=item.late)
             for item in digest.items[:40]]
    text = render("notice.digest", lang, count=len(digest.items))
    blocks = [section(text), section("\n".join(lines))]
    if len(digest.items) > 40:
        blocks.append(context(render("ui.and_more", lang, count=len(digest.items) - 40)))
    return Outgoing(text=text, blocks=blocks)


def render_maintenance(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                       permalink: Permalink) -> Outgoing:
    """Planned maintenance: scheduled, started, ended or cancelled."""
    notice = entry.payload
    assert isinstance(notice, Maintenance)
    return _out(render(f"notice.maintenance.{notice.event.value}", lang, id=notice.maintenance_id,
                       service=notice.service, starts=_when(notice.starts_at, ctx, lang),
                       ends=_when(notice.ends_at, ctx, lang), critical=notice.critical_fixes, reason=notice.reason))


def render_availability(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                        permalink: Permalink) -> Outgoing:
    """The availability error budget running low over the rolling window, or missed."""
    notice = entry.payload
    assert isinstance(notice, AvailabilityWarning)
    return _out(render("notice.availability", lang, ratio=f"{100 * notice.availability:.2f}",
                       left=notice.budget_left_minutes, budget=notice.budget_minutes, missed=notice.missed,
                       service=notice.service))


def render_monthly_summary(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                           permalink: Permalink) -> Outgoing:
    """Last month's figures in a line, and where to read the rest (``/incident report``)."""
    notice = entry.payload
    assert isinstance(notice, MonthlySummary)
    return _out(render("notice.monthly_summary", lang, month=notice.month, breaches=notice.breaches,
                       ratio=notice.availability, late=notice.late,
                       due=date_token(notice.due, lang, ctx.policy)))


NOTICE_RENDERERS: Mapping[NotificationKind, Callable[..., Outgoing]] = {
    NotificationKind.REMINDER: render_warning,
    NotificationKind.AT_RISK: render_warning,
    NotificationKind.BREACH: render_breach,
    NotificationKind.PAGE: render_page,
    NotificationKind.DIGEST: render_digest,
    NotificationKind.MAINTENANCE: render_maintenance,
    NotificationKind.AVAILABILITY: render_availability,
    NotificationKind.MONTHLY_SUMMARY: render_monthly_summary,
}
