"""One account at a time: list, show, add, change, deactivate (the command line and
``/incident account``). Every change goes through ``changes`` (planned, written with
its audit rows, in one transaction). Who may do it is checked by the caller with
``authorize(actor, Capability.MANAGE_ACCOUNTS)``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sla_core.accounts import changes
from sla_core.accounts.changes import AccountSpec, Plan, person_key
from sla_core.accounts.models import AccountAudit, AccountPerson, CustomerAccount
from sla_core.accounts.people import (
    ACCOUNT_ID, CHANNEL_ID, EMAIL, TEAM_ID, Person, PersonRole, normal_email, person_problems, user_or_email,
)
from sla_core.errors import CodedError


class AccountError(CodedError):
    """A directory change refused; ``code`` says why (``messages/*/accounts.yaml``)."""


@dataclass(frozen=True, kw_only=True)
class AccountSummary:
    id: str
    name: str
    active: bool
    people: int


@dataclass(frozen=True, kw_only=True)
class AuditLine:
    at: datetime
    actor: str
    subject: str
    change: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None


@dataclass(frozen=True, kw_only=True)
class PersonChange:
    """A person to add (or whose role to change), or to remove when ``role`` is None."""

    who: str  # a Slack user id or an e-mail address
    role: PersonRole | None
    slack_team_id: str | None = None


def list_accounts(db: Any) -> list[AccountSummary]:
    counts = dict(db.execute(select(AccountPerson.account_id, func.count()).group_by(AccountPerson.account_id)).all())
    rows = db.execute(select(CustomerAccount.id, CustomerAccount.name, CustomerAccount.active)
                      .order_by(CustomerAccount.id)).all()
    return [AccountSummary(id=r.id, name=r.name, active=bool(r.active), people=int(counts.get(r.id, 0)))
            for r in rows]


def show_account(db: Any, account_id: str) -> AccountSpec:
    spec = changes.load(db, [account_id]).accounts.get(account_id)
    if spec is None:
        raise AccountError(f'No account "{account_id}".', code="account_not_found", account=account_id)
    return spec


def audit_of(db: Any, account_id: str, *, limit: int = 20) -> list[AuditLine]:
    rows = db.execute(select(AccountAudit).where(AccountAudit.account_id == account_id)
                      .order_by(AccountAudit.at.desc(), AccountAudit.id.desc()).limit(limit)).scalars()
    return [AuditLine(at=r.at, actor=r.actor, subject=r.subject, change=r.change, old=r.old, new=r.new) for r in rows]


def add_account(session: Any, *, account_id: str, name: str | None, slack_team_id: str | None = None,
                channels: Sequence[str] = (), contact_emails: Sequence[str] = (),
                people: Sequence[PersonChange] = (), actor: str, now: datetime) -> Plan:
    """A new account (refused if the id is taken). Writes in ``session``; the caller commits."""
    account_id = (account_id or "").strip()
    if not ACCOUNT_ID.match(account_id):
        raise AccountError(f'"{account_id}" is not an account id: letters, digits, "-", "_" or "." (64 at most).',
                           code="account_id_invalid", account=account_id)
    stored = changes.load(session, [account_id])
    if account_id in stored.accounts:
        raise AccountError(f'The account "{account_id}" already exists: change it with `set`.',
                           code="account_exists", account=account_id)
    spec = AccountSpec(id=account_id, name=(name or account_id).strip()[:200], active=True)
    return _write(session, stored, spec, slack_team_id=slack_team_id, add_channels=channels,
                  contact_emails=contact_emails, people=people, actor=actor, now=now)


def change_account(session: Any, *, account_id: str, name: str | None = None, active: bool | None = None,
                   slack_team_id: str | None = None, add_channels: Sequence[str] = (),
                   remove_channels: Sequence[str] = (), contact_emails: Sequence[str] | None = None,
                   people: Sequence[PersonChange] = (), actor: str, now: datetime) -> Plan:
    """Change what is given, leave the rest. Writes in ``session``; the caller commits."""
    stored = changes.load(session, [account_id])
    spec = stored.accounts.get(account_id)
    if spec is None:
        raise AccountError(f'No account "{account_id}".', code="account_not_found", account=account_id)
    if name is not None:
        spec = replace(spec, name=name.strip()[:200] or spec.name)
    if active is not None:
        spec = replace(spec, active=active)
    return _write(session, stored, spec, slack_team_id=slack_team_id, add_channels=add_channels,
                  remove_channels=remove_channels, contact_emails=contact_emails, people=people, actor=actor,
                  now=now)


def _write(session: Any, stored: changes.Stored, spec: AccountSpec, *, slack_team_id: str | None,
           add_channels: Sequence[str] = (), remove_channels: Sequence[str] = (),
           contact_emails: Sequence[str] | None, people: Sequence[PersonChange], actor: str, now: datetime) -> Plan:
    if slack_team_id is not None:
        team = slack_team_id.strip() or None
        if team and not TEAM_ID.match(team):
            raise _invalid("team", f'"{team}" is not a Slack team id (T then capitals and digits, e.g. T0123ABCD)')
        spec = replace(spec, slack_team_id=team)
    for channel in add_channels:
        if not CHANNEL_ID.match(channel):
            raise _invalid("channel", f'"{channel}" is not a channel id (C or G then capitals and digits)')
        owner = stored.channel_owner.get(channel)
        if owner is not None and owner != spec.id:
            raise AccountError(f"The channel {channel} is already linked to the account {owner}.",
                               code="channel_taken", channel=channel, account=owner)
    spec = replace(spec, channels=tuple(sorted((set(spec.channels) | set(add_channels)) - set(remove_channels))))
    if contact_emails is not None:
        emails = tuple(dict.fromkeys(e for e in (normal_email(x) for x in contact_emails) if e))
        for email in emails:
            if not EMAIL.match(email):
                raise _invalid("contact", f'"{email}" is not an e-mail address')
        spec = replace(spec, contact_emails=emails)
    spec = replace(spec, people=_with_people(spec, people))
    plan = changes.plan(stored, [spec])
    changes.apply(session, plan, actor=actor, now=now)
    return plan


def _with_people(spec: AccountSpec, given: Sequence[PersonChange]) -> tuple[Person, ...]:
    current = {person_key(p): p for p in spec.people}
    for change in given:
        user, email = user_or_email(change.who)
        if change.role is None:
            found = [k for k, p in current.items()
                     if (user and p.slack_user_id == user) or (email and p.email == email)]
            if not found:
                raise AccountError(f"{change.who} is not a person of {spec.id}.", code="person_not_found",
                                   user=change.who, account=spec.id)
            for key in found:
                del current[key]
            continue
        problems = person_problems(role=change.role.value, slack_user_id=user, email=email,
                                   slack_team_id=change.slack_team_id)
        if problems:
            raise _invalid("person", problems[0])
        existing = next((k for k, p in current.items()
                         if (user and p.slack_user_id == user) or (email and p.email == email)), None)
        if existing is not None:
            was = current.pop(existing)
            current[existing] = replace(was, role=change.role, slack_team_id=change.slack_team_id or was.slack_team_id)
        else:
            person = Person(account_id=spec.id, role=change.role, slack_user_id=user, email=email,
                            slack_team_id=change.slack_team_id)
            current[person_key(person)] = person
    return tuple(current.values())


def _invalid(field: str, problem: str) -> AccountError:
    return AccountError(problem, code="account_input_invalid", field=field, problem=problem)


__all__ = ["AccountError", "AccountSummary", "AuditLine", "PersonChange", "list_accounts", "show_account",
           "require_manager",
           "audit_of", "add_account", "change_account"]


def require_manager(support: Any, actor_id: str) -> None:
    """Leads (and the command line's operator) manage accounts. Only desk roles grant it,
    so the directory is not read for this check."""
    from sla_core.authorization import Capability, authorize, desk_actor

    authorize(desk_actor(actor_id, support=replace(support, accounts={})), Capability.MANAGE_ACCOUNTS)
