"""``astreinte db upgrade | check | url``: the operator's side of the database.

A shared PostgreSQL database is upgraded by an operator (or a release job) before the
new version serves: ``astreinte serve`` refuses a database that is not at the latest
revision rather than migrating it under replicas still running the old code. The default
SQLite file (no ``DATABASE_URL``) is one person's store and upgrades itself."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="database schema: upgrade, check, url",
                                   description="Uses DATABASE_URL, else the default SQLite file.")
    commands = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = commands.add_parser("upgrade", help="migrate the database to the latest revision")
    upgrade.set_defaults(handler=db_upgrade)
    check = commands.add_parser("check", help="exit 0 if the database is at the latest revision, else 2")
    check.set_defaults(handler=db_check)
    url = commands.add_parser("url", help="print the database URL in use (password masked)")
    url.set_defaults(handler=db_url)


def _url() -> str:
    from bot.runtime import resolve_database_url
    from bot.settings import Environment

    return resolve_database_url(Environment.from_environ())[0]


def db_upgrade(_args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.runtime import DatabaseUnreachable, mask_url
    from sla_core.persistence.migrate import upgrade_database

    url = _url()
    before = _revision(url)
    try:
        upgrade_database(url)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(url, exc) from exc
    after = _revision(url)
    if before == after:
        print(f"{mask_url(url)}: already at revision {after}")
    else:
        print(f"{mask_url(url)}: upgraded from {before or 'an empty database'} to {after}")
    return 0


def db_check(_args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.runtime import DatabaseUnreachable, mask_url
    from sla_core.persistence.engine import make_engine
    from sla_core.persistence.migrate import check_database_current, head_revision

    url = _url()
    engine = make_engine(url)
    try:
        check_database_current(engine)  # raises DatabaseNotCurrent: "run `astreinte db upgrade`"
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(url, exc) from exc
    finally:
        engine.dispose()
    print(f"{mask_url(url)}: at the latest revision ({head_revision()})")
    return 0


def db_url(_args: argparse.Namespace) -> int:
    from bot.runtime import mask_url

    print(mask_url(_url()))
    return 0


def _revision(url: str) -> str | None:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.runtime import DatabaseUnreachable
    from sla_core.persistence.engine import make_engine
    from sla_core.persistence.migrate import current_revision

    engine = make_engine(url)
    try:
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(url, exc) from exc
    finally:
        engine.dispose()
