"""Migrations, the database URL, the SQLite settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sla_core.persistence import (
    check_database_current, current_revision, database_url_from_env, default_sqlite_path, ensure_database,
    head_revision, make_engine, normalize_url, upgrade_database,
)
from sla_core.persistence.models import Ticket
from sla_core.persistence.schema import metadata
from sla_core.tickets import DatabaseNotCurrent


def test_migrations_upgrade_an_empty_database_to_the_latest_revision(empty_database_url) -> None:
    engine = make_engine(empty_database_url)
    try:
        with pytest.raises(DatabaseNotCurrent, match=rf"database at revision none \(empty\), expected {head_revision()}: "
                                                     r"run `astreinte db upgrade`"):
            check_database_current(engine)
        upgrade_database(empty_database_url)
        check_database_current(engine)
        assert current_revision(engine) == head_revision()
        upgrade_database(empty_database_url)  # twice is harmless
    finally:
        engine.dispose()


def test_a_database_behind_the_latest_revision_is_named_with_both_revisions(empty_database_url) -> None:
    head = head_revision()
    if head == "0001":
        pytest.skip("only one revision so far")
    upgrade_database(empty_database_url, "0001")
    engine = make_engine(empty_database_url)
    try:
        with pytest.raises(DatabaseNotCurrent) as refused:
            check_database_current(engine)
    finally:
        engine.dispose()
    assert str(refused.value) == f"database at revision 0001, expected {head}: run `astreinte db upgrade`"
    assert refused.value.params == {"current": "0001", "expected": head}
    assert refused.value.code == "database_not_current"


def test_the_models_match_the_migrations(database_url) -> None:
    """Every domain's tables (``sla_core.persistence.schema``), not only the tickets':
    a model moved beside its domain must not change the schema, nor be missed by Alembic."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    assert diff == []
    assert tables == set(metadata.tables)


def test_ensure_database_upgrades_the_default_sqlite_file_itself(tmp_path: Path) -> None:
    url = database_url_from_env({"XDG_DATA_HOME": str(tmp_path)})
    engine = ensure_database(url, auto_upgrade=True)
    try:
        assert current_revision(engine) == head_revision()
        assert (tmp_path / "astreinte" / "astreinte.sqlite3").exists()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        engine.dispose()


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@db:5432/astreinte", "postgresql+psycopg://u:p@db:5432/astreinte"),
    ("postgresql://u@db/astreinte", "postgresql+psycopg://u@db/astreinte"),
    ("postgresql+psycopg://u@db/astreinte", "postgresql+psycopg://u@db/astreinte"),
    ("sqlite:////var/lib/astreinte.sqlite3", "sqlite:////var/lib/astreinte.sqlite3"),
])
def test_database_urls_are_pointed_at_psycopg_3(given: str, expected: str) -> None:
    assert normalize_url(given) == expected
    assert database_url_from_env({"DATABASE_URL": given}) == expected


def test_without_database_url_the_default_is_a_sqlite_file_in_the_xdg_data_home() -> None:
    assert default_sqlite_path({"XDG_DATA_HOME": "/data"}) == Path("/data/astreinte/astreinte.sqlite3")
    assert default_sqlite_path({"HOME": "/home/ana"}) == Path("/home/ana/.local/share/astreinte/astreinte.sqlite3")
    assert database_url_from_env({"HOME": "/home/ana", "DATABASE_URL": " "}) == \
        "sqlite+pysqlite:////home/ana/.local/share/astreinte/astreinte.sqlite3"


def test_a_naive_instant_is_refused(db_engine) -> None:
    from sqlalchemy.exc import StatementError
    from sqlalchemy.orm import Session
    with Session(db_engine) as session, pytest.raises(StatementError, match="naive datetime"):
        session.execute(Ticket.__table__.select().where(Ticket.opened_at < datetime(2026, 1, 1))).all()
