"""Events: the App Home. ``app_home_opened`` (Home tab only) is acked at once; then,
off the ack, the user's tickets are read and ``views.publish`` called. Retried deliveries are
dropped before reaching here by the event-id dedupe middleware of ``bot/app.py``."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.context import BotContext
from bot.views.home import home_view
from messages import mention_user, render
from sla_core.preferences import language_preference
from sla_core.oncall import who_is_on_call
from sla_core.tickets import agent_queue, list_open_for_reporter


def register(app: App, ctx: BotContext) -> None:
    def home_opened(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        if event.get("tab") == "home" and isinstance(event.get("user"), str):
            ctx.after_ack(publish_home, ctx, ctx.client, event["user"])

    app.event("app_home_opened")(home_opened)


def publish_home(ctx: BotContext, client: WebClient, user: str) -> None:
    with ctx.uow() as uow:
        preference = language_preference(uow.session, user)
    queue = agent_queue(ctx.uow(), policy=ctx.policy, now=ctx.now()) if ctx.support.is_agent(user) else None
    mine = (list_open_for_reporter(ctx.uow(), policy=ctx.policy, reporter_id=user, now=ctx.now())
            if ctx.support_for(user).administered_by(user) else None)
    language = ctx.language(user)
    on_call = _on_call_line(ctx, language) if queue is not None else None
    view = home_view(language=language, preference=preference, queue=queue, mine=mine, policy=ctx.policy,
                     on_call=on_call)
    client.views_publish(user_id=user, view=view)


def _on_call_line(ctx: BotContext, language: str) -> str | None:
    on_call = who_is_on_call(ctx.uow(), policy=ctx.policy, config=ctx.scheduling, now=ctx.now())
    if on_call.primary is None:
        return None
    return render("oncall.home_line", language, primary=mention_user(on_call.primary),
                  secondary=mention_user(on_call.secondary) if on_call.secondary else None)
