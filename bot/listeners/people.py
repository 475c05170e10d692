"""``user_change``: Slack tells us a user's profile changed. When their address is one a
customer's person was given by, that person becomes this user at once (the periodic
``users.lookupByEmail`` would find it within a day anyway)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from sla_core.accounts.resolution import follow_user_change


def register(app: App, ctx: BotContext) -> None:
    def user_changed(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        user = event.get("user") or {}
        if isinstance(user, dict) and user.get("id") and not user.get("deleted") and not user.get("is_bot"):
            ctx.after_ack(follow, ctx, user)

    app.event("user_change")(user_changed)


def follow(ctx: BotContext, user: dict[str, Any]) -> None:
    with ctx.uow() as uow:
        follow_user_change(uow.session, slack_user_id=str(user["id"]), slack_team_id=user.get("team_id") or None,
                           email=(user.get("profile") or {}).get("email"), now=ctx.now())
        uow.commit()
