"""Alembic environment: runs on the connection handed over by ``migrate.py`` (or opens
one from ``sqlalchemy.url``)."""

from __future__ import annotations

from alembic import context

from sla_core.persistence.engine import migration_engine
from sla_core.persistence.migrate import check_foreign_keys
from sla_core.persistence.schema import metadata

config = context.config
target_metadata = metadata  # every domain's tables


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = migration_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=target_metadata,
                              render_as_batch=conn.dialect.name == "sqlite")
            with context.begin_transaction():
                context.run_migrations()
            check_foreign_keys(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
