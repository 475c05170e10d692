"""What the report, maintenance and outage commands share when they run (imported by
their handlers only, never while the parser is built): the configuration's sections,
the database, instants in the policy's time zone, the real time."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import config_of
from bot.runtime import DatabaseUnreachable, checked_database_url
from sla_core.availability.permissions import OPERATOR
from sla_core.config.service_levels import AvailabilityConfig
from sla_core.config.support import SupportConfig
from sla_core.instants import parse_instant
from sla_core.persistence.engine import database_url_from_env, is_sqlite
from sla_core.persistence.migrate import ensure_database
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy


def load(args: argparse.Namespace) -> tuple[Policy, SupportConfig, AvailabilityConfig]:
    """The sections these commands use, from the configuration read once; ``--as``
    defaults to the operator (who holds the deployment, so acts as a lead)."""
    if getattr(args, "actor", "") is None:
        args.actor = OPERATOR
    config = config_of(args)
    return config.policy, config.support, config.service_levels


@contextmanager
def database(args: argparse.Namespace) -> Iterator[UnitOfWork]:
    """A unit of work on ``--database`` (else DATABASE_URL, else the default SQLite file),
    its connections closed when the command is done."""
    if args.database:
        url = checked_database_url(args.database, "--database")
    elif os.environ.get("DATABASE_URL"):
        url = checked_database_url(os.environ["DATABASE_URL"])
    else:
        url = database_url_from_env(os.environ)
    try:
        uow = UnitOfWork(ensure_database(url, auto_upgrade=is_sqlite(url)))
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(url, exc) from exc
    try:
        yield uow
    finally:
        uow.engine.dispose()


def instant(text: str, policy: Policy, field: str) -> datetime:
    return parse_instant(text, timezone=policy.timezone, field=field)


def now_utc() -> datetime:
    return datetime.now(UTC)  # the command line is the edge: the domain never reads the clock
