"""The first start copies app.yaml's accounts into the directory, once.

Once means once across replicas starting together: the copy is written in the
transaction that inserts the one ``directory_seed`` row, and that row's primary key is
the lock (on PostgreSQL the second replica's insert waits for the first's commit, then
finds the row and copies nothing; SQLite has one writer). After that, app.yaml's
``support.accounts`` is no longer read: the directory is managed with ``astreinte
accounts`` and ``/incident account``."""

from __future__ import annotations

import weakref
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sla_core.accounts import changes
from sla_core.accounts.changes import AccountSpec
from sla_core.accounts.models import DirectorySeed
from sla_core.accounts.people import Person, PersonRole, normal_email
from sla_core.config.support import Account, SupportConfig

SEED_ACTOR = "app.yaml"

# Engines known to be seeded: a process asks the database once, not on every request.
_SEEDED: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_seeded(engine: Engine, support: SupportConfig, *, now: datetime, source: str = SEED_ACTOR) -> bool:
    """Copy ``support.accounts`` in unless the directory was ever seeded; True if this
    call did it. Cheap after the first call on an engine."""
    if engine in _SEEDED:
        return False
    done = seed(engine, support, now=now, source=source)
    _SEEDED.add(engine)
    return done


def seed(engine: Engine, support: SupportConfig, *, now: datetime, source: str = SEED_ACTOR) -> bool:
    with Session(bind=engine) as session, session.begin():
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        won = session.execute(dialect.insert(DirectorySeed).values(id=1, seeded_at=now, source=source[:200])
                              .on_conflict_do_nothing(index_elements=["id"])
                              .returning(DirectorySeed.id)).first()
        if won is None:
            return False
        wanted = [spec_of(a) for a in support.accounts.values()]
        stored = changes.load(session, [s.id for s in wanted])
        changes.apply(session, changes.plan(stored, wanted), actor=SEED_ACTOR, now=now,
                      note=f"seeded from {source}")
    return True


def spec_of(account: Account) -> AccountSpec:
    """``account`` as the directory holds it. app.yaml names each person by a Slack user id
    or by an e-mail address (someone known by address only, e.g. who writes to the support
    address): the one becomes the person's Slack user, the other their address; both
    (``{slack_user_id, email}``) make one person."""
    def person(role: PersonRole, who: str) -> Person:
        if "@" in who:
            return Person(account_id=account.id, role=role, email=normal_email(who))
        return Person(account_id=account.id, role=role, slack_user_id=who, email=account.addresses.get(who))

    people = [person(PersonRole.ADMINISTRATOR, u) for u in sorted(account.administrators)]
    people += [person(PersonRole.END_USER, u) for u in sorted(account.end_users - account.administrators)]
    return AccountSpec(id=account.id, name=account.name, active=account.active,
                       contact_emails=tuple(account.contact_emails), people=tuple(people))


__all__ = ["ensure_seeded", "seed", "spec_of", "SEED_ACTOR"]
