"""``/incident account list|show|add|set|deactivate …``: support leads manage the
customer accounts from Slack; every answer is ephemeral, every mistake a clear refusal
(``AccountError``, answered by the one error handler). The changes themselves are
``sla_core.accounts.manage``'s, audited under the lead's user id."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.context import BotContext
from bot.listeners.common import check_capability
from bot.people_lookup import resolve_people
from messages import mention_channel, mention_user, render
from sla_core.accounts import manage
from sla_core.accounts.changes import Plan
from sla_core.accounts.manage import AccountError, PersonChange
from sla_core.accounts.people import PersonRole, user_or_email
from sla_core.authorization import Capability

LISTED = 20  # an ephemeral answer stays readable; the command line lists them all
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_ROLES = {f"{r.value}+": r for r in PersonRole}
_BOOLEAN = {"yes": True, "oui": True, "true": True, "no": False, "non": False, "false": False}


def account_answer(ctx: BotContext, user: str, words: Sequence[str], lang: str) -> str:
    check_capability(ctx, Capability.MANAGE_ACCOUNTS, user)  # leads only, for reading too: customers' data
    verb = words[0].lower() if words else ""
    rest = list(words[1:])
    if verb == "list" and not rest:
        return _list(ctx, lang)
    if verb in ("show", "add", "set", "deactivate") and rest:
        account_id = rest[0]
        if verb == "show":
            return _show(ctx, account_id, lang)
        if verb == "add":
            with Session(ctx.engine) as session, session.begin():
                plan = manage.add_account(session, account_id=account_id, name=" ".join(rest[1:]) or None,
                                          actor=user, now=ctx.now())
            return render("account.added", lang, id=account_id, count=len(plan.changes))
        if verb == "deactivate" and len(rest) == 1:
            with Session(ctx.engine) as session, session.begin():
                manage.change_account(session, account_id=account_id, active=False, actor=user, now=ctx.now())
            return render("account.deactivated", lang, id=account_id)
        if verb == "set" and len(rest) > 1:
            wanted = _assignments(rest[1:])
            with Session(ctx.engine) as session, session.begin():
                plan = manage.change_account(session, account_id=account_id, actor=user, now=ctx.now(), **wanted)
            if any(c.subject.startswith("person:") and "@" in c.subject for c in plan.changes):
                ctx.after_ack(resolve_people, ctx)  # committed: who they are in Slack, off the ack
            return _changed(plan, account_id, lang)
    raise AccountError("Usage: /incident account list|show|add|set|deactivate …", code="account_usage")


def _list(ctx: BotContext, lang: str) -> str:
    with Session(ctx.engine) as session:
        accounts = manage.list_accounts(session)
    if not accounts:
        return render("account.list_empty", lang)
    lines = [render("account.list_header", lang)]
    lines += [render("account.list_line", lang, id=a.id, name=a.name, active=a.active, people=a.people)
              for a in accounts[:LISTED]]
    if len(accounts) > LISTED:
        lines.append(render("account.and_more", lang, count=len(accounts) - LISTED))
    return "\n".join(lines)


def _show(ctx: BotContext, account_id: str, lang: str) -> str:
    with Session(ctx.engine) as session:
        spec = manage.show_account(session, account_id)
    lines = [render("account.show_header", lang, id=spec.id, name=spec.name, active=spec.active)]
    if spec.slack_team_id:
        lines.append(render("account.show_team", lang, team=spec.slack_team_id))
    if spec.channels:
        lines.append(render("account.show_channels", lang,
                            channels=_joined([mention_channel(c) for c in spec.channels])))
    if spec.contact_emails:
        lines.append(render("account.show_contacts", lang, contacts=", ".join(spec.contact_emails)))
    for p in spec.people:
        who = mention_user(p.slack_user_id) if p.slack_user_id else p.email
        if p.slack_user_id and p.email:
            who = _joined([mention_user(p.slack_user_id), render("account.show_email", lang, email=p.email)])
        lines.append(render("account.show_person", lang, role=render(f"account.role.{p.role.value}", lang), who=who))
    if not spec.people:
        lines.append(render("account.show_nobody", lang))
    return "\n".join(lines)


def _joined(parts: Sequence[object]) -> object:
    from messages import SlackMarkup

    return SlackMarkup(", ".join(str(p) for p in parts))


def _changed(plan: Plan, account_id: str, lang: str) -> str:
    if plan.empty:
        return render("account.unchanged", lang, id=account_id)
    return render("account.changed", lang, id=account_id, count=len(plan.changes))


def _assignments(words: Sequence[str]) -> dict[str, object]:
    """``name="ACME Corp" active=no team=T… channel+=<#C…> channel-=… contacts=a@x,b@x
    administrator+=<@U…> account_holder+=a@x end_user+=… person-=…`` → ``change_account``'s
    keywords. Slack's typographic quotes count as quotes."""
    text = " ".join(words).replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    try:
        parts = shlex.split(text)
    except ValueError:
        raise _usage() from None
    out: dict[str, object] = {}
    people: list[PersonChange] = []
    add_channels: list[str] = []
    remove_channels: list[str] = []
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise _usage()
        key = key.lower()
        if key == "name":
            out["name"] = value
        elif key == "active" and value.lower() in _BOOLEAN:
            out["active"] = _BOOLEAN[value.lower()]
        elif key == "team":
            out["slack_team_id"] = value
        elif key in ("channel+", "channel-"):
            match = _CHANNEL.match(value)
            (add_channels if key == "channel+" else remove_channels).append(match.group(1) if match else value)
        elif key == "contacts":
            out["contact_emails"] = [user_or_email(v)[1] or v for v in value.split(",") if v.strip()]
        elif key in _ROLES:
            people.append(PersonChange(who=value, role=_ROLES[key]))
        elif key == "person-":
            people.append(PersonChange(who=value, role=None))
        else:
            raise _usage()
    return {**out, "people": people, "add_channels": add_channels, "remove_channels": remove_channels}


def _usage() -> AccountError:
    return AccountError("Usage: /incident account set ACCOUNT key=value …", code="account_usage")
