"""Who is this user: the lookups every request makes, each ONE indexed query.

``support_for`` answers the intake and permission checks with the request's own view of
the directory: the given ``SupportConfig`` (agents, versions… from app.yaml) whose
``accounts`` are the accounts this user belongs to, each with its administrators, plus
the ticket's account when one is in question. The code that decides (``account_for_
reporter``, ``roles_of``) reads that view exactly as it read the configuration, so its
rules did not change; where the accounts come from did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, bindparam, case, or_, select

from sla_core.accounts.models import AccountChannel, AccountPerson, CustomerAccount
from sla_core.accounts.people import ADMINISTERING, Person, PersonRole, normal_email
from sla_core.authorization import MAIL_ACTOR
from sla_core.persistence.row_reads import all_rows
from sla_core.config.support import Account, SupportConfig

_A = CustomerAccount.__table__
_P = AccountPerson.__table__
_C = AccountChannel.__table__
_END_USER = PersonRole.END_USER.value


def support_for(db: Any, support: SupportConfig, user_id: str | None, *,
                account_id: str | None = None, team_id: str | None = None) -> SupportConfig:
    """``support`` seen by ``user_id`` (and naming ``account_id``'s account), read from the
    directory in one statement. ``db``: a Session or a Connection, or the engine of
    single-statement reads (``single_statement_reads``) for a read outside any transaction."""
    return replace(support, accounts=accounts_for(db, user_id, account_id=account_id, team_id=team_id))


def accounts_for(db: Any, user_id: str | None, *, account_id: str | None = None,
                 team_id: str | None = None) -> Mapping[str, Account]:
    """The accounts ``user_id`` belongs to (and ``account_id``'s), each with its
    administrators and, if they are one, the user among its end users. ``team_id``: the
    workspace the request says the user is from (an external member of a Slack Connect
    channel): a person recorded with another workspace is not them.

    One statement: ``ix_account_people_slack_user`` finds the user's accounts,
    ``ix_account_people_account_role`` their administrators.

    ``mail:<address>`` (mail to the support address, ``sla_core.email``) is the person
    with that address and no Slack user (``ix_account_people_email``): in their accounts'
    administrators or end users under that id, as a Slack user is under theirs. Someone
    with a Slack user acts as that user, by mail too."""
    address = normal_email(user_id[len(MAIL_ACTOR):]) if user_id and user_id.startswith(MAIL_ACTOR) else None
    by_user = bool(user_id) and not address
    if not (address or by_user or account_id):
        return {}
    statement = _accounts_statement(by_address=bool(address), by_user=by_user, by_team=by_user and bool(team_id),
                                    by_account=bool(account_id))
    params = {"user_id": user_id or "", "address": address, "team_id": team_id, "account_id": account_id}
    # An engine (a request's read, outside any transaction): through the driver directly,
    # as a click's ticket row is (row_reads); a session or connection: inside its transaction.
    rows = all_rows(db, statement, params) if isinstance(db, Engine) else db.execute(statement, params).all()
    found: dict[str, dict[str, Any]] = {}
    for acc, name, active, contacts, role, member in rows:
        entry = found.setdefault(acc, {"name": name, "active": bool(active), "contacts": tuple(contacts or ()),
                                       "admins": set(), "end": set()})
        if member is not None:
            (entry["admins"] if role in ADMINISTERING else entry["end"]).add(member)
    return {acc: Account(id=acc, name=e["name"], active=e["active"], administrators=frozenset(e["admins"]),
                         end_users=frozenset(e["end"]), contact_emails=e["contacts"])
            for acc, e in sorted(found.items())}


@lru_cache(maxsize=None)  # 16 shapes at most
def _accounts_statement(*, by_address: bool, by_user: bool, by_team: bool, by_account: bool) -> Select[Any]:
    """``accounts_for``'s statement for one shape of question, its values bound at execution.
    Built once per shape: building it anew on every request cost more of our CPU than
    running it (≈0.15 ms of a /incident's directory read, measured)."""
    user_id = bindparam("user_id", type_=_P.c.slack_user_id.type)
    address = bindparam("address", type_=_P.c.email.type)
    wanted: list[ColumnElement[bool]] = []
    if by_address:
        wanted.append(_A.c.id.in_(select(_P.c.account_id).where(_P.c.email == address,
                                                                _P.c.slack_user_id.is_(None))))
    elif by_user:
        mine = select(_P.c.account_id).where(_P.c.slack_user_id == user_id)
        if by_team:
            mine = mine.where(or_(_P.c.slack_team_id.is_(None), _P.c.slack_team_id == bindparam("team_id", type_=_P.c.slack_team_id.type)))
        wanted.append(_A.c.id.in_(mine))
    if by_account:
        wanted.append(_A.c.id == bindparam("account_id", type_=_A.c.id.type))
    in_slack = and_(_P.c.slack_user_id.is_not(None), or_(_P.c.role != _END_USER, _P.c.slack_user_id == user_id))
    by_mail = and_(_P.c.slack_user_id.is_(None), _P.c.email == address) if by_address else None
    joined = _A.outerjoin(_P, and_(_P.c.account_id == _A.c.id, in_slack if by_mail is None else or_(in_slack, by_mail)))
    # The mail actor's own row has no Slack id: it is counted under the actor's id.
    member_id = case((by_mail, user_id), else_=_P.c.slack_user_id) if by_mail is not None else _P.c.slack_user_id
    return (select(_A.c.id, _A.c.name, _A.c.active, _A.c.contact_emails, _P.c.role, member_id)
            .select_from(joined).where(or_(*wanted)))


def account_of_channel(db: Any, channel_id: str) -> str | None:
    """The account a shared channel is linked to, or None: one primary-key read."""
    found: str | None = db.execute(select(_C.c.account_id).where(_C.c.channel_id == channel_id)).scalar_one_or_none()
    return found


def person_by_slack_user(db: Any, user_id: str, team_id: str | None = None) -> Person | None:
    """The person this Slack user is (an administering role first, then by account), or
    None. ``team_id``: only as a member of that workspace (Slack Connect)."""
    people = people_by_slack_user(db, user_id, team_id)
    return people[0] if people else None


def people_by_slack_user(db: Any, user_id: str, team_id: str | None = None) -> tuple[Person, ...]:
    stmt = select(_P).where(_P.c.slack_user_id == user_id)
    if team_id:
        stmt = stmt.where(or_(_P.c.slack_team_id == team_id, _P.c.slack_team_id.is_(None)))
    return _ordered(db.execute(stmt).all())


def person_by_email(db: Any, address: str) -> Person | None:
    """The person with this e-mail address (an administering role first), or None."""
    people = people_by_email(db, address)
    return people[0] if people else None


def people_by_email(db: Any, address: str) -> tuple[Person, ...]:
    email = normal_email(address)
    if email is None:
        return ()
    return _ordered(db.execute(select(_P).where(_P.c.email == email)).all())


def maintenance_contacts(db: Any) -> dict[str, tuple[str, ...]]:
    """The contact e-mails of every active account (a customer without a contract is not told)."""
    rows = db.execute(select(_A.c.id, _A.c.contact_emails).where(_A.c.active.is_(True))).all()
    return {acc: tuple(emails) for acc, emails in rows if emails}


def _ordered(rows: Any) -> tuple[Person, ...]:
    people = [Person(account_id=r.account_id, role=PersonRole(r.role), slack_user_id=r.slack_user_id,
                     email=r.email, slack_team_id=r.slack_team_id) for r in rows]
    return tuple(sorted(people, key=lambda p: (not p.administers, p.account_id)))
