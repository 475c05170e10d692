"""The satisfaction survey's buttons and comment modal (``bot/rendering/satisfaction.py``).

A score button records the score in the ack (one conditional write: a double click or a
second score is refused ephemerally, naming the first, which is kept); the survey message
is then edited through the outbox to thank and offer the comment. The comment button checks
in the ack that the clicker is the reporter (anyone else is refused privately), then opens
the modal with the click's trigger id; its submission records the comment (refusals inline
in the modal)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.rendering.satisfaction import (
    COMMENT, COMMENT_BLOCK, COMMENT_FORM, SCORE_PREFIX, comment_modal, read_metadata,
)
from bot.rendering.blocks import selected
from sla_core.satisfaction import check_may_answer, record_comment, record_score

_SCORE = re.compile(rf"^{re.escape(SCORE_PREFIX)}[1-5]$")


def _clicked(body: dict[str, Any]) -> tuple[str, str] | None:
    """The message a button was pressed on (channel, ts), when Slack names it."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (str(channel), str(ts)) if channel and ts else None


def register(app: App, ctx: BotContext) -> None:
    def score(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        given = int(str(action.get("action_id", ""))[len(SCORE_PREFIX):])
        record_score(ctx.uow(), ticket_ref=str(action.get("value", "")), user_id=body["user"]["id"], score=given,
                     support=ctx.support, settings=ctx.satisfaction, now=ctx.now(), message=_clicked(body))
        ack()
        ctx.wake_sender()

    def open_comment(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        user, ref = body["user"]["id"], str(action.get("value", ""))
        check_may_answer(ctx.uow(), ticket_ref=ref, user_id=user, support=ctx.support)  # raises: refused privately
        ack()
        ctx.after_ack.with_trigger(_open, user, ref, _clicked(body), body["trigger_id"])

    def _open(user: str, ref: str, message: tuple[str, str] | None, trigger_id: str) -> None:
        ctx.client.views_open(trigger_id=trigger_id, view=comment_modal(ref, lang=ctx.language(user), message=message))

    def comment(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ref, message = read_metadata(str(view.get("private_metadata") or ""))
        text = selected((view.get("state") or {}).get("values") or {}, COMMENT_BLOCK) or ""
        record_comment(ctx.uow(), ticket_ref=ref, user_id=body["user"]["id"], comment=text, support=ctx.support,
                       settings=ctx.satisfaction, now=ctx.now(), message=message)
        ack()
        ctx.wake_sender()

    app.action(_SCORE)(score)
    app.action(COMMENT)(open_comment)
    app.view(COMMENT_FORM)(comment)
