"""Persistence: SQLAlchemy models, engine set-up, the unit of work and Alembic migrations
(shipped inside this package). ``Mapped[...]`` appears here and nowhere else."""

from sla_core.persistence.engine import database_url_from_env, default_sqlite_path, make_engine, normalize_url
from sla_core.persistence.migrate import (
    check_database_current, current_revision, ensure_database, head_revision, upgrade_database,
)
from sla_core.persistence.uow import UnitOfWork

__all__ = [
    "database_url_from_env", "default_sqlite_path", "make_engine", "normalize_url", "check_database_current",
    "current_revision", "ensure_database", "head_revision", "upgrade_database", "UnitOfWork",
]
