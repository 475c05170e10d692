"""``/incident`` and its subcommands. With no text it opens the intake modal: the ack
answers at once, then ``ctx.after_ack`` reads who the user is in the directory and calls
``views.open`` (the trigger_id lives 3 s), or refuses an end user / inactive account
ephemerally through ``response_url``, naming their administrators.
Every other subcommand (the table ``SUBCOMMANDS``, which ``help`` lists) answers in the
ack itself, ephemerally."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.errors import checked_after_ack
from bot.listeners.accounts import account_answer
from bot.listeners.common import (
    check_may_open_tickets, may_open_tickets, may_read_sla_details, may_see, read_ticket,
)
from bot.listeners.oncall import on_call_answer
from bot.listeners.service_levels import outage_answer, report_answer
from bot.rendering.blocks import Outgoing, section
from bot.rendering.card import sla_details_section
from bot.views.intake import incident_modal
from bot.views.tickets import list_entry, status_answer
from messages import SlackMarkup, render
from sla_core.config.support import Account, SupportConfig
from sla_core.tickets import TicketNotFound, agent_queue, list_open_for_reporter

COMMAND = "/incident"
# An answer to ``/incident WORD REST…``: (context, user, REST, language) → the ephemeral text,
# or a message with blocks (``/incident status``'s "SLA details" button).
Answer = Callable[[BotContext, str, Sequence[str], str], "str | Outgoing"]


@dataclass(frozen=True, kw_only=True)
class Subcommand:
    """One subcommand: its words (the first names it and its usage line ``cmd.usage.<name>``;
    the others are aliases), the words its handler takes next (named in that usage line),
    and its answer (None: open the intake modal)."""

    words: tuple[str, ...]
    answer: Answer | None
    subwords: tuple[str, ...] = ()
    wakes_sender: bool = False  # its answer may have queued messages

    @property
    def name(self) -> str:
        return self.words[0]


def _help(_ctx: BotContext, _user: str, _words: Sequence[str], lang: str) -> str:
    return help_text(lang)


# What ``/incident`` answers, in the order ``/incident help`` lists it: the dispatch below,
# the help and the manifest's usage hint (tested) all follow this table.
SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(words=("new", "open"), answer=None),  # and a bare /incident
    Subcommand(words=("list",), answer=lambda ctx, user, _words, lang: _list(ctx, user, lang)),
    Subcommand(words=("status",), answer=lambda ctx, user, words, lang: _status(ctx, user, words[0] if words else None,
                                                                                lang)),
    Subcommand(words=("outage", "panne"), answer=outage_answer, subwords=("start", "end", "list", "status"),
               wakes_sender=True),
    Subcommand(words=("report", "rapport"), answer=report_answer),
    Subcommand(words=("oncall", "astreinte"), answer=on_call_answer, subwords=("set",)),
    Subcommand(words=("account", "compte"), answer=account_answer,
               subwords=("list", "show", "add", "set", "deactivate")),
    Subcommand(words=("help",), answer=_help),
)
_BY_WORD = {word: sub for sub in SUBCOMMANDS for word in sub.words} | {"": SUBCOMMANDS[0]}


def help_text(lang: str) -> str:
    lines = [render("cmd.help_header", lang)]
    for sub in SUBCOMMANDS:
        others = [f"`{COMMAND} {word}`" for word in (sub.words if sub.answer is None else sub.words[1:])]
        also = SlackMarkup(" " + render("cmd.also", lang, words=others)) if others else ""
        lines.append("• " + render(f"cmd.usage.{sub.name}", lang, also=also))
    return "\n".join(lines)


def register(app: App, ctx: BotContext) -> None:
    def answer(ack: Ack, command: dict[str, Any], respond: Any) -> None:
        user = command["user_id"]
        words = (command.get("text") or "").split()
        sub = _BY_WORD.get(words[0].lower() if words else "")
        if sub is not None and sub.answer is None:
            # Acked before anything is read: who the user is in the directory is read right
            # after, where an end user or an inactive account is refused in the same words.
            ack()
            ctx.after_ack.with_trigger(check_then_open, user, command["trigger_id"],
                                       respond if command.get("response_url") else None)
            return
        lang = ctx.language(user)
        if sub is None:
            text = render("cmd.unknown", lang, text=" ".join(words)) + "\n\n" + help_text(lang)
        else:
            assert sub.answer is not None
            answered = sub.answer(ctx, user, words[1:], lang)
            if sub.wakes_sender:
                ctx.wake_sender()
            if isinstance(answered, Outgoing):
                ack(response_type="ephemeral", text=answered.text, blocks=answered.blocks)
                return
            text = answered
        ack(response_type="ephemeral", text=text)

    def check_then_open(user: str, trigger_id: str, respond: Any) -> None:
        """The directory read once, after the ack: a refusal is told ephemerally through
        ``response_url`` (as the error handler words it), else the intake modal opens."""
        support = checked_after_ack(lambda: check_may_open_tickets(ctx, user), user, respond, ctx.language)
        if support is not None:
            open_modal(user, support, trigger_id)

    def open_modal(user: str, support: SupportConfig, trigger_id: str) -> None:
        # ``support``: the directory's view of the user, read once, after the ack.
        if not may_open_tickets(support, user):
            return
        accounts = support.administered_by(user)
        view = intake_view(ctx.language(user), tuple((a.id, a.name) for a in accounts))
        ctx.client.views_open(trigger_id=trigger_id, view=view)

    # The intake modal depends only on the language and the accounts offered (their ids
    # and names): built once each (≈3 ms), not on every /incident. Never mutated once built.
    @lru_cache(maxsize=64)
    def intake_view(language: str, offered: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        accounts = [Account(id=a, name=name, active=True, administrators=frozenset()) for a, name in offered]
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


def _status(ctx: BotContext, user: str, ref: str | None, lang: str) -> str | Outgoing:
    if not ref:
        return render("cmd.status_missing_ref", lang)
    ref = ref.strip().upper()
    ticket = read_ticket(ctx, ref)
    if not may_see(ctx, ticket, user):
        raise TicketNotFound(ref)  # a stranger learns nothing, not even that it exists
    text = status_answer(ticket, policy=ctx.policy, language=lang, agent=ctx.support.is_agent(user))
    if not may_read_sla_details(ctx, ticket, user):  # another administrator of the account
        return text
    return Outgoing(text=text, blocks=[section(text),
                                       sla_details_section(ticket.ref, lang, prompt="sla_details.status_prompt")])
