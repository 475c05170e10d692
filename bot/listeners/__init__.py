"""Bolt listeners, one module per surface (slash command, modal submissions, buttons,
events). Each listener is thin: parse the payload, call one ``sla_core.tickets`` service,
render. Refusals are raised and answered once by ``bot/errors.py``; slow Slack calls
(``views.open``/``views.publish``) run after the ack through ``ctx.after_ack``."""

from __future__ import annotations

from slack_bolt import App

from bot.context import BotContext
from bot.listeners import actions, commands, connect, events, people, rca, satisfaction, sla_details, views


def register_listeners(app: App, ctx: BotContext) -> None:
    # Bolt tries the listeners in the order they were registered, and each try costs a few
    # µs (it builds every argument a listener could ask for): the most frequent requests
    # come first. An agent's button, then the form it opened, then the slash command.
    actions.register(app, ctx)
    views.register(app, ctx)
    commands.register(app, ctx)
    sla_details.register(app, ctx)
    satisfaction.register(app, ctx)
    events.register(app, ctx)
    people.register(app, ctx)
    rca.register(app, ctx)
    connect.register(app, ctx)
