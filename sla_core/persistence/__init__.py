"""Persistence: the shared ``MetaData`` and the tickets' and accounts' tables, engine set-up,
the unit of work and Alembic migrations (shipped inside this package). Every other domain's
tables sit in the ``models`` module of its own folder, on the same ``MetaData``
(``schema.py`` gathers them); ``Mapped[...]`` appears only in those modules."""

from sla_core.persistence.engine import database_url_from_env, default_sqlite_path, make_engine, normalize_url
from sla_core.persistence.migrate import (
    check_database_current, current_revision, ensure_database, head_revision, upgrade_database,
)
from sla_core.persistence.uow import UnitOfWork

__all__ = [
    "database_url_from_env", "default_sqlite_path", "make_engine", "normalize_url", "check_database_current",
    "current_revision", "ensure_database", "head_revision", "upgrade_database", "UnitOfWork",
]
