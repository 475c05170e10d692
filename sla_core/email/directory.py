"""Who wrote a mail, from the account directory (``sla_core.accounts``): the one
directory Slack requests read too, so an administrator added with ``astreinte accounts`` or
``/incident account`` may write to the support address at once, with no restart.

A person with a Slack user acts as that user by mail as well; one known by address only
acts as ``mail:<address>``, which the directory's view (``accounts.directory.accounts_for``)
counts among their account's administrators or end users."""

from __future__ import annotations

from sqlalchemy import Engine, select

from sla_core.accounts import directory
from sla_core.accounts.models import AccountPerson, CustomerAccount
from sla_core.accounts.people import ADMINISTERING
from sla_core.email.incoming import AccountContacts, KnownSender

_A = CustomerAccount.__table__
_P = AccountPerson.__table__


class DatabaseSenderDirectory:
    """``SenderDirectory`` over the account directory: one indexed statement a lookup."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def person_by_email(self, address: str) -> KnownSender | None:
        with self._engine.connect() as connection:
            person = directory.person_by_email(connection, address)
        if person is None or person.email is None:
            return None
        return KnownSender(address=person.email, account_id=person.account_id,
                           role="administrator" if person.administers else "end_user",
                           slack_user_id=person.slack_user_id, language=None)

    def account_contacts(self, account_id: str) -> AccountContacts | None:
        """The account, and the addresses of its administrators and account holders (those
        known by Slack user only cannot be named in a mail)."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_A.c.name, _A.c.active, _P.c.email)
                .select_from(_A.outerjoin(_P, (_P.c.account_id == _A.c.id) & _P.c.role.in_(sorted(ADMINISTERING))
                                          & _P.c.email.is_not(None)))
                .where(_A.c.id == account_id).order_by(_P.c.email)).all()
        if not rows:
            return None
        name, active = rows[0].name, rows[0].active
        return AccountContacts(account_id=account_id, name=name, active=bool(active),
                               administrator_emails=tuple(r.email for r in rows if r.email))


__all__ = ["DatabaseSenderDirectory"]
