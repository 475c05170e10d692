"""Alembic, configured in code: the migrations ship inside the package, no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from sla_core.persistence.engine import make_engine, migration_engine, normalize_url
from sla_core.tickets.errors import DatabaseNotCurrent

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # ConfigParser interpolation: a literal % in a URL (e.g. %3D) must be doubled.
        config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (``astreinte db upgrade``), in one
    transaction."""
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            check_foreign_keys(connection)
    finally:
        engine.dispose()


def check_foreign_keys(connection: Connection) -> None:
    """SQLite migrates with foreign keys off (``migration_engine``): refuse to commit a
    schema whose rows no longer match their keys. PostgreSQL never turns them off."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows without their parent: {broken[:5]}")


def check_database_current(engine: Engine) -> None:
    """Raise DatabaseNotCurrent unless the schema is at the latest revision."""
    current, expected = current_revision(engine), head_revision()
    if current != expected:
        raise DatabaseNotCurrent(current, expected)


def ensure_database(url: str, *, auto_upgrade: bool) -> Engine:
    """An engine on a database known to be current. ``auto_upgrade`` is meant for the
    default SQLite file (a single user's own store); a shared PostgreSQL database is
    upgraded by an operator with ``astreinte db upgrade``."""
    if auto_upgrade:
        upgrade_database(url)
    engine = make_engine(url)
    try:
        check_database_current(engine)
    except DatabaseNotCurrent:
        engine.dispose()
        raise
    return engine
