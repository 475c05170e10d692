"""Database fixtures, as a pytest plugin (register it with
``pytest_plugins = ["tests.conftest_db"]`` in the root conftest).

``database_url`` is parametrised: every test that uses it runs on SQLite (a file under
tmp_path) and on PostgreSQL. Each test gets a migrated, empty database:

- SQLite: a copy of a file migrated once per session;
- PostgreSQL: a schema with a random name, created and migrated once per session (so
  parallel runs and other engineers' tests never collide), selected through the URL's
  ``options=-csearch_path=…`` and emptied before each test; dropped at the end.

PostgreSQL is ``ASTREINTE_TEST_POSTGRES_URL`` (default 127.0.0.1:5432, user ``postgres``,
database ``test``). A server that answers but has no such database gets it created (from
its ``postgres`` database). When the server cannot be used, the PostgreSQL half is skipped
with one line saying why and which variable to set, unless ``ASTREINTE_REQUIRE_POSTGRES=1``
(CI): then it fails. ``empty_database_url`` gives a database with no tables at all
(migration tests)."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from sla_core.persistence.engine import make_engine
from sla_core.persistence.migrate import upgrade_database
from sla_core.persistence.uow import UnitOfWork

POSTGRES_URL = os.environ.get("ASTREINTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_reachable(url: str = POSTGRES_URL) -> bool:
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def create_database_if_missing(url: str) -> bool:
    """Create ``url``'s database if the server has none of that name (True if it did).

    Asked of the server's ``postgres`` database, not guessed from a connection error's
    text. Two statements, so no library for it (sqlalchemy-utils would be one more
    dependency for the same two)."""
    parsed = make_url(url)
    name = parsed.database or ""
    target = create_engine(parsed)
    try:
        with target.connect():
            return False
    except OperationalError:
        pass  # missing, or refused for another reason: the server's catalogue says which
    finally:
        target.dispose()
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                with target.connect():  # it exists: raise the real reason it cannot be used
                    return False
            try:
                conn.execute(text(f"CREATE DATABASE {admin.dialect.identifier_preparer.quote(name)}"))
            except ProgrammingError as exc:
                if getattr(exc.orig, "sqlstate", None) != "42P04":  # duplicate_database: a parallel run won
                    raise
                return False
            return True
    finally:
        admin.dispose()


def postgres_unusable(url: str = POSTGRES_URL) -> str | None:
    """None when the tests can use ``url`` (its database created if missing), else why
    not, in one line."""
    shown = make_url(url).render_as_string(hide_password=True)
    if not postgres_reachable(url):
        return f"PostgreSQL is unreachable at {shown}"
    try:
        create_database_if_missing(url)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[-1]
        return f"PostgreSQL at {shown} cannot be used ({reason})"
    return None


def require_postgres(url: str = POSTGRES_URL) -> None:
    """Skip (or fail, under ASTREINTE_REQUIRE_POSTGRES=1) when PostgreSQL cannot be used:
    one line, naming the variables that change it."""
    problem = postgres_unusable(url)
    if problem is None:
        return
    if os.environ.get("ASTREINTE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{problem} and ASTREINTE_REQUIRE_POSTGRES=1", pytrace=False)
    pytest.skip(f"{problem}: the PostgreSQL half of the suite is skipped "
                "(set ASTREINTE_TEST_POSTGRES_URL to use another server)")


def url_with_schema(base: str, schema: str) -> str:
    """``base`` with every connection's search_path set to ``schema``."""
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


class PostgresSchemas:
    """Creates uniquely named schemas and drops them all at the end of the session."""

    def __init__(self, base: str) -> None:
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, prefix: str = "astreinte_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self.created.append(name)
        return name

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    require_postgres()
    schemas = PostgresSchemas(POSTGRES_URL)
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def _migrated_postgres_url(postgres_schemas: PostgresSchemas) -> str:
    url = url_with_schema(POSTGRES_URL, postgres_schemas.create())
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    upgrade_database(f"sqlite+pysqlite:///{path}")
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    with engine.connect() as conn:  # fold the WAL back into the file before copying it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        names = [f'"{t}"' for t in metadata.tables if t != "alembic_version"]
        if names:
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated, empty database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_migrated_sqlite_template")
        target = tmp_path / "astreinte.sqlite3"
        shutil.copyfile(template, target)
        return f"sqlite+pysqlite:///{target}"
    url: str = request.getfixturevalue("_migrated_postgres_url")
    _empty_tables(url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database with no tables (not even Alembic's)."""
    if request.param == "sqlite":
        return f"sqlite+pysqlite:///{tmp_path / 'empty.sqlite3'}"
    schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
    return url_with_schema(POSTGRES_URL, schemas.create("astreinte_empty"))


@pytest.fixture
def db_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(db_engine: Engine) -> UnitOfWork:
    return UnitOfWork(db_engine)
