"""``/incident`` and its subcommands. With no text it opens the intake modal: the ack
answers at once (or refuses an end user / inactive account ephemerally, naming their
administrators) and ``ctx.after_ack`` calls ``views.open`` (the trigger_id lives 3 s).
``help``, ``list`` and ``status`` answer in the ack itself, ephemerally."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.listeners.common import check_may_open_tickets, may_open_tickets, may_see, read_ticket
from bot.listeners.oncall import on_call_answer
from bot.listeners.service_levels import outage_answer, report_answer
from bot.views.intake import incident_modal
from bot.views.tickets import list_entry, status_answer
from messages import render
from sla_core.tickets import TicketNotFound, agent_queue, list_open_for_reporter

COMMAND = "/incident"
OPEN_WORDS = ("", "new", "open")


def register(app: App, ctx: BotContext) -> None:
    def answer(ack: Ack, command: dict[str, Any]) -> None:
        user = command["user_id"]
        words = (command.get("text") or "").split()
        sub = words[0].lower() if words else ""
        if sub in OPEN_WORDS:
            check_may_open_tickets(ctx, user)  # raises: the error handler answers ephemerally
            ack()
            ctx.after_ack.with_trigger(open_modal, user, command["trigger_id"])
            return
        lang = ctx.language(user)
        if sub == "help":
            text = render("cmd.help", lang)
        elif sub == "list":
            text = _list(ctx, user, lang)
        elif sub == "status":
            text = _status(ctx, user, words[1] if len(words) > 1 else None, lang)
        elif sub in ("oncall", "astreinte"):
            text = on_call_answer(ctx, user, words[1:], lang)
        elif sub in ("outage", "panne"):
            text = outage_answer(ctx, user, words[1:], lang)
            ctx.wake_sender()
        elif sub in ("report", "rapport"):
            text = report_answer(ctx, user, words[1:], lang)
        else:
            text = render("cmd.unknown", lang, text=" ".join(words)) + "\n\n" + render("cmd.help", lang)
        ack(response_type="ephemeral", text=text)

    def open_modal(user: str, trigger_id: str) -> None:
        if not may_open_tickets(ctx, user):
            return
        accounts = ctx.support.administered_by(user)
        view = intake_view(ctx.language(user), tuple(a.id for a in accounts))
        ctx.client.views_open(trigger_id=trigger_id, view=view)

    # The intake modal depends only on the language and the accounts offered (app.yaml):
    # built once each (≈3 ms), not on every /incident. Never mutated once built.
    @lru_cache(maxsize=64)
    def intake_view(language: str, account_ids: tuple[str, ...]) -> dict[str, Any]:
        accounts = [ctx.support.accounts[a] for a in account_ids]
        return incident_modal(support=ctx.support, language=language, accounts=accounts)

    app.command(COMMAND)(answer)


def _list(ctx: BotContext, user: str, lang: str) -> str:
    if ctx.support.is_agent(user):
        tickets = agent_queue(ctx.uow(), policy=ctx.policy, now=ctx.now(), agent_id=user)
    else:
        tickets = list_open_for_reporter(ctx.uow(), policy=ctx.policy, reporter_id=user, now=ctx.now())
    if not tickets:
        return render("cmd.list_empty", lang)
    lines = [render("cmd.list_header", lang)]
    for ticket in tickets[:20]:
        lines.append(list_entry(ticket, policy=ctx.policy, language=lang))
    if len(tickets) > 20:
        lines.append(render("ui.and_more", lang, count=len(tickets) - 20))
    return "\n".join(lines)


def _status(ctx: BotContext, user: str, ref: str | None, lang: str) -> str:
    if not ref:
        return render("cmd.status_missing_ref", lang)
    ref = ref.strip().upper()
    ticket = read_ticket(ctx, ref)
    if not may_see(ctx, ticket, user):
        raise TicketNotFound(ref)  # a stranger learns nothing, not even that it exists
    return status_answer(ticket, policy=ctx.policy, language=lang)
