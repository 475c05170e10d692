"""People given by e-mail address get their Slack user: the bot asks Slack
(``users.lookupByEmail``, which also finds external members of Slack Connect channels)
and records the answer here. Asked again every ``RESOLVE_EVERY``, so that a person who
changes workspace or address is followed; a change of user is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update

from sla_core.accounts.models import AccountAudit, AccountPerson

RESOLVE_EVERY = timedelta(hours=24)
SLACK_ACTOR = "slack"  # the audit trail's name for what Slack told us


@dataclass(frozen=True, kw_only=True)
class ToResolve:
    person_id: int
    email: str


def people_to_resolve(db: Any, *, now: datetime, every: timedelta = RESOLVE_EVERY,
                      limit: int = 50) -> list[ToResolve]:
    """People with an address never looked up, or not since ``every``: never-asked first."""
    stale = now - every
    rows = db.execute(select(AccountPerson.id, AccountPerson.email, AccountPerson.resolved_at)
                      .where(AccountPerson.email.is_not(None))
                      .where(or_(AccountPerson.resolved_at.is_(None), AccountPerson.resolved_at < stale))
                      .order_by(AccountPerson.resolved_at.is_not(None), AccountPerson.resolved_at, AccountPerson.id)
                      .limit(limit)).all()
    return [ToResolve(person_id=r.id, email=r.email) for r in rows]


def record_resolution(session: Any, person_id: int, *, slack_user_id: str | None, slack_team_id: str | None,
                      now: datetime) -> bool:
    """Slack's answer for a person: their user (and team), or None when Slack knows no one
    with that address — then the user found before is kept (a deactivated Slack account
    still names who they were) and asked again later. True when the user changed."""
    row = session.get(AccountPerson, person_id)
    if row is None:  # removed meanwhile
        return False
    changed = slack_user_id is not None and (row.slack_user_id, row.slack_team_id) != (
        slack_user_id, slack_team_id or row.slack_team_id)
    values: dict[str, Any] = {"resolved_at": now}
    if changed:
        old = {"slack_user_id": row.slack_user_id, "slack_team_id": row.slack_team_id}
        new = {"slack_user_id": slack_user_id, "slack_team_id": slack_team_id or row.slack_team_id}
        values.update(new)
        session.execute(insert(AccountAudit).values(
            at=now, actor=SLACK_ACTOR, account_id=row.account_id, subject=f"person:{row.email}", change="changed",
            old=old, new=new, note="users.lookupByEmail"))
    session.execute(update(AccountPerson).where(AccountPerson.id == person_id).values(**values))
    return changed


def follow_user_change(session: Any, *, slack_user_id: str, slack_team_id: str | None, email: str | None,
                       now: datetime) -> int:
    """Slack says ``slack_user_id``'s profile now has ``email`` (a ``user_change`` event):
    the people given by that address become that user, audited. The number changed."""
    from sla_core.accounts.people import normal_email

    address = normal_email(email)
    if address is None:
        return 0
    rows = session.execute(select(AccountPerson.id).where(AccountPerson.email == address)).scalars().all()
    return sum(record_resolution(session, person_id, slack_user_id=slack_user_id, slack_team_id=slack_team_id,
                                 now=now) for person_id in rows)
