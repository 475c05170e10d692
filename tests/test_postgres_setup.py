"""The test command works on a machine whose PostgreSQL has no ``test`` database: the
suite creates the database it is pointed at, and skips its PostgreSQL half with one line
when the server cannot be used (failing instead under ASTREINTE_REQUIRE_POSTGRES=1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sla_core.persistence import upgrade_database
from tests.conftest import REPO
from tests.conftest_db import POSTGRES_URL, postgres_unusable, require_postgres

# A quick test with a PostgreSQL half, run as a whole pytest process.
PROBE = "tests/tickets/test_database.py::test_the_models_match_the_migrations"


def server_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def database_exists(name: str) -> bool:
    admin = create_engine(server_url("postgres"))
    try:
        with admin.connect() as conn:
            return bool(conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}))
    finally:
        admin.dispose()


@pytest.fixture
def missing_database() -> Iterator[str]:
    """The name of a database that does not exist yet; dropped afterwards if created."""
    require_postgres()
    name = f"astreinte_missing_{uuid.uuid4().hex[:10]}"
    assert not database_exists(name)
    yield name
    admin = create_engine(server_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def run_pytest(target: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "ASTREINTE_REQUIRE_POSTGRES"} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
                          cwd=REPO, env=environ, capture_output=True, text=True, timeout=300)


def test_a_missing_database_is_created_and_can_be_migrated(missing_database: str) -> None:
    url = server_url(missing_database)
    assert postgres_unusable(url) is None
    assert database_exists(missing_database)
    assert postgres_unusable(url) is None  # a second time: already there
    upgrade_database(url)


def test_the_suite_runs_its_postgresql_half_against_a_database_that_did_not_exist(missing_database: str) -> None:
    done = run_pytest(PROBE, ASTREINTE_TEST_POSTGRES_URL=server_url(missing_database), ASTREINTE_REQUIRE_POSTGRES="1")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout  # SQLite and PostgreSQL
    assert database_exists(missing_database)


def test_an_unreachable_server_skips_the_postgresql_half_in_one_line() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test"
    done = run_pytest(PROBE, ASTREINTE_TEST_POSTGRES_URL=url)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 passed, 1 skipped" in done.stdout
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1
    assert f"PostgreSQL is unreachable at {url}" in skipped[0] and "ASTREINTE_TEST_POSTGRES_URL" in skipped[0]


def test_an_unreachable_server_fails_instead_when_postgresql_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test"
    monkeypatch.setenv("ASTREINTE_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        require_postgres(url)
    assert str(failed.value) == f"PostgreSQL is unreachable at {url} and ASTREINTE_REQUIRE_POSTGRES=1"
