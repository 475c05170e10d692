"""Tickets from a Slack message: the message shortcut and the 🎫 reaction.

The shortcut carries a trigger_id, so its ack opens the prefilled intake modal (after the
ack, like ``/incident``). A ``reaction_added`` event has no trigger_id, and a modal can
only be opened with one: the reacting user is sent an ephemeral message with a button
"Open a ticket from this message" (``chat.postEphemeral``), whose click brings the
trigger_id that opens the modal. That ephemeral is posted directly, after the ack, not
through the outbox: it is only useful within seconds, to the one user who reacted, and
Slack offers no way to find or edit an ephemeral message again, which the outbox's
exactly-once delivery relies on (the same holds for the refusals of ``bot/errors.py``).

Who may: an administrator opens a ticket for their account; an agent opens one on behalf
of the message's author (who must administer an account). End users who react are told,
privately, who their administrators are; anyone else's reaction is ignored."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.connect.from_message import FromMessage, prefill, safe_permalink
from bot.context import BotContext
from bot.errors import user_message
from bot.rendering import blocks as bk
from bot.views.intake import incident_modal
from messages import mention_user, render, render_plain
from sla_core.tickets.errors import TicketError
from sla_core.tickets.intake import account_for_reporter

log = logging.getLogger(__name__)

# Declared once: the manifest's message shortcut names this callback id (tested).
SHORTCUT_CALLBACK_ID = "ticket_from_message"
OPEN_BUTTON = "connect.open_ticket_from_message"


def reporter_for(ctx: BotContext, user: str, author: str | None, *, team: str | None = None,
                 author_team: str | None = None) -> str:
    """Whom the ticket will be for, or the refusal (raised) the user is told. ``team``,
    ``author_team``: the workspaces Slack says they are from (external members of a Slack
    Connect channel are recognised by team and user id, one indexed query)."""
    if ctx.support.is_agent(user) and author and author != user:
        _check_may_open(ctx, author, author_team)
        return author
    _check_may_open(ctx, user, team)
    return user


def _check_may_open(ctx: BotContext, user: str, team: str | None) -> None:
    support = ctx.support_for(user, team_id=team)
    if len(support.administered_by(user)) <= 1:
        account_for_reporter(support, user, None)  # raises: end user, stranger, inactive account


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def register(app: App, ctx: BotContext) -> None:
    def shortcut(ack: Ack, body: dict[str, Any]) -> None:
        user, message = body["user"]["id"], body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or ""
        reporter = reporter_for(ctx, user, _text(message.get("user")), team=_text(body["user"].get("team_id")),
                                author_team=_text(message.get("user_team")))  # raises: answered ephemerally
        ack()
        ctx.after_ack.with_trigger(open_modal, user, reporter, channel, str(message.get("ts") or ""),
                                   str(message.get("text") or ""), message.get("user"), body["trigger_id"])

    def reaction(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        item = event.get("item") or {}
        if (event.get("reaction") != ctx.connect.ticket_reaction or item.get("type") != "message"
                or not isinstance(event.get("user"), str)):
            return
        ctx.after_ack(offer, event["user"], str(item.get("channel") or ""), str(item.get("ts") or ""),
                      _text(event.get("item_user")), _text(event.get("user_team")))

    def offer(user: str, channel: str, ts: str, author: str | None, team: str | None) -> None:
        lang = ctx.language(user)
        try:
            reporter_for(ctx, user, author, team=team)
        except TicketError as refused:
            if refused.code != "end_user":  # a stranger's reaction is none of our business
                return
            text = user_message(refused, lang)
            ctx.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=[bk.section(text)])
            return
        text = render("connect.offer", lang)
        button = bk.button(OPEN_BUTTON, render_plain("connect.offer_button", lang), f"{channel} {ts}", style="primary")
        ctx.client.chat_postEphemeral(channel=channel, user=user, text=render_plain("connect.offer_fallback", lang),
                                      blocks=[bk.section(text), bk.actions("connect", [button])])

    def clicked(ack: Ack, body: dict[str, Any]) -> None:
        user = body["user"]["id"]
        channel, _, ts = str(body["actions"][0].get("value") or "").partition(" ")
        ack()
        ctx.after_ack.with_trigger(open_from_reaction, user, channel, ts, body["trigger_id"],
                                   _text(body["user"].get("team_id")))

    def open_from_reaction(user: str, channel: str, ts: str, trigger_id: str, team: str | None) -> None:
        message = read_message(channel, ts)
        lang = ctx.language(user)
        if message is None:
            ctx.client.chat_postEphemeral(channel=channel, user=user, text=render("connect.message_gone", lang))
            return
        try:
            reporter = reporter_for(ctx, user, _text(message.get("user")), team=team,
                                    author_team=_text(message.get("user_team")))
        except TicketError as refused:
            ctx.client.chat_postEphemeral(channel=channel, user=user, text=user_message(refused, lang))
            return
        open_modal(user, reporter, channel, ts, str(message.get("text") or ""), message.get("user"), trigger_id)

    def read_message(channel: str, ts: str) -> dict[str, Any] | None:
        """The message by channel id and ts: top-level (history), else a thread reply."""
        try:
            found = ctx.client.conversations_history(channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1)
            messages = [m for m in found.get("messages") or [] if m.get("ts") == ts]
            if not messages:
                found = ctx.client.conversations_replies(channel=channel, ts=ts, latest=ts, oldest=ts,
                                                         inclusive=True, limit=1)
                messages = [m for m in found.get("messages") or [] if m.get("ts") == ts]
        except SlackApiError as failure:
            log.info("message %s %s cannot be read: %s", channel, ts, failure.response.get("error"))
            return None
        return messages[0] if messages else None

    def open_modal(user: str, reporter: str, channel: str, ts: str, text: str, author: Any, trigger_id: str) -> None:
        author = author if isinstance(author, str) else None
        try:
            permalink = safe_permalink(ctx.client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink"))
        except SlackApiError:
            permalink = None  # the ticket still records the channel and ts
        lang = ctx.language(user)
        intro = render("connect.intro", lang, link=permalink, author=mention_user(author) if author else None)
        if reporter != user:
            intro += "\n" + render("connect.on_behalf", lang, reporter=mention_user(reporter))
        accounts = ctx.support_for(reporter).administered_by(reporter)
        where = FromMessage(channel=channel, ts=ts, permalink=permalink, author=author)
        view = incident_modal(support=ctx.support, language=lang, accounts=accounts, prefill=prefill(text),
                              private_metadata=where.encode(), intro=intro)
        ctx.client.views_open(trigger_id=trigger_id, view=view)

    app.shortcut(SHORTCUT_CALLBACK_ID)(shortcut)
    app.event("reaction_added")(reaction)
    app.action(OPEN_BUTTON)(clicked)
