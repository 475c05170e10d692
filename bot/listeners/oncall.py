"""``/incident oncall`` (who is on call now, and who next) and, for leads,
``/incident oncall set @user until 2026-11-30T09:00`` (an override of the rotation)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.context import BotContext
from bot.listeners.common import check_capability
from messages import mention_user, render, slack_date
from sla_core.instants import parse_instant
from sla_core.authorization import Capability
from sla_core.oncall import set_override, who_is_on_call
from sla_core.errors import UsageError

# Slack escapes a mention in a slash command's text as <@U123|name> (manifest: should_escape).
_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")


def on_call_answer(ctx: BotContext, user: str, words: Sequence[str], lang: str) -> str:
    if not words:
        return _who(ctx, lang)
    if words[0].lower() == "set":
        return _set(ctx, user, words[1:], lang)
    raise UsageError("/incident oncall", "Usage: /incident oncall [set @user until YYYY-MM-DDTHH:MM]",
                     code="oncall_usage")


def _who(ctx: BotContext, lang: str) -> str:
    now = ctx.now()
    on_call = who_is_on_call(ctx.uow(), policy=ctx.policy, config=ctx.scheduling, now=now)
    if on_call.primary is None:
        return render("oncall.nobody", lang)
    return render("oncall.now", lang, primary=mention_user(on_call.primary),
                  secondary=mention_user(on_call.secondary) if on_call.secondary else None,
                  until=slack_date(on_call.until.astimezone(ctx.policy.timezone), lang) if on_call.until else None,
                  source=on_call.source)


def _set(ctx: BotContext, user: str, words: Sequence[str], lang: str) -> str:
    check_capability(ctx, Capability.SET_ON_CALL, user)
    if len(words) != 3 or words[1].lower() not in ("until", "jusqu'à", "jusqua"):
        raise UsageError("/incident oncall set", "Usage: /incident oncall set @user until YYYY-MM-DDTHH:MM",
                         code="oncall_usage")
    match = _MENTION.match(words[0])
    if match is None:
        raise UsageError("/incident oncall set", "Name the person with an @mention.", code="oncall_usage")
    now = ctx.now()
    until = parse_instant(words[2], timezone=ctx.policy.timezone, field="until")
    if until <= now:
        raise UsageError("until", "The override must end in the future.", code="oncall_until_past",
                         until=until.isoformat())
    set_override(ctx.uow(), user_id=match.group(1), starts_at=now, ends_at=until, set_by=user, now=now)
    return render("oncall.set", lang, who=mention_user(match.group(1)),
                  until=slack_date(until.astimezone(ctx.policy.timezone), lang))
